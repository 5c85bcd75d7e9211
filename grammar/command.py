"""The parser's result types. Their JSON shape is the contract in
../shared/corpus/README.md (`Command.to_json`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Recipient:
    """A person as said, normalised to the nominative and capitalised.

    `span` is the text that was said ("Сергею Иванову"), kept for the
    directory search; `middle` is a patronymic when one was said.
    """

    first: str | None = None
    last: str | None = None
    middle: str | None = None
    self: bool = False
    span: str | None = None

    def to_json(self) -> dict:
        return {"first": self.first, "last": self.last, "self": self.self}


@dataclass(frozen=True)
class When:
    """A point or a range in time, timezone-aware, in the turn's zone.

    All-day: start is the first day 00:00, end the day after the last day
    00:00 (end-exclusive, as in iCalendar). `end` is None when no end was said.
    """

    start: datetime
    end: datetime | None = None
    all_day: bool = False
    # what was actually said (not in the JSON contract): a correction "в 15:00"
    # changes the time of the date already agreed, "на среду" keeps the time
    has_date: bool = True
    has_time: bool = True

    def to_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "all_day": self.all_day,
        }


INTENTS = ("task", "event", "message")


@dataclass(frozen=True)
class Command:
    intent: str | None = None  # "task" | "event" | "message" | None
    recipient: Recipient | None = None
    title: str | None = None
    message: str | None = None
    when: When | None = None
    missing: tuple[str, ...] = ()
    lang: str = "ru"
    text: str = ""

    def to_json(self) -> dict:
        return {
            "intent": self.intent,
            "recipient": self.recipient.to_json() if self.recipient else None,
            "title": self.title,
            "message": self.message,
            "when": self.when.to_json() if self.when else None,
            "missing": list(self.missing),
        }


def missing_slots(intent: str | None, recipient, title, message, when) -> tuple[str, ...]:
    """What the dialog still has to ask for (corpus README conventions)."""
    if intent == "message":
        return tuple(s for s, v in (("recipient", recipient), ("message", message)) if v is None)
    if intent == "task":
        return ("title",) if title is None else ()
    if intent == "event":
        return tuple(s for s, v in (("title", title), ("when", when)) if v is None)
    return ()


__all__ = ["Command", "Recipient", "When", "INTENTS", "missing_slots"]
