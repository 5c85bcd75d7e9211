"""Confirmed actions reach the workspace exactly once, or wait in the outbox.

`Outbox.submit` records the action under its idempotency key *before*
calling the workspace, so a confirmation delivered twice finds the record
and creates nothing new. A transient failure (WorkspaceUnavailable) leaves
the action pending with a back-off; `Outbox.drain` retries what is due.

An attempt *holds* its action (docs/store.md, "Fencing"): every claim (the
first attempt at confirmation, each drainer retry) increments the record's
fencing token, and right before each call to the workspace the attempt
checks, in the same UPDATE that extends its lease, that the record is
still pending and still carries its token. An attempt that waited too long
(in a queue, behind a slow portal) and was overtaken by a retry is stale:
it never calls the workspace, and records nothing but a thing it made.

A retry asks the workspace (`find(action, since)`) whether an earlier
attempt already made it, but only when an earlier attempt did call
`create` (`reached`). When that look-up cannot run (no rights, no such
method), the action is created only if no earlier attempt could have
reached the CRM; otherwise it fails with that reason, the person is told
on their next turn, and their "повтори" (or `sekretar outbox retry`) after
checking makes it.
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
import time
from dataclasses import dataclass, replace
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
    stale: bool = False          # this attempt was overtaken and stopped


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
    """`lease_seconds` must exceed the longest one workspace call can take
    (the Bitrix24 client's timeout is 10 s): an attempt in flight past its
    lease may be overtaken. `workers`: threads for attempts that outlive the
    reply's budget."""

    def __init__(self, store: Store, workspace: Workspace, backoff: Backoff = Backoff(),
                 lease_seconds: float = 60.0, workers: int = 8):
        self.store = store
        self.workspace = workspace
        self.backoff = backoff
        self.lease = lease_seconds
        self.workers = workers
        self._pool: cf.ThreadPoolExecutor | None = None

    # --- the first attempt, at confirmation time -------------------------
    def submit(self, action: Action, user: str, now: datetime, budget: float | None = None) -> Outcome:
        """Record and try the action once. `now` is the server's clock (the
        record's schedule and leases run on it). With `budget` (seconds), a
        slow workspace is left to finish in the background and the answer is
        "queued"; the action is claimed meanwhile so no drainer retries it
        until the lease runs out, and once it has, this attempt is stale."""
        rec, inserted = self.store.add_action(action.key, user, action.to_json(), now)
        if not inserted:
            return outcome_of(rec, duplicate=True)
        claimed = self.store.claim_action(action.key, now, self.lease)
        if claimed is None:  # somebody finished it between the two statements
            return outcome_of(self.store.get_action(action.key) or rec, duplicate=True)
        clock = _anchored(now)
        if budget is None:
            return self._attempt(action, claimed, clock)
        if self._pool is None:
            self._pool = cf.ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="outbox")
        future = self._pool.submit(self._attempt, action, claimed, clock)
        try:
            return future.result(timeout=budget)
        except cf.TimeoutError:
            return Outcome("queued", action.key)

    def _attempt(self, action: Action, rec: ActionRecord, clock: Callable[[], datetime],
                 lookup: bool = False) -> Outcome:
        key, token = action.key, rec.claim
        try:
            created = None
            if lookup and rec.reached and hasattr(self.workspace, "find"):
                if not self.store.hold_action(key, token, clock(), self.lease):
                    return self._stale(key)
                try:
                    created = self.workspace.find(action, rec.created_at)
                except WorkspaceUnavailable:
                    raise
                except WorkspaceError as exc:
                    # the look-up cannot run here (no rights to list, no such method); an
                    # earlier attempt called create, so creating now could make it twice
                    error = f"не удалось проверить, создано ли это раньше: {exc}"
                    log.warning("outbox: %s: look-up impossible after an earlier attempt", key)
                    return self._fail(key, token, clock(), error, "lookup")
                if created is not None:
                    log.info("outbox: %s was already made (%s %s)", key, created.kind, created.id)
            if created is None:
                if not self.store.hold_action(key, token, clock(), self.lease, reaching=True):
                    return self._stale(key)
                created = self.workspace.create(action)
        except WorkspaceUnavailable as exc:
            return self._retry_later(key, token, clock(), rec.attempts + 1, str(exc))
        except (WorkspaceAuthError, WorkspacePermissionError, WorkspaceRejected) as exc:
            return self._fail(key, token, clock(), str(exc), "rejected")
        except WorkspaceError as exc:
            return self._retry_later(key, token, clock(), rec.attempts + 1, str(exc))
        except Exception as exc:  # an adapter bug must not lose a confirmed action
            log.exception("workspace %s raised on %s", self.workspace.name, key)
            return self._retry_later(key, token, clock(), rec.attempts + 1,
                                     f"internal error: {type(exc).__name__}")
        result = {"kind": created.kind, "id": created.id, "url": created.url, "extra": created.extra}
        if not self.store.settle_action(key, token, "done", clock(), result=result):
            log.warning("outbox: %s was made again by a stale attempt (%s %s)", key, created.kind, created.id)
            return self._stale(key)
        return Outcome("done", key, created)

    def _stale(self, key: str) -> Outcome:
        """This attempt was overtaken: what the record says now."""
        log.info("outbox: a stale attempt of %s stopped", key)
        rec = self.store.get_action(key)
        out = outcome_of(rec) if rec else Outcome("queued", key)
        return replace(out, stale=True)

    def _fail(self, key: str, token: int, now: datetime, error: str, kind: str) -> Outcome:
        if not self.store.settle_action(key, token, "failed", now, error=error, fail_kind=kind):
            return self._stale(key)
        return Outcome("failed", key, error=error)

    def _retry_later(self, key: str, token: int, now: datetime, attempts: int, error: str) -> Outcome:
        rec = self.store.get_action(key)
        age = (now - rec.created_at).total_seconds() if rec else 0.0
        if age >= self.backoff.give_up_after:
            return self._fail(key, token, now, error, "gave_up")
        due = now + timedelta(seconds=self.backoff.delay(attempts))
        if not self.store.settle_action(key, token, "pending", now, error=error, next_try_at=due):
            return self._stale(key)
        return Outcome("queued", key, error=error)

    # --- later attempts --------------------------------------------------
    def drain(self, seconds: float = 30.0, clock: Callable[[], datetime] | None = None) -> DrainReport:
        """Retry what is due until nothing due is left or `seconds` pass.
        `clock` is the server's clock (a test may pass its own)."""
        clock = clock or _utcnow
        start = clock()
        done = retried = failed = 0
        while (clock() - start).total_seconds() < seconds:
            rec = self.store.claim_due_action(clock(), self.lease)
            if rec is None:
                break
            if rec.status != "pending":
                continue  # finished meanwhile (a slow first attempt came back): never re-send
            outcome = self._attempt(Action.from_json(rec.payload), rec, clock, lookup=True)
            if outcome.stale:
                continue
            done += outcome.status == "done"
            failed += outcome.status == "failed"
            retried += outcome.status == "queued"
        return DrainReport(done, retried, failed)

    def retry(self, key: str, now: datetime | None = None, *, checked: bool = False) -> ActionRecord | None:
        """A failed action back in the queue, due now; the next drain (or
        `retry_now`) tries it. See Store.retry_action for `checked`."""
        return self.store.retry_action(key, now or _utcnow(), checked=checked)

    def retry_now(self, key: str, budget: float | None = None) -> Outcome:
        """Try one pending action at once (a person said "повтори"): claimed
        like a drainer retry, so it cannot run twice."""
        now = _utcnow()
        rec = self.store.claim_action(key, now, self.lease)
        if rec is None:
            current = self.store.get_action(key)
            return outcome_of(current) if current else Outcome("failed", key, error="unknown action")
        action = Action.from_json(rec.payload)
        if budget is None:
            return self._attempt(action, rec, _anchored(now), lookup=True)
        if self._pool is None:
            self._pool = cf.ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="outbox")
        future = self._pool.submit(self._attempt, action, rec, _anchored(now), True)
        try:
            return future.result(timeout=budget)
        except cf.TimeoutError:
            return Outcome("queued", key)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def _anchored(now: datetime) -> Callable[[], datetime]:
    """A clock that reads `now` at first and runs on from there."""
    t0 = time.monotonic()
    return lambda: now + timedelta(seconds=time.monotonic() - t0)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)
