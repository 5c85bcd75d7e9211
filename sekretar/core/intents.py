"""The intents, declared once (sekretar/core/intents.yaml) and read into
typed specs: what each carries (`SlotSpec`), which of it is optional, the
case its person takes, what kind of time it has, whether it is confirmed,
what the workspace does with it, and its sentences in each language.

    spec = intent_spec("task")
    spec.missing({"recipient": None, "title": None, "when": None})  # ("title",)
    spec.sentence("ru", "confirm", empty={"when"})                 # "Поставить задачу «{title}» {who} без срока?"

The grammar derives `Command.missing` from it, the dialog its questions,
confirmations and replies. docs/adding-an-intent.md walks through adding one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from importlib import resources

import yaml

from sekretar.core.errors import ConfigError


class SlotKind(StrEnum):
    PERSON = "person"   # someone of the workspace: said as a Recipient, resolved to an id
    TITLE = "title"     # a name for the thing: parsed, capitalised
    TEXT = "text"       # words kept as they were said (a message)
    WHEN = "when"       # a date or a time


class WhenKind(StrEnum):
    POINT = "point"     # a deadline: a day alone is at the task hour
    SPAN = "span"       # a stretch of time: a day alone is all day


class Operation(StrEnum):
    CREATE = "create"   # Workspace.create through the outbox, at most once


@dataclass(frozen=True)
class SlotSpec:
    name: str                    # the Command / Pending field: recipient, title, message, when
    kind: SlotKind
    optional: bool = False       # never asked for (not in Command.missing)
    default: str | None = None   # "speaker": an empty person slot is the speaker


@dataclass(frozen=True)
class IntentSpec:
    name: str
    slots: tuple[SlotSpec, ...]
    person_case: str = "datv"            # pymorphy3 case of its person in its sentences
    when: WhenKind | None = None         # None: no when slot
    confirm: bool = True
    operation: Operation = Operation.CREATE
    say: dict = field(default_factory=dict, compare=False, repr=False)  # lang → sentences

    def slot(self, name: str) -> SlotSpec | None:
        return next((s for s in self.slots if s.name == name), None)

    def has(self, name: str) -> bool:
        return self.slot(name) is not None

    @property
    def person_slot(self) -> SlotSpec | None:
        return next((s for s in self.slots if s.kind == SlotKind.PERSON), None)

    @property
    def point(self) -> bool:
        """A day said alone is a deadline at the task hour (not all day)."""
        return self.when == WhenKind.POINT

    @cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.slots if not s.optional)

    def missing(self, values: dict) -> tuple[str, ...]:
        """The required slots whose value is None, in asking order."""
        return tuple(name for name in self.required if values.get(name) is None)

    def sentence(self, lang: str, name: str, empty: frozenset[str] | set[str] = frozenset()) -> str:
        """The template of sentence `name` ("confirm", "ask.title"...) in
        `lang`; its `<name>_without_<slot>` variant when that slot is empty."""
        node = self.say[lang]
        for part in name.split(".")[:-1]:
            node = node[part]
        last = name.split(".")[-1]
        for slot in self.slots:
            variant = f"{last}_without_{slot.name}"
            if slot.name in empty and variant in node:
                return node[variant]
        return node[last]

    def has_sentence(self, lang: str, name: str) -> bool:
        node = self.say.get(lang, {})
        for part in name.split("."):
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
        return True


def _spec(name: str, raw: dict) -> IntentSpec:
    try:
        slots = tuple(SlotSpec(s["name"], SlotKind(s["kind"]), bool(s.get("optional", False)), s.get("default"))
                      for s in raw.get("slots", ()))
        when = WhenKind(raw["when"]) if raw.get("when") else None
        spec = IntentSpec(name, slots, raw.get("person_case", "datv"), when, bool(raw.get("confirm", True)),
                          Operation(raw.get("operation", "create")), raw.get("say") or {})
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"intents.yaml: intent {name!r} is malformed ({exc})") from None
    if spec.has("when") and when is None:
        raise ConfigError(f"intents.yaml: intent {name!r} has a when slot but no `when:` kind")
    return spec


_SPECS: dict[str, IntentSpec] = {}


def intent_specs() -> dict[str, IntentSpec]:
    """Every declared intent by name, in the file's order (read once)."""
    if not _SPECS:
        text = resources.files("sekretar.core").joinpath("intents.yaml").read_text("utf-8")
        _SPECS.update({name: _spec(name, raw) for name, raw in yaml.safe_load(text).items()})
    return _SPECS


def intent_spec(name: str | None) -> IntentSpec | None:
    """The spec of intent `name`; None for no intent or an undeclared one."""
    if not name:
        return None
    return (_SPECS or intent_specs()).get(name)


def missing_slots(intent: str | None, **values) -> tuple[str, ...]:
    """What the dialog still has to ask for: `intent`'s required slots not in `values`."""
    spec = intent_spec(intent)
    return spec.missing(values) if spec else ()


__all__ = ["IntentSpec", "SlotSpec", "SlotKind", "WhenKind", "Operation", "intent_spec", "intent_specs",
           "missing_slots"]
