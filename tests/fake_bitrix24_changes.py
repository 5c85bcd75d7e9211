"""The fake portal's reading and changing of existing tasks and events, as
the b24restdocs pages describe them (notes in /work/notes/platform-docs.md
§1.1-1.5, §2.1-2.4): tasks.task.list filters with prefix operators
(`>=DEADLINE`, `<REAL_STATUS`, `STATUS: -1` overdue), tasks.task.get /
update / complete, calendar.event.getbyid / update / delete. Errors in the
documented shapes: tasks answer `error "0"` "Action on the task is not
allowed" for a missing task and for no access alike; calendar methods
answer `error ""` with a description.

Permissions: the portal's admins (`Portal.admins`, the webhook user by
default) see and change everything; anybody else only the tasks they made,
are responsible for, or take part in, and the calendars they own (another
user's events only where they are an attendee, never a private one)."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from tests.fake_bitrix24_methods import PORTAL_TZ, ApiError, _page, _parse_dt

TASK_DENIED = ("0", "Action on the task is not allowed", 400)


def _denied():
    return ApiError(*TASK_DENIED)


class ChangeMethods:
    state = None

    # --- permissions ----------------------------------------------------------
    def _admin(self, caller) -> bool:
        return caller in getattr(self.state, "admins", {"1"})

    def _sees_task(self, caller, t) -> bool:
        return self._admin(caller) or caller in {t["createdBy"], t["responsibleId"], *t.get("accomplices", ()),
                                                 *t.get("auditors", ())}

    def _sees_event(self, caller, e) -> bool:
        if self._admin(caller) or e["OWNER_ID"] == caller:
            return True
        attends = any(str(a["id"]) == caller for a in e.get("ATTENDEE_LIST") or ())
        return attends and e.get("PRIVATE_EVENT") != "Y"

    def _task(self, caller, p):
        tid = p.get("taskId")
        if tid is None:
            raise ApiError("100", "CTaskItem All parameters in the constructor must have real class type", 400)
        if not str(tid).isdigit():
            raise ApiError("0", "wrong task id", 400)
        task = next((t for t in self.state.tasks if t["id"] == str(int(tid))), None)
        if task is None or not self._sees_task(caller, task):
            raise _denied()
        return task

    def _event(self, caller, p):
        eid = p.get("id")
        if not eid:
            raise ApiError("", "Event id not specified", 400)
        e = next((e for e in self.state.events if e["ID"] == str(eid)), None)
        if e is None or not self._sees_event(caller, e):
            return None
        return e

    # --- tasks ------------------------------------------------------------------
    def filter_tasks(self, caller, flt: dict) -> list:
        rows = [t for t in self.state.tasks if self._sees_task(caller, t)]
        now = datetime.now(timezone.utc)
        for key, value in flt.items():
            op = next((o for o in (">=", "<=", "!", "<", ">") if key.startswith(o)), "")
            name = key[len(op):]
            field = {"RESPONSIBLE_ID": "responsibleId", "CREATED_BY": "createdBy", "ID": "id",
                     "DEADLINE": "deadline", "REAL_STATUS": "status", "TITLE": "title",
                     "CREATED_DATE": "createdDate"}.get(name)
            if name == "STATUS" and str(value) == "-1":  # the meta-status "overdue"
                rows = [t for t in rows if t["status"] not in ("5", "6") and t["deadline"]
                        and _parse_dt(t["deadline"]) < now]
                continue
            if field is None:
                continue  # a documented key this fake does not model: no filtering
            rows = [t for t in rows if _match(t.get(field), op, value, field)]
        return rows

    def m_tasks_task_get(self, caller, p):
        return {"result": {"task": dict(self._task(caller, p))}}

    def m_tasks_task_update(self, caller, p):
        task = self._task(caller, p)
        fields = p.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise ApiError("100", "Could not find value for parameter {fields}", 400)
        if "RESPONSIBLE_ID" in fields and str(fields["RESPONSIBLE_ID"]) not in self.state.users:
            raise ApiError("ERROR_CORE", 'The user specified in the "Responsible" field was not found<br>', 400)
        if "TITLE" in fields and not str(fields["TITLE"]).strip():
            raise ApiError("ERROR_CORE", "Task title not specified<br>", 400)
        for key, field in (("TITLE", "title"), ("RESPONSIBLE_ID", "responsibleId"), ("DEADLINE", "deadline"),
                           ("DESCRIPTION", "description")):
            if key in fields:
                value = fields[key]
                if key == "DEADLINE" and value:
                    value = _parse_dt(value).isoformat()
                task[field] = str(value) if key == "RESPONSIBLE_ID" else value
        task["changedDate"] = _now()
        return {"result": {"task": dict(task)}}

    def m_tasks_task_complete(self, caller, p):
        task = self._task(caller, p)
        task.update(status="5", closedBy=caller, closedDate=_now())
        return {"result": {"task": dict(task)}}

    # --- calendar ---------------------------------------------------------------
    def m_calendar_event_getbyid(self, caller, p):
        e = self._event(caller, p)
        if e is None:
            raise ApiError("", "Event not found", 400)
        return {"result": {k: v for k, v in e.items() if not k.startswith("_")}}

    def m_calendar_event_update(self, caller, p):
        for k in ("id", "type", "ownerId"):
            if not p.get(k):
                raise ApiError("", f'The required parameter "{k}" for the method "calendar.event.update" is not set',
                               400)
        e = self._event(caller, p)
        if e is None or (e["OWNER_ID"] != caller and not self._admin(caller)):
            raise ApiError("", "Access denied.", 400)
        if str(p["ownerId"]) != e["OWNER_ID"]:
            raise ApiError("", "An error occurred while changing the event.", 400)
        if "name" in p:
            if not str(p["name"]).strip():
                raise ApiError("", 'Invalid value for the parameter "name"', 400)
            e["NAME"] = p["name"]
        if "from" in p or "to" in p:
            skip = p.get("skip_time", e["DT_SKIP_TIME"]) == "Y"
            tz = p.get("timezone_from") or e.get("TZ_FROM") or PORTAL_TZ
            start = _parse_dt(p.get("from") or e["_start"].isoformat(), tz)
            end = _parse_dt(p.get("to") or e["_end"].isoformat(), p.get("timezone_to") or tz)
            fmt = "%d.%m.%Y" if skip else "%d.%m.%Y %H:%M:%S"
            e.update(DATE_FROM=start.strftime(fmt), DATE_TO=end.strftime(fmt), DT_SKIP_TIME="Y" if skip else "N",
                     TZ_FROM=None if skip else tz, TZ_TO=None if skip else (p.get("timezone_to") or tz),
                     DATE_FROM_TS_UTC=str(int(start.timestamp())), DATE_TO_TS_UTC=str(int(end.timestamp())),
                     _start=start, _end=end)
        return {"result": int(e["ID"])}

    def m_calendar_event_delete(self, caller, p):
        e = self._event(caller, p)
        if e is None or (e["OWNER_ID"] != caller and not self._admin(caller)):
            raise ApiError("", "An error occurred while deleting the event", 400)
        self.state.events.remove(e)
        return {"result": True}


def _match(have, op: str, value, field: str) -> bool:
    if field in ("deadline", "createdDate"):
        if not have:
            return op == "!"
        a, b = _parse_dt(have), _parse_dt(value)
    elif field == "status" or field == "id":
        a, b = int(have), int(value)
    else:
        a, b = str(have), str(value)
    return {"": a == b, "!": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _now() -> str:
    return datetime.now(ZoneInfo(PORTAL_TZ)).replace(microsecond=0).isoformat()


__all__ = ["ChangeMethods", "_page"]
