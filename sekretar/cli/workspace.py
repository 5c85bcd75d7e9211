"""`sekretar` subcommands for the workspace and account linking:

    sekretar link-code PERSON [--length N] [--ttl SECONDS]
    sekretar people [--json]        exit 3: the workspace is unreachable, the list is the cached one
    sekretar people import FILE.csv [--dry-run]
    sekretar tasks|events|messages [--json]

They use the configured workspace (SEKRETAR_WORKSPACE: local or bitrix24)
and store (SEKRETAR_HOME / SEKRETAR_DATABASE_URL).
"""
from __future__ import annotations

import json
import sys
import unicodedata
from datetime import datetime, timezone

from sekretar.core.config import Settings
from sekretar.core.errors import PersonNotFound, WorkspaceError

LIST_COMMANDS = {
    "tasks": ("task", ("id", "title", "responsible", "deadline", "remind", "status", "created_by", "created_at")),
    "events": ("event", ("id", "title", "start", "end", "all_day", "owner", "cancelled")),
    "messages": ("message", ("id", "to", "from", "text", "created_at")),
}


def register(sub) -> None:
    p = sub.add_parser("link-code", help="a one-time code that links a voice account to a person",
                       description="Print a one-time code for PERSON (an id of the workspace's directory, "
                                   "or a name). The person says it to the assistant to link their account.")
    p.add_argument("person", nargs="+", metavar="PERSON", help="person id (e.g. 7) or name (e.g. Сергей Иванов)")
    p.add_argument("--length", type=int, default=None, help="digits in the code (default SEKRETAR_CODE_LENGTH, 6)")
    p.add_argument("--ttl", type=int, default=None, metavar="SECONDS",
                   help="how long the code stays valid (default SEKRETAR_CODE_TTL, 600)")
    p.set_defaults(func=cmd_link_code)

    p = sub.add_parser("people", help="the workspace's people directory",
                       description="List the people directory, or replace the local one from a CSV file.")
    p.add_argument("--json", action="store_true", help="JSON lines with every field")
    p.set_defaults(func=cmd_people)
    psub = p.add_subparsers(dest="people_command", metavar="SUBCOMMAND")
    imp = psub.add_parser("import", help="replace the local directory from a CSV file",
                          description="Replace the local directory. CSV with a header row: name (required: "
                                      "'Имя Фамилия' or 'Фамилия Имя Отчество'), id, email, gender (m/f) "
                                      "(optional); UTF-8; comma, semicolon or tab separated. People keep "
                                      "their identity (by id, else e-mail, else name): their linked accounts "
                                      "and pending actions follow them; the accounts of people left out are "
                                      "unlinked.")
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    imp.set_defaults(func=cmd_people_import)

    for command, (kind, _) in LIST_COMMANDS.items():
        p = sub.add_parser(command, help=f"the {kind}s created in the workspace")
        p.add_argument("--json", action="store_true", help="JSON lines with every field")
        p.set_defaults(func=cmd_list, kind=kind, command=command)


# --- opening ---------------------------------------------------------------
class _Opened:
    def __init__(self):
        from sekretar.integrations import open_workspace
        from sekretar.store import open_store

        self.settings = Settings.from_env()
        if self.settings.database_url is None:
            try:
                self.settings.home.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                from sekretar.core.errors import ConfigError

                raise ConfigError(f"cannot create SEKRETAR_HOME {self.settings.home}: {exc.strerror}") from None
        self.store = open_store(self.settings.db_url)
        try:
            self.workspace = open_workspace(self.settings, self.store)
        except BaseException:
            self.store.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.store.close()


# --- link-code ---------------------------------------------------------------
def find_person(workspace, text: str):
    """A person by workspace id, else by name (Directory matching)."""
    text = " ".join(text.split())
    if text.isdigit() or not any(ch.isalpha() for ch in text):
        person = workspace.get_person(text)
        if person is None:
            raise PersonNotFound(f"no person with id {text} in the {workspace.name} directory "
                                 "(see: sekretar people)")
        return person
    person = workspace.get_person(text)
    if person is not None:
        return person
    if hasattr(workspace, "directory"):
        directory = workspace.directory()
    else:
        from sekretar.integrations.people import Directory

        directory = Directory(workspace.people())
    found = directory.match_text(text)
    if not found:
        raise PersonNotFound(f"nobody called {text!r} in the {workspace.name} directory (see: sekretar people)")
    if len(found) > 1:
        listing = "; ".join(f"{p.id}: {p.name}" + (f" <{p.email}>" if p.email else "") for p in found)
        raise PersonNotFound(f"{text!r} is ambiguous: {listing}. Give the id, e.g. "
                             f"sekretar link-code {found[0].id}")
    return found[0]


def cmd_link_code(args) -> int:
    with _Opened() as o:
        person = find_person(o.workspace, " ".join(args.person))
        length = args.length if args.length is not None else o.settings.code_length
        ttl = args.ttl if args.ttl is not None else o.settings.code_ttl_seconds
        code = o.store.issue_code(person.id, o.workspace.name, datetime.now(timezone.utc),
                                  length=length, ttl_seconds=ttl)
    print(code)
    ru = o.settings.lang == "ru"
    if ttl % 60 == 0:
        valid = f"{ttl // 60} {'мин' if ru else 'min'}"
    else:
        valid = f"{ttl} {'с' if ru else 's'}"
    if ru:
        hint = (f"Код для {person.name} (id {person.id}, {o.workspace.name}), действует {valid}: "
                "скажите его ассистенту.")
    else:
        hint = f"Code for {person.name} (id {person.id}, {o.workspace.name}), valid {valid}: say it to the assistant."
    print(hint, file=sys.stderr)
    return 0


# --- people --------------------------------------------------------------------
def _person_json(p) -> dict:
    return {"id": p.id, "name": p.name, "first": p.first, "last": p.last, "middle": p.middle,
            "email": p.email, "gender": p.gender}


CACHED_EXIT = 3   # `sekretar people` printed the list read earlier: the workspace is unreachable


def cmd_people(args) -> int:
    with _Opened() as o:
        fresh = getattr(o.workspace, "refresh_people", None)  # Bitrix24: read the portal now
        people = fresh() if fresh else o.workspace.people()
        stale = getattr(o.workspace, "people_stale", None)
    if stale:  # shown, but it is the copy kept from before: say so, and exit CACHED_EXIT
        print(f"warning: {stale}", file=sys.stderr)
    rows = [_person_json(p) for p in people]
    if args.json:
        _json_lines(rows)
    else:
        for r in rows:
            r["name"] = " ".join(x for x in (r["last"], r["first"], r["middle"]) if x) if r["middle"] else r["name"]
        _table(rows, ("id", "name", "email"), empty="(nobody in the directory)")
    return CACHED_EXIT if stale else 0


def cmd_people_import(args) -> int:
    from sekretar.integrations.directory_import import import_directory, read_people_csv

    people = read_people_csv(args.file)  # a bad file fails before anything is opened
    with _Opened() as o:
        if not hasattr(o.workspace, "plan_import"):
            raise WorkspaceError(f"people import replaces the local directory; the {o.workspace.name} "
                                 f"directory is managed in {o.workspace.name} itself")
        plan = import_directory(o.workspace, o.store, people, dry_run=args.dry_run)
    _print_plan(plan, args.dry_run)
    return 0


def _print_plan(plan, dry_run: bool) -> None:
    def who(p):
        return f"{p.id}: {p.name}" + (f" <{p.email}>" if p.email else "")

    lines = []
    for p in plan.added:
        lines.append(f"  + {who(p)}")
    for before, after in plan.changed:
        moved = f" (id {before.id} → {after.id})" if before.id != after.id else ""
        lines.append(f"  ~ {who(before)} → {after.name}" + (f" <{after.email}>" if after.email else "") + moved)
    for p in plan.removed:
        lines.append(f"  - {who(p)}")
    for user, person in plan.unlinked:
        lines.append(f"  ! the account {user} (person {person}) {'would be' if dry_run else 'is'} "
                     "unlinked and told so on its next turn")
    kept = len(plan.kept) - len(plan.changed)
    head = (f"{'Dry run: ' if dry_run else ''}{plan.total} people"
            f"{' would be' if dry_run else ''} imported: {kept} unchanged, {len(plan.changed)} changed, "
            f"{len(plan.added)} added, {len(plan.removed)} removed; {len(plan.unlinked)} linked accounts "
            f"{'would be ' if dry_run else ''}unlinked")
    print(head)
    for line in lines:
        print(line)
    if dry_run:
        print("Nothing was changed (--dry-run).")


# --- tasks / events / messages -------------------------------------------------
def cmd_list(args) -> int:
    kind, columns = LIST_COMMANDS[args.command]
    with _Opened() as o:
        lister = getattr(o.workspace, "list_items", None)
        if lister is None:
            raise WorkspaceError(f"the {o.workspace.name} workspace cannot list {args.command} here; "
                                 f"look in {o.workspace.name} itself")
        items = lister(kind)
    if args.json:
        _json_lines(items)
    else:
        _table(items, columns, empty=f"(no {args.command})")
    return 0


def _json_lines(rows) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def _table(rows, columns, empty: str) -> None:
    if not rows:
        print(empty)
        return
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    print(line(columns))
    print(line(["-" * w for w in widths]))
    for row in cells:
        print(line(row))
