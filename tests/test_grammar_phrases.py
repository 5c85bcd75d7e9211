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
