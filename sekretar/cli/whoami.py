"""`sekretar chat` on the local workspace links the terminal's user directly:
the person's own machine needs no spoken code (the code stays for Alice,
Google and the API, where the caller is somebody else's device).

`--as NAME` (an id or a name of the directory) links at once; without it, a
terminal session with no link yet asks who the user is among the
directory's people (a number or a name). Piped input without `--as` keeps
the code flow, so scripts behave as before."""
from __future__ import annotations

from datetime import datetime, timezone

from sekretar.core.errors import PersonNotFound

ASK = {"ru": "Кто вы? Назовите номер или имя из справочника (sekretar people):",
       "en": "Who are you? Say your number or name from the directory (sekretar people):"}
LINKED = {"ru": "Вы — {name}.", "en": "You are {name}."}
AGAIN = {"ru": "Не нашла «{text}» в справочнике (или таких несколько). Назовите номер от 1 до {n} или имя и фамилию:",
         "en": "“{text}” is not in the directory (or is several people). Say a number from 1 to {n} or a full name:"}


def direct_link_allowed(app) -> bool:
    return app.workspace.name == "local"


def link_as(app, user: str, who: str):
    """Link `user` to the person `who` names; returns the person."""
    from sekretar.cli.workspace import find_person

    person = find_person(app.workspace, who)
    app.store.set_link(user, person.id, app.workspace.name, datetime.now(timezone.utc))
    return person


def ask_who(app, user: str, lang: str, read, write) -> bool:
    """Ask on the terminal until a person is named; False on end of input."""
    if app.store.get_link(user) is not None:
        return True
    people = app.workspace.people()
    write(ASK[lang] + "\n")
    for n, p in enumerate(people[:30], 1):
        write(f"  {n}. {p.name}\n")
    while True:
        write("> ")
        line = read()
        if not line:
            return False
        text = line.strip()
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= min(30, len(people)):
            text = people[int(text) - 1].id
        try:
            person = link_as(app, user, text)
        except PersonNotFound:
            write(AGAIN[lang].format(text=line.strip(), n=min(30, len(people))) + "\n")
            continue
        write(LINKED[lang].format(name=person.name) + "\n")
        return True
