"""Fixtures for the grammar tests: the parser is built once per session
(it loads pymorphy3's dictionaries); and the comparison rules of
../shared/corpus/score.py (`mismatches`) for the data-driven tables."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

CORPUS_NOW = "2019-03-25T12:28:00+03:00"  # a Monday, the corpus's `now`


@pytest.fixture(scope="session")
def parser():
    """The production parser (a bug answers intent null, as in production)."""
    from sekretar.grammar import Parser

    return Parser()


@pytest.fixture(scope="session")
def strict_parser(parser):
    """The same parser, sharing its morphology, but a bug raises instead of
    answering intent null, so the tests see it."""
    from sekretar.grammar import Parser

    p = Parser(parser.morph)
    p.strict = True
    return p

import datetime as dt
import unicodedata


def fold(s: str) -> str:
    return unicodedata.normalize("NFC", s).replace("ё", "е").replace("Ё", "Е").strip()


def same_text(got, want) -> bool:
    if want is None or got is None:
        return got is want
    strip = lambda s: " ".join(fold(s).rstrip(" .!").split())
    return strip(got) == strip(want)


def same_person(got, want) -> bool:
    if want is None or got is None:
        return got is want
    for k in ("first", "last", "middle"):
        if k == "middle" and k not in want:
            continue
        g, w = got.get(k), want.get(k)
        if (g is None) != (w is None) or (w is not None and fold(g).casefold() != fold(w).casefold()):
            return False
    return bool(got.get("self")) == bool(want.get("self"))


def _instant(s):
    return None if s is None else dt.datetime.fromisoformat(s)


def same_when(got, want) -> bool:
    if want is None or got is None:
        return got is want
    return (_instant(got.get("start")) == _instant(want["start"])
            and _instant(got.get("end")) == _instant(want.get("end"))
            and bool(got.get("all_day")) == bool(want.get("all_day")))


CHECKS = {
    "intent": lambda g, w: g == w,
    "recipient": same_person,
    "title": same_text,
    "message": same_text,
    "when": same_when,
    "missing": lambda g, w: sorted(g or []) == sorted(w),
    "remind": lambda g, w: g == w,   # ISO 8601 duration ("PT1H") or None
}


def as_json(cmd) -> dict:
    """Command.to_json() plus the recipient's patronymic (not in the contract)."""
    out = cmd.to_json()
    if cmd.recipient is not None:
        out["recipient"]["middle"] = cmd.recipient.middle
    return out


def mismatches(got: dict, expect: dict) -> dict:
    return {k: (got.get(k), w) for k, w in expect.items() if not CHECKS[k](got.get(k), w)}
