"""Bitrix24Workspace: people, tasks, calendar events and chat messages on a portal.

Each created thing carries its idempotency key in its description
(`[sekretar:KEY]`) so a retry can first look for what an earlier attempt
made when the portal's reply was lost (tasks: tasks.task.list; events:
calendar.event.get). Chat messages have no description: the lookup reads
the dialog (im.dialog.messages.get) for the same text by the same author
since the action was confirmed.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from datetime import date, datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from sekretar.integrations.bitrix24.client import Bitrix24Client
from sekretar.integrations.bitrix24.items import Bitrix24Items

from sekretar.core.errors import WorkspaceAuthError, WorkspaceRejected, WorkspaceUnavailable
from sekretar.core.types import Action, Created, Person

log = logging.getLogger(__name__)

MARK = "[sekretar:{key}]"
PEOPLE_KEY = "bitrix24.people"
_FAR = ("2000-01-01", "2100-01-01")
# a message goes out as the webhook's (token's) user; when sekretar speaks
# for someone else, the text names them with the portal's user mention
_ON_BEHALF = re.compile(r"^\[USER=(\d+)\][^\[]*\[/USER\]: (.*)$", re.S)


def marker(key: str) -> str:
    return MARK.format(key=key)


def person_of(u: dict) -> Person:
    gender = (u.get("PERSONAL_GENDER") or "").lower() or None
    return Person(id=str(u["ID"]), first=u.get("NAME") or None, last=u.get("LAST_NAME") or None,
                  middle=u.get("SECOND_NAME") or None, email=u.get("EMAIL") or None,
                  gender=gender if gender in ("m", "f") else None)


class Bitrix24Workspace(Bitrix24Items):
    name = "bitrix24"

    def __init__(self, client: Bitrix24Client, portal: str, *, caller_id: str | None = None,
                 event_minutes: int = 60, people_ttl: float = 300.0,
                 clock: Callable[[], float] = time.monotonic, app_client_factory=None,
                 tz: str = "Europe/Moscow", store=None):
        self.client = client
        self.portal = portal.rstrip("/")
        self._caller_id = caller_id
        self.event_minutes = event_minutes
        self.people_ttl = people_ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._people: list[Person] | None = None
        self._people_at = 0.0
        self._sections: dict[str, str | None] = {}
        self._app_client_factory = app_client_factory
        self.tz = tz  # how all-day events read back (they carry no zone on the portal)
        self.store = store  # keeps the last directory: names still resolve while the portal is down

    # --- people ----------------------------------------------------------
    def people(self) -> list[Person]:
        with self._lock:
            if self._people is not None and self.clock() - self._people_at < self.people_ttl:
                return list(self._people)
        try:
            users = self.client.call_list("user.get", {"FILTER": {"ACTIVE": True}})
        except WorkspaceUnavailable:
            stale = self._people if self._people is not None else self._saved_people()
            if stale is None:
                raise
            log.info("Bitrix24 unreachable: using the directory read earlier (%d people)", len(stale))
            return list(stale)
        people = [person_of(u) for u in users]
        with self._lock:
            self._people, self._people_at = people, self.clock()
        if self.store is not None:
            self.store.kv_put(PEOPLE_KEY, json.dumps([p.__dict__ for p in people], ensure_ascii=False))
        return list(people)

    def _saved_people(self) -> list[Person] | None:
        raw = self.store.kv_get(PEOPLE_KEY) if self.store is not None else None
        return [Person(**d) for d in json.loads(raw)] if raw else None

    def get_person(self, person_id: str) -> Person | None:
        person_id = str(person_id).strip()
        if not person_id.isdigit():
            return None
        for p in self.people():  # cached (or kept from before an outage): usually no call
            if p.id == person_id:
                return p
        users = self.client.call("user.get", {"FILTER": {"ID": person_id}}).result or []  # inactive?
        return person_of(users[0]) if users else None

    def caller_id(self) -> str:
        """The portal user the calls are made as (webhook owner / token owner)."""
        if self._caller_id is None:
            self._caller_id = str(self.client.call("user.current").result["ID"])
        return self._caller_id

    def user_from_app_auth(self, params: dict) -> Person:
        """The portal user who opened the application page (AUTH_ID, DOMAIN,
        member_id from the portal): `user.current` with that user's token."""
        token, domain = params.get("AUTH_ID"), (params.get("DOMAIN") or "").strip().lower()
        if not token or not domain:
            raise WorkspaceAuthError("Страница приложения открыта без AUTH_ID/DOMAIN от Битрикс24")
        if domain != self.portal.split("://", 1)[-1].lower():
            raise WorkspaceAuthError(f"Приложение открыто с чужого портала ({domain})")
        client = self._app_client_factory() if self._app_client_factory else self.client
        return person_of(client.call("user.current", auth_token=token).result)

    # --- actions ---------------------------------------------------------
    def create(self, action: Action) -> Created:
        if action.is_change:
            return self._change(action)  # integrations/bitrix24/items.py
        if action.kind == "task":
            return self._task(action)
        if action.kind == "event":
            return self._event(action)
        if action.kind == "message":
            return self._message(action)
        raise WorkspaceRejected(f"Битрикс24 не умеет действие {action.kind!r}")

    def find(self, action: Action, since: datetime | None = None) -> Created | None:
        """What an earlier attempt of this action made, if the portal has it."""
        if action.kind == "task":
            tasks = self.client.call_list("tasks.task.list", {
                "filter": {"RESPONSIBLE_ID": action.target}, "order": {"ID": "desc"},
                "select": ["ID", "TITLE", "DESCRIPTION"]}, key="tasks", limit=100)
            for t in tasks:
                if marker(action.key) in (t.get("description") or ""):
                    return self._task_created(action, str(t["id"]))
        elif action.kind == "event":
            start, end = self._span(action)
            events = self.client.call("calendar.event.get", {
                "type": "user", "ownerId": action.actor,
                "from": (start.date() - timedelta(days=1)).isoformat(),
                "to": (end.date() + timedelta(days=1)).isoformat()}).result or []
            for e in events:
                if marker(action.key) in (e.get("DESCRIPTION") or ""):
                    return self._event_created(action, str(e["ID"]))
        elif action.kind == "message":
            me = self.caller_id()
            res = self.client.call("im.dialog.messages.get",
                                   {"DIALOG_ID": action.target, "LIMIT": 50}).result or {}
            for m in res.get("messages", []):
                when = _iso(m.get("date"))
                if str(m.get("author_id")) == me and m.get("text") == self._message_text(action) and \
                        (since is None or when is None or when >= since - timedelta(seconds=60)):
                    return Created("message", str(m["id"]), self._chat_url(action.target))
        return None

    def _task(self, a: Action) -> Created:
        if not a.target:
            raise WorkspaceRejected("Не указан ответственный за задачу")
        fields = {"TITLE": a.title or "Задача", "RESPONSIBLE_ID": a.target, "CREATED_BY": a.actor,
                  "DESCRIPTION": f"Поставлено голосом через sekretar.\n{marker(a.key)}"}
        if a.start is not None:
            fields["DEADLINE"] = _aware(a.start, a.tz).isoformat()
        res = self.client.call("tasks.task.add", {"fields": fields}).result
        return self._task_created(a, str(res["task"]["id"]))

    def _task_created(self, a: Action, task_id: str) -> Created:
        return Created("task", task_id,
                       f"{self.portal}/company/personal/user/{a.actor}/tasks/task/view/{task_id}/")

    def _span(self, a: Action) -> tuple[datetime, datetime]:
        if a.start is None:
            raise WorkspaceRejected("Не указано, когда событие")
        zone = ZoneInfo(a.tz)
        start = _aware(a.start, a.tz).astimezone(zone)
        end = _aware(a.end, a.tz).astimezone(zone) if a.end else start + timedelta(minutes=self.event_minutes)
        return start, end

    def _event(self, a: Action) -> Created:
        start, end = self._span(a)
        params = {"type": "user", "ownerId": a.actor, "name": a.title or "Событие",
                  "description": f"Запланировано голосом через sekretar.\n{marker(a.key)}",
                  "timezone_from": a.tz, "timezone_to": a.tz}
        if a.all_day:  # the portal's all-day `to` is the last day itself; ours ends the day after
            last = (end - timedelta(microseconds=1)).date() if a.end else start.date()
            last = max(last, start.date())
            params.update({"from": start.date().isoformat(), "to": last.isoformat(), "skip_time": "Y"})
        else:
            fmt = "%Y-%m-%d %H:%M:%S"
            params.update({"from": start.strftime(fmt), "to": end.strftime(fmt), "skip_time": "N"})
        section = self._section(a.actor)
        if section:
            params["section"] = section
        event_id = self.client.call("calendar.event.add", params).result
        return self._event_created(a, str(event_id))

    def _event_created(self, a: Action, event_id: str) -> Created:
        return Created("event", event_id,
                       f"{self.portal}/company/personal/user/{a.actor}/calendar/?EVENT_ID={event_id}")

    def _section(self, owner: str) -> str | None:
        """The owner's default calendar: the first of their own sections."""
        if owner not in self._sections:
            sections = self.client.call("calendar.section.get", {"type": "user", "ownerId": owner}).result or []
            own = [s for s in sections if str(s.get("OWNER_ID", owner)) == str(owner)] or sections
            self._sections[owner] = str(own[0]["ID"]) if own else None
        return self._sections[owner]

    def _message(self, a: Action) -> Created:
        if not a.target or not a.text:
            raise WorkspaceRejected("Для сообщения нужны получатель и текст")
        msg_id = self.client.call("im.message.add", {"DIALOG_ID": a.target,
                                                     "MESSAGE": self._message_text(a)}).result
        return Created("message", str(msg_id), self._chat_url(a.target))

    def _message_text(self, a: Action) -> str:
        if not a.actor or str(a.actor) == self.caller_id():
            return a.text or ""
        who = self.get_person(a.actor)
        return f"[USER={a.actor}]{who.name if who else a.actor}[/USER]: {a.text}"

    def _chat_url(self, person_id: str) -> str:
        return f"{self.portal}/online/?IM_DIALOG={person_id}"

    # --- reading back (CLI listings, tests) ------------------------------
    def list_items(self, kind: str) -> list[dict]:
        names = {p.id: p.name for p in self.people()}
        if kind == "task":
            tasks = self.client.call_list("tasks.task.list", {
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
                events = self.client.call("calendar.event.get", {
                    "type": "user", "ownerId": pid, "from": _FAR[0], "to": _FAR[1]}).result or []
                out += [_event_item(e, names, self.tz) for e in events]
            return sorted(out, key=lambda e: int(e["id"]))
        if kind == "message":
            seen: dict[str, dict] = {}
            for pid in names:
                res = self.client.call("im.dialog.messages.get", {"DIALOG_ID": pid, "LIMIT": 50}).result or {}
                for m in res.get("messages", []):
                    author, text = str(m.get("author_id")), m.get("text") or ""
                    to = pid if author != pid else self.caller_id()
                    behalf = _ON_BEHALF.match(text)
                    if behalf:
                        author, text = behalf.group(1), behalf.group(2)
                    seen[str(m["id"])] = {"id": str(m["id"]), "to": names.get(to), "to_id": to,
                                          "text": text, "from": names.get(author), "from_id": author,
                                          "created_at": m.get("date")}
            return sorted(seen.values(), key=lambda m: int(m["id"]))
        raise WorkspaceRejected(f"unknown kind {kind!r}")


def _event_item(e: dict, names: dict, tz: str) -> dict:
    all_day = e.get("DT_SKIP_TIME") == "Y"
    start, end = (_portal_dt(e.get(k), e.get(tzk) or tz)
                  for k, tzk in (("DATE_FROM", "TZ_FROM"), ("DATE_TO", "TZ_TO")))
    if all_day and end:  # back to an exclusive end: midnight after the last day
        end = (datetime.fromisoformat(end) + timedelta(days=1)).isoformat()
    owner = str(e.get("OWNER_ID"))
    return {"id": str(e["ID"]), "title": e.get("NAME"), "start": start, "end": end, "all_day": all_day,
            "owner": names.get(owner), "owner_id": owner, "cancelled": False}  # deleted ones are gone


def _portal_dt(value: str | None, tz: str) -> str | None:
    """calendar.event.get dates are in the portal's format: 24.11.2026 13:15:00."""
    if not value:
        return None
    dt = datetime.strptime(value.strip(), "%d.%m.%Y %H:%M:%S" if ":" in value else "%d.%m.%Y")
    return dt.replace(tzinfo=ZoneInfo(tz)).isoformat()


def _aware(dt: datetime | date, tz: str) -> datetime:
    if not isinstance(dt, datetime):
        dt = datetime(dt.year, dt.month, dt.day)
    return dt if dt.tzinfo else dt.replace(tzinfo=ZoneInfo(tz))


def _iso(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
