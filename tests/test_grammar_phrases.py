"""Phrases beyond the corpus (tests/data/grammar_phrases.yaml): intents with
wrappers and word orders, title and message markers, self, non-commands,
English, bare answers to the dialog's question."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.fixtures_grammar import CORPUS_NOW, as_json, mismatches

CASES = yaml.safe_load((Path(__file__).parent / "data" / "grammar_phrases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_phrase(strict_parser, case):
    cmd = strict_parser.parse(case["text"], now=case.get("now", CORPUS_NOW), tz=case.get("tz", "Europe/Moscow"),
                              lang=case.get("lang"), expect=case.get("expect"))
    assert mismatches(as_json(cmd), case["want"]) == {}


def _recogniser(text: str) -> str:
    """What a speech recogniser writes: lower case, no punctuation (digits and
    ':' of times kept, as Alice sends them)."""
    return " ".join("".join(c if c.isalnum() or c in ":-" else " " for c in text.lower()).split())


HEARD = [c for c in CASES if not c.get("expect") and any("а" <= ch <= "я" for ch in c["text"].lower())
         and "message" not in c["want"] and _recogniser(c["text"]) != c["text"]
         and not c.get("cased_only")]


@pytest.mark.parametrize("case", HEARD, ids=[_recogniser(c["text"]) for c in HEARD])
def test_phrase_as_heard(strict_parser, case):
    """The same phrase as a recogniser writes it gives the same command
    (titles compared without case: the capitals were not heard)."""
    cmd = strict_parser.parse(_recogniser(case["text"]), now=case.get("now", CORPUS_NOW),
                              tz=case.get("tz", "Europe/Moscow"))
    got = as_json(cmd)
    want = dict(case["want"])
    if want.get("title") and got.get("title"):
        assert got["title"].casefold() == want.pop("title").casefold().rstrip("?!.")
    assert mismatches(got, want) == {}
