"""The local workspace's existing items: listing tasks and events for a
question, and applying a confirmed change exactly once (a mixin of
`LocalWorkspace`; `local_changes` keeps each change's idempotency key).

The local workspace has no permission model of its own; it applies the rule
the Bitrix24 adapter narrows to: another person's events only where the
viewer takes part, another person's tasks only those the viewer made or is
responsible for."""
from __future__ import annotations

from datetime import datetime, timezone

from sekretar.integrations import changes

from sekretar.core.errors import StoreError, WorkspaceRejected, WorkspaceUnavailable
from sekretar.core.types import Action, Created, Item


class LocalItems:
    _TASK_COLS = "id, title, responsible_id, deadline, created_by_id, status"
    _EVENT_COLS = "id, title, start_at, end_at, all_day, owner_id, participant_id"

    @staticmethod
    def _task_item(row) -> Item:
        tid, title, resp, deadline, creator, status = row
        return Item("task", str(tid), title, _dt(deadline), None, False, resp, creator, status == "done")

    @staticmethod
    def _event_item(row) -> Item:
        eid, title, start, end, all_day, owner, participant = row
        return Item("event", str(eid), title, _dt(start), _dt(end), bool(all_day), owner, owner, False,
                    people=tuple(p for p in (owner, participant) if p))

    def events(self, start: datetime, end: datetime, owner: str, viewer: str | None = None) -> list[Item]:
        with self.db.read() as cur:
            rows = cur.all(f"SELECT {self._EVENT_COLS} FROM local_events WHERE NOT cancelled"
                           " AND (owner_id = ? OR participant_id = ?)", (str(owner), str(owner)))
        items = [self._event_item(r) for r in rows]
        if viewer is not None and str(viewer) != str(owner):
            items = [i for i in items if str(viewer) in i.people]
        return sorted((i for i in items if changes.overlaps(i, start, end)), key=lambda i: (i.start, int(i.id)))

    def tasks(self, viewer: str | None = None, *, responsible: str | None = None, creator: str | None = None,
              due_from: datetime | None = None, due_to: datetime | None = None,
              status: str = "open") -> list[Item]:
        sql, args = f"SELECT {self._TASK_COLS} FROM local_tasks WHERE 1 = 1", []
        for col, value in (("responsible_id", responsible), ("created_by_id", creator)):
            if value is not None:
                sql += f" AND {col} = ?"
                args.append(str(value))
        with self.db.read() as cur:
            rows = cur.all(sql, tuple(args))
        now = datetime.now(timezone.utc)
        items = [i for i in map(self._task_item, rows)
                 if changes.status_ok(i, status, now) and changes.due_in(i, due_from, due_to)
                 and (viewer is None or str(viewer) in (i.owner, i.creator))]
        far = datetime.max.replace(tzinfo=timezone.utc)
        return sorted(items, key=lambda i: (i.start or far, int(i.id)))

    def item(self, kind: str, item_id: str, viewer: str | None = None) -> Item | None:
        with self.db.read() as cur:
            return self._read_item(cur, kind, item_id)

    def _read_item(self, cur, kind: str, item_id: str) -> Item | None:
        if not str(item_id).isdigit():
            return None
        if kind == "task":
            row = cur.one(f"SELECT {self._TASK_COLS} FROM local_tasks WHERE id = ?", (int(item_id),))
            return self._task_item(row) if row else None
        row = cur.one(f"SELECT {self._EVENT_COLS} FROM local_events WHERE id = ? AND NOT cancelled",
                      (int(item_id),))
        return self._event_item(row) if row else None

    def _change(self, a: Action) -> Created:
        changes.check_kind(a)
        target = None
        if a.kind == "reassign":
            target = self.get_person(a.target)
            if target is None:
                raise WorkspaceRejected(f"nobody with id {a.target} in the local directory")
        now = datetime.now(timezone.utc)
        try:
            with self.db.tx() as cur:
                done = cur.one("SELECT item_id FROM local_changes WHERE action_key = ?", (a.key,))
                if done is None:
                    current = self._read_item(cur, a.item_kind, a.item)
                    if not changes.decide(current, a):
                        self._apply(cur, a, target, now)
                    cur.execute("INSERT INTO local_changes (action_key, item_kind, item_id, kind, applied_at)"
                                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (action_key) DO NOTHING",
                                (a.key, a.item_kind, str(a.item), a.kind, cur.ts(now)))
        except StoreError as exc:
            raise WorkspaceUnavailable(f"the local database is busy: {exc}") from exc
        return Created(a.item_kind, str(a.item), extra={"change": a.kind})

    @staticmethod
    def _apply(cur, a: Action, target, now) -> None:
        ts, item = cur.ts(now), int(a.item)
        if a.item_kind == "task":
            if a.kind == "move":
                cur.execute("UPDATE local_tasks SET deadline = ?, changed_at = ? WHERE id = ?",
                            (_iso(a.start), ts, item))
            elif a.kind == "rename":
                cur.execute("UPDATE local_tasks SET title = ?, changed_at = ? WHERE id = ?", (a.title, ts, item))
            elif a.kind == "reassign":
                cur.execute("UPDATE local_tasks SET responsible_id = ?, responsible = ?, changed_at = ? WHERE id = ?",
                            (target.id, target.name, ts, item))
            elif a.kind == "complete":
                cur.execute("UPDATE local_tasks SET status = 'done', closed_at = ?, changed_at = ? WHERE id = ?",
                            (ts, ts, item))
            return
        if a.kind == "move":
            cur.execute("UPDATE local_events SET start_at = ?, end_at = ?, all_day = ?, changed_at = ? WHERE id = ?",
                        (_iso(a.start), _iso(a.end), bool(a.all_day), ts, item))
        elif a.kind == "rename":
            cur.execute("UPDATE local_events SET title = ?, changed_at = ? WHERE id = ?", (a.title, ts, item))
        elif a.kind == "cancel":
            cur.execute("UPDATE local_events SET cancelled = ?, changed_at = ? WHERE id = ?", (True, ts, item))


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def _dt(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
