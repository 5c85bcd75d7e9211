"""The time tables: every kind of time expression of issue 11 in Russian and
English, typed and as a recogniser writes it, alone (a period is the answer)
and in commands (participants, reminders, lengths, repetitions, titles).
One parametrized test per table; each failure names its phrase."""
from __future__ import annotations

import pytest

from tests.fixtures_time import load_rows, mismatches
from tests.test_grammar_dates import translit


def _params(name):
    rows = load_rows(name)
    return [pytest.param(r, id=f"{r['lang']}:{translit(r['text'][:60])}") for r in rows]


def _check(strict_parser, row):
    cmd = strict_parser.parse(row["text"], now=row["now"], tz=row["tz"], lang=row["lang"])
    bad = mismatches(cmd.to_json(), row)
    assert not bad, f"{row['text']!r} ({row['lang']}, {row['said']}): {bad}"


@pytest.mark.parametrize("row", _params("time_ru"))
def test_time_ru(strict_parser, row):
    _check(strict_parser, row)


@pytest.mark.parametrize("row", _params("time_en"))
def test_time_en(strict_parser, row):
    _check(strict_parser, row)


@pytest.mark.parametrize("row", _params("time_commands"))
def test_time_commands(strict_parser, row):
    _check(strict_parser, row)


def test_tables_hold_enough_rows():
    rows = [r for name in ("time_ru", "time_en", "time_commands") for r in load_rows(name)]
    assert len(rows) >= 800
    assert {r["lang"] for r in rows} == {"ru", "en"}
    assert {r["said"] for r in rows} == {"typed", "heard"}
