"""Dates in words, names inflected, speech text, and the time arithmetic of
corrections, as data (tests/data/dialog_phrasing.yaml, dialog_when.yaml)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from sekretar.dialog.lexicon import lexicon
from sekretar.dialog.pending import fit_when
from sekretar.dialog.phrasing import Phrasing, for_speech
from sekretar.grammar.command import When

from sekretar.core.types import Person

DATA = Path(__file__).parent / "data"
PHRASING = yaml.safe_load((DATA / "dialog_phrasing.yaml").read_text("utf-8"))
WHEN = yaml.safe_load((DATA / "dialog_when.yaml").read_text("utf-8"))
NOW = datetime.fromisoformat("2019-03-25T12:28:00+03:00")


@pytest.fixture(scope="session")
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _dt(s):
    return datetime.fromisoformat(s) if s else None


@pytest.mark.parametrize("case", PHRASING["names"],
                         ids=[f"{c['lang']}:{c['first']} {c['last']}:{c['case']}" for c in PHRASING["names"]])
def test_name(case, morph):
    ph = Phrasing(lexicon(case["lang"]), morph)
    assert ph.name(Person("1", case["first"], case["last"]), case["case"]) == case["want"]


@pytest.mark.parametrize("case", PHRASING["dates"], ids=[f"{c['lang']}:{c['at']}" for c in PHRASING["dates"]])
def test_date_in_words(case):
    assert Phrasing(lexicon(case["lang"])).at(_dt(case["at"]), NOW) == case["want"]


@pytest.mark.parametrize("case", PHRASING["spans"], ids=[c["want"] for c in PHRASING["spans"]])
def test_event_span(case):
    ph = Phrasing(lexicon(case["lang"]))
    assert ph.span(_dt(case["start"]), _dt(case.get("end")), case.get("all_day", False), NOW) == case["want"]


@pytest.mark.parametrize("case", PHRASING["speech"], ids=[c["want"] for c in PHRASING["speech"]])
def test_speech(case):
    assert for_speech(case["text"]) == case["want"]


@pytest.mark.parametrize("case", WHEN, ids=[c["id"] for c in WHEN])
def test_fit_when(case):
    n = case["new"]
    new = When(_dt(n["start"]), _dt(n.get("end")), n["all_day"], n["has_date"], n["has_time"])
    o = case.get("old")
    old = When(_dt(o["start"]), _dt(o.get("end")), o["all_day"]) if o else None
    got = fit_when(case["intent"], old, new, 12)
    want = case["want"]
    assert got.start == _dt(want["start"])
    assert got.end == _dt(want["end"])
    assert got.all_day == want["all_day"]
