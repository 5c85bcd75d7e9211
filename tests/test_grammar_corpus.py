"""Every case of the shared acceptance corpus, in-process, with score.py's
comparison rules (ids = corpus ids)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures_grammar import mismatches

# the corpus sits next to the checkout (../shared/corpus), wherever that is
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "commands.jsonl"
CASES = ([json.loads(l) for l in CORPUS.read_text(encoding="utf-8").splitlines() if l.strip()]
         if CORPUS.exists() else [])


@pytest.mark.skipif(not CASES, reason=f"{CORPUS} is absent")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_corpus_case(strict_parser, case):
    cmd = strict_parser.parse(case["text"], now=case.get("now"), tz=case.get("tz"), lang=case.get("lang"))
    assert mismatches(cmd.to_json(), case["expect"]) == {}
