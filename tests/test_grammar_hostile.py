"""Any input gives a well-formed Command in bounded time; bad `now`/`tz`
raise GrammarError (text never raises)."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sekretar.grammar import Command, Parser
from sekretar.grammar.command import INTENTS

from sekretar.core.errors import GrammarError
from tests.fixtures_grammar import CORPUS_NOW

HOSTILE = {
    "empty": "",
    "spaces": " \t\n ",
    "dots": "...",
    "emoji": "🙂" * 500,
    "emoji-words": "поставь 🙂 задачу 🙂 на 🙂 Сергея 🙂",
    "control": "\x00\x01\x02поставь\x07 задачу\x1b[31m на завтра\x7f\u200b\ufeff",
    "200kb": "а" * 200_000,
    "200kb-words": "поставь задачу " * 14_000,
    "repeated-phrase": "Поставь задачу на Сергея Иванова на следующий вторник в 13:15. " * 3000,
    "repeated-names": "сергею " * 5000,
    "repeated-markers": "с текстом " * 5000,
    "repeated-dates": "на завтра в 5 " * 5000,
    "digits": "1" * 10_000,
    "colons": ":" * 10_000,
    "mixed-scripts": "Поставь task на Sergey Иванова tomorrow в 13:15",
    "rtl": "أضف مهمة غدا",
    "cjk": "明天下午三点开会",
    "surrogates": "задача \ud800 \udfff",
    "combining": "з\u0301а\u0301д\u0301а\u0301ч\u0301у\u0301",
    "only-wrappers": "алиса ну слушай пожалуйста",
    "only-markers": "с текстом с заголовком назови её",
    # the time grammar's own worst cases (issue 11): ranges, dashes, dots, digits, repetitions
    "ranges": "с 3 по 5 марта " * 5000,
    "dash-ranges": "10:15 - 12:00 " * 5000,
    "en-dash-days": "3–5 марта " * 5000,
    "hyphen-tokens": "9am-noon 3-5 " * 5000,
    "between": "between 2 and 4 pm " * 5000,
    "200kb-digits": "1" * 200_000,
    "200kb-dashes": "-" * 200_000,
    "200kb-dots": "." * 200_000,
    "200kb-digit-dashes": "1-2-" * 50_000,
    "200kb-digit-dots": "12.03." * 35_000,
    "200kb-slashes": "4/25/" * 40_000,
    "digits-spaced": "12 " * 70_000,
    "repetitions": "каждую среду в 9 по будням " * 5000,
    "zones": "в 11 по Москве 3 pm London time " * 5000,
    "lengths": "минут на сорок на два с половиной часа " * 5000,
    "ago": "пять дней назад a month ago " * 5000,
    "nth-weekday": "в последнюю пятницу месяца " * 5000,
    # English readers that read a day inside themselves: nesting is bounded (docs/dates.md)
    "nested-shifts": "a day after " * 5000 + "tomorrow",
    "nested-before": "two days before " * 5000 + "Christmas",
    "nested-week-of": "the week of " * 5000 + "Friday",
    "nested-nth-week": "the first week of " * 5000 + "March",
    "weekday-dashes": "Mon-Wed " * 5000,
    "now-until": "from now until " * 5000 + "5pm",
    "anchors": "созвон после планёрки через час после совещания с Орловым " * 2000,
    "bare-after": "after " * 5000 + "the standup",
}


def _well_formed(cmd: Command) -> None:
    assert isinstance(cmd, Command)
    out = json.loads(json.dumps(cmd.to_json(), ensure_ascii=False))
    assert set(out) == {"intent", "recipient", "title", "message", "when", "missing",   # contract v2
                        "participants", "remind", "about", "action", "ref",
                        "anchor"}  # an extension beyond contract v2 (docs/grammar.md)
    assert out["intent"] in (None, *INTENTS)
    assert isinstance(out["missing"], list)


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_is_answered(strict_parser, text):
    _well_formed(strict_parser.parse(text, now=CORPUS_NOW))


@pytest.mark.parametrize("text", [None, 42, b"bytes"], ids=["none", "int", "bytes"])
def test_non_string_text_is_answered(strict_parser, text):
    _well_formed(strict_parser.parse(text, now=CORPUS_NOW))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec=None), max_size=300))
def test_any_unicode_is_answered(strict_parser, text):
    _well_formed(strict_parser.parse(text, now=CORPUS_NOW))


_WORDS = ["поставь", "задачу", "на", "сергея", "иванова", "с", "текстом", "завтра", "в", "13:15", "напиши",
          "насте", "встречу", "и", "назови", "ее", ",", ":", "мне", "create", "a", "task", "for", "me",
          "titled", "send", "to", "nastya", "saying", "tomorrow", "at", "5", "pm", "до", "по", "12", "декабря",
          "после", "планёрки", "через", "час", "after", "the", "standup", "an", "hour"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_any_word_salad_is_answered(strict_parser, words):
    _well_formed(strict_parser.parse(" ".join(words), now=CORPUS_NOW))


@pytest.mark.parametrize("kw", [{"tz": "Mars/Olympus"}, {"tz": "../../etc/passwd"}, {"now": "вчера"},
                                {"now": "2019-13-45T99:00"}, {"now": 12345}],
                         ids=["tz-unknown", "tz-path", "now-words", "now-bad-iso", "now-int"])
def test_bad_now_or_tz_raise_grammar_error(strict_parser, kw):
    with pytest.raises(GrammarError):
        strict_parser.parse("поставь задачу", **kw)


def test_now_forms(strict_parser):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    naive = strict_parser.parse("завтра в 10", now=datetime(2019, 3, 25, 12, 28), tz="Europe/Moscow")
    aware = strict_parser.parse("завтра в 10", now=datetime(2019, 3, 25, 9, 28, tzinfo=ZoneInfo("UTC")),
                                tz="Europe/Moscow")
    assert naive.when.start == aware.when.start
    assert aware.when.start.isoformat() == "2019-03-26T10:00:00+03:00"
    assert strict_parser.parse("завтра в 10").when is not None  # the clock


def test_bad_default_tz_is_a_grammar_error(parser):
    with pytest.raises(GrammarError):
        Parser(parser.morph, default_tz="Nowhere/Atlantis")


def test_a_bug_answers_intent_null_in_production(parser, monkeypatch):
    from sekretar.grammar import utterance as mod

    monkeypatch.setattr(mod, "find_intent", lambda *a, **k: 1 / 0)
    cmd = parser.parse("поставь задачу", now=CORPUS_NOW)
    assert cmd.intent is None and cmd.to_json()["missing"] == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_every_token_is_the_text_at_its_offsets_and_only_whitespace_is_left_out(text):
    from sekretar.grammar.tokens import clean, tokenize

    text = clean(text)
    toks = tokenize(text)
    pos = 0
    for t in toks:
        assert text[t.start:t.end] == t.text and t.start >= pos
        assert text[pos:t.start].strip() == ""  # nothing but whitespace between tokens
        pos = t.end
    assert text[pos:].strip() == ""
    # the plain definition the fast path must agree with (grammar/tokens.py)
    import re

    plain = re.compile(r"\w+(?:[:.\-]\w+)*|[^\w\s]")
    assert [(t.text, t.start, t.end) for t in toks] == [(m.group(), *m.span()) for m in plain.finditer(text)]
