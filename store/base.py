"""The state store's interface: what must survive a restart or be shared by
several server processes. One implementation runs on SQLite (embedded
default) and on PostgreSQL (SEKRETAR_DATABASE_URL=postgresql://...).

Times are timezone-aware datetimes (stored as UTC). Every method is one
short transaction; the store is safe to share between threads of one
process and between processes on one database.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Link:
    user: str          # voice user key ("alice:XYZ", "cli:local")
    person_id: str     # the workspace person
    workspace: str     # "local" | "bitrix24"
    linked_at: datetime


@dataclass(frozen=True)
class ActionRecord:
    """A confirmed action and its fate: the idempotency record and the outbox.

    status: "pending" (not yet accepted by the workspace, retry at
    next_try_at), "done" (created; result holds Created as JSON),
    "failed" (failed for good; error says why).
    """

    key: str
    user: str
    payload: dict       # Action.to_json()
    status: str
    attempts: int
    next_try_at: datetime | None
    result: dict | None
    error: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CodeTry:
    """One spoken code, checked and recorded at once (`Store.try_code`).

    status: "linked" (the code was live: burnt, person_id/workspace say
    whose), "wrong" (no such live code: counted), "blocked" (the user has
    used up the tries of the window: not evaluated), "retired" (the code
    existed but saw more guesses than its budget: burnt, get a new one).
    left: tries left in the window; wait_seconds: until the next is allowed.
    """

    status: str
    person_id: str | None = None
    workspace: str | None = None
    left: int = 0
    wait_seconds: float = 0.0


class Store(ABC):
    # --- account links -------------------------------------------------
    @abstractmethod
    def get_link(self, user: str) -> Link | None: ...

    @abstractmethod
    def set_link(self, user: str, person_id: str, workspace: str, now: datetime) -> Link: ...

    @abstractmethod
    def delete_link(self, user: str) -> bool: ...

    # --- one-time codes ------------------------------------------------
    @abstractmethod
    def issue_code(self, person_id: str, workspace: str, now: datetime,
                   length: int = 6, ttl_seconds: int = 600) -> str:
        """A fresh code from `secrets`, unique among live codes; replaces
        the person's previous live code."""

    @abstractmethod
    def redeem_code(self, code: str, now: datetime) -> tuple[str, str] | None:
        """(person_id, workspace) if `code` is live, and burns it (single
        use, atomic: two concurrent redeems cannot both win). None if the
        code is unknown, used or expired."""

    @abstractmethod
    def try_code(self, user: str, code: str, now: datetime, *, max_tries: int,
                 window_seconds: float) -> CodeTry:
        """The guarded redeem: refuses a user with `max_tries` wrong codes in
        the last `window_seconds`, else evaluates and records a wrong try,
        as one transaction (no race past the limit)."""

    # --- guessing limits -----------------------------------------------
    @abstractmethod
    def record_failed_try(self, user: str, now: datetime) -> None: ...

    @abstractmethod
    def failed_tries(self, now: datetime, since_seconds: float, user: str | None = None) -> int:
        """Wrong codes in the last `since_seconds`, for one user or (None) all."""

    # --- dialog state --------------------------------------------------
    @abstractmethod
    def load_state(self, user: str) -> dict | None: ...

    @abstractmethod
    def save_state(self, user: str, state: dict | None, now: datetime) -> None:
        """None clears it."""

    # --- replies to deliveries (a request delivered twice) -------------
    # keyed by the voice user AND the delivery id: a request id is the
    # caller's word, another user sending it gets nothing of this one's
    @abstractmethod
    def get_reply(self, user: str, request_id: str) -> dict | None: ...

    @abstractmethod
    def claim_reply(self, user: str, request_id: str, now: datetime, stale_seconds: float = 30.0) -> bool:
        """Mark the delivery as being answered; False if another delivery of
        it is (and is not `stale_seconds` old): wait for its reply."""

    @abstractmethod
    def release_reply(self, user: str, request_id: str) -> None:
        """Drop an unanswered claim (the turn failed)."""

    @abstractmethod
    def put_reply(self, user: str, request_id: str, reply: dict, now: datetime) -> None: ...

    # --- confirmed actions: idempotency record + outbox ----------------
    @abstractmethod
    def add_action(self, key: str, user: str, payload: dict, now: datetime) -> tuple[ActionRecord, bool]:
        """Insert as pending unless `key` exists; (record, inserted)."""

    @abstractmethod
    def get_action(self, key: str) -> ActionRecord | None: ...

    @abstractmethod
    def claim_due_action(self, now: datetime, lease_seconds: float = 60.0) -> ActionRecord | None:
        """Take one pending action whose next_try_at <= now and push its
        next_try_at to now + lease, atomically, so that of several workers
        exactly one gets it (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED)."""

    @abstractmethod
    def finish_action(self, key: str, status: str, now: datetime, *, result: dict | None = None,
                      error: str | None = None, next_try_at: datetime | None = None,
                      count_attempt: bool = True) -> None:
        """status "done"/"failed", or "pending" with a new next_try_at.
        attempts += 1 unless count_attempt is False (a lease, not a try)."""

    @abstractmethod
    def list_actions(self, statuses: tuple[str, ...] = ("pending", "failed")) -> list[ActionRecord]: ...

    # --- small secrets and settings (OAuth tokens, encrypted by the caller)
    @abstractmethod
    def kv_get(self, key: str) -> str | None: ...

    @abstractmethod
    def kv_put(self, key: str, value: str | None) -> None: ...

    def forget_workspace(self, workspace: str, reason: str, now: datetime) -> tuple[int, int]:
        """The workspace is gone (a Bitrix24 portal removed the application):
        end every link to it, its live codes and its users' dialog states,
        and fail their pending actions with `reason`. (links, actions)."""
        raise NotImplementedError

    def close(self) -> None:
        pass
