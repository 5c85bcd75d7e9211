"""The date/time word lists (grammar/dates/data/<lang>.yaml) compiled once
into phrase tables (grammar/phrases.py: a trie of dicts, word by word, the
longest phrase wins), so matching at a token costs a dict lookup per word read."""
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
    # the time value's words (periods, the past, bounds, lengths, repetitions,
    # holidays, zones): one Table per section of the YAML, by name
    more: dict[str, Table] = field(default_factory=dict)
    offsets: Table | None = None  # prev2/prev/next/this_period/this in one table: phrase → units from now
    # a word that reads nothing alone ("a", "the", "new"; data `lead_words`) → the second words of
    # the phrases it starts: with another second word that cannot start anything, nothing starts there
    lead_pairs: dict[str, frozenset[str]] = field(default_factory=dict)
    duration_stems: tuple[tuple[str, int], ...] = ()   # "двухчасов" → 120 (minutes)
    adjective_endings: frozenset[str] = field(default=frozenset())
    stem_prefixes: tuple[str, ...] = ()
    remind_stems: tuple[str, ...] = ()   # a sentence about a reminder ("напомни")
    gates: dict[str, frozenset[str]] = field(default_factory=dict)  # readers.py gate name → first words
    _readers_at: dict[str, tuple[str, ...]] = field(default_factory=dict)
    starts: dict[str, bool] = field(default_factory=dict)   # Scanner.may_start per word
    mark_firsts: frozenset[str] = field(default=frozenset())   # may start a marker or a bound ("на", "не позже")
    piece_firsts: frozenset[str] = field(default=frozenset())  # Scanner.piece may read here, besides may_start

    def readers_at(self, norm: str) -> tuple[str, ...]:
        """The Scanner methods of the readers (grammar/dates/readers.py, in
        table order) whose gate holds for a first word: worked out once per word."""
        got = self._readers_at.get(norm)
        if got is None:
            from sekretar.grammar.dates.readers import READERS

            got = tuple("_" + r.name for r in READERS if any(self._gate(g, norm) for g in r.gates))
            if len(self._readers_at) < 100_000:
                self._readers_at[norm] = got
        return got

    def _gate(self, g: str, norm: str) -> bool:
        if g == "any" or norm in self.gates.get(g, ()):
            return True
        if g == "digit" or g == "clock":  # a clock ("13:15", "9:30am") is a time only
            return norm[:1].isdigit() and (":" in norm) == (g == "clock")
        if g == "number" and "-" in norm and norm.partition("-")[0] in self.gates["number"]:
            return True
        if g == "q":
            return len(norm) == 2 and norm[0] == "q"
        if g == "ordinal":  # "first", "2nd", "12-го": a number said as an ordinal
            nw = number_lexicon(self.lang).get(norm)
            if nw is not None:
                return nw.ordinal
            return norm[:1].isdigit() and (norm[-2:] in ("st", "nd", "rd", "th") or "-" in norm)
        if g == "month_parts" and norm.startswith("mid-"):  # "mid-April"
            return True
        if g == "adjective":  # "двухчасовое", "three-hour"
            return "-" in norm or (bool(self.stem_prefixes) and norm.startswith(self.stem_prefixes))
        return g == "fraction" and norm.startswith("пол")


_WORDS = ("prev", "prev2", "this_period", "next_n", "last_n", "ago", "within", "last_word", "of_month",
          "duration_markers", "and_half", "every", "every_other", "once_in", "hour_units", "lead", "lead_after",
          "minute_units", "day_word", "night_of", "weekend", "since", "approx", "one_units", "year_heads")
_GROUPED = ("period_units", "seasons")
_VALUES = ("one_n", "slice_units", "weekday_after", "shift_from", "half_names", "mid_units", "month_parts", "from_now",
           "bounds", "freq_words", "weekday_plurals", "repeat_units", "holidays", "zones", "dayparts_every")
# sections whose first words may start a date expression
_STARTERS = ("weekend", "half_names", "mid_units", "prev", "prev2", "this_period", "next_n", "last_n", "within", "every", "once_in", "freq_words",
             "weekday_plurals", "holidays", "seasons", "bounds", "duration_markers", "period_units", "lead",
             "last_word", "zones", "month_parts", "night_of", "one_n")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def date_lexicon(lang: str) -> DateLexicon:
    lang = lang if lang in ("ru", "en") else "ru"
    text = resources.files("sekretar.grammar.dates").joinpath("data", f"{lang}.yaml").read_text(encoding="utf-8")
    d = yaml.load(text, Loader=_LOADER)  # the C loader when PyYAML has it: a third of the cold start
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
    for name in _WORDS:
        lex.more[name] = Table(_words(d.get(name)))
    for name in _GROUPED:
        lex.more[name] = Table(_grouped(d.get(name)))
    for name in _VALUES:
        lex.more[name] = Table(d.get(name) or {})
    for name, table in lex.more.items():  # plain attributes: lex.bounds, lex.zones, ...
        setattr(lex, name, table)
    lex.duration_stems = tuple(sorted(((str(k), int(v)) for k, v in (d.get("duration_adjectives") or {}).items()),
                                      key=lambda kv: -len(kv[0])))
    lex.adjective_endings = frozenset(d.get("adjective_endings") or ())
    lex.remind_stems = tuple(d.get("remind_stems") or ())
    starters: set[str] = set(number_lexicon(lang))
    for t in (lex.months, lex.weekdays, lex.this, lex.next, lex.after, lex.half_units, lex.units, lex.count_words,
              lex.half_past, lex.quarter, lex.to_minus, lex.one_oclock, lex.markers,
              lex.range_from, lex.phrases, lex.fractions, *(lex.more[k] for k in _STARTERS)):
        starters |= t.firsts()
    lex.starters = frozenset(starters)
    lex.weekday_firsts = frozenset(lex.weekdays.firsts() | lex.this.firsts() | lex.next.firsts())
    lex.number_firsts = frozenset(set(number_lexicon(lang)) | lex.one_oclock.firsts())
    lex.fraction_firsts = frozenset(lex.half_past.firsts() | lex.quarter.firsts() | lex.to_minus.firsts()
                                    | lex.fractions.firsts())
    lex.stem_prefixes = tuple(stem for stem, _ in lex.duration_stems)
    gates = {name: frozenset(t.firsts()) for name, t in lex.more.items()}
    gates.update(weekday=lex.weekday_firsts, number=lex.number_firsts, months=frozenset(lex.months.firsts()),
                 after=frozenset(lex.after.firsts()), fraction=lex.fraction_firsts,
                 count=frozenset(lex.count_words.firsts()), units=frozenset(lex.units.firsts()),
                 half=frozenset(lex.half_units.firsts()), next=frozenset(lex.next.firsts()),
                 this=frozenset(lex.this.firsts()))
    lex.offsets = _offsets(lex)
    gates["period_first"] = frozenset(lex.offsets.firsts() | {"the"})  # a modifier of a unit may start here
    # a length or a reminder may start here ("на два часа", "за 15 минут", "15 minutes before")
    gates["extent"] = (gates["duration_markers"] | gates["lead"] | gates["units"] | gates["count"]
                       | gates["half"] | gates["number"])
    lex.gates = gates
    tables = [v for v in vars(lex).values() if isinstance(v, Table)] + list(lex.more.values())
    lex.lead_pairs = {w: frozenset(set().union(*(t.followers(w) for t in tables)))
                      for w in (normalize(str(x)) for x in d.get("lead_words") or ())}
    lex.mark_firsts = frozenset(lex.markers.firsts() | lex.bounds.firsts())
    lex.piece_firsts = frozenset(lex.mark_firsts | lex.phrases.firsts() | gates["extent"])
    return lex


# the modifiers of a unit (PeriodReader._offset), tried in this order when two share a phrase
OFFSETS = (("prev2", -2), ("prev", -1), ("next", 1), ("this_period", 0), ("this", 0))


def _offsets(lex: DateLexicon) -> Table:
    """One table for the modifiers, so reading one is a single match. The
    longest phrase wins, as within each list; a phrase in two lists keeps the
    first list's offset. Refused when that would read differently from
    trying the lists in order: a shorter phrase of an earlier list with
    another offset than a longer one of a later list starting with it."""
    pairs = []
    for name, off in OFFSETS:
        table = getattr(lex, name)
        pairs += sorted((" ".join(norms), off) for norms, _ in table.items())
    for a, (pa, oa) in enumerate(pairs):
        for pb, ob in pairs[a + 1:]:
            if oa != ob and pb.startswith(pa + " "):
                raise ValueError(f"{lex.lang}.yaml: {pa!r} ({oa}) is a start of {pb!r} ({ob}): one table would read it apart")
    return Table(pairs)


__all__ = ["Table", "DateLexicon", "date_lexicon"]
