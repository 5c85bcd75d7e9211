"""Finding what an earlier attempt of an action made (the portal created it
and only its reply was lost), with the narrowest documented filters so the
look-up stays one short page on a portal with thousands of tasks.

- tasks: tasks.task.list by CREATED_BY, RESPONSIBLE_ID and >=CREATED_DATE
  since the action was recorded (B24DOCS api-reference/tasks/tasks-task-list.md;
  XML_ID is not a documented filter there, only in the deprecated
  task.item.list, so the key stays in the description: `[sekretar:KEY]`);
- events: calendar.event.get on the owner's calendar around the date;
- messages: im.dialog.messages.get with FIRST_ID after the last message
  sekretar itself sent in that dialog before the action was recorded
  (B24DOCS api-reference/chats/messages/im-dialog-messages-get.md).
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

from sekretar.core.types import Action, Created

MARK = "[sekretar:{key}]"
WATERMARK = "bitrix24.im.last.{dialog}"  # the last messages sekretar sent in a dialog: [[id, unix time]]


def marker(key: str) -> str:
    return MARK.format(key=key)


def _iso(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def find(ws, action: Action, since: datetime | None = None) -> Created | None:
    """What an earlier attempt of this action made, if the portal has it.
    Asked with the person's own token where sekretar acts as them (what
    they made is theirs to see), else the installer's / webhook's."""
    client = ws.acting.client_for(action.actor)[0] if getattr(ws, "acting", None) else ws.client
    if action.kind == "task":
        # the narrowest documented filter: this creator, this responsible,
        # created since the action was recorded (B24DOCS tasks-task-list.md;
        # XML_ID is not a documented tasks.task.list filter, so the key
        # stays in the description)
        flt = {"CREATED_BY": action.actor, "RESPONSIBLE_ID": action.target}
        if since is not None:
            flt[">=CREATED_DATE"] = (since - timedelta(minutes=5)).isoformat(timespec="seconds")
        tasks = client.call_list("tasks.task.list", {
            "filter": flt, "order": {"ID": "desc"},
            "select": ["ID", "TITLE", "DESCRIPTION", "CREATED_DATE"]}, key="tasks", limit=100)
        for t in tasks:
            if marker(action.key) in (t.get("description") or ""):
                return ws._task_created(action, str(t["id"]))
    elif action.kind == "event":
        start, end = ws._span(action)
        events = client.call("calendar.event.get", {
            "type": "user", "ownerId": action.actor,
            "from": (start.date() - timedelta(days=1)).isoformat(),
            "to": (end.date() + timedelta(days=1)).isoformat()}).result or []
        for e in events:
            if marker(action.key) in (e.get("DESCRIPTION") or ""):
                return ws._event_created(action, str(e["ID"]))
    elif action.kind == "message":
        authors = {ws.caller_id(), str(action.actor)}
        text = ws._message_text(action)
        for m in _messages_since(client, ws.store, action.target, since):
            when = _iso(m.get("date"))
            if since is not None and when is not None and when < since - timedelta(seconds=60):
                continue  # the same words said before this action was confirmed
            if str(m.get("author_id")) in authors and m.get("text") in (text, action.text):
                return Created("message", str(m["id"]), ws._chat_url(action.target))
    return None


def _messages_since(client, store, dialog: str, since: datetime | None, pages: int = 5) -> list[dict]:
    """The dialog's messages newer than the action: FIRST_ID = the last
    message sekretar knows was sent there before the action was recorded
    (B24DOCS im-dialog-messages-get.md); without one, pages back with
    LAST_ID until the messages are older than the action."""
    before = [m for m in _watermarks(store, dialog) if since is not None and m[1] < since.timestamp()]
    if before:  # both times are this server's clock
        first = max(before)[0]
        res = client.call("im.dialog.messages.get",
                          {"DIALOG_ID": dialog, "FIRST_ID": first, "LIMIT": 50}).result or {}
        return list(res.get("messages") or [])
    out: list[dict] = []
    last = None
    for _ in range(pages):
        params = {"DIALOG_ID": dialog, "LIMIT": 50, **({"LAST_ID": last} if last else {})}
        page = (client.call("im.dialog.messages.get", params).result or {}).get("messages") or []
        out += page
        dates = [d for d in (_iso(m.get("date")) for m in page) if d is not None]
        if len(page) < 50 or since is None or (dates and min(dates) < since - timedelta(seconds=60)):
            break
        last = min(int(m["id"]) for m in page)
    return out


def _watermarks(store, dialog: str) -> list[tuple[int, float]]:
    """The last messages sekretar sent in `dialog`: (id, unix time sent)."""
    raw = store.kv_get(WATERMARK.format(dialog=dialog)) if store is not None else None
    try:
        return [(int(i), float(t)) for i, t in json.loads(raw)] if raw else []
    except (ValueError, TypeError):
        return []


def remember_sent(store, dialog: str, msg_id: int) -> None:
    if store is not None:
        marks = (_watermarks(store, dialog) + [(msg_id, time.time())])[-20:]
        store.kv_put(WATERMARK.format(dialog=dialog), json.dumps(marks))
