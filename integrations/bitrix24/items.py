"""Existing tasks and events on a Bitrix24 portal: what a question lists and
what a confirmed change does (a mixin of `Bitrix24Workspace`).

Reading: calendar.event.get over a range (type=user, ownerId), tasks.task.list
with filters (RESPONSIBLE_ID, CREATED_BY, >=DEADLINE / <DEADLINE, REAL_STATUS,
STATUS -1 = overdue). The portal answers with the rights of the user the
calls are made as (the webhook's or the token's); sekretar narrows that to
what the linked person may see, never wider: another person's events only
where the linked person is an attendee and the event is not private, another
person's tasks only those the linked person made, is responsible for or takes
part in.

Every call is made as the linked person with their own token where sekretar
keeps one (acting.py: the portal's own rights, then), else with the
installer's / webhook's; both go through the portal's shared rate budget.
Event times come from DATE_FROM_TS_UTC / DATE_TO_TS_UTC (readback.py: the
DATE_FROM strings are in the portal's locale format).

Changing: the item is read first (tasks.task.get, calendar.event.getbyid);
already so → nothing sent (a retry, a confirmation twice); changed since the
confirmation → ItemChanged; then tasks.task.update (DEADLINE, TITLE,
RESPONSIBLE_ID), tasks.task.complete, calendar.event.update (id, type,
ownerId, name, from/to: older portals need them on every update),
calendar.event.delete (id).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sekretar.integrations import changes
from sekretar.integrations.bitrix24.readback import _event_time

from sekretar.core.errors import WorkspaceAuthError, WorkspacePermissionError, WorkspaceRejected
from sekretar.core.types import Action, Created, Item

TASK_SELECT = ["ID", "TITLE", "RESPONSIBLE_ID", "CREATED_BY", "DEADLINE", "STATUS", "REAL_STATUS",
               "ACCOMPLICES", "AUDITORS"]
_STATUS_FILTER = {"open": {"<REAL_STATUS": 5}, "done": {"REAL_STATUS": 5}, "overdue": {"STATUS": -1}, "any": {}}


class Bitrix24Items:
    def _as(self, person_id: str | None, do):
        """`do(client)` as `person_id` with their own token where they have
        one (acting.py), else with the installer's; a token that is gone is
        forgotten (they are told) and the installer's answers."""
        acting = getattr(self, "acting", None)
        client, own = acting.client_for(person_id) if acting is not None and person_id else (self.client, False)
        if not own:
            return do(self.client)
        try:
            return do(client)
        except WorkspaceAuthError:
            acting.gone(person_id)
            return do(self.client)

    # --- reading -----------------------------------------------------------
    def events(self, start: datetime, end: datetime, owner: str, viewer: str) -> list[Item]:
        rows = self._as(viewer, lambda client: client.call("calendar.event.get", {
            "type": "user", "ownerId": str(owner),
            "from": start.date().isoformat(), "to": end.date().isoformat()}).result) or []
        items = []
        for e in rows:
            if e.get("DELETED") == "Y":
                continue
            item = self._event_item_of(e)
            if str(owner) != str(viewer) and (e.get("PRIVATE_EVENT") == "Y" or str(viewer) not in item.people):
                continue  # not the linked person's to see
            if changes.overlaps(item, start, end):
                items.append(item)
        return sorted(items, key=lambda i: (i.start, int(i.id)))

    def tasks(self, viewer: str, *, responsible: str | None = None, creator: str | None = None,
              due_from: datetime | None = None, due_to: datetime | None = None,
              status: str = "open") -> list[Item]:
        flt: dict = dict(_STATUS_FILTER.get(status, {}))
        if responsible is not None:
            flt["RESPONSIBLE_ID"] = str(responsible)
        if creator is not None:
            flt["CREATED_BY"] = str(creator)
        if due_from is not None:
            flt[">=DEADLINE"] = due_from.isoformat()
        if due_to is not None:
            flt["<DEADLINE"] = due_to.isoformat()
        rows = self._as(viewer, lambda client: client.call_list(
            "tasks.task.list", {"filter": flt, "order": {"DEADLINE": "asc"}, "select": TASK_SELECT},
            key="tasks", limit=500))
        viewer = str(viewer)
        now = datetime.now(ZoneInfo(self.tz))
        out = []
        for t in rows:
            item = self._task_item_of(t)
            if viewer not in (item.owner, item.creator, *(str(x) for x in (t.get("accomplices") or ())),
                              *(str(x) for x in (t.get("auditors") or ()))):
                continue  # the webhook may see it; the linked person may not
            if changes.status_ok(item, status, now) and changes.due_in(item, due_from, due_to):
                out.append(item)
        far = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
        return sorted(out, key=lambda i: (i.start or far, int(i.id)))

    def item(self, kind: str, item_id: str, viewer: str | None = None) -> Item | None:
        """The task or event `item_id`, read as `viewer` (None: the installer)."""
        if not str(item_id).isdigit():
            return None
        try:
            if kind == "task":
                res = self._as(viewer, lambda client: client.call(
                    "tasks.task.get", {"taskId": int(item_id), "select": TASK_SELECT}).result)
                return self._task_item_of(res["task"]) if res and res.get("task") else None
            res = self._as(viewer, lambda client: client.call("calendar.event.getbyid", {"id": int(item_id)}).result)
            return self._event_item_of(res) if res else None
        except WorkspaceRejected:
            return None  # the portal says "not allowed" for a missing item and for no access alike

    def _task_item_of(self, t: dict) -> Item:
        tid = str(t["id"])
        owner = str(t.get("responsibleId"))
        return Item("task", tid, t.get("title") or "", _iso(t.get("deadline")), None, False, owner,
                    str(t.get("createdBy")), str(t.get("status")) == "5",
                    f"{self.portal}/company/personal/user/{owner}/tasks/task/view/{tid}/")

    def _event_item_of(self, e: dict) -> Item:
        owner = str(e.get("OWNER_ID"))
        all_day = e.get("DT_SKIP_TIME") == "Y"
        start, end = (_iso(_event_time(e, which, self.tz, all_day)) for which in ("FROM", "TO"))
        if all_day and end:  # back to an exclusive end: midnight after the last day
            end += timedelta(days=1)
        people = (owner, *(str(a.get("id")) for a in e.get("ATTENDEE_LIST") or () if isinstance(a, dict)))
        return Item("event", str(e["ID"]), e.get("NAME") or "", start, end, all_day, owner,
                    str(e.get("CREATED_BY") or owner), False,
                    f"{self.portal}/company/personal/user/{owner}/calendar/?EVENT_ID={e['ID']}",
                    tuple(dict.fromkeys(people)))

    # --- changing ------------------------------------------------------------
    def _change(self, a: Action) -> Created:
        changes.check_kind(a)
        current = self.item(a.item_kind, a.item, a.actor)
        if current is not None and str(a.actor) not in (current.owner, current.creator):
            raise WorkspacePermissionError(f"«{current.title}» — не ваша задача или событие: менять её может "
                                           "автор или ответственный")
        if not changes.decide(current, a):
            self._as(a.actor, lambda client: self._apply(a, current, client))
        url = current.url if current is not None and a.kind != "cancel" else None
        return Created(a.item_kind, str(a.item), url, extra={"change": a.kind})

    def _apply(self, a: Action, cur: Item, client) -> None:
        tid = int(a.item)
        if a.item_kind == "task":
            if a.kind == "complete":
                client.call("tasks.task.complete", {"taskId": tid})
                return
            fields = {"move": lambda: {"DEADLINE": _aware(a.start, a.tz).isoformat()},
                      "rename": lambda: {"TITLE": a.title},
                      "reassign": lambda: {"RESPONSIBLE_ID": str(a.target)}}[a.kind]()
            client.call("tasks.task.update", {"taskId": tid, "fields": fields})
            return
        if a.kind == "cancel":
            client.call("calendar.event.delete", {"id": tid})
            return
        params = {"id": tid, "type": "user", "ownerId": cur.owner, "name": cur.title,
                  "timezone_from": a.tz, "timezone_to": a.tz}
        if a.kind == "rename":
            params["name"] = a.title
            start, end, all_day = cur.start, cur.end, cur.all_day
        else:
            start = _aware(a.start, a.tz)
            end = _aware(a.end, a.tz) if a.end else start + (
                (cur.end - cur.start) if cur.end and cur.start else timedelta(minutes=self.event_minutes))
            all_day = a.all_day
        zone = ZoneInfo(a.tz)
        if all_day:
            last = max(((end - timedelta(microseconds=1)) if end else start).astimezone(zone).date(),
                       start.astimezone(zone).date())
            params.update({"from": start.astimezone(zone).date().isoformat(), "to": last.isoformat(),
                           "skip_time": "Y"})
        else:
            fmt = "%Y-%m-%d %H:%M:%S"
            params.update({"from": start.astimezone(zone).strftime(fmt), "to": end.astimezone(zone).strftime(fmt),
                           "skip_time": "N"})
        client.call("calendar.event.update", params)


def _iso(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _aware(dt: datetime, tz: str) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=ZoneInfo(tz))
