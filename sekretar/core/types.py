"""The types the dialog and the integrations share, in one module both use.

The dialog takes a `Turn` and gives a `Reply` (platform adapters build the
one and render the other); it hands a confirmed `Action` to a `Workspace`,
which knows its `Person`s and answers with what it `Created`. Adapters:
`sekretar.integrations.local` (SQLite, the embedded default),
`sekretar.integrations.bitrix24` (REST).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Turn:
    """One thing a voice user said.

    `user` is a stable key from the platform ("alice:<user_id>", "cli:local").
    `state` is the dialog state the platform carried back (Alice's
    session_state); None means: load it from the store.
    `hint` is a platform's own understanding: "confirm", "reject", "help".
    `request_id` identifies a delivery (session + message id) so a request
    delivered twice gets the same reply and acts once.
    """

    user: str
    text: str
    now: datetime
    tz: str = "Europe/Moscow"
    lang: str | None = None
    platform: str = "cli"
    state: dict | None = None
    hint: str | None = None
    request_id: str | None = None
    new_session: bool = False
    hints: dict | None = None   # the platform's own entities (Alice nlu: "fio", "datetime"), see grammar.hints


@dataclass(frozen=True)
class Reply:
    text: str
    tts: str | None = None           # what to speak, if it differs from text
    end: bool = False                # the session ends
    buttons: tuple[str, ...] = ()    # suggestions (Да / Нет on a confirmation)
    state: dict = field(default_factory=dict)  # the new dialog state
    outcome: str = "answered"        # for metrics: a sekretar.dialog.steps.TurnOutcome value (a str)


@dataclass(frozen=True)
class Person:
    id: str                 # the workspace's id ("7" for Bitrix24 user 7)
    first: str | None = None
    last: str | None = None
    middle: str | None = None
    email: str | None = None
    gender: str | None = None  # "m" | "f" | None

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first, self.last) if p) or self.id


@dataclass(frozen=True)
class Action:
    """A confirmed action, ready for the workspace. JSON-able via `to_json`.

    kind: "task" | "event" | "message", or a change of an existing item
    (CHANGE_KINDS): "move" (new start/end: an event's time, a task's
    deadline), "rename" (title), "reassign" (target: the new responsible),
    "complete" (close a task), "cancel" (delete an event).
    actor: the linked person's id (created_by / owner / from).
    target: the responsible person (task) or recipient (message) id.
    key: the idempotency key: the same key never creates two things.
    participants: an event's invited people (workspace ids; the actor hosts).
    rrule: an event's repetition, RFC 5545 ("FREQ=WEEKLY;BYDAY=WE"); start is the first.
    remind: minutes before the start to remind ("напомни за 15 минут").
    item / item_kind: the existing item a change applies to ("12", "task").
    before: the item as the user confirmed the change against (`Item.to_json`):
    the workspace refuses (ItemChanged) when it has changed meanwhile.
    """

    kind: str
    actor: str
    key: str
    target: str | None = None
    title: str | None = None
    text: str | None = None
    start: datetime | None = None   # task deadline / event start
    end: datetime | None = None
    all_day: bool = False
    tz: str = "Europe/Moscow"
    participants: tuple[str, ...] = ()
    rrule: str | None = None
    remind: int | None = None
    item: str | None = None
    item_kind: str | None = None
    before: dict | None = None

    @property
    def is_change(self) -> bool:
        return self.kind in CHANGE_KINDS

    def to_json(self) -> dict:
        d = asdict(self)
        for k in ("start", "end"):
            if d[k] is not None:
                d[k] = d[k].isoformat()
        d["participants"] = list(self.participants)
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Action":
        d = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}  # an older or newer record
        for k in ("start", "end"):
            if d.get(k):
                d[k] = datetime.fromisoformat(d[k])
        d["participants"] = tuple(str(x) for x in d.get("participants") or ())
        return cls(**d)


CHANGE_KINDS = ("move", "rename", "reassign", "complete", "cancel")


@dataclass(frozen=True)
class Item:
    """An existing task or event as a workspace lists it.

    start: an event's start or a task's deadline; owner: an event's owner or
    a task's responsible person (ids); creator: who made it; done: a closed
    task; people: an event's attendees (ids).
    """

    kind: str
    id: str
    title: str
    start: datetime | None = None
    end: datetime | None = None
    all_day: bool = False
    owner: str | None = None
    creator: str | None = None
    done: bool = False
    url: str | None = None
    people: tuple[str, ...] = ()

    def to_json(self) -> dict:
        d = asdict(self)
        d["people"] = list(self.people)
        for k in ("start", "end"):
            if d[k] is not None:
                d[k] = d[k].isoformat()
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Item":
        d = dict(d)
        for k in ("start", "end"):
            if d.get(k):
                d[k] = datetime.fromisoformat(d[k])
        d["people"] = tuple(d.get("people") or ())
        return cls(**d)


@dataclass(frozen=True)
class Created:
    """What the workspace made: its id there, and a link where it gives one."""

    kind: str
    id: str
    url: str | None = None
    extra: dict = field(default_factory=dict)


@runtime_checkable
class Workspace(Protocol):
    name: str  # "local", "bitrix24"

    def people(self) -> list[Person]:
        """The whole directory (cached by the adapter where it is remote)."""

    def get_person(self, person_id: str) -> Person | None: ...

    def carries(self, kind: str, extra: str) -> bool:
        """Whether a `kind` ("task", "event") the workspace creates keeps
        `extra` (an Action field named in core.intents.EXTRAS: participants,
        rrule, remind), or a form of one some workspaces cannot keep
        ("rrule:nth_weekday", "rrule:hourly": `rrule_form`). The dialog says
        before «да» what it cannot keep, never sends it, and never claims it
        (Bitrix24 has no reminder on a task and repeats at most daily, by plain
        weekdays: docs/bitrix24.md)."""

    def create(self, action: Action) -> Created:
        """Create the task/event/message. Raises WorkspaceUnavailable for
        transient failures (retry later), WorkspaceAuthError /
        WorkspacePermissionError / WorkspaceRejected for permanent ones.
        Must not create a second thing for an action.key it already made
        when the workspace can tell (local: unique key column).
        A change (action.is_change) applies to `action.item`; applying it
        again is harmless (the item is already so); an item that changed
        since `action.before` or is gone raises ItemChanged / ItemNotFound."""

    def events(self, start: datetime, end: datetime, owner: str, viewer: str) -> list[Item]:
        """`owner`'s events overlapping [start, end), oldest first, as far as
        `viewer` (the linked person) may see them: the CRM's permissions, never
        more."""

    def tasks(self, viewer: str, *, responsible: str | None = None, creator: str | None = None,
              due_from: datetime | None = None, due_to: datetime | None = None,
              status: str = "open") -> list[Item]:
        """Tasks by responsible / creator / deadline in [due_from, due_to);
        status "open", "done", "overdue" (open, deadline passed) or "any";
        only those `viewer` may see."""


def rrule_parts(rrule: str | None) -> dict[str, str]:
    """An RFC 5545 RRULE's parts: "FREQ=WEEKLY;BYDAY=MO" → {"FREQ": "WEEKLY", "BYDAY": "MO"}."""
    return dict(part.split("=", 1) for part in (rrule or "").split(";") if "=" in part)


def rrule_form(rrule: str) -> str:
    """What a workspace must keep for an RRULE: "rrule:hourly" (FREQ by the
    hour or minute), "rrule:nth_weekday" (a numbered BYDAY: "the first
    Monday", "the last Friday"), else "rrule"."""
    rule = rrule_parts(rrule)
    if rule.get("FREQ") in ("HOURLY", "MINUTELY", "SECONDLY"):
        return "rrule:hourly"
    if any(d[:-2] for d in rule.get("BYDAY", "").split(",") if d) or "BYSETPOS" in rule:
        return "rrule:nth_weekday"
    return "rrule"


def workspace_carries(workspace, kind: str, extra: str) -> bool:
    """`workspace.carries(kind, extra)`; a workspace without the method (a
    test double, an older adapter) is taken at Action's word: it keeps what
    the Action carries."""
    carries = getattr(workspace, "carries", None)
    return True if carries is None else bool(carries(kind, extra))
