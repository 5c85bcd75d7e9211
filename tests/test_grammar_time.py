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


def _reader_examples():
    from sekretar.grammar.dates.readers import READERS

    for r in READERS:
        for ex in r.examples:
            yield pytest.param(r.name, ex, id=f"{r.name}:{translit(ex)}")


@pytest.mark.parametrize("name,example", list(_reader_examples()))
def test_every_reader_reads_its_examples(name, example):
    """The table in grammar/dates/readers.py: each row's examples are read."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sekretar.grammar.dates import find_when
    from sekretar.grammar.tokens import clean, tokenize

    lang = "ru" if any("а" <= c <= "я" for c in example.lower()) else "en"
    tokens = tokenize(clean(example))
    span = find_when(tokens, datetime(2019, 3, 25, 12, 28, tzinfo=ZoneInfo("Europe/Moscow")), lang, lengths=True)
    assert span is not None, f"{name}: {example!r} is not read"
    covered = sum(e - s for s, e in span.spans)
    assert covered == len(tokens), f"{name}: {example!r} read only in part: {span.spans}"


@pytest.mark.parametrize("text,expect,want", [
    ("April", "recipient", "April"), ("June", "recipient", "June"), ("Mon", "recipient", "Mon"),
    ("April", "title", "April"), ("2020", "title", "2020"), ("May", "title", "May"),
])
def test_a_word_said_alone_answers_the_question_asked(strict_parser, text, expect, want):
    """"April", "Mon", "2020" said alone are a month, a weekday, a year (docs/dates.md), unless the
    dialog asked for a person or a title: then they are that answer, and no time."""
    cmd = strict_parser.parse(text, now="2019-03-25T12:28:00+03:00", tz="Europe/Moscow", lang="en", expect=expect)
    got = cmd.recipient.first if expect == "recipient" else cmd.title
    assert got == want and cmd.when is None, f"{text!r} as the {expect}: {got!r}, when {cmd.when}"
    alone = strict_parser.parse(text, now="2019-03-25T12:28:00+03:00", tz="Europe/Moscow", lang="en")
    assert alone.when is not None, f"{text!r} alone is a time"
