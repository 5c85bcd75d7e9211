"""Spoken and written numbers (tests/data/numbers.yaml) and one-time codes."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sekretar.grammar.numbers import parse_number, spoken_digits
from sekretar.grammar.tokens import clean, tokenize

from tests.test_grammar_dates import translit

TABLE = yaml.safe_load((Path(__file__).parent / "data" / "numbers.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", TABLE["numbers"], ids=lambda r: f"{r.get('lang', 'ru')}:{translit(r['text']) or '<empty>'}")
def test_number(row):
    tokens = tokenize(clean(row["text"]))
    num = parse_number(tokens, 0, row.get("lang", "ru")) if tokens else None
    if row["value"] is None:
        assert num is None
        return
    assert num is not None
    assert num.value == row["value"]
    assert num.ordinal == row.get("ordinal", False)
    assert num.start == 0
    assert num.end == row.get("words", len(tokens))


@pytest.mark.parametrize("row", TABLE["codes"], ids=lambda r: translit(r["text"]) or "<empty>")
def test_spoken_digits(row):
    assert spoken_digits(row["text"]) == row["code"]


def test_every_generated_form_is_lower_case_without_yo():
    from sekretar.grammar.numbers import lexicon
    for lang in ("ru", "en"):
        for form in lexicon(lang):
            assert form == form.lower() and "ё" not in form


def test_number_out_of_range_index():
    assert parse_number(tokenize("пять"), 5) is None


@pytest.mark.parametrize("text", [
    "пять " * 10000, "двадцать " * 10000, "тысяча " * 10000, "one hundred and " * 5000,
    "9" * 200_000, "🙂" * 100_000, "\x00\x07 пять \x1f", None, 12345,
])
def test_spoken_digits_hostile(text):
    out = spoken_digits(text)
    assert out is None or out.isdigit()
