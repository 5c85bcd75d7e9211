"""Questions and changes (contract v2): tests/data/grammar_query.yaml, each
row typed and as a recogniser writes it; and tests/data/grammar_not_create.yaml,
questions and statements about a schedule that must never become a command
to create something."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.fixtures_grammar import CORPUS_NOW, fold, same_person, same_text

DATA = Path(__file__).parent / "data"
CASES = yaml.safe_load((DATA / "grammar_query.yaml").read_text(encoding="utf-8"))
NOT_CREATE = yaml.safe_load((DATA / "grammar_not_create.yaml").read_text(encoding="utf-8"))


def _same_when(got, want) -> bool:
    if want is None or got is None:
        return got is want
    return got["start"] == want["start"] and got["end"] == want.get("end")


def _same_people(got, want) -> bool:
    return len(got) == len(want) and all(same_person(g, w) for g, w in zip(got, want))


def _same_ref(got, want) -> bool:
    if want is None or got is None:
        return got is want
    return fold(got).casefold() == fold(want).casefold()


CHECKS = {
    "intent": lambda g, w: g == w,
    "about": lambda g, w: g == w,
    "action": lambda g, w: g == w,
    "ref": _same_ref,
    "recipient": same_person,
    "participants": _same_people,
    "title": lambda g, w: same_text(g and g.casefold(), w and w.casefold()),
    "when": _same_when,
}


def _detail(cmd) -> dict:
    d = cmd.detail
    if d is None:
        return {}
    out = {k: getattr(d, k) for k in ("scope", "overdue", "free", "next", "it")}
    out["shift"] = int(d.shift.total_seconds()) if d.shift is not None else None
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_query_or_change(strict_parser, case):
    cmd = strict_parser.parse(case["text"], now=CORPUS_NOW, tz="Europe/Moscow")
    got = cmd.to_json()
    want = dict(case["want"])
    detail = want.pop("detail", {})
    bad = {k: (got.get(k), w) for k, w in want.items() if not CHECKS[k](got.get(k), w)}
    bad.update({f"detail.{k}": (_detail(cmd).get(k), w) for k, w in detail.items() if _detail(cmd).get(k) != w})
    assert bad == {}, f"{case['text']!r}: {bad}"


@pytest.mark.parametrize("text", NOT_CREATE, ids=NOT_CREATE)
def test_never_a_create(strict_parser, text):
    cmd = strict_parser.parse(text, now=CORPUS_NOW, tz="Europe/Moscow")
    assert cmd.intent not in ("task", "event", "message"), f"{text!r} became a {cmd.intent}: {cmd.to_json()}"
