"""The command being built up over several turns (`Pending`), with typed
values (a `Recipient`, a `When` with datetimes), and the time arithmetic
of corrections: "на среду" keeps the time agreed, "в 15:00" keeps the
day, an event keeps its length. JSON only at the edge (`to_json` /
`from_json`, used by `dialog.state`)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sekretar.core.intents import IntentSpec, WhenKind, intent_spec
from sekretar.grammar.command import Command, Recipient, When
from sekretar.grammar.slots import midnight, shape_day


def said(r: Recipient | None) -> Recipient | None:
    """`r` when it names somebody (a name or the speaker), else None."""
    if r is None or not (r.first or r.last or r.middle or r.self):
        return None
    return r


@dataclass
class Pending:
    intent: str
    recipient: Recipient | None = None   # as said
    person: str | None = None            # the resolved workspace person id
    title: str | None = None
    message: str | None = None
    when: When | None = None             # start, end, all_day (in the turn's zone)
    choices: list[str] = field(default_factory=list)  # person ids while picking
    # what an intent carries besides its slots (its `carries:` in intents.yaml;
    # an event's people, repetition and reminder, dialog/invite.py)
    participants: list[Recipient] = field(default_factory=list)  # as said, still to find in the directory
    invited: list[str] = field(default_factory=list)             # found: person ids
    unknown: list[str] = field(default_factory=list)             # said but not in the directory (names)
    picking_participant: bool = False                            # Step.PICK is about participants[0]
    rrule: str | None = None                                     # RFC 5545, the start is the first
    remind: int | None = None                                    # minutes before the start
    anchor: dict | None = None  # "после планёрки": the item the time is said by (dialog/anchor.py)

    @property
    def spec(self) -> IntentSpec:
        return intent_spec(self.intent)

    @classmethod
    def from_command(cls, cmd: Command, task_default_hour: int) -> "Pending":
        p = cls(cmd.intent, said(cmd.recipient), None, cmd.title, cmd.message)
        if cmd.when is not None:
            p.when = fit_when(cmd.intent, None, cmd.when, task_default_hour)
        p.take_extras(cmd)
        if p.spec.carries("participants") and cmd.participants:
            p.participants = [r for r in map(said, cmd.participants) if r is not None]
            p.recipient = None  # the people it is with are invited, not a recipient
        return p

    def take_extras(self, cmd: Command) -> bool:
        """The repetition and reminder `cmd` says, where the intent carries
        them ("каждую среду в 9", "нет, напомни за час"); what it does not
        say is kept. True if one changed."""
        changed = False
        if self.spec.carries("rrule") and cmd.when is not None and cmd.when.rrule:
            self.rrule, changed = cmd.when.rrule, True
        if self.spec.carries("remind") and cmd.remind is not None:
            self.remind, changed = max(1, int(cmd.remind.total_seconds() // 60)), True
        return changed

    @property
    def start(self) -> datetime | None:
        return self.when.start if self.when else None

    @property
    def end(self) -> datetime | None:
        return self.when.end if self.when else None

    @property
    def all_day(self) -> bool:
        return bool(self.when and self.when.all_day)

    def value(self, slot: str):
        """The value of slot `slot` (for a person slot: the Recipient as said)."""
        return getattr(self, slot)

    # --- the edge: JSON as the state store and the platforms carry it -------
    def to_json(self) -> dict:
        r, w = self.recipient, self.when
        return {
            "intent": self.intent,
            "recipient": None if r is None else _recipient_json(r),
            "person": self.person, "title": self.title, "message": self.message,
            "when": None if w is None else {"start": w.start.isoformat(),
                                            "end": w.end.isoformat() if w.end else None, "all_day": w.all_day},
            "choices": list(self.choices),
            "participants": [_recipient_json(x) for x in self.participants],
            "invited": list(self.invited), "unknown": list(self.unknown),
            "picking_participant": self.picking_participant, "rrule": self.rrule, "remind": self.remind,
            "anchor": self.anchor,
        }

    @classmethod
    def from_json(cls, d: dict | None) -> "Pending | None":
        """The pending command in `d`; None when there is none. Raises
        (TypeError, ValueError, KeyError) when `d` does not read."""
        if not d or not d.get("intent"):
            return None
        if intent_spec(d["intent"]) is None:
            raise ValueError(f"unknown intent {d['intent']!r}")
        rec, when = d.get("recipient"), d.get("when")
        choices = list(d.get("choices") or [])
        if not all(isinstance(x, str) for x in choices):
            raise TypeError("choices are person ids")
        ids = {k: list(d.get(k) or []) for k in ("invited", "unknown")}
        if not all(isinstance(x, str) for v in ids.values() for x in v):
            raise TypeError("invited and unknown are strings")
        remind, rrule = d.get("remind"), d.get("rrule")
        if (remind is not None and not isinstance(remind, int)) or (rrule is not None and not isinstance(rrule, str)):
            raise TypeError("remind is minutes, rrule a string")
        if d.get("anchor") is not None and not isinstance(d["anchor"], dict):
            raise TypeError("anchor is an object")
        return cls(d["intent"], Recipient(**rec) if rec else None, d.get("person"), d.get("title"),
                   d.get("message"), _when(when) if when else None, choices,
                   [Recipient(**x) for x in d.get("participants") or []], ids["invited"], ids["unknown"],
                   bool(d.get("picking_participant")), rrule, remind, d.get("anchor"))


def _recipient_json(r: Recipient) -> dict:
    return {"first": r.first, "last": r.last, "middle": r.middle, "self": r.self, "span": r.span}


def _when(d: dict) -> When:
    end = d.get("end")
    return When(datetime.fromisoformat(d["start"]), datetime.fromisoformat(end) if end else None,
                bool(d.get("all_day")))


def _agreed(start: datetime, end: datetime | None, all_day: bool) -> When:
    return When(start, end, all_day)


def fit_when(intent: str | None, old: When | None, new: When, task_default_hour: int = 12) -> When:
    """`new` (what was just said) applied over `old` (what was agreed, or
    None), with what was not said kept: the time when only a day was said,
    the day when only a time was said, an event's length. A day alone
    follows the intent's rule (`grammar.slots.shape_day`); in the dialog an
    intent without a time of its own keeps a day as a point."""
    spec = intent_spec(intent)
    span = spec is not None and spec.when == WhenKind.SPAN
    start, end, all_day = new.start, new.end, new.all_day
    day_only = new.has_date and not new.has_time
    if old is None:
        shaped = shape_day(new, not span, task_default_hour, length=span)
        if day_only and not span:
            return _agreed(shaped.start, None, False)  # a deadline has no end
        return _agreed(shaped.start, shaped.end, shaped.all_day)
    o_start, o_end, o_all_day = old.start, old.end, old.all_day
    length = (o_end - o_start) if (o_end and not o_all_day) else None
    if day_only:
        if o_all_day and span:
            days = (end - start) if (all_day and end) else (o_end - o_start if o_end else timedelta(days=1))
            return _agreed(midnight(start), midnight(start) + days, True)
        start = start.replace(hour=o_start.hour, minute=o_start.minute, second=0, microsecond=0)
        return _agreed(start, start + length if length else None, False)
    if new.has_time and not new.has_date:
        day = o_start
        start = day.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
        if end is not None:
            end = day.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
            if end <= start:
                end += timedelta(days=1)
        else:
            end = start + length if length else None
        return _agreed(start, end, False)
    if end is None and length is not None and not all_day:
        end = start + length
    return _agreed(start, end, all_day)


def with_end(w: When, minutes: int) -> When:
    """A timed `w` without an end lasts `minutes`."""
    return w if (w.all_day or w.end is not None) else replace(w, end=w.start + timedelta(minutes=minutes))
