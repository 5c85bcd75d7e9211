"""An event's richer parts on a portal (issue 11): the people it is with,
its repetition and its reminder, written into calendar.event.add and read
back from calendar.event.get.

calendar.event.add takes `is_meeting` + `attendees` (the linked person, who
adds it and so hosts it, first), `rrule` as the portal's object (FREQ,
INTERVAL, BYDAY as plain days) and `remind` as [{type, count}]
(B24DOCS api-reference/calendar/calendar-event/calendar-event-add.md). The
portal's calendar repeats at most daily: a repetition by the hour or minute
is rejected before anything is written, and so is a rule by the n-th
weekday (the dialog says so before «да»: Workspace.carries); a monthly rule
by day of month repeats on the first occurrence's date, which is that day."""
from __future__ import annotations

from sekretar.core.errors import WorkspaceRejected
from sekretar.core.types import Action, rrule_form, rrule_parts

_UNIT_MINUTES = {"min": 1, "hour": 60, "day": 1440}


def event_extras(a: Action) -> dict:
    """calendar.event.add's meeting, repetition and reminder parameters for `a`."""
    out: dict = {}
    if a.participants:
        ids = [a.actor] + [x for x in a.participants if x != a.actor]
        out.update(is_meeting="Y", attendees=[int(x) if str(x).isdigit() else x for x in ids],
                   meeting={"notify": True})
    if a.rrule:
        rule = rrule_parts(a.rrule)
        if rule.get("FREQ") not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
            raise WorkspaceRejected("Календарь Битрикс24 повторяет события не чаще раза в день")
        obj: dict = {"FREQ": rule.get("FREQ", "WEEKLY"), "INTERVAL": int(rule.get("INTERVAL", "1") or 1)}
        if rrule_form(a.rrule) != "rrule":  # the dialog does not send one (Workspace.carries): a caller might
            raise WorkspaceRejected("Календарь Битрикс24 не повторяет события по n-му дню недели месяца")
        days = [d for d in rule.get("BYDAY", "").split(",") if d]
        if days:
            obj["BYDAY"] = days
        out["rrule"] = obj
    if a.remind:
        out["remind"] = [{"type": "min", "count": int(a.remind)}]
    return out


def read_extras(e: dict, names: dict) -> dict:
    """An event's repetition (back to RFC 5545), reminder (minutes) and
    attendees' names from calendar.event.get, only those there are (as the
    local workspace lists them)."""
    owner = str(e.get("OWNER_ID"))
    rrule = e.get("RRULE") or None
    if isinstance(rrule, dict):  # {"FREQ": "WEEKLY", "BYDAY": {"MO": "MO"}, "INTERVAL": 1}
        days = rrule.get("BYDAY") or {}
        days = list(days.values()) if isinstance(days, dict) else list(days)
        parts = [f"FREQ={rrule.get('FREQ')}"] + ([f"INTERVAL={rrule['INTERVAL']}"]
                                                 if int(rrule.get("INTERVAL") or 1) > 1 else [])
        rrule = ";".join(parts + ([f"BYDAY={','.join(days)}"] if days else []))
    remind = [int(r["count"]) * _UNIT_MINUTES.get(r.get("type"), 1)
              for r in e.get("REMIND") or [] if isinstance(r, dict)]
    attendees = [names.get(str(x.get("id"))) for x in e.get("ATTENDEE_LIST") or []
                 if isinstance(x, dict) and str(x.get("id")) != owner]
    extra = {"rrule": rrule, "remind": remind[0] if remind else None, "attendees": attendees}
    return {k: v for k, v in extra.items() if v}


__all__ = ["event_extras", "read_extras"]
