"""Confirmed actions reach the workspace exactly once, or wait in the outbox.

`Outbox.submit` records the action under its idempotency key *before*
calling the workspace, so a confirmation delivered twice finds the record
and creates nothing new. A transient failure (WorkspaceUnavailable) leaves
the action pending with a back-off; `Outbox.drain` retries what is due.
Each retry first claims the action in the store (one worker per action),
re-reads its record (a done action is never sent again) and, when the
workspace can look things up (`find(action, since)`), asks it whether an
earlier attempt already made it: the portal may have created the thing and
lost only its reply.
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sekretar.store.base import ActionRecord, Store

from sekretar.core.errors import (
    WorkspaceAuthError,
    WorkspaceError,
    WorkspacePermissionError,
    WorkspaceRejected,
    WorkspaceUnavailable,
)
from sekretar.core.types import Action, Created, Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    first: float = 5.0        # seconds before the first retry
    factor: float = 2.0
    cap: float = 600.0        # never wait longer than this between tries
    give_up_after: float = 24 * 3600.0  # then the action fails for good

    def delay(self, attempts: int) -> float:
        return min(self.cap, self.first * self.factor ** max(0, attempts - 1))


@dataclass(frozen=True)
class Outcome:
    status: str                  # "done" | "queued" | "failed"
    key: str
    created: Created | None = None
    error: str | None = None     # plain words, for the user
    duplicate: bool = False      # this key had been submitted before


@dataclass(frozen=True)
class DrainReport:
    done: int = 0
    retried: int = 0
    failed: int = 0


def _created(result: dict | None) -> Created | None:
    return Created(**result) if result else None


def outcome_of(rec: ActionRecord, duplicate: bool = False) -> Outcome:
    status = {"pending": "queued"}.get(rec.status, rec.status)
    return Outcome(status, rec.key, _created(rec.result), rec.error, duplicate)


class Outbox:
    def __init__(self, store: Store, workspace: Workspace, backoff: Backoff = Backoff(),
                 lease_seconds: float = 60.0):
        self.store = store
        self.workspace = workspace
        self.backoff = backoff
        self.lease = lease_seconds
        self._pool: cf.ThreadPoolExecutor | None = None

    # --- the first attempt, at confirmation time -------------------------
    def submit(self, action: Action, user: str, now: datetime, budget: float | None = None) -> Outcome:
        """Record and try the action once. With `budget` (seconds), a slow
        workspace is left to finish in the background and the answer is
        "queued"; the record is leased meanwhile so no drainer retries it."""
        rec, inserted = self.store.add_action(action.key, user, action.to_json(), now)
        if not inserted:
            return outcome_of(rec, duplicate=True)
        # lease it to this attempt before calling out
        self.store.finish_action(action.key, "pending", now,
                                 next_try_at=now + timedelta(seconds=self.lease), count_attempt=False)
        if budget is None:
            return self._attempt(action, now, attempts=1)
        if self._pool is None:
            self._pool = cf.ThreadPoolExecutor(max_workers=8, thread_name_prefix="outbox")
        future = self._pool.submit(self._attempt, action, now, 1)
        try:
            return future.result(timeout=budget)
        except cf.TimeoutError:
            return Outcome("queued", action.key)

    def _attempt(self, action: Action, now: datetime, attempts: int,
                 since: datetime | None = None, lookup: bool = False) -> Outcome:
        try:
            created = None
            if lookup and hasattr(self.workspace, "find"):
                created = self.workspace.find(action, since)
                if created is not None:
                    log.info("outbox: %s was already made (%s %s)", action.key, created.kind, created.id)
            if created is None:
                created = self.workspace.create(action)
        except WorkspaceUnavailable as exc:
            return self._retry_later(action.key, now, attempts, str(exc))
        except (WorkspaceAuthError, WorkspacePermissionError, WorkspaceRejected) as exc:
            self.store.finish_action(action.key, "failed", _utcnow(), error=str(exc))
            return Outcome("failed", action.key, error=str(exc))
        except WorkspaceError as exc:
            return self._retry_later(action.key, now, attempts, str(exc))
        except Exception as exc:  # an adapter bug must not lose a confirmed action
            log.exception("workspace %s raised on %s", self.workspace.name, action.key)
            return self._retry_later(action.key, now, attempts, f"internal error: {type(exc).__name__}")
        result = {"kind": created.kind, "id": created.id, "url": created.url, "extra": created.extra}
        self.store.finish_action(action.key, "done", _utcnow(), result=result)
        return Outcome("done", action.key, created)

    def _retry_later(self, key: str, now: datetime, attempts: int, error: str) -> Outcome:
        rec = self.store.get_action(key)
        age = (now - rec.created_at).total_seconds() if rec else 0.0
        if age >= self.backoff.give_up_after:
            self.store.finish_action(key, "failed", now, error=error)
            return Outcome("failed", key, error=error)
        due = now + timedelta(seconds=self.backoff.delay(attempts))
        self.store.finish_action(key, "pending", now, error=error, next_try_at=due)
        return Outcome("queued", key, error=error)

    # --- later attempts --------------------------------------------------
    def drain(self, seconds: float = 30.0, clock: Callable[[], datetime] | None = None) -> DrainReport:
        """Retry what is due until nothing due is left or `seconds` pass."""
        clock = clock or _utcnow
        start = clock()
        done = retried = failed = 0
        while (clock() - start).total_seconds() < seconds:
            now = clock()
            rec = self.store.claim_due_action(now, self.lease)
            if rec is None:
                break
            current = self.store.get_action(rec.key)
            if current is None or current.status != "pending":
                continue  # finished meanwhile (a slow first attempt came back): never re-send
            outcome = self._attempt(Action.from_json(rec.payload), now, rec.attempts + 1,
                                    since=rec.created_at, lookup=True)
            done += outcome.status == "done"
            failed += outcome.status == "failed"
            retried += outcome.status == "queued"
        return DrainReport(done, retried, failed)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)
