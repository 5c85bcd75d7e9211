"""Reading a portal back in the local workspace's shape (the CLI's
`sekretar tasks|events|messages`, and the tests).

Events are read from DATE_FROM_TS_UTC / DATE_TO_TS_UTC: DATE_FROM/DATE_TO
are written in the portal's language (`12/11/2024 05:59:00 pm` on an English
portal; B24DOCS api-reference/calendar/calendar-event/calendar-event-get.md).
Messages are read with the installer's token and with each person's own
(a person's dialogs are theirs to read).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sekretar.integrations.bitrix24.meeting import read_extras

from sekretar.core.errors import WorkspaceError, WorkspaceRejected

_FAR = ("2000-01-01", "2100-01-01")
_ON_BEHALF = re.compile(r"^\[USER=(\d+)\][^\[]*\[/USER\]: (.*)$", re.S)


def _readers(ws):
    """(user id, client) pairs that may read dialogs: the installer's, and
    each person's own token where sekretar keeps one."""
    out = [(ws.caller_id(), ws.client)]
    acting = getattr(ws, "acting", None)
    if acting is not None:
        for person_id in acting.persons.users():
            client, own = acting.client_for(person_id)
            if own and person_id != out[0][0]:
                out.append((person_id, client))
    return out


def list_items(ws, kind: str) -> list[dict]:
    names = {p.id: p.name for p in ws.people()}
    if kind == "task":
        tasks = ws.client.call_list("tasks.task.list", {
            "order": {"ID": "asc"},
            "select": ["ID", "TITLE", "RESPONSIBLE_ID", "DEADLINE", "CREATED_BY", "CREATED_DATE", "REAL_STATUS"]},
            key="tasks")
        return [{"id": str(t["id"]), "title": t.get("title"),
                 "responsible": names.get(str(t.get("responsibleId"))),
                 "responsible_id": str(t.get("responsibleId")), "deadline": t.get("deadline") or None,
                 "created_by": names.get(str(t.get("createdBy"))),
                 "created_by_id": str(t.get("createdBy")), "created_at": t.get("createdDate"),
                 "status": "done" if str(t.get("status")) == "5" else "open"}
                for t in tasks]
    if kind == "event":
        out = []
        for pid in names:
            events = ws.client.call("calendar.event.get", {
                "type": "user", "ownerId": pid, "from": _FAR[0], "to": _FAR[1]}).result or []
            out += [_event_item(e, names, ws.tz) for e in events]
        return sorted(out, key=lambda e: int(e["id"]))
    if kind == "message":
        seen: dict[str, dict] = {}
        for me, client in _readers(ws):
            for pid in names:
                try:
                    res = client.call("im.dialog.messages.get", {"DIALOG_ID": pid, "LIMIT": 50}).result or {}
                except WorkspaceError:
                    if client is ws.client:
                        raise
                    continue  # a person's token that no longer reads: the installer's view stands
                for m in res.get("messages", []):
                    seen[str(m["id"])] = _message_item(m, pid, me, names)
        return sorted(seen.values(), key=lambda m: int(m["id"]))
    raise WorkspaceRejected(f"unknown kind {kind!r}")


def _message_item(m: dict, pid: str, me: str, names: dict) -> dict:
    author, text = str(m.get("author_id")), m.get("text") or ""
    to = pid if author != pid else me
    behalf = _ON_BEHALF.match(text)
    if behalf:
        author, text = behalf.group(1), behalf.group(2)
    return {"id": str(m["id"]), "to": names.get(to), "to_id": to, "text": text, "from": names.get(author),
            "from_id": author, "created_at": m.get("date")}


def _event_item(e: dict, names: dict, tz: str) -> dict:
    all_day = e.get("DT_SKIP_TIME") == "Y"
    start, end = (_event_time(e, which, tz, all_day) for which in ("FROM", "TO"))
    if all_day and end:  # back to an exclusive end: midnight after the last day
        end = (datetime.fromisoformat(end) + timedelta(days=1)).isoformat()
    owner = str(e.get("OWNER_ID"))
    return {"id": str(e["ID"]), "title": e.get("NAME"), "start": start, "end": end, "all_day": all_day,
            "owner": names.get(owner), "owner_id": owner, **read_extras(e, names),
            "cancelled": False}  # deleted ones are gone


def _event_time(e: dict, which: str, tz: str, all_day: bool) -> str | None:
    """An event's start or end from DATE_<which>_TS_UTC (unix seconds): the
    DATE_FROM/DATE_TO strings are in the portal's locale format
    (`12/11/2024 05:59:00 pm` on an English portal; B24DOCS
    api-reference/calendar/calendar-event/calendar-event-get.md)."""
    ts, zone = e.get(f"DATE_{which}_TS_UTC"), e.get(f"TZ_{which}") or tz
    try:
        seconds = int(float(ts))
    except (TypeError, ValueError):
        return _portal_dt(e.get(f"DATE_{which}"), zone)  # an old portal without the field
    if all_day:  # local midnight of the day, in whatever zone (|offset| < 12 h): noon UTC is that day
        day = datetime.fromtimestamp(seconds + 12 * 3600, timezone.utc).date()
        return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)).isoformat()
    try:
        return datetime.fromtimestamp(seconds, ZoneInfo(zone)).isoformat()
    except (KeyError, ValueError, OSError):
        return datetime.fromtimestamp(seconds, ZoneInfo(tz)).isoformat()


def _portal_dt(value: str | None, tz: str) -> str | None:
    """A Russian portal's date (24.11.2026 13:15:00), when no timestamp came."""
    if not value:
        return None
    try:
        dt = datetime.strptime(value.strip(), "%d.%m.%Y %H:%M:%S" if ":" in value else "%d.%m.%Y")
    except ValueError:
        return None
    return dt.replace(tzinfo=ZoneInfo(tz)).isoformat()


