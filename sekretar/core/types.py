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

    kind: "task" | "event" | "message".
    actor: the linked person's id (created_by / owner / from).
    target: the responsible person (task) or recipient (message) id.
    key: the idempotency key: the same key never creates two things.
    participants: an event's invited people (workspace ids; the actor hosts).
    rrule: an event's repetition, RFC 5545 ("FREQ=WEEKLY;BYDAY=WE"); start is the first.
    remind: minutes before the start to remind ("напомни за 15 минут").
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

    def create(self, action: Action) -> Created:
        """Create the task/event/message. Raises WorkspaceUnavailable for
        transient failures (retry later), WorkspaceAuthError /
        WorkspacePermissionError / WorkspaceRejected for permanent ones.
        Must not create a second thing for an action.key it already made
        when the workspace can tell (local: unique key column)."""
