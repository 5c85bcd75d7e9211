"""The parser's API as the dialog and the server use it."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sekretar.grammar import Command, Parser, When, shape_when

from sekretar import grammar
from sekretar.core.text import resolve_lang as resolve
from tests.fixtures_grammar import CORPUS_NOW

MSK = ZoneInfo("Europe/Moscow")


def test_parser_exposes_its_morphology(parser):
    import pymorphy3

    assert isinstance(parser.morph, pymorphy3.MorphAnalyzer)
    assert Parser(parser.morph).morph is parser.morph


def test_module_level_parse_uses_one_parser():
    cmd = grammar.parse("Создай задачу", now=CORPUS_NOW)
    assert isinstance(cmd, Command) and cmd.intent == "task"
    assert grammar.default_parser() is grammar.default_parser()


def test_task_default_hour_is_configurable(parser):
    p = Parser(parser.morph, task_default_hour=9)
    assert p.parse("Поставь задачу на завтра", now=CORPUS_NOW).when.start == datetime(2019, 3, 26, 9, tzinfo=MSK)


def test_default_tz_and_lang(parser):
    p = Parser(parser.morph, default_tz="Asia/Yekaterinburg", default_lang="en")
    cmd = p.parse("завтра в 10", now="2019-03-25T12:28:00+03:00")
    assert cmd.when.start.isoformat() == "2019-03-26T10:00:00+05:00"
    assert cmd.lang == "ru"  # Cyrillic wins over the default
    assert p.parse("...", now=CORPUS_NOW).lang == "en"  # no letters: the default


def test_when_carries_what_was_said(strict_parser):
    day = strict_parser.parse("Поставь задачу на завтра", now=CORPUS_NOW).when
    assert (day.has_date, day.has_time) == (True, False)
    timed = strict_parser.parse("Поставь задачу на завтра в 15:00", now=CORPUS_NOW).when
    assert (timed.has_date, timed.has_time) == (True, True)
    time_only = strict_parser.parse("в 15:00", now=CORPUS_NOW, expect="when").when
    assert time_only.has_time and not time_only.has_date


@pytest.mark.parametrize("intent,start,end,all_day", [
    ("task", datetime(2019, 3, 27, 12, tzinfo=MSK), None, False),
    ("event", datetime(2019, 3, 27, tzinfo=MSK), datetime(2019, 3, 28, tzinfo=MSK), True),
    ("message", datetime(2019, 3, 27, tzinfo=MSK), datetime(2019, 3, 28, tzinfo=MSK), True),
    (None, datetime(2019, 3, 27, tzinfo=MSK), datetime(2019, 3, 28, tzinfo=MSK), True),
])
def test_shape_when_applies_the_intent_to_a_bare_answer(strict_parser, intent, start, end, all_day):
    bare = strict_parser.parse("на среду", now=CORPUS_NOW, expect="when").when
    shaped = shape_when(bare, intent)
    assert (shaped.start, shaped.end, shaped.all_day) == (start, end, all_day)


def test_shape_when_keeps_a_time():
    w = When(datetime(2019, 3, 27, 15, tzinfo=MSK), None, False, has_date=True, has_time=True)
    assert shape_when(w, "task") == w and shape_when(w, "event") == w


def test_expect_with_a_command_verb_is_a_full_command(strict_parser):
    cmd = strict_parser.parse("Поставь задачу Сергею купить хлеб", now=CORPUS_NOW, expect="title")
    assert (cmd.intent, cmd.recipient.first, cmd.title) == ("task", "Сергей", "Купить хлеб")


def test_unknown_expect_is_ignored(strict_parser):
    assert strict_parser.parse("Насте", now=CORPUS_NOW, expect="colour").recipient is None


@pytest.mark.parametrize("text,lang", [("Привет", "ru"), ("hello", "en"), ("Hello, Настя", "ru"), ("🙂 123", "ru")])
def test_detect(text, lang):
    assert resolve(None, text) == lang


def test_resolve_prefers_the_given_language():
    assert resolve("EN", "Привет") == "en"
    assert resolve("de", "hello") == "en"
    assert resolve(None, "...", "en") == "en"
