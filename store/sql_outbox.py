"""The outbox's fencing, failures told and people remapped, on SQL: a mixin
of SqlStore (store/sql.py), kept apart so each file stays one concern.
It uses the host's `db`, `_columns` (the action columns), `_record` (a row
as an ActionRecord) and `_dump` (JSON as the store writes it).
See store/base.py for the contract and docs/store.md for the design."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from sekretar.store.base import ACTION_STATUSES, ActionRecord

from sekretar.core.errors import StoreError


class OutboxSql:
    # --- fencing (docs/store.md) -----------------------------------------
    def claim_action(self, key: str, now: datetime, lease_seconds: float) -> ActionRecord | None:
        with self.db.write() as cur:
            row = cur.one("UPDATE actions SET next_try_at = ?, updated_at = ?, claim = claim + 1"
                          " WHERE key = ? AND status = 'pending' AND next_try_at <= ?"
                          f" RETURNING {self._columns}",
                          (cur.ts(now + timedelta(seconds=lease_seconds)), cur.ts(now), key, cur.ts(now)))
            return self._record(cur, row) if row else None

    def hold_action(self, key: str, claim: int, now: datetime, lease_seconds: float,
                    reaching: bool = False) -> bool:
        with self.db.write() as cur:
            return cur.rowcount("UPDATE actions SET next_try_at = ?, updated_at = ?,"
                                " reached = CASE WHEN ? THEN 1 ELSE reached END"
                                " WHERE key = ? AND claim = ? AND status = 'pending'",
                                (cur.ts(now + timedelta(seconds=lease_seconds)), cur.ts(now),
                                 bool(reaching), key, int(claim))) == 1

    def settle_action(self, key: str, claim: int, status: str, now: datetime, *,
                      result: dict | None = None, error: str | None = None,
                      next_try_at: datetime | None = None, fail_kind: str | None = None) -> bool:
        if status not in ACTION_STATUSES:
            raise StoreError(f"unknown action status {status!r}")
        with self.db.write() as cur:
            if status == "done":
                return cur.rowcount("UPDATE actions SET status = 'done', attempts = attempts + 1,"
                                    " next_try_at = NULL, result = ?, error = NULL, fail_kind = NULL,"
                                    " updated_at = ? WHERE key = ? AND status <> 'done'",
                                    (self._dump(result) if result is not None else None, cur.ts(now), key)) == 1
            nxt = cur.ts(next_try_at or now) if status == "pending" else None
            return cur.rowcount("UPDATE actions SET status = ?, attempts = attempts + 1, next_try_at = ?,"
                                " error = COALESCE(?, error), fail_kind = ?, reported_at = NULL,"
                                " updated_at = ? WHERE key = ? AND claim = ? AND status = 'pending'",
                                (status, nxt, error, fail_kind if status == "failed" else None,
                                 cur.ts(now), key, int(claim))) == 1

    def retry_action(self, key: str, now: datetime, *, checked: bool = False) -> ActionRecord | None:
        with self.db.write() as cur:
            row = cur.one("UPDATE actions SET status = 'pending', next_try_at = ?, updated_at = ?,"
                          " reached = CASE WHEN ? THEN 0 ELSE reached END, fail_kind = NULL,"
                          f" reported_at = NULL WHERE key = ? AND status = 'failed' RETURNING {self._columns}",
                          (cur.ts(now), cur.ts(now), bool(checked), key))
            return self._record(cur, row) if row else None

    def unreported_failures(self, user: str, person_id: str | None) -> list[ActionRecord]:
        with self.db.read() as cur:
            rows = cur.all(f"SELECT {self._columns} FROM actions WHERE status = 'failed'"
                           " AND reported_at IS NULL AND (user_key = ? OR person_id = ?)"
                           " ORDER BY updated_at, key", (user, person_id))
            return [self._record(cur, r) for r in rows]

    def mark_reported(self, keys: list[str], now: datetime) -> None:
        if not keys:
            return
        marks = ", ".join("?" for _ in keys)
        with self.db.write() as cur:
            cur.execute(f"UPDATE actions SET reported_at = ? WHERE key IN ({marks})", (cur.ts(now), *keys))

    def add_notice(self, user: str, kind: str, detail: str | None, now: datetime) -> None:
        with self.db.write() as cur:
            cur.execute("INSERT INTO notices (user_key, kind, detail, created_at) VALUES (?, ?, ?, ?)",
                        (user, kind, detail, cur.ts(now)))

    def take_notices(self, user: str) -> list[tuple[str, str | None]]:
        with self.db.read() as cur:  # asked on every turn: a read first, a write only when there is one
            if cur.one("SELECT 1 FROM notices WHERE user_key = ? LIMIT 1", (user,)) is None:
                return []
        with self.db.write() as cur:
            rows = cur.all("DELETE FROM notices WHERE user_key = ? RETURNING id, kind, detail", (user,))
        return [(r[1], r[2]) for r in sorted(rows, key=lambda r: r[0])]

    def remap_people(self, workspace: str, mapping: dict[str, str], removed: set[str],
                     now: datetime, apply: bool = True) -> list[tuple[str, str]]:
        mapping = {str(k): str(v) for k, v in mapping.items() if str(k) != str(v)}
        removed = {str(x) for x in removed}
        ended: list[tuple[str, str]] = []
        if not apply:
            with self.db.read() as cur:
                return [(u, p) for u, p in cur.all("SELECT user_key, person_id FROM links WHERE workspace = ?"
                                                   " ORDER BY user_key", (workspace,)) if p in removed]
        with self.db.tx() as cur:
            for user, person in cur.all("SELECT user_key, person_id FROM links WHERE workspace = ?"
                                        " ORDER BY user_key", (workspace,)):
                if person in removed:
                    cur.execute("DELETE FROM links WHERE user_key = ?", (user,))
                    cur.execute("INSERT INTO notices (user_key, kind, detail, created_at) VALUES (?, ?, ?, ?)",
                                (user, "link_removed", person, cur.ts(now)))
                    ended.append((user, person))
                elif person in mapping:
                    cur.execute("UPDATE links SET person_id = ? WHERE user_key = ?", (mapping[person], user))
            if mapping:
                for key, payload in cur.all("SELECT key, payload FROM actions WHERE status <> 'done'"):
                    data = json.loads(payload)
                    moved = {f: mapping[str(data[f])] for f in ("actor", "target")
                             if data.get(f) is not None and str(data[f]) in mapping}
                    if moved:
                        data.update(moved)
                        cur.execute("UPDATE actions SET payload = ?, person_id = ? WHERE key = ?",
                                    (self._dump(data), None if data.get("actor") is None else str(data["actor"]),
                                     key))
                # a command being confirmed right now names people by id too
                for user, raw in cur.all("SELECT user_key, state FROM dialog_states"):
                    state = json.loads(raw)
                    pending = state.get("pending") if isinstance(state, dict) else None
                    if isinstance(pending, dict) and _remap_pending(pending, mapping):
                        cur.execute("UPDATE dialog_states SET state = ? WHERE user_key = ?",
                                    (self._dump(state), user))
        return ended


def _remap_pending(pending: dict, mapping: dict[str, str]) -> bool:
    changed = False
    if pending.get("person") is not None and str(pending["person"]) in mapping:
        pending["person"], changed = mapping[str(pending["person"])], True
    choices = pending.get("choices")
    if isinstance(choices, list) and any(str(c) in mapping for c in choices):
        pending["choices"], changed = [mapping.get(str(c), c) for c in choices], True
    return changed
