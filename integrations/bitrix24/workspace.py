"""Bitrix24Workspace: people, tasks, calendar events and chat messages on a portal.

Each created thing carries its idempotency key in its description
(`[sekretar:KEY]`) so a retry can first look for what an earlier attempt
made when the portal's reply was lost (tasks: tasks.task.list; events:
calendar.event.get). Chat messages have no description: the lookup reads
the dialog (im.dialog.messages.get, FIRST_ID) for the same text by the same
author since the action was confirmed. See lookup.py; the read-back for the
CLI is readback.py, the directory directory.py, acting as the person acting.py.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import date, datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from sekretar.integrations.bitrix24.acting import REOPEN
from sekretar.integrations.bitrix24.client import Bitrix24Client
from sekretar.integrations.bitrix24.directory import Directory, person_of
from sekretar.integrations.bitrix24.items import Bitrix24Items
from sekretar.integrations.bitrix24.lookup import find, marker, remember_sent
from sekretar.integrations.bitrix24.meeting import event_extras
from sekretar.integrations.bitrix24.oauth import RENEW_BEFORE

from sekretar.core.errors import WorkspaceAuthError, WorkspaceRejected
from sekretar.core.types import Action, Created, Person

log = logging.getLogger(__name__)

PEOPLE_KEY = "bitrix24.people"  # directory.KEY
RENEW_EVERY = 12 * 3600.0  # look at the people's refresh tokens twice a day, with a directory refresh
# what each kind keeps besides its fields (Workspace.carries). A task has no
# reminder on the portal's REST: tasks.task.add documents no such field and no
# REST method sets one (CTaskReminders is PHP only; REST 3.0 only counts them,
# numberOfReminders, read-only). B24DOCS api-reference/tasks/fields.md,
# tasks-task-add.md, rest-v3/fields.md; docs/bitrix24.md.
# An event's repetition is the portal's rrule object (FREQ DAILY/WEEKLY/MONTHLY/
# YEARLY, INTERVAL, BYDAY as plain days, COUNT, UNTIL: calendar-event-add.md):
# nothing by the hour ("rrule:hourly") and no n-th weekday ("rrule:nth_weekday":
# a monthly rule repeats on its first date). B24DOCS api-reference/calendar/
# calendar-event/calendar-event-add.md.
CARRIES = {"task": frozenset(), "event": frozenset({"participants", "rrule", "remind"})}


class Bitrix24Workspace(Bitrix24Items):
    name = "bitrix24"

    def __init__(self, client: Bitrix24Client, portal: str, *, caller_id: str | None = None,
                 event_minutes: int = 60, people_ttl: float = 300.0,
                 clock: Callable[[], float] = time.monotonic, app_client_factory=None,
                 tz: str = "Europe/Moscow", store=None, acting=None, background_refresh: bool = True):
        self.client = client
        self.portal = portal.rstrip("/")
        self._caller_id = caller_id
        self.event_minutes = event_minutes
        self.people_ttl = people_ttl
        self._lock = threading.Lock()
        self.directory = Directory(client, store, people_ttl, clock, background=background_refresh,
                                   after_refresh=self._housekeeping)
        self._renewed_at = float("-inf")
        self._sections: dict[str, str | None] = {}
        self._needs_section = False  # an older portal without section auto-detection
        self._app_client_factory = app_client_factory
        self.tz = tz  # how all-day events read back (they carry no zone on the portal)
        self.store = store  # keeps the last directory: names still resolve while the portal is down
        self.acting = acting  # acting.Acting: each person's own token (an installed application)

    def tokens_changed(self) -> None:
        """The application was installed (again) or removed: re-read its
        tokens, and the portal and user they name."""
        auth = getattr(self.client, "auth", None)
        if auth is None or not hasattr(auth, "reload"):
            return
        auth.reload()
        tokens = auth.vault.load()
        self._caller_id = tokens.user_id if tokens else None
        if tokens and tokens.rest_url:
            self.client.base_url = tokens.rest_url.rstrip("/") + "/"
            self.portal = tokens.rest_url.rsplit("/rest/", 1)[0]

    # --- people ----------------------------------------------------------
    @property
    def clock(self) -> Callable[[], float]:
        return self.directory.clock

    @clock.setter
    def clock(self, value: Callable[[], float]) -> None:
        self.directory.clock = value

    def people(self) -> list[Person]:
        """Active employees, from the directory read before (refreshed in the
        background when older than people_ttl): a turn does not wait."""
        return self.directory.people()

    def refresh_people(self) -> list[Person]:
        """Read the directory now (the CLI's listing); `people_stale` says
        when the list is the copy kept from before because the portal is down."""
        return self.directory.refresh()

    @property
    def people_stale(self) -> str | None:
        d = self.directory
        if d.last_error is None:
            return None
        when = (datetime.fromtimestamp(d.stale_since, timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
                if d.stale_since else "earlier")
        return f"the portal is unreachable ({d.last_error}); this is the list read {when} (cached, it may be out of date)"

    def _housekeeping(self) -> None:
        """After a directory refresh (background): renew refresh tokens close
        to their 180 days, and tell those whose token is gone."""
        if self.acting is None or time.monotonic() - self._renewed_at < RENEW_EVERY:
            return
        self._renewed_at = time.monotonic()
        auth = getattr(self.client, "auth", None)
        installer = auth.vault.load() if auth is not None and hasattr(auth, "vault") else None
        if installer and installer.refresh_expires and installer.refresh_expires - RENEW_BEFORE <= time.time():
            auth.refresh(stale=installer.access_token)
        _, gone = self.acting.persons.renew_due()
        for person_id in gone:
            self.acting.tell(person_id, REOPEN)

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
        person = person_of(client.call("user.current", auth_token=token).result)
        if self.acting is not None and params.get("REFRESH_ID"):  # keep their own token: act as them
            from sekretar.integrations.bitrix24.oauth import tokens_from_install

            self.acting.persons.keep(person.id, tokens_from_install(params))
        return person

    # --- actions ---------------------------------------------------------
    def carries(self, kind: str, extra: str) -> bool:
        return extra in CARRIES.get(kind, ())

    def create(self, action: Action) -> Created:
        if action.is_change:
            return self._change(action)  # integrations/bitrix24/items.py, as the person too
        if action.kind not in ("task", "event", "message"):
            raise WorkspaceRejected(f"Битрикс24 не умеет действие {action.kind!r}")
        make = {"task": self._task, "event": self._event, "message": self._message}[action.kind]
        client, own = self.acting.client_for(action.actor) if self.acting else (self.client, False)
        if not own:
            return make(action, self.client, False)
        try:
            return make(action, client, True)
        except WorkspaceAuthError:  # the person's own token is gone: the installer's, with a mention
            self.acting.gone(action.actor)
            return make(action, self.client, False)

    def _on_behalf(self, a: Action, own: bool) -> str:
        """The mention of the person when the call is not made as them."""
        if own or not a.actor or str(a.actor) == self.caller_id():
            return ""
        who = self.get_person(a.actor)
        return f"[USER={a.actor}]{who.name if who else a.actor}[/USER]"

    def find(self, action: Action, since: datetime | None = None) -> Created | None:
        """What an earlier attempt of this action made, if the portal has it
        (lookup.py: the narrowest documented filters)."""
        return find(self, action, since)

    def _sent(self, dialog: str, msg_id: int) -> None:
        remember_sent(self.store, dialog, msg_id)

    def _task(self, a: Action, client=None, own: bool = False) -> Created:
        if not a.target:
            raise WorkspaceRejected("Не указан ответственный за задачу")
        behalf = self._on_behalf(a, own)
        said = f"Поставлено голосом через sekretar{' по просьбе ' + behalf if behalf else ''}."
        fields = {"TITLE": a.title or "Задача", "RESPONSIBLE_ID": a.target, "CREATED_BY": a.actor,
                  "DESCRIPTION": f"{said}\n{marker(a.key)}"}
        if a.start is not None:
            fields["DEADLINE"] = _aware(a.start, a.tz).isoformat()
        res = (client or self.client).call("tasks.task.add", {"fields": fields}).result
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

    def _event(self, a: Action, client=None, own: bool = False) -> Created:
        client = client or self.client
        start, end = self._span(a)
        behalf = self._on_behalf(a, own)
        said = f"Запланировано голосом через sekretar{' по просьбе ' + behalf if behalf else ''}."
        params = {"type": "user", "ownerId": a.actor, "name": a.title or "Событие",
                  "description": f"{said}\n{marker(a.key)}",
                  "timezone_from": a.tz, "timezone_to": a.tz}
        if a.all_day:  # the portal's all-day `to` is the last day itself; ours ends the day after
            last = (end - timedelta(microseconds=1)).date() if a.end else start.date()
            last = max(last, start.date())
            params.update({"from": start.date().isoformat(), "to": last.isoformat(), "skip_time": "Y"})
        else:
            fmt = "%Y-%m-%d %H:%M:%S"
            params.update({"from": start.strftime(fmt), "to": end.strftime(fmt), "skip_time": "N"})
        params.update(event_extras(a))  # people, repetition, reminder (meeting.py)
        # no section: the portal puts the event in the owner's default calendar
        # (B24DOCS calendar-event-add.md, auto_detect_section); a portal that
        # still requires it says so, and then the owner's first section is sent
        section = self._section(a.actor) if self._needs_section else None
        try:
            event_id = client.call("calendar.event.add",
                                   {**params, "section": section} if section else params).result
        except WorkspaceRejected as exc:
            if section or "section" not in str(exc).lower() or not self._section(a.actor):
                raise
            self._needs_section = True
            event_id = client.call("calendar.event.add", {**params, "section": self._section(a.actor)}).result
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

    def _message(self, a: Action, client=None, own: bool = False) -> Created:
        if not a.target or not a.text:
            raise WorkspaceRejected("Для сообщения нужны получатель и текст")
        msg_id = (client or self.client).call("im.message.add", {
            "DIALOG_ID": a.target, "MESSAGE": a.text if own else self._message_text(a)}).result
        self._sent(a.target, int(msg_id))  # a later look-up in this dialog starts after it
        return Created("message", str(msg_id), self._chat_url(a.target))

    def _message_text(self, a: Action) -> str:
        behalf = self._on_behalf(a, False)
        return f"{behalf}: {a.text}" if behalf else (a.text or "")

    def _chat_url(self, person_id: str) -> str:
        return f"{self.portal}/online/?IM_DIALOG={person_id}"

    # --- reading back (CLI listings, tests) ------------------------------
    def list_items(self, kind: str) -> list[dict]:
        """What is on the portal, in the local workspace's shape (readback.py)."""
        from sekretar.integrations.bitrix24.readback import list_items

        return list_items(self, kind)


def _aware(dt: datetime | date, tz: str) -> datetime:
    if not isinstance(dt, datetime):
        dt = datetime(dt.year, dt.month, dt.day)
    return dt if dt.tzinfo else dt.replace(tzinfo=ZoneInfo(tz))
