"""The local workspace: people, tasks, events and messages in the store's own
database (SEKRETAR_HOME/sekretar.db by default; PostgreSQL works the same).

Seeded on first use with the demo directory (data/demo_people.csv); `sekretar
people import FILE.csv` replaces it. Each created row carries the action's
idempotency key in a UNIQUE column, so one confirmed action makes one row
however many times it is submitted.
"""
from __future__ import annotations

import json

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

from sekretar.integrations.people import DATA, Directory, name_data, normalize
from sekretar.store.db import Database

from sekretar.integrations.local_items import LocalItems, _dt, _iso

from sekretar.core.errors import ConfigError, StoreError, WorkspaceRejected, WorkspaceUnavailable
from sekretar.core.types import Action, Created, Person

DEMO_CSV = DATA / "demo_people.csv"
KINDS = ("task", "event", "message")


class LocalWorkspace(LocalItems):
    name = "local"

    def __init__(self, db: Database, seed_csv: Path | None = DEMO_CSV):
        self.db = db
        db.migrate("local", DATA / "local_schema")
        if seed_csv is not None:
            with self.db.read() as cur:
                empty = cur.one("SELECT COUNT(*) FROM local_people")[0] == 0
            if empty:
                self._replace_people(read_people_csv(seed_csv), only_if_empty=True)
        self._directory: tuple[tuple, object, Directory] | None = None

    # --- the directory ------------------------------------------------------
    def people(self) -> list[Person]:
        with self.db.read() as cur:
            rows = cur.all("SELECT id, first, last, middle, email, gender FROM local_people ORDER BY position")
        return [Person(*row) for row in rows]

    def get_person(self, person_id: str) -> Person | None:
        with self.db.read() as cur:
            row = cur.one("SELECT id, first, last, middle, email, gender FROM local_people WHERE id = ?",
                          (str(person_id),))
        return Person(*row) if row else None

    def directory(self, morph=None) -> Directory:
        """A Directory of the current people, rebuilt only when they change."""
        people = tuple(self.people())
        if self._directory is None or self._directory[0] != people or self._directory[1] is not morph:
            self._directory = (people, morph, Directory(list(people), morph=morph))
        return self._directory[2]

    def import_people(self, people: list[Person]) -> int:
        """Replace the whole directory; returns how many people it holds."""
        if not people:
            raise ConfigError("the new directory is empty")
        self._replace_people(people)
        return len(people)

    def _replace_people(self, people: list[Person], only_if_empty: bool = False) -> None:
        with self.db.tx() as cur:
            if only_if_empty:
                if cur.one("SELECT COUNT(*) FROM local_people")[0]:
                    return
            else:
                cur.execute("DELETE FROM local_people")
            for pos, p in enumerate(people, 1):
                cur.execute("INSERT INTO local_people (id, position, first, last, middle, email, gender)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                            (p.id, pos, p.first, p.last, p.middle, p.email, p.gender))

    # --- creating -----------------------------------------------------------
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
        row = cur.one("INSERT INTO local_tasks (action_key, title, responsible_id, responsible, deadline,"
                      " created_by_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                      " ON CONFLICT (action_key) DO NOTHING RETURNING id",
                      (a.key, a.title, resp_id, resp, _iso(a.start), a.actor, actor_name, cur.ts(now)))
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
                               " created_by_id, created_at, status FROM local_tasks ORDER BY id")
                keys = ("id", "title", "responsible", "responsible_id", "deadline", "created_by",
                        "created_by_id", "created_at", "status")
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
                out.append(item)
        return out


# --- the CSV directory format -------------------------------------------------
def read_people_csv(path: str | Path) -> list[Person]:
    """A directory from CSV: a header row naming the columns `name` (required)
    and `email`, `gender` (m/f) (optional); `,` `;` or tab separated, UTF-8.
    A name is "Имя Фамилия" (two words; "Фамилия Имя" is recognised when
    only the second word is a known first name) or "Фамилия Имя Отчество"
    (three words). People get ids "1".."N" in file order."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    if not text.strip():
        raise ConfigError(f"{path}: the file is empty")
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [(c or "").strip().lower() for c in reader.fieldnames or []]
    if "name" not in columns:
        raise ConfigError(f"{path}: the first row must name the columns, with at least 'name' "
                          f"(and optionally 'email'); found {', '.join(columns) or 'nothing'}")
    reader.fieldnames = columns
    people = []
    for row in _rows(reader, path):
        line = reader.line_num
        name = (row.get("name") or "").strip()
        if not name and not any((v or "").strip() for k, v in row.items() if k):
            continue  # a blank line
        first, last, middle = _split_name(name, path, line)
        email = (row.get("email") or "").strip() or None
        if email and "@" not in email:
            raise ConfigError(f"{path}, line {line}: {email!r} is not an e-mail address")
        gender = (row.get("gender") or "").strip().lower() or None
        if gender not in (None, "m", "f"):
            raise ConfigError(f"{path}, line {line}: gender must be m or f, not {gender!r}")
        people.append(Person(str(len(people) + 1), first, last, middle, email, gender))
    if not people:
        raise ConfigError(f"{path}: no people in the file")
    return people


def _rows(reader, path: Path):
    """The reader's rows; a malformed CSV (a field over the csv module's
    limit of 131,072 characters...) is a clear error, not a traceback."""
    try:
        yield from reader
    except csv.Error as exc:
        raise ConfigError(f"{path}, near line {reader.line_num + 1}: not a CSV row this import can read ({exc})") from None


def _split_name(name: str, path: Path, line: int) -> tuple[str, str, str | None]:
    words = name.split()
    if len(words) == 2:
        known = name_data().fulls_of
        a, b = words
        if normalize(a) not in known and normalize(b) in known:
            return b, a, None
        return a, b, None
    if len(words) == 3:
        return words[1], words[0], words[2]
    raise ConfigError(f"{path}, line {line}: {name!r}: write a name as 'Имя Фамилия' "
                      "or 'Фамилия Имя Отчество'")
