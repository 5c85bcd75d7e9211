"""The recipient in every case and gender (typed and recogniser-style),
from the people × templates table in tests/data/grammar_names.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.fixtures_grammar import CORPUS_NOW, as_json, mismatches

TABLE = yaml.safe_load((Path(__file__).parent / "data" / "grammar_names.yaml").read_text(encoding="utf-8"))


def _recogniser(text: str) -> str:
    """What a speech recogniser writes: lower case, no punctuation."""
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace() or c == "-").split())


def _heard(expect: dict, how) -> dict:
    """A message is kept as said, so as heard its expected text is heard too."""
    if expect.get("message"):
        return {**expect, "message": how(expect["message"])}
    return expect


def _cases():
    for person in TABLE["people"]:
        want = {"first": person.get("first"), "last": person.get("last"), "self": False,
                "middle": person.get("middle")}
        for tpl in TABLE["templates"]:
            if tpl["case"] not in person:
                continue
            typed = tpl["text"].format(p=person[tpl["case"]])
            expect = {**tpl["expect"], "recipient": want}
            yield pytest.param(typed, "ru", expect, id=typed)
            spoken = _recogniser(typed)
            yield pytest.param(spoken, "ru", _heard(expect, _recogniser), id=spoken)
    for person in TABLE["english_people"]:
        want = {"first": person.get("first"), "last": person.get("last"), "self": False}
        for tpl in TABLE["english_templates"]:
            typed = tpl["text"].format(p=person["said"])
            expect = {**tpl["expect"], "recipient": want}
            yield pytest.param(typed, "en", expect, id=typed)
            if person.get("lower", True):
                spoken = typed.lower()
                yield pytest.param(spoken, "en", _heard(expect, str.lower), id=spoken)


@pytest.mark.parametrize("text,lang,expect", list(_cases()))
def test_recipient(strict_parser, text, lang, expect):
    got = as_json(strict_parser.parse(text, now=CORPUS_NOW, tz="Europe/Moscow", lang=lang))
    assert mismatches(got, expect) == {}


@pytest.mark.parametrize("text,span", [
    ("Поставь задачу на Сергея Иванова", "Сергея Иванова"),
    ("напиши насте привет", "насте"),
    ("Создай мне задачу", "мне"),
])
def test_recipient_keeps_what_was_said(strict_parser, text, span):
    assert strict_parser.parse(text, now=CORPUS_NOW).recipient.span == span
