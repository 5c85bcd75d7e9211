"""grammar: one utterance → one `Command`. Pure: no I/O, no clock.

    from grammar import Parser
    parser = Parser()                      # builds the morphology once
    cmd = parser.parse("Поставь задачу на Сергея Иванова завтра", now=now, tz="Europe/Moscow", lang="ru")
    cmd.to_json()                          # the contract in ../shared/corpus/README.md
"""
from grammar.command import INTENTS, Command, Recipient, When, missing_slots

__all__ = ["Command", "Recipient", "When", "INTENTS", "missing_slots"]
