"""The Store on SQL: one implementation for SQLite and PostgreSQL.

Every method is one short transaction. The two places where concurrency
matters are statements that only one caller can win: a code try runs
under the row lock of the guess counter (store/codes.py), and
`claim_due_action` is `UPDATE ... WHERE key = (SELECT ... FOR UPDATE SKIP
LOCKED) RETURNING` (SQLite: inside BEGIN IMMEDIATE, which serialises writers).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sekretar.store.base import ActionRecord, Link, Store
from sekretar.store.codes import CodesMixin, dumps
from sekretar.store.db import Database

from sekretar.core.errors import StoreError

STATUSES = ("pending", "done", "failed")
_ACTION_COLUMNS = ("key, user_key, payload, status, attempts, next_try_at, result, error,"
                   " created_at, updated_at")


class SqlStore(CodesMixin, Store):
    """`reply_ttl_seconds`: how long a delivered reply is kept for a repeated
    delivery; `tries_keep_seconds`: how long failed code tries are kept (the
    longest window anyone asks `failed_tries` about); `code_key`: the secret
    keying the stored code hashes (default: `secret_key()`, SEKRETAR_SECRET_KEY
    or the key file in SEKRETAR_HOME); `guess_odds`: the chance of a live code
    being guessed during its life that the code budget keeps; `guess_capacity`:
    code evaluations per second this deployment can make at most, all
    processes together (codes issued during a flood are sized for it;
    store/codes.py, docs/security.md)."""

    def __init__(self, db: Database, *, reply_ttl_seconds: float = 24 * 3600.0,
                 tries_keep_seconds: float = 3600.0, code_key: bytes | None = None,
                 guess_odds: float = 0.001, guess_capacity: float = 10000.0):
        from sekretar.core.config import secret_key

        self.db = db
        self.reply_ttl = timedelta(seconds=reply_ttl_seconds)
        self.tries_keep = timedelta(seconds=tries_keep_seconds)
        self.code_key = code_key if code_key is not None else secret_key()
        self.guess_odds = guess_odds
        self.guess_capacity = guess_capacity
        db.migrate("store", "sekretar.store.migrations")

    @property
    def url(self) -> str:
        return self.db.url

    # --- account links -------------------------------------------------
    def get_link(self, user: str) -> Link | None:
        with self.db.read() as cur:
            row = cur.one("SELECT user_key, person_id, workspace, linked_at FROM links WHERE user_key = ?",
                          (user,))
        return Link(row[0], row[1], row[2], cur.from_ts(row[3])) if row else None

    def set_link(self, user: str, person_id: str, workspace: str, now: datetime) -> Link:
        with self.db.write() as cur:
            cur.execute("INSERT INTO links (user_key, person_id, workspace, linked_at) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (user_key) DO UPDATE SET person_id = excluded.person_id,"
                        " workspace = excluded.workspace, linked_at = excluded.linked_at",
                        (user, str(person_id), workspace, cur.ts(now)))
        return Link(user, str(person_id), workspace, cur.from_ts(cur.ts(now)))

    def delete_link(self, user: str) -> bool:
        with self.db.write() as cur:
            return cur.rowcount("DELETE FROM links WHERE user_key = ?", (user,)) > 0

    # --- dialog state --------------------------------------------------
    def load_state(self, user: str) -> dict | None:
        with self.db.read() as cur:
            row = cur.one("SELECT state FROM dialog_states WHERE user_key = ?", (user,))
        return json.loads(row[0]) if row else None

    def save_state(self, user: str, state: dict | None, now: datetime) -> None:
        with self.db.write() as cur:
            if state is None:
                cur.execute("DELETE FROM dialog_states WHERE user_key = ?", (user,))
                return
            cur.execute("INSERT INTO dialog_states (user_key, state, updated_at) VALUES (?, ?, ?)"
                        " ON CONFLICT (user_key) DO UPDATE SET state = excluded.state,"
                        " updated_at = excluded.updated_at",
                        (user, _dumps(state), cur.ts(now)))

    # --- confirmed actions ---------------------------------------------
    def add_action(self, key: str, user: str, payload: dict, now: datetime) -> tuple[ActionRecord, bool]:
        with self.db.tx() as cur:
            row = cur.one(f"INSERT INTO actions ({_ACTION_COLUMNS}) VALUES (?, ?, ?, 'pending', 0, ?,"
                          f" NULL, NULL, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING {_ACTION_COLUMNS}",
                          (key, user, _dumps(payload), cur.ts(now), cur.ts(now), cur.ts(now)))
            if row is not None:
                return self._record(cur, row), True
            row = cur.one(f"SELECT {_ACTION_COLUMNS} FROM actions WHERE key = ?", (key,))
            return self._record(cur, row), False

    def get_action(self, key: str) -> ActionRecord | None:
        with self.db.read() as cur:
            row = cur.one(f"SELECT {_ACTION_COLUMNS} FROM actions WHERE key = ?", (key,))
            return self._record(cur, row) if row else None

    def claim_due_action(self, now: datetime, lease_seconds: float = 60.0) -> ActionRecord | None:
        lease_until = now + timedelta(seconds=lease_seconds)
        with self.db.tx() as cur:
            row = cur.one(
                "UPDATE actions SET next_try_at = ?, updated_at = ? WHERE key = ("
                " SELECT key FROM actions WHERE status = 'pending' AND next_try_at <= ?"
                f" ORDER BY next_try_at, created_at LIMIT 1{self.db.dialect.skip_locked})"
                f" RETURNING {_ACTION_COLUMNS}",
                (cur.ts(lease_until), cur.ts(now), cur.ts(now)))
            return self._record(cur, row) if row else None

    def finish_action(self, key: str, status: str, now: datetime, *, result: dict | None = None,
                      error: str | None = None, next_try_at: datetime | None = None,
                      count_attempt: bool = True) -> None:
        if status not in STATUSES:
            raise StoreError(f"unknown action status {status!r}")
        cur_next = (next_try_at or now) if status == "pending" else None
        inc = 1 if count_attempt else 0
        with self.db.write() as cur:
            if status == "done":
                n = cur.rowcount("UPDATE actions SET status = ?, attempts = attempts + ?, next_try_at = NULL,"
                                 " result = ?, error = NULL, updated_at = ? WHERE key = ?",
                                 (status, inc, _dumps(result) if result is not None else None,
                                  cur.ts(now), key))
            else:
                n = cur.rowcount("UPDATE actions SET status = ?, attempts = attempts + ?, next_try_at = ?,"
                                 " error = COALESCE(?, error), updated_at = ? WHERE key = ?",
                                 (status, inc, cur.ts(cur_next), error, cur.ts(now), key))
        if n == 0:
            raise StoreError(f"no action with key {key!r}")

    def list_actions(self, statuses: tuple[str, ...] = ("pending", "failed")) -> list[ActionRecord]:
        statuses = tuple(statuses)
        if not statuses:
            return []
        marks = ", ".join("?" for _ in statuses)
        with self.db.read() as cur:
            rows = cur.all(f"SELECT {_ACTION_COLUMNS} FROM actions WHERE status IN ({marks})"
                           " ORDER BY created_at, key", statuses)
            return [self._record(cur, r) for r in rows]

    def forget_workspace(self, workspace: str, reason: str, now: datetime) -> tuple[int, int]:
        with self.db.tx() as cur:
            users = "SELECT user_key FROM links WHERE workspace = ?"
            actions = cur.rowcount("UPDATE actions SET status = 'failed', next_try_at = NULL, error = ?,"
                                   f" updated_at = ? WHERE status = 'pending' AND user_key IN ({users})",
                                   (reason, cur.ts(now), workspace))
            cur.execute(f"DELETE FROM dialog_states WHERE user_key IN ({users})", (workspace,))
            cur.execute("DELETE FROM link_code_hashes WHERE workspace = ?", (workspace,))
            links = cur.rowcount("DELETE FROM links WHERE workspace = ?", (workspace,))
        return links, actions

    # --- kv ------------------------------------------------------------
    def kv_get(self, key: str) -> str | None:
        with self.db.read() as cur:
            row = cur.one("SELECT value FROM kv WHERE key = ?", (key,))
        return row[0] if row else None

    def kv_put(self, key: str, value: str | None) -> None:
        with self.db.write() as cur:
            if value is None:
                cur.execute("DELETE FROM kv WHERE key = ?", (key,))
            else:
                cur.execute("INSERT INTO kv (key, value) VALUES (?, ?)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def close(self) -> None:
        self.db.close()

    # --- helpers -------------------------------------------------------
    @staticmethod
    def _record(cur, row) -> ActionRecord:
        return ActionRecord(
            key=row[0], user=row[1], payload=json.loads(row[2]), status=row[3], attempts=int(row[4]),
            next_try_at=cur.from_ts(row[5]), result=json.loads(row[6]) if row[6] is not None else None,
            error=row[7], created_at=cur.from_ts(row[8]), updated_at=cur.from_ts(row[9]))


_dumps = dumps


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
