"""Replacing the local directory from a CSV file without moving anyone's
identity (docs/store.md, "Importing a directory").

Each person of the file is matched to the directory they replace: by the
`id` column when the file has one, else by e-mail, else by the full name
(only when no two people share it and not both have different e-mails).
A matched person keeps their id, so their account links, pending actions
and past rows follow them; a new person gets a fresh id (never one used
before); a person left out is removed (kept as a tombstone) and the voice
accounts linked to them are unlinked and told so on their next turn.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sekretar.integrations.people import name_data, normalize

from sekretar.core.errors import ConfigError
from sekretar.core.types import Person

MAX_FIELD = 1000   # characters in one cell: a name or an e-mail is never longer


@dataclass
class ImportPlan:
    """What an import does. `people`: the new directory in file order, with
    the ids they will have; `mapping`: old id → new id where the id column
    gives a matched person another id; `removed`: old ids left out."""

    people: list[Person]
    kept: list[tuple[Person, Person]] = field(default_factory=list)   # (before, after)
    added: list[Person] = field(default_factory=list)
    removed: list[Person] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    unlinked: list[tuple[str, str]] = field(default_factory=list)     # (voice user, person id)

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def changed(self) -> list[tuple[Person, Person]]:
        return [(a, b) for a, b in self.kept if a != b]


def plan_import(old: list[Person], new: list[Person], used_ids: set[str]) -> ImportPlan:
    """Match `new` (ids from the file's id column, or "") to `old` (the
    current directory); `used_ids`: every id ever given (tombstones too)."""
    by_id = {p.id: p for p in old}
    file_ids = {p.id for p in new if p.id}
    free = [p for p in old if p.id not in file_ids]  # may still match by e-mail or name
    taken: set[str] = set()
    plan = ImportPlan(people=[])
    names_in_file: dict[str, int] = {}
    for p in new:
        names_in_file[_full(p)] = names_in_file.get(_full(p), 0) + 1
    pending_new: list[int] = []
    for i, p in enumerate(new):
        match = by_id.get(p.id) if p.id else None
        if match is None:
            match = _by_email(free, p, taken) or _by_name(free, p, taken, names_in_file)
        if match is None:
            plan.people.append(p)
            pending_new.append(i)
            continue
        taken.add(match.id)
        after = Person(p.id or match.id, p.first, p.last, p.middle, p.email, p.gender)
        if after.id != match.id:
            plan.mapping[match.id] = after.id
        plan.kept.append((match, after))
        plan.people.append(after)
    next_id = max([int(x) for x in used_ids | file_ids if x.isdigit()] or [0]) + 1
    for i in pending_new:
        p = plan.people[i]
        if not p.id:
            p = Person(str(next_id), p.first, p.last, p.middle, p.email, p.gender)
            next_id += 1
            plan.people[i] = p
        plan.added.append(p)
    plan.removed = [p for p in old if p.id not in taken and p.id not in file_ids]
    return plan


def _by_email(free: list[Person], p: Person, taken: set[str]) -> Person | None:
    if not p.email:
        return None
    hits = [o for o in free if o.id not in taken and o.email and o.email.lower() == p.email.lower()]
    return hits[0] if len(hits) == 1 else None


def _by_name(free: list[Person], p: Person, taken: set[str], names_in_file: dict[str, int]) -> Person | None:
    if names_in_file.get(_full(p), 0) != 1:
        return None  # two people of that name in the file: which is which is unknown
    hits = [o for o in free if _full(o) == _full(p)]
    if len(hits) != 1 or hits[0].id in taken:
        return None
    o = hits[0]
    if o.email and p.email and o.email.lower() != p.email.lower():
        return None  # the same name, different e-mails: two people
    return o


def _full(p: Person) -> str:
    return normalize(" ".join(x for x in (p.first, p.middle, p.last) if x))


def import_directory(workspace, store, people: list[Person], *, dry_run: bool = False,
                     now: datetime | None = None) -> ImportPlan:
    """Plan the import on the local workspace, and unless `dry_run` apply it
    and move (or end) the account links and pending actions in the store."""
    now = now or datetime.now(timezone.utc)
    plan = workspace.plan_import(people)
    removed = {p.id for p in plan.removed}
    plan.unlinked = store.remap_people(workspace.name, plan.mapping, removed, now, apply=not dry_run)
    if not dry_run:
        workspace.apply_import(plan, now)
    return plan


# --- the CSV directory format -------------------------------------------------
def read_people_csv(path: str | Path) -> list[Person]:
    """A directory from CSV: a header row naming the columns `name` (required)
    and `id`, `email`, `gender` (m/f) (optional); `,` `;` or tab separated,
    UTF-8. A name is "Имя Фамилия" (two words; "Фамилия Имя" is recognised
    when only the second word is a known first name) or "Фамилия Имя
    Отчество" (three words). Without an id column the ids are "" (given by
    the import: plan_import)."""
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
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise ConfigError(f"{path}, line {line}: a NUL character (\\0): not a text CSV")
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    _check_quotes(text, delimiter, path)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ConfigError(f"{path}, line 1: not a CSV row: {exc}") from None
    columns = [(c or "").strip().lower() for c in fieldnames or []]
    if "name" not in columns:
        raise ConfigError(f"{path}: the first row must name the columns, with at least 'name' "
                          f"(and optionally 'id', 'email', 'gender'); found {', '.join(columns) or 'nothing'}")
    reader.fieldnames = columns
    people: list[Person] = []
    seen: dict[tuple[str, str], int] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # the line being read is not counted yet
            raise ConfigError(f"{path}, line {reader.line_num + 1}: not a CSV row: {exc}") from None
        line = reader.line_num
        if None in row:
            raise ConfigError(f"{path}, line {line}: more cells than the header has columns "
                              "(a name with the separator in it must be in double quotes)")
        cells = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(cells.values()):
            continue  # a blank line
        for k, v in cells.items():
            if len(v) > MAX_FIELD:
                raise ConfigError(f"{path}, line {line}: the {k} is {len(v)} characters long "
                                  f"(at most {MAX_FIELD})")
            bad = next((ch for ch in v if ch in '"\r\n' or (ord(ch) < 32 and ch != "\t")), None)
            if bad is not None:
                raise ConfigError(f"{path}, line {line}: the {k} {v[:40]!r} has a character that "
                                  f"cannot be in it ({bad!r}): check the quotes")
        name = cells.get("name", "")
        first, last, middle = _split_name(name, path, line)
        email = cells.get("email") or None
        if email and ("@" not in email or len(email.split()) != 1):
            raise ConfigError(f"{path}, line {line}: {email!r} is not an e-mail address")
        gender = (cells.get("gender") or "").lower() or None
        if gender not in (None, "m", "f"):
            raise ConfigError(f"{path}, line {line}: gender must be m or f, not {gender!r}")
        pid = cells.get("id", "")
        if "id" in columns and not pid:
            raise ConfigError(f"{path}, line {line}: the id is empty (with an id column every person has one)")
        for what, value in (("id", pid), ("e-mail", (email or "").lower())):
            if value and (what, value) in seen:
                raise ConfigError(f"{path}, line {line}: the {what} {value!r} is on line {seen[(what, value)]} "
                                  "too: one person, one row")
            if value:
                seen[(what, value)] = line
        people.append(Person(pid, first, last, middle, email, gender))
    if not people:
        raise ConfigError(f"{path}: no people in the file")
    return people


def _check_quotes(text: str, delimiter: str, path: Path) -> None:
    """A quote opened and never closed swallows the rest of the file into one
    cell (Python's csv reads «"Кавычкин,a@x.ru» as a name): name the line."""
    open_at = None
    line = 1
    at_start = True
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if open_at is None:
            if ch == '"' and at_start:
                open_at = line
            elif ch == "\n":
                line += 1
            at_start = ch in (delimiter, "\n") or (at_start and ch in " \r")
        else:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1  # an escaped quote inside the quoted cell
                else:
                    open_at = None
                    at_start = False
            elif ch == "\n":
                line += 1
        i += 1
    if open_at is not None:
        raise ConfigError(f"{path}, line {open_at}: a double quote (\") opens a cell and is never "
                          "closed; close it or remove it")


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
