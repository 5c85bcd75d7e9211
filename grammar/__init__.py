"""grammar: one utterance → one `Command`. Pure: no I/O, no clock.

    from sekretar.grammar import Parser
    parser = Parser()                      # builds the morphology once
    cmd = parser.parse("Поставь задачу на Сергея Иванова завтра", now=now, tz="Europe/Moscow", lang="ru")
    cmd.to_json()                          # the contract in ../shared/corpus/README.md

`parse(text, ...)` is the same on a process-wide parser built on first use.
`shape_when(when, intent, task_default_hour)` applies an intent's date
conventions to a `When` parsed without one (a bare answer "на среду").
Conventions: docs/grammar.md.
"""
from __future__ import annotations

from sekretar.grammar.command import INTENTS, Anchor, Command, Recipient, When, missing_slots
from sekretar.grammar.parser import Parser
from sekretar.grammar.slots import shape_when

_default: Parser | None = None


def default_parser() -> Parser:
    """The process-wide parser (built on first use)."""
    global _default
    if _default is None:
        _default = Parser()
    return _default


def parse(text, now=None, tz=None, lang=None, expect=None) -> Command:
    return default_parser().parse(text, now=now, tz=tz, lang=lang, expect=expect)


__all__ = ["Anchor", "Command", "Recipient", "When", "INTENTS", "missing_slots", "Parser", "parse",
           "default_parser", "shape_when"]
