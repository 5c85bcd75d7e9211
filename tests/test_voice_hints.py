"""Phrase hints: command words per language and people names in every case."""
from __future__ import annotations

import types

import pytest
from sekretar.voice.hints import command_words, name_forms, people_words, vocabulary


@pytest.fixture(scope="module")
def morph():
    pymorphy3 = pytest.importorskip("pymorphy3")
    return pymorphy3.MorphAnalyzer()


def person(first=None, last=None, middle=None):
    return types.SimpleNamespace(first=first, last=last, middle=middle)


@pytest.mark.parametrize("word, forms", [
    ("Иванов", {"иванов", "иванова", "иванову", "ивановым", "иванове"}),
    ("Сергей", {"сергей", "сергея", "сергею", "сергеем", "сергее"}),
    ("Настя", {"настя", "насти", "насте", "настю", "настей"}),
    ("Смирнова", {"смирнова", "смирновой"}),
], ids=["surname", "first-name", "diminutive", "feminine-surname"])
def test_names_are_inflected(morph, word, forms):
    assert forms <= set(name_forms(word, morph))


def test_a_word_not_known_as_a_name_stays_as_said(morph):
    assert name_forms("Xörg", morph) == ["xörg"]
    assert name_forms("Иванов") == ["иванов"]  # no analyser: the nominative only


def test_people_words_cover_every_part_of_every_name(morph):
    words = people_words([person("Сергей", "Иванов"), person("Анна", "Римская-Корсакова")], morph)
    assert {"сергею", "иванову", "анне", "римской", "корсаковой"} <= set(words)
    assert len(words) == len(set(words))


def test_command_words(morph):
    ru = command_words("ru")
    assert {"поставь", "задачу", "вторник", "тринадцать", "да", "нет"} <= set(ru)
    assert "#" not in "".join(ru)
    assert {"task", "tomorrow", "yes"} <= set(command_words("en"))
    assert command_words("ko") == []
    assert set(vocabulary("ru", [person("Сергей", "Иванов")], morph, extra=["Отчёт"])) >= \
        {"поставь", "иванову", "отчёт"}
