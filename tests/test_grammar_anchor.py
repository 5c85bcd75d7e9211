"""A time said by an item of the calendar (tests/data/grammar_anchor.yaml):
"после планёрки", "an hour after the standup"; the time rules' own "после
обеда", "after 5 pm" unchanged. Each row as typed and as a recogniser writes it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sekretar.grammar.command import iso_duration

from tests.fixtures_grammar import CORPUS_NOW, as_json, mismatches

CASES = yaml.safe_load((Path(__file__).parent / "data" / "grammar_anchor.yaml").read_text(encoding="utf-8"))
OWN = ("anchor", "said", "offset", "with", "length", "relation", "remind")


def _fold(s):
    return None if s is None else " ".join(s.replace("ё", "е").casefold().split())


def _check(cmd, want: dict, heard: bool = False) -> dict:
    got = as_json(cmd)
    want = dict(want)
    own = {k: want.pop(k) for k in OWN if k in want}
    if heard:
        for k in ("title", "message"):
            if want.get(k) and got.get(k):
                if _fold(got[k]) == _fold(want[k]).rstrip("?!.").replace(",", ""):
                    want.pop(k)
                    continue
    bad = mismatches(got, want)
    a = cmd.anchor
    if "anchor" in own and _fold(a.ref if a else None) != _fold(own["anchor"]):
        bad["anchor"] = (a, own["anchor"])
    if "said" in own and _fold(a.said if a else None) != _fold(own["said"]):
        bad["said"] = (a and a.said, own["said"])
    if "offset" in own and (a and got["anchor"]["offset"]) != own["offset"]:
        bad["offset"] = (a and got["anchor"]["offset"], own["offset"])
    if "length" in own and iso_duration(a and a.length) != own["length"]:
        bad["length"] = (a and a.length, own["length"])
    if "relation" in own and (a and a.relation) != own["relation"]:
        bad["relation"] = (a and a.relation, own["relation"])
    if "remind" in own and got["remind"] != own["remind"]:
        bad["remind"] = (got["remind"], own["remind"])
    if "with" in own and [p.first for p in cmd.participants] != own["with"]:
        bad["with"] = ([p.first for p in cmd.participants], own["with"])
    return bad


def _parse(parser, case, text):
    return parser.parse(text, now=case.get("now", CORPUS_NOW), tz=case.get("tz", "Europe/Moscow"),
                        lang=case.get("lang"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_anchor(strict_parser, case):
    assert _check(_parse(strict_parser, case, case["text"]), case["want"]) == {}, case["text"]


def _recogniser(text: str) -> str:
    return " ".join("".join(c if c.isalnum() or c in ":-'" else " " for c in text.lower()).split())


HEARD = [c for c in CASES if _recogniser(c["text"]) != c["text"]]


@pytest.mark.parametrize("case", HEARD, ids=[_recogniser(c["text"]) for c in HEARD])
def test_anchor_as_heard(strict_parser, case):
    """Lower case, no punctuation: the same anchor, the same command."""
    want = {k: v for k, v in case["want"].items() if k != "with"}  # a lower-case name may read otherwise
    assert _check(_parse(strict_parser, case, _recogniser(case["text"])), want, heard=True) == {}, case["text"]


def test_anchor_in_the_json(strict_parser):
    out = strict_parser.parse("запланируй созвон через час после планёрки", now=CORPUS_NOW).to_json()
    assert out["anchor"] == {"ref": "планёрки", "relation": "after", "offset": "PT1H"}
    before = strict_parser.parse("запланируй созвон за час до планёрки", now=CORPUS_NOW).to_json()
    assert before["anchor"] == {"ref": "планёрки", "relation": "before", "offset": "PT1H"} and before["remind"] is None
    assert strict_parser.parse("созвон завтра в 10", now=CORPUS_NOW).to_json()["anchor"] is None


def test_an_answer_to_when_may_be_an_anchor(strict_parser):
    """«На когда?» — «после планёрки»: the dialog finds the item."""
    cmd = strict_parser.parse("после планёрки", now=CORPUS_NOW, expect="when")
    assert cmd.intent is None and cmd.when is None and cmd.anchor.ref == "планёрки"


def test_an_offset_is_whole_when_now_has_seconds(strict_parser):
    """A real clock has seconds; the time rules drop them, so an offset read
    through them must be measured from the minute, not from `now`
    («через полчаса после планёрки» at 12:28:41 was 29 min 19 s)."""
    cmd = strict_parser.parse("запланируй созвон через полчаса после планёрки", now="2019-03-25T12:28:41.5+03:00")
    assert cmd.anchor is not None and iso_duration(cmd.anchor.offset) == "PT30M"
    en = strict_parser.parse("schedule a call an hour after the standup", now="2019-03-25T12:28:59+03:00", lang="en")
    assert en.anchor is not None and iso_duration(en.anchor.offset) == "PT1H"
