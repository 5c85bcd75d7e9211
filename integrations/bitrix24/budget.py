"""The portal's rate budget, shared by every thread, worker and process.

The portal's leaky bucket (2 requests/s after a burst of 50; Enterprise 5/s
and 250) counts per portal and source address, so two gunicorn workers with
a bucket each would send twice the burst. `SharedRateLimiter` keeps the
bucket in the store's database (table rate_budget, one row per portal, see
store/migrations/005_rate_budget.sql): each request takes a token in one
atomic `UPDATE ... RETURNING` (SQLite serialises writers; PostgreSQL locks
the row), so every process sees the same budget. If the database cannot be
reached the process falls back to its own bucket rather than stop.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from sekretar.integrations.bitrix24.client import RateLimiter

from sekretar.core.errors import StoreError

log = logging.getLogger(__name__)

# tokens = min(burst, tokens + elapsed * rate) - cost; at = max(at, now)
_TAKE = ("UPDATE rate_budget SET"
         " tokens = (CASE WHEN tokens + (CASE WHEN ? > at THEN ? - at ELSE 0 END) * ? > ? THEN ?"
         " ELSE tokens + (CASE WHEN ? > at THEN ? - at ELSE 0 END) * ? END) - ?,"
         " at = CASE WHEN ? > at THEN ? ELSE at END"
         " WHERE portal = ? RETURNING tokens")
_PENALIZE = ("UPDATE rate_budget SET tokens = (CASE WHEN tokens < 0 THEN tokens ELSE 0 END) - ?"
             " WHERE portal = ?")


class SharedRateLimiter(RateLimiter):
    """RateLimiter's interface on a row of `db` (a sekretar.store Database)."""

    def __init__(self, db, portal: str, rate: float = 2.0, burst: int = 50,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep):
        super().__init__(rate, burst, clock=clock, sleep=sleep)
        self.db, self.portal = db, portal
        self._row = False

    def _ensure(self, cur) -> None:
        cur.execute("INSERT INTO rate_budget (portal, tokens, at) VALUES (?, ?, ?)"
                    " ON CONFLICT (portal) DO NOTHING", (self.portal, self.burst, self._clock()))
        self._row = True

    def reserve(self) -> float:
        now = self._clock()
        try:
            with self.db.read() as cur:
                if not self._row:
                    self._ensure(cur)
                row = cur.one(_TAKE, (now, now, self.rate, self.burst, self.burst, now, now, self.rate, 1.0,
                                      now, now, self.portal))
                if row is None:  # the row went away (a test, a manual clean-up)
                    self._ensure(cur)
                    row = cur.one(_TAKE, (now, now, self.rate, self.burst, self.burst, now, now, self.rate,
                                          1.0, now, now, self.portal))
        except StoreError as exc:
            log.warning("Bitrix24 rate budget unavailable in the database (%s): this process counts alone", exc)
            return super().reserve()
        tokens = float(row[0])
        return 0.0 if tokens >= 0 else -tokens / self.rate

    def penalize(self, seconds: float) -> None:
        try:
            with self.db.read() as cur:
                cur.execute(_PENALIZE, (seconds * self.rate, self.portal))
        except StoreError:
            super().penalize(seconds)
