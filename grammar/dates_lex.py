"""The date/time word lists (grammar/data/dates_<lang>.yaml) compiled once
into phrase tables: a dict from a phrase's first token to the phrases that
start with it, longest first, so matching at a token is one dict lookup."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from sekretar.grammar.numbers import lexicon as number_lexicon
from sekretar.grammar.phrases import PhraseTable as Table
from sekretar.grammar.tokens import normalize


def _words(items) -> dict[str, Any]:
    return {w: True for w in items or ()}


def _grouped(groups: dict) -> dict[str, Any]:
    return {w: key for key, words in (groups or {}).items() for w in words}


@dataclass
class DateLexicon:
    lang: str
    months: Table
    weekdays: Table
    need_marker: frozenset[str]
    not_after_hour: frozenset[str]
    this: Table
    next: Table
    after: Table
    count_words: Table
    units: Table
    half_units: Table
    year_words: Table
    day_words: Table
    hour_words: Table
    minute_words: Table
    meridiem: Table
    half_past: Table
    quarter: Table
    to_minus: Table
    one_oclock: Table
    markers: Table
    range_from: Table
    range_to: Table
    past_to: Table
    fractions: Table
    phrases: Table
    starters: frozenset[str] = field(default=frozenset())
    weekday_firsts: frozenset[str] = field(default=frozenset())   # may start a weekday
    number_firsts: frozenset[str] = field(default=frozenset())    # number words (+ "час")
    fraction_firsts: frozenset[str] = field(default=frozenset())  # "половине", "без", "half"


@lru_cache(maxsize=None)
def date_lexicon(lang: str) -> DateLexicon:
    lang = lang if lang in ("ru", "en") else "ru"
    text = resources.files("sekretar.grammar").joinpath("data", f"dates_{lang}.yaml").read_text(encoding="utf-8")
    d = yaml.safe_load(text)
    lex = DateLexicon(
        lang=lang,
        months=Table(_grouped(d["months"])),
        weekdays=Table(_grouped(d["weekdays"])),
        need_marker=frozenset(normalize(w) for w in d.get("need_marker", ())),
        not_after_hour=frozenset(normalize(str(w)) for w in d.get("not_after_hour", ())),
        this=Table(_words(d["this"])),
        next=Table(_words(d["next"])),
        after=Table(_words(d["after"])),
        count_words=Table(d.get("count_words") or {}),
        units=Table(_grouped(d["units"])),
        half_units=Table(d.get("half_units") or {}),
        year_words=Table(_words(d.get("year_words"))),
        day_words=Table(_words(d.get("day_words"))),
        hour_words=Table(_words(d.get("hour_words"))),
        minute_words=Table(_words(d.get("minute_words"))),
        meridiem=Table(d.get("meridiem") or {}),
        half_past=Table(_words(d.get("half_past"))),
        quarter=Table(_words(d.get("quarter"))),
        to_minus=Table(_words(d.get("to_minus"))),
        one_oclock=Table(_words(d.get("one_oclock"))),
        markers=Table(d.get("markers") or {}),
        range_from=Table(_words(d.get("range_from"))),
        range_to=Table(_words(d.get("range_to"))),
        past_to=Table(d.get("past_to") or {}),
        fractions=Table(d.get("fractions") or {}),
        phrases=Table(d.get("phrases") or {}),
    )
    starters: set[str] = set(number_lexicon(lang))
    for t in (lex.months, lex.weekdays, lex.this, lex.next, lex.after, lex.half_units,
              lex.half_past, lex.quarter, lex.to_minus, lex.one_oclock, lex.markers,
              lex.range_from, lex.phrases, lex.fractions):
        starters |= t.firsts()
    lex.starters = frozenset(starters)
    lex.weekday_firsts = frozenset(lex.weekdays.firsts() | lex.this.firsts() | lex.next.firsts())
    lex.number_firsts = frozenset(set(number_lexicon(lang)) | lex.one_oclock.firsts())
    lex.fraction_firsts = frozenset(lex.half_past.firsts() | lex.quarter.firsts() | lex.to_minus.firsts()
                                    | lex.fractions.firsts())
    return lex


__all__ = ["Table", "DateLexicon", "date_lexicon"]
