"""The command being built up over several turns, as JSON-able state, and
the time arithmetic of corrections: "на среду" keeps the time agreed,
"в 15:00" keeps the day, an event keeps its length."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sekretar.grammar.command import Command, Recipient, When

# the slots asked for, in order, per intent ("recipient" is resolved in place)
SLOTS = {
    "message": ("recipient", "message"),
    "task": ("recipient?", "title"),
    "event": ("title", "when"),
}


def recipient_dict(r: Recipient | None) -> dict | None:
    if r is None or not (r.first or r.last or r.middle or r.self):
        return None
    return {"first": r.first, "last": r.last, "middle": r.middle, "self": r.self, "span": r.span}


@dataclass
class Pending:
    intent: str
    recipient: dict | None = None   # as said (Recipient fields)
    person: str | None = None       # resolved workspace person id
    title: str | None = None
    message: str | None = None
    when: dict | None = None        # {"start", "end", "all_day"} ISO strings
    choices: list[str] = field(default_factory=list)  # person ids while picking
    # an event's people, repetition and reminder (dialog/invite.py)
    participants: list[dict] = field(default_factory=list)  # as said, still to find in the directory
    invited: list[str] = field(default_factory=list)        # found: person ids
    unknown: list[str] = field(default_factory=list)        # said but not in the directory
    picking: str | None = None                              # "participant": the pick is for participants
    rrule: str | None = None
    remind: int | None = None                               # minutes before the start

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict | None) -> "Pending | None":
        if not d or not d.get("intent"):
            return None
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)

    @classmethod
    def from_command(cls, cmd: Command, task_default_hour: int) -> "Pending":
        p = cls(cmd.intent, recipient_dict(cmd.recipient), None, cmd.title, cmd.message)
        if cmd.when is not None:
            p.when = fit_when(cmd.intent, None, cmd.when, task_default_hour)
            p.rrule = cmd.when.rrule
        if cmd.intent == "event" and cmd.participants:
            p.participants = [d for d in map(recipient_dict, cmd.participants) if d]
            p.recipient = None  # the people it is with are invited, not a recipient
        if cmd.remind is not None:
            p.remind = max(1, int(cmd.remind.total_seconds() // 60))
        return p

    def get_recipient(self) -> Recipient | None:
        return Recipient(**self.recipient) if self.recipient else None

    @property
    def start(self) -> datetime | None:
        return datetime.fromisoformat(self.when["start"]) if self.when else None

    @property
    def end(self) -> datetime | None:
        return datetime.fromisoformat(self.when["end"]) if self.when and self.when.get("end") else None

    @property
    def all_day(self) -> bool:
        return bool(self.when and self.when.get("all_day"))


def _dict(start: datetime, end: datetime | None, all_day: bool) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat() if end else None, "all_day": all_day}


def fit_when(intent: str | None, old: dict | None, new: When, task_default_hour: int = 12) -> dict:
    """`new` (what was just said) applied over `old` (what was agreed, or
    None), with what was not said kept: the time when only a day was said,
    the day when only a time was said, an event's length."""
    start, end, all_day = new.start, new.end, new.all_day
    day_only = new.has_date and not new.has_time
    if old is not None:
        o_start = datetime.fromisoformat(old["start"])
        o_end = datetime.fromisoformat(old["end"]) if old.get("end") else None
        o_all_day = bool(old.get("all_day"))
        length = (o_end - o_start) if (o_end and not o_all_day) else None
        if day_only:
            if o_all_day and intent == "event":
                days = (end - start) if (all_day and end) else (o_end - o_start if o_end else timedelta(days=1))
                return _dict(_midnight(start), _midnight(start) + days, True)
            start = start.replace(hour=o_start.hour, minute=o_start.minute, second=0, microsecond=0)
            return _dict(start, start + length if length else None, False)
        if new.has_time and not new.has_date:
            day = o_start
            start = day.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
            if end is not None:
                end = day.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
                if end <= start:
                    end += timedelta(days=1)
            else:
                end = start + length if length else None
            return _dict(start, end, False)
        if end is None and length is not None and not all_day:
            end = start + length
        return _dict(start, end, all_day)
    if day_only and intent != "event":
        start = start.replace(hour=task_default_hour, minute=0, second=0, microsecond=0)
        return _dict(start, None, False)
    if day_only and not all_day:
        last = _midnight(end) if end else _midnight(start)
        return _dict(_midnight(start), last + timedelta(days=1), True)
    return _dict(start, end, all_day)


def _midnight(d: datetime) -> datetime:
    return d.replace(hour=0, minute=0, second=0, microsecond=0)
