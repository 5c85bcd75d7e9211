"""The parser's result types. Their JSON shape is the contract in
../shared/corpus/README.md (`Command.to_json`)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sekretar.core.intents import missing_slots as _missing
from sekretar.core.values import value


@value
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


@value
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
    # version 2 of the contract (../shared/corpus/README.md)
    kind: str | None = None             # "instant" | "interval" | "before" | "after"; None: by `end`
    grain: str | None = None            # "minute" | "hour" | "day" | "week" | "month" | "quarter" | "year"
    duration: timedelta | None = None   # a length that was said ("на три часа")
    rrule: str | None = None            # an RFC 5545 RRULE ("FREQ=WEEKLY;BYDAY=TU"); start is the first occurrence

    def to_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "all_day": self.all_day,
            "kind": self.kind or ("interval" if self.end else "instant"),
            "grain": self.grain,
            "duration": iso_duration(self.duration),
            "rrule": self.rrule,
        }


def iso_duration(d: timedelta | None) -> str | None:
    """An ISO 8601 duration: PT20M, PT2H30M, P3D, P1DT2H; None stays None."""
    if d is None:
        return None
    secs = int(d.total_seconds())
    sign, secs = ("-", -secs) if secs < 0 else ("", secs)
    days, rest = divmod(secs, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    time = "".join(f"{v}{u}" for v, u in ((h, "H"), (m, "M"), (s, "S")) if v)
    return sign + "P" + (f"{days}D" if days else "") + (f"T{time}" if time else ("" if days else "T0S"))


@value
class Anchor:
    """A time said by an item of the calendar ("после планёрки", "an hour
    after the standup"): the dialog finds the item and starts at its end
    (grammar/anchor.py; docs/grammar.md "A time by a calendar item")."""

    ref: str                           # the words naming the item, as said ("планёрки", "sales meeting")
    said: str                          # the whole phrase as said ("через час после планёрки")
    offset: timedelta | None = None    # "через час после …": from the item's end
    relation: str = "after"
    length: timedelta | None = None    # an event's length said with it ("на полчаса после планёрки")

    def to_json(self) -> dict:
        return {"ref": self.ref, "relation": self.relation, "offset": iso_duration(self.offset)}


INTENTS = ("task", "event", "message", "query", "change")


@value
class Command:
    intent: str | None = None  # one of INTENTS, or None when the text is not a command
    recipient: Recipient | None = None
    title: str | None = None
    message: str | None = None
    when: When | None = None
    missing: tuple[str, ...] = ()
    lang: str = "ru"
    text: str = ""
    # version 2 of the contract (../shared/corpus/README.md)
    participants: tuple[Recipient, ...] = ()   # an event's people
    remind: timedelta | None = None            # "напомни за 10 минут"
    about: str | None = None                   # query / change: "events" | "tasks" | None (both)
    action: str | None = None                  # change: "move" | "cancel" | "complete" | "rename" | "reassign"
    ref: str | None = None                     # change: the words naming the existing item, as said
    detail: object = None                      # query/change: grammar.query.Detail (filters; not in the JSON)
    anchor: Anchor | None = None               # task/event: "после планёрки" (an extension beyond contract v2)

    def to_json(self) -> dict:
        return {
            "intent": self.intent,
            "recipient": self.recipient.to_json() if self.recipient else None,
            "title": self.title,
            "message": self.message,
            "when": self.when.to_json() if self.when else None,
            "missing": list(self.missing),
            "participants": [p.to_json() for p in self.participants],
            "remind": iso_duration(self.remind),
            "about": self.about,
            "action": self.action,
            "ref": self.ref,
            "anchor": self.anchor.to_json() if self.anchor else None,
        }


def missing_slots(intent: str | None, recipient, title, message, when) -> tuple[str, ...]:
    """What the dialog still has to ask for: the intent's required slots
    that were not said (declared in sekretar/core/intents.yaml)."""
    return _missing(intent, recipient=recipient, title=title, message=message, when=when)


__all__ = ["Anchor", "Command", "Recipient", "When", "INTENTS", "missing_slots", "iso_duration"]
