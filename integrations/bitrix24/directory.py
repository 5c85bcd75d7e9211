"""The portal's people directory, kept fresh in the background.

A turn never waits for the portal to list its people: `people()` answers
from what was read before (memory, else the copy in the store, which also
outlives a restart and an outage) and, when that copy is older than the TTL,
starts one background refresh. Only when nothing was ever read does the
caller wait for the first read.

A read is `user.get` for active employees only (FILTER ACTIVE, USER_TYPE
employee: no extranet or e-mail users; the portal never lists bots), with
`select` naming the fields used, the first page alone and the rest in
`batch` requests of up to 50 pages each (B24DOCS api-reference/user/user-get.md,
settings/how-to-call-rest-api/batch.md).
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import asdict
from typing import Callable

from sekretar.core.errors import WorkspaceUnavailable
from sekretar.core.types import Person

log = logging.getLogger(__name__)

KEY = "bitrix24.people"
FIELDS = ["ID", "ACTIVE", "NAME", "LAST_NAME", "SECOND_NAME", "EMAIL", "PERSONAL_GENDER", "USER_TYPE"]
FILTER = {"ACTIVE": True, "USER_TYPE": "employee"}
PAGE = 50


def person_of(u: dict) -> Person:
    gender = (u.get("PERSONAL_GENDER") or "").lower() or None
    return Person(id=str(u["ID"]), first=u.get("NAME") or None, last=u.get("LAST_NAME") or None,
                  middle=u.get("SECOND_NAME") or None, email=u.get("EMAIL") or None,
                  gender=gender if gender in ("m", "f") else None)


def is_employee(u: dict) -> bool:
    return u.get("ACTIVE") in (True, "Y", "1", 1) and u.get("USER_TYPE", "employee") == "employee"


class Directory:
    """`client`: the REST client; `store`: keeps the last list (kv)."""

    def __init__(self, client, store=None, ttl: float = 300.0, clock: Callable[[], float] = time.monotonic,
                 background: bool = True, after_refresh: Callable[[], None] | None = None):
        self.client, self.store, self.ttl, self.clock = client, store, ttl, clock
        self.background = background
        self.after_refresh = after_refresh
        self._lock = threading.Lock()
        self._people: list[Person] | None = None
        self._at = float("-inf")
        self._refreshing = False
        self.stale_since: float | None = None  # unix time of the copy shown while the portal is down
        self.last_error: str | None = None

    # --- reading -------------------------------------------------------------
    def people(self) -> list[Person]:
        with self._lock:
            people, fresh = self._people, self.clock() - self._at < self.ttl
        if people is None:
            saved = self._saved()
            if saved is not None:
                people = saved[0]
                with self._lock:
                    self._people = people
        if people is None:
            return self.refresh()  # nothing was ever read: this once, the caller waits
        if not fresh:
            self._refresh_soon()
        return list(people)

    def refresh(self) -> list[Person]:
        """Read the directory now. The portal down: the copy read before (and
        `stale_since` says from when), or WorkspaceUnavailable if there is none."""
        try:
            people = self._read()
        except WorkspaceUnavailable as exc:
            self.last_error = str(exc)
            saved = self._saved()
            with self._lock:
                kept = self._people
            if kept is None and saved is None:
                raise
            self.stale_since = saved[1] if saved else None
            log.info("Bitrix24 unreachable: using the directory read earlier (%d people)",
                     len(kept if kept is not None else saved[0]))
            return list(kept if kept is not None else saved[0])
        with self._lock:
            self._people, self._at = people, self.clock()
        self.stale_since, self.last_error = None, None
        if self.store is not None:
            self.store.kv_put(KEY, json.dumps({"at": time.time(), "people": [asdict(p) for p in people]},
                                              ensure_ascii=False))
        if self.after_refresh is not None:
            try:
                self.after_refresh()
            except Exception:  # housekeeping must not break the directory
                log.exception("Bitrix24 after-refresh housekeeping failed")
        return list(people)

    def _refresh_soon(self) -> None:
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True

        def run():
            try:
                self.refresh()
            except Exception as exc:  # logged; the old list stays in use
                log.info("Bitrix24 directory refresh failed: %s", exc)
            finally:
                with self._lock:
                    self._refreshing = False
        if self.background:
            threading.Thread(target=run, daemon=True, name="b24-people").start()
        else:
            run()

    def _read(self) -> list[Person]:
        params = {"FILTER": FILTER, "select": FIELDS}
        first = self.client.call("user.get", {**params, "start": 0})
        rows = list(first.result or [])
        total = int(first.total or len(rows))
        starts = list(range(PAGE, total, PAGE))
        for i in range(0, len(starts), 50):
            chunk = {f"p{s}": ("user.get", {**params, "start": s}) for s in starts[i:i + 50]}
            for key, ans in self.client.call_batch(chunk).items():
                rows.extend(ans.result or [])
        seen: dict[str, Person] = {}
        for u in rows:
            if is_employee(u):
                seen.setdefault(str(u["ID"]), person_of(u))
        return sorted(seen.values(), key=lambda p: int(p.id) if p.id.isdigit() else 0)

    def _saved(self) -> tuple[list[Person], float | None] | None:
        raw = self.store.kv_get(KEY) if self.store is not None else None
        if not raw:
            return None
        data = json.loads(raw)
        if isinstance(data, list):  # the format before the time was kept
            return [Person(**d) for d in data], None
        return [Person(**d) for d in data.get("people", [])], data.get("at")
