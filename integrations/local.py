"""The local workspace: people, tasks, events and messages in the store's own
database (SEKRETAR_HOME/sekretar.db by default; PostgreSQL works the same).

Seeded on first use with the demo directory (data/demo_people.csv); `sekretar
people import FILE.csv` replaces it, people keeping their ids
(integrations/directory_import.py). Each created row carries the action's
idempotency key in a UNIQUE column, so one confirmed action makes one row
however many times it is submitted.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from sekretar.integrations.directory_import import ImportPlan, plan_import, read_people_csv
from sekretar.integrations.people import DATA, Directory
from sekretar.store.db import Database

from sekretar.integrations.local_items import LocalItems, _dt, _iso

from sekretar.core.errors import ConfigError, StoreError, WorkspaceRejected, WorkspaceUnavailable

__all__ = ["LocalWorkspace", "read_people_csv"]
from sekretar.core.types import Action, Created, Person

DEMO_CSV = DATA / "demo_people.csv"
KINDS = ("task", "event", "message")
# what each kind keeps besides its fields (Workspace.carries; core.intents.EXTRAS)
CARRIES = {"task": frozenset({"remind"}), "event": frozenset({"participants", "rrule", "remind"})}


class LocalWorkspace(LocalItems):
    name = "local"

    def __init__(self, db: Database, seed_csv: Path | None = DEMO_CSV):
        self.db = db
        db.migrate("local", DATA / "local_schema")
        if seed_csv is not None:
            with self.db.read() as cur:
                empty = cur.one("SELECT COUNT(*) FROM local_people")[0] == 0
            if empty:
                plan = plan_import([], read_people_csv(seed_csv), set())
                self._write_people(plan, datetime.now(timezone.utc), only_if_empty=True)
        self._directory: tuple[tuple, object, Directory] | None = None

    # --- the directory ------------------------------------------------------
    def people(self) -> list[Person]:
        with self.db.read() as cur:
            rows = cur.all("SELECT id, first, last, middle, email, gender FROM local_people"
                           " WHERE removed_at IS NULL ORDER BY position")
        return [Person(*row) for row in rows]

    def get_person(self, person_id: str) -> Person | None:
        with self.db.read() as cur:
            row = cur.one("SELECT id, first, last, middle, email, gender FROM local_people"
                          " WHERE id = ? AND removed_at IS NULL", (str(person_id),))
        return Person(*row) if row else None

    def directory(self, morph=None) -> Directory:
        """A Directory of the current people, rebuilt only when they change."""
        people = tuple(self.people())
        if self._directory is None or self._directory[0] != people or self._directory[1] is not morph:
            self._directory = (people, morph, Directory(list(people), morph=morph))
        return self._directory[2]

    def import_people(self, people: list[Person]) -> ImportPlan:
        """Replace the directory, people keeping their ids (see
        directory_import); the store's links are not touched here: use
        directory_import.import_directory for the whole import."""
        plan = self.plan_import(people)
        self.apply_import(plan, datetime.now(timezone.utc))
        return plan

    def plan_import(self, people: list[Person]) -> ImportPlan:
        if not people:
            raise ConfigError("the new directory is empty")
        with self.db.read() as cur:
            used = {row[0] for row in cur.all("SELECT id FROM local_people")}
        return plan_import(self.people(), people, used)

    def apply_import(self, plan: ImportPlan, now: datetime) -> None:
        self._write_people(plan, now)

    def _write_people(self, plan: ImportPlan, now: datetime, only_if_empty: bool = False) -> None:
        with self.db.tx() as cur:
            if only_if_empty and cur.one("SELECT COUNT(*) FROM local_people")[0]:
                return
            cur.execute("UPDATE local_people SET removed_at = ? WHERE removed_at IS NULL", (cur.ts(now),))
            for pos, p in enumerate(plan.people, 1):
                cur.execute("INSERT INTO local_people (id, position, first, last, middle, email, gender, removed_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (id) DO UPDATE SET"
                            " position = excluded.position, first = excluded.first, last = excluded.last,"
                            " middle = excluded.middle, email = excluded.email, gender = excluded.gender,"
                            " removed_at = NULL",
                            (p.id, pos, p.first, p.last, p.middle, p.email, p.gender))

    def removed_person(self, person_id: str) -> Person | None:
        """A person an import removed (their tombstone), for plain words."""
        with self.db.read() as cur:
            row = cur.one("SELECT id, first, last, middle, email, gender FROM local_people"
                          " WHERE id = ? AND removed_at IS NOT NULL", (str(person_id),))
        return Person(*row) if row else None

    # --- creating -----------------------------------------------------------
    def carries(self, kind: str, extra: str) -> bool:
        return extra.partition(":")[0] in CARRIES.get(kind, ())  # an RRULE is stored as said, any form

    def create(self, action: Action) -> Created:
        if action.is_change:
            return self._change(action)
        if action.kind not in KINDS:
            raise WorkspaceRejected(f"the local workspace cannot create a {action.kind!r}")
        actor = self.get_person(action.actor)
        actor_name = actor.name if actor else str(action.actor)
        target = None
        if action.target is not None:
            target = self.get_person(action.target)
            if target is None:
                gone = self.removed_person(action.target)
                if gone is not None:
                    raise WorkspaceRejected(f"{gone.name} больше нет в справочнике (удалён при импорте)")
                raise WorkspaceRejected(f"nobody with id {action.target} in the local directory")
        now = datetime.now(timezone.utc)
        try:
            with self.db.tx() as cur:
                table, row_id = getattr(self, f"_insert_{action.kind}")(cur, action, actor_name, target, now)
                if row_id is None:  # made before under this key
                    row_id = cur.one(f"SELECT id FROM {table} WHERE action_key = ?", (action.key,))[0]
        except StoreError as exc:
            raise WorkspaceUnavailable(f"the local database is busy: {exc}") from exc
        return Created(action.kind, str(row_id))

    @staticmethod
    def _insert_task(cur, a: Action, actor_name, target, now):
        if not a.title:
            raise WorkspaceRejected("a task needs a title")
        resp_id, resp = (target.id, target.name) if target else (a.actor, actor_name)
        remind = a.remind if a.start is not None else None  # a reminder counts back from the deadline
        row = cur.one("INSERT INTO local_tasks (action_key, title, responsible_id, responsible, deadline,"
                      " created_by_id, created_by, created_at, remind_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      " ON CONFLICT (action_key) DO NOTHING RETURNING id",
                      (a.key, a.title, resp_id, resp, _iso(a.start), a.actor, actor_name, cur.ts(now), remind))
        return "local_tasks", row[0] if row else None

    def _insert_event(self, cur, a: Action, actor_name, target, now):
        if not a.title:
            raise WorkspaceRejected("an event needs a title")
        if a.start is None:
            raise WorkspaceRejected("an event needs a start")
        attendees = []
        for pid in a.participants:
            person = self.get_person(pid)
            if person is None:
                raise WorkspaceRejected(f"nobody with id {pid} in the local directory")
            attendees.append({"id": person.id, "name": person.name})
        row = cur.one("INSERT INTO local_events (action_key, title, start_at, end_at, all_day, owner_id, owner,"
                      " participant_id, participant, created_at, rrule, remind_minutes, attendees)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      " ON CONFLICT (action_key) DO NOTHING RETURNING id",
                      (a.key, a.title, _iso(a.start), _iso(a.end), bool(a.all_day), a.actor, actor_name,
                       target.id if target else None, target.name if target else None, cur.ts(now),
                       a.rrule, a.remind, json.dumps(attendees, ensure_ascii=False) if attendees else None))
        return "local_events", row[0] if row else None

    @staticmethod
    def _insert_message(cur, a: Action, actor_name, target, now):
        text = a.text or a.title
        if target is None:
            raise WorkspaceRejected("a message needs a recipient")
        if not text:
            raise WorkspaceRejected("a message needs a text")
        row = cur.one("INSERT INTO local_messages (action_key, to_id, to_name, text, from_id, from_name,"
                      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (action_key) DO NOTHING RETURNING id",
                      (a.key, target.id, target.name, text, a.actor, actor_name, cur.ts(now)))
        return "local_messages", row[0] if row else None

    # --- listing (an optional Workspace method: the CLI uses it) ------------
    def list_items(self, kind: str) -> list[dict]:
        """Everything of one kind, oldest first, as the CLI's JSON lines."""
        with self.db.read() as cur:
            if kind == "task":
                rows = cur.all("SELECT id, title, responsible, responsible_id, deadline, created_by,"
                               " created_by_id, created_at, status, remind_minutes FROM local_tasks ORDER BY id")
                keys = ("id", "title", "responsible", "responsible_id", "deadline", "created_by",
                        "created_by_id", "created_at", "status", "remind")
            elif kind == "event":
                rows = cur.all("SELECT id, title, start_at, end_at, all_day, owner, owner_id, cancelled, rrule,"
                               " remind_minutes, attendees FROM local_events ORDER BY id")
                keys = ("id", "title", "start", "end", "all_day", "owner", "owner_id", "cancelled", "rrule",
                        "remind", "attendees")
            elif kind == "message":
                rows = cur.all("SELECT id, to_name, to_id, text, from_name, from_id, created_at"
                               " FROM local_messages ORDER BY id")
                keys = ("id", "to", "to_id", "text", "from", "from_id", "created_at")
            else:
                raise WorkspaceRejected(f"unknown kind {kind!r}: task, event or message")
            out = []
            for row in rows:
                item = dict(zip(keys, row))
                item["id"] = str(item["id"])
                if "created_at" in item:
                    item["created_at"] = cur.from_ts(item["created_at"]).isoformat(timespec="seconds")
                for flag in ("all_day", "cancelled"):
                    if flag in item:
                        item[flag] = bool(item[flag])
                if "attendees" in item:  # the repetition, reminder and people only when there are some
                    item["attendees"] = [x["name"] for x in json.loads(item["attendees"] or "[]")]
                    for k in ("rrule", "remind", "attendees"):
                        if not item[k]:
                            del item[k]
                if kind == "task" and not item["remind"]:  # a task's reminder only when it has one
                    del item["remind"]
                out.append(item)
        return out


