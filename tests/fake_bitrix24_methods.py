"""The fake portal's state and REST methods, in the documented shapes
(see tests/fake_bitrix24.py for the HTTP side: auth, faults, the bucket)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

PAGE = 50
PORTAL_TZ = "Europe/Moscow"
ERRORS = {
    "NO_AUTH_FOUND": (401, "Wrong authorization data"),
    "INVALID_CREDENTIALS": (403, "Invalid request credentials"),
    "insufficient_scope": (403, "The request requires higher privileges than provided by the access token"),
    "OVERLOAD_LIMIT": (503, "REST API is blocked due to overload."),
    "OPERATION_TIME_LIMIT": (429, "Method is blocked due to operation time limit."),
    "expired_token": (401, "The access token provided has expired."),
    "invalid_token": (401, "Unable to get application by token"),
    "ACCESS_DENIED": (403, "Access denied!"),
    "QUERY_LIMIT_EXCEEDED": (503, "Too many requests"),
    "INTERNAL_SERVER_ERROR": (500, "Internal server error"),
    "ERROR_METHOD_NOT_FOUND": (404, "Method not found!"),
}

# tasks.task.add's `fields`: the task fields B24DOCS api-reference/tasks/fields.md
# documents (upper snake case, as the method takes them), UF_* user fields and
# SE_PARAMETER (tasks-task-add.md). There is no reminder among them: the fake
# refuses any other field, so a field the portal does not document fails a test
# here instead of being dropped without a word on a real portal.
TASK_FIELDS = frozenset({
    "ACCOMPLICES", "ACTIVITY_DATE", "ADD_IN_REPORT", "ALLOW_CHANGE_DEADLINE", "ALLOW_TIME_TRACKING", "AUDITORS",
    "BACKLOG_ID", "CHANGED_BY", "CHANGED_DATE", "CHAT_ID", "CLOSED_BY", "CLOSED_DATE", "COMMENTS_COUNT",
    "CREATED_BY", "CREATED_DATE", "DATE_START", "DEADLINE", "DESCRIPTION", "DESCRIPTION_IN_BBCODE",
    "DURATION_FACT", "DURATION_PLAN", "DURATION_TYPE", "END_DATE_PLAN", "EXCHANGE_ID", "EXCHANGE_MODIFIED",
    "FAVORITE", "FLOW_ID", "FORKED_BY_TEMPLATE_ID", "FORUM_ID", "FORUM_TOPIC_ID", "GROUP_ID", "GUID", "ID",
    "IS_MUTED", "IS_PINNED", "IS_PINNED_IN_GROUP", "MARK", "MATCH_WORK_TIME", "MULTITASK", "NOT_VIEWED",
    "OUTLOOK_VERSION", "PARENT_ID", "PRIORITY", "REPLICATE", "RESPONSIBLE_ID", "SERVICE_COMMENTS_COUNT", "SITE_ID",
    "SORTING", "SPRINT_ID", "STAGE_ID", "START_DATE_PLAN", "STATUS", "STATUS_CHANGED_BY", "STATUS_CHANGED_DATE",
    "SUBORDINATE", "TASK_CONTROL", "TIME_ESTIMATE", "TIME_SPENT_IN_LOGS", "TITLE", "VIEWED_DATE", "XML_ID",
    "SE_PARAMETER",
})


class ApiError(Exception):
    def __init__(self, code: str, description: str | None = None, status: int | None = None):
        st, desc = ERRORS.get(code, (400, code))
        super().__init__(code)
        self.code, self.description, self.status = code, description or desc, status or st


@dataclass
class Portal:
    users: dict = field(default_factory=dict)      # id → user.get row
    tasks: list = field(default_factory=list)
    events: list = field(default_factory=list)
    sections: dict = field(default_factory=dict)   # owner id → [section]
    messages: list = field(default_factory=list)
    seq: dict = field(default_factory=lambda: {"task": 0, "event": 0, "section": 0, "message": 0})
    admins: set = field(default_factory=lambda: {"1"})  # see everything (tests/fake_bitrix24_changes.py)

    def next_id(self, kind: str) -> int:
        self.seq[kind] += 1
        return self.seq[kind]

def _truthy(v) -> bool:
    return v in (True, 1, "1", "Y", "true", "True")


class Methods:
    """`m_<method with _ for .>(caller, params)` → the answer dict; raise ApiError."""

    state: Portal

    def m_user_current(self, caller, p):
        return {"result": self.state.users[caller]}

    def m_user_get(self, caller, p):
        flt = p.get("FILTER") or p.get("filter") or {}
        rows = list(self.state.users.values())
        if "ID" in p:
            rows = [r for r in rows if r["ID"] == str(p["ID"])]
        rows = [r for r in rows if r.get("USER_TYPE") != "bot"]  # user.get never returns bots
        for k, v in flt.items():
            if k == "ACTIVE":
                rows = [r for r in rows if r["ACTIVE"] == _truthy(v)]
            elif k in ("ID", "EMAIL", "NAME", "LAST_NAME", "USER_TYPE"):
                rows = [r for r in rows if r[k] == str(v)]
        select = p.get("select") or p.get("SELECT")
        rows = sorted(rows, key=lambda r: int(r["ID"]))
        if select:  # unknown fields are skipped silently
            wanted = set(select.values() if isinstance(select, dict) else select) | {"ID"}
            rows = [{k: v for k, v in r.items() if k in wanted} for r in rows]
        return _page(rows, p)

    def m_user_search(self, caller, p):
        find = str(p.get("FIND") or (p.get("FILTER") or {}).get("FIND") or "").lower()
        rows = [r for r in self.state.users.values() if r["ACTIVE"] and
                find in f"{r['NAME']} {r['LAST_NAME']} {r['EMAIL']}".lower()]
        return _page(sorted(rows, key=lambda r: int(r["ID"])), p)

    def m_tasks_task_add(self, caller, p):
        f = p.get("fields") or {}
        unknown = sorted(k for k in f if k not in TASK_FIELDS and not str(k).startswith("UF_"))
        if unknown:
            raise ApiError("ERROR_CORE", f"Unknown task field {unknown[0]}", 400)
        if not f.get("TITLE"):
            raise ApiError("ERROR_CORE", "Не указано название задачи", 400)
        resp = str(f.get("RESPONSIBLE_ID") or caller)
        if resp not in self.state.users:
            raise ApiError("ERROR_CORE", "Не указан ответственный", 400)
        deadline = f.get("DEADLINE")
        if deadline:
            deadline = _parse_dt(deadline).isoformat()
        tid = self.state.next_id("task")
        task = {"id": str(tid), "title": f["TITLE"], "description": f.get("DESCRIPTION", ""),
                "responsibleId": resp, "createdBy": str(f.get("CREATED_BY") or caller),
                "deadline": deadline, "status": "2",
                "createdDate": datetime.now(ZoneInfo(PORTAL_TZ)).replace(microsecond=0).isoformat()}
        self.state.tasks.append(task)
        return {"result": {"task": dict(task)}}

    def m_tasks_task_list(self, caller, p):
        rows = self.filter_tasks(caller, p.get("filter") or {})  # tests/fake_bitrix24_changes.py
        desc = str((p.get("order") or {}).get("ID", "asc")).lower() == "desc"
        rows.sort(key=lambda t: int(t["id"]), reverse=desc)
        ans = _page(rows, p)
        return {**ans, "result": {"tasks": ans["result"]}}

    def m_calendar_section_get(self, caller, p):
        if p.get("type") != "user":
            raise ApiError("ERROR_CORE", "Unsupported type", 400)
        return {"result": self.state.sections.get(str(p.get("ownerId")), [])}

    def m_calendar_event_add(self, caller, p):
        for k in ("type", "ownerId", "name", "from", "to"):
            if not p.get(k):
                raise ApiError("ERROR_CORE", f'Обязательный параметр "{k}" не задан', 400)
        owner = str(p["ownerId"])
        sections = self.state.sections.get(owner, [])
        if not p.get("section") and not getattr(self, "auto_section", True):  # a portal before auto-detection
            raise ApiError("", 'The required parameter "section" for the method "calendar.event.add" is not set', 400)
        section = str(p.get("section") or (sections[0]["ID"] if sections else ""))
        if section not in {s["ID"] for s in sections}:
            raise ApiError("ERROR_CORE", "Нет доступа к календарю", 400)
        skip = p.get("skip_time") == "Y"
        tz = p.get("timezone_from") or PORTAL_TZ
        start, end = _parse_dt(p["from"], tz), _parse_dt(p["to"], p.get("timezone_to") or tz)
        fmt = _locale_format(getattr(self, "language", "ru"), skip)
        eid = self.state.next_id("event")
        self.state.events.append({
            "ID": str(eid), "PARENT_ID": str(eid), "CAL_TYPE": "user", "OWNER_ID": owner,
            "CREATED_BY": caller, "NAME": p["name"], "DESCRIPTION": p.get("description", ""),
            "DATE_FROM": _locale(start, fmt), "DATE_TO": _locale(end, fmt),
            "TZ_OFFSET_FROM": str(int(start.utcoffset().total_seconds())),
            "TZ_OFFSET_TO": str(int(end.utcoffset().total_seconds())),
            "TZ_FROM": None if skip else tz, "TZ_TO": None if skip else (p.get("timezone_to") or tz),
            "DT_SKIP_TIME": "Y" if skip else "N", "SECTION_ID": section,
            "DATE_FROM_TS_UTC": str(int(start.timestamp())), "DATE_TO_TS_UTC": str(int(end.timestamp())),
            "PRIVATE_EVENT": "Y" if p.get("private_event") == "Y" else "N", "DELETED": "N",
            "ATTENDEE_LIST": [{"id": int(a), "entryId": str(eid), "status": "Q"} for a in p.get("attendees") or ()],
            "_start": start, "_end": end, **_event_extras(p, owner)})
        for a in self.state.events[-1]["ATTENDEE_LIST"]:  # a meeting's list (the host too) has entry ids
            a.setdefault("entryId", str(eid))
        return {"result": eid}

    def m_calendar_event_get(self, caller, p):
        owner = str(p.get("ownerId"))
        lo = _parse_dt(p.get("from") or (date.today() - timedelta(days=30)).isoformat())
        hi = _parse_dt(p.get("to") or (date.today() + timedelta(days=90)).isoformat()) + timedelta(days=1)
        rows = [{k: v for k, v in e.items() if not k.startswith("_")} for e in self.state.events
                if e["OWNER_ID"] == owner and e["_end"] >= lo and e["_start"] < hi and self._sees_event(caller, e)]
        return {"result": rows}

    def m_im_message_add(self, caller, p):
        to, text = str(p.get("DIALOG_ID") or ""), p.get("MESSAGE")
        if to not in self.state.users:
            raise ApiError("DIALOG_ID_EMPTY" if not to else "USER_ID_EMPTY", "Dialog ID can't be empty", 400)
        if not text:
            raise ApiError("MESSAGE_EMPTY", "Message can't be empty", 400)
        mid = self.state.next_id("message")
        self.state.messages.append({"id": mid, "author_id": int(caller), "to": to, "text": text,
                                    "date": datetime.now(ZoneInfo(PORTAL_TZ)).replace(microsecond=0).isoformat()})
        return {"result": mid}

    def m_im_dialog_messages_get(self, caller, p):
        other = str(p.get("DIALOG_ID") or "")
        limit = min(int(p.get("LIMIT") or 20), 50)
        rows = [m for m in self.state.messages
                if {str(m["author_id"]), m["to"]} == {caller, other} or
                (other == caller and str(m["author_id"]) == m["to"] == caller)]
        if p.get("FIRST_ID"):  # newer than FIRST_ID, oldest first
            rows = sorted((m for m in rows if m["id"] > int(p["FIRST_ID"])), key=lambda m: m["id"])[:limit]
        else:  # the latest, or older than LAST_ID
            if p.get("LAST_ID"):
                rows = [m for m in rows if m["id"] < int(p["LAST_ID"])]
            rows = sorted(rows, key=lambda m: m["id"], reverse=True)[:limit]
        return {"result": {"messages": [{"id": m["id"], "chat_id": 0, "author_id": m["author_id"],
                                         "date": m["date"], "text": m["text"], "params": []} for m in rows],
                           "users": [], "files": []}}


def _locale_format(language: str, date_only: bool) -> str:
    """How a portal writes dates in calendar answers: its language's format
    (B24DOCS calendar-event-get.md shows `12/11/2024 05:59:00 pm`)."""
    if language == "en":
        return "%m/%d/%Y" if date_only else "%m/%d/%Y %I:%M:%S %p"
    return "%d.%m.%Y" if date_only else "%d.%m.%Y %H:%M:%S"


def _locale(dt: datetime, fmt: str) -> str:
    return dt.strftime(fmt).replace("AM", "am").replace("PM", "pm")


class AppMethods:
    """The application's own methods (B24DOCS api-reference/common/system/
    app-info.md, api-reference/events/event-bind.md, im-notify-system-add)."""

    def m_app_info(self, caller, p):
        return {"result": {"ID": "7", "CODE": self.client_id, "VERSION": 1, "STATUS": "L",
                           "INSTALLED": self.installed, "PAYMENT_EXPIRED": "N", "DAYS": None,
                           "LICENSE": "ru_project"}}

    def m_event_bind(self, caller, p):
        event, handler = str(p.get("event") or "").upper(), p.get("handler")
        if not event or not handler:
            raise ApiError("ERROR_EVENT_NOT_FOUND" if not event else "ERROR_HANDLER", "Handler not found", 400)
        if (event, handler) in self.handlers:
            raise ApiError("ERROR_CORE", "Handler already binded", 400)
        self.handlers.append((event, handler))
        return {"result": True}

    def m_event_get(self, caller, p):
        return {"result": [{"event": e, "handler": h, "auth_type": "0", "offline": 0} for e, h in self.handlers]}

    def m_im_notify_system_add(self, caller, p):
        to, text = str(p.get("USER_ID") or ""), p.get("MESSAGE")
        if to not in self.state.users or not text:
            raise ApiError("USER_ID_EMPTY" if to not in self.state.users else "MESSAGE_EMPTY", "", 400)
        nid = self.state.next_id("message")
        self.notices.append({"id": nid, "to": to, "text": text})
        return {"result": nid}


def _page(rows: list, p: dict) -> dict:
    start = int(p.get("start") or 0)
    ans = {"result": rows[start:start + PAGE], "total": len(rows)}
    if start + PAGE < len(rows):
        ans["next"] = start + PAGE
    return ans


def _parse_dt(value, tz: str = PORTAL_TZ) -> datetime:
    value = str(value).strip()
    for fmt in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=ZoneInfo(tz))
        except ValueError:
            pass
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=ZoneInfo(tz))


def _event_extras(p: dict, owner: str) -> dict:
    """A meeting's attendees, repetition and reminder as calendar.event.get
    returns them: IS_MEETING, ATTENDEE_LIST (the owner hosts: status H), RRULE
    with BYDAY as an object, REMIND."""
    out: dict = {"IS_MEETING": p.get("is_meeting") == "Y", "RRULE": "", "REMIND": []}
    if p.get("is_meeting") == "Y":
        ids = [str(x) for x in p.get("attendees") or [owner]]
        out["ATTENDEE_LIST"] = [{"id": int(x) if x.isdigit() else x, "status": "H" if x == owner else "Q"}
                                for x in ids]
        out["MEETING_HOST"] = owner
    rrule = p.get("rrule")
    if isinstance(rrule, dict) and rrule.get("FREQ") not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY", None):
        raise ApiError("ERROR_CORE", "Неверный параметр rrule", 400)
    if isinstance(rrule, dict):
        days = rrule.get("BYDAY") or []
        out["RRULE"] = {"FREQ": rrule.get("FREQ"), "INTERVAL": int(rrule.get("INTERVAL") or 1),
                        **({"BYDAY": {d: d for d in days}} if days else {})}
    for r in p.get("remind") or []:
        if not (isinstance(r, dict) and r.get("type") in ("min", "hour", "day") and str(r.get("count", "")).isdigit()):
            raise ApiError("ERROR_CORE", "Неверный параметр remind", 400)
        out["REMIND"].append({"type": r["type"], "count": int(r["count"])})
    return out
