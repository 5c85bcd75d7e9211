"""The intent declarations (sekretar/core/intents.yaml): every intent is
complete in both languages, and what is derived from it (the grammar's
`missing`, the dialog's questions) follows it."""
from __future__ import annotations

import string

import pytest
from sekretar.grammar import INTENTS
from sekretar.grammar.command import missing_slots

from sekretar.core.intents import SlotKind, intent_spec, intent_specs
from sekretar.core.text import LANGS

SPECS = list(intent_specs().values())
PLACEHOLDERS = {"title", "text", "who", "when", "ref", "workspace"}
FIELD = {SlotKind.PERSON: "recipient", SlotKind.TITLE: "title", SlotKind.TEXT: "message", SlotKind.WHEN: "when"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
@pytest.mark.parametrize("lang", LANGS)
def test_every_intent_says_everything_in_every_language(spec, lang):
    for sentence in ("confirm", "done", "queued"):
        assert spec.has_sentence(lang, sentence), f"{spec.name}: no {lang} {sentence!r}"
        assert _fields(spec.sentence(lang, sentence)) <= PLACEHOLDERS, f"{spec.name}: {lang} {sentence}"
    for slot in spec.slots:
        if not slot.optional:
            assert spec.has_sentence(lang, f"ask.{slot.name}"), f"{spec.name}: no {lang} question for {slot.name}"


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_slots_are_command_fields_of_their_kind(spec):
    assert spec.name in INTENTS
    for slot in spec.slots:
        assert FIELD[slot.kind] == slot.name, f"{spec.name}.{slot.name} is a {slot.kind}"
    assert spec.has("when") == (spec.when is not None)


@pytest.mark.parametrize("intent,said,missing", [
    ("task", {}, ("title",)),
    ("task", {"title": "Отчёт"}, ()),
    ("message", {}, ("recipient", "message")),
    ("message", {"recipient": "Сергей"}, ("message",)),
    ("event", {"when": "завтра"}, ("title",)),
    ("event", {}, ("title", "when")),
    (None, {}, ()),
    ("query", {}, ()),
])
def test_missing_is_the_required_slots_not_said(intent, said, missing):
    values = {k: said.get(k) for k in ("recipient", "title", "message", "when")}
    assert missing_slots(intent, **values) == missing


def test_a_variant_is_said_when_its_optional_slot_is_empty():
    task = intent_spec("task")
    assert task.sentence("ru", "confirm", {"when"}) == "Поставить задачу «{title}» {who} без срока?"
    assert "{when}" in task.sentence("ru", "confirm")
    assert intent_spec("rocket") is None and intent_spec(None) is None
