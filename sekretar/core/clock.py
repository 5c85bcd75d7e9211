"""Two clocks, never mixed up.

- The SERVER's clock (`utcnow`, or any `Clock` callable given to the store's
  users: the linker, the delivery cache) decides everything that guards
  access or keeps the books: code expiry, try windows, cool-downs, the age
  of a stored reply, the outbox schedule and its leases. Tests inject a
  `ManualClock`; nothing a caller sends can move it.
- A turn's `now` only anchors what words mean ("завтра", "в пятницу"). It may
  come from a caller (the JSON API, `sekretar parse --now`, `chat --now`), so
  it is checked by `anchor_now()`: a moment in years 1900-2199 (date
  arithmetic of a couple of centuries either way cannot overflow there), or
  a clear error instead of an OverflowError deep inside the grammar.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Callable

Clock = Callable[[], datetime]

FIRST_YEAR, LAST_YEAR = 1900, 2199
_LOW = datetime(FIRST_YEAR, 1, 2, tzinfo=timezone.utc)
_HIGH = datetime(LAST_YEAR, 12, 30, tzinfo=timezone.utc)


def utcnow() -> datetime:
    """The server's clock: aware UTC."""
    return datetime.now(timezone.utc)


class BadMoment(ValueError):
    """A turn's `now` that cannot anchor dates (out of range, no offset...)."""


def anchor_now(value: datetime, zone: tzinfo | None = None) -> datetime:
    """`value` in `zone` if it lies in years FIRST_YEAR..LAST_YEAR; raises
    BadMoment (a ValueError) otherwise. A naive value is taken in `zone`."""
    if not isinstance(value, datetime):
        raise BadMoment("the moment must be a date and time")
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone or timezone.utc)
        # a year strictly inside the range is inside it in any offset (offsets are under a day)
        if not FIRST_YEAR < value.year < LAST_YEAR and not _LOW <= value.astimezone(timezone.utc) <= _HIGH:
            raise OverflowError
        return value.astimezone(zone) if zone is not None else value
    except (OverflowError, ValueError, OSError):
        raise BadMoment(f"the moment must lie between {FIRST_YEAR} and {LAST_YEAR}") from None


class ManualClock:
    """A server clock a test moves by hand: `clock()` reads it. `ticking`:
    it also runs on by itself, like a real one (`advance` jumps ahead)."""

    def __init__(self, start: datetime | None = None, ticking: bool = False):
        self._now = start or utcnow()
        self._ticking = ticking
        self._since = time.monotonic()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            if self._ticking:
                return self._now + timedelta(seconds=time.monotonic() - self._since)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
            self._since = time.monotonic()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
