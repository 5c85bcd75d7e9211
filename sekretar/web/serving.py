"""Running one turn for the web: a deadline guard, metrics and a log line.

The dialog is opened with a short action budget (a slow CRM → the outbox
and an honest "queued" reply); this guard is the second line: whatever
happens inside, the route gets an answer (a Reply, or None = "too slow /
broken, say sorry") before the platform's own timeout.
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
import time
from dataclasses import dataclass

from sekretar.core.errors import SekretarError
from sekretar.core.logs import user_hash
from sekretar.core.types import Reply, Turn

log = logging.getLogger("sekretar.server")


@dataclass(frozen=True)
class TurnResult:
    reply: Reply | None
    problem: str | None = None   # None, "busy" (deadline passed) or "broken"
    seconds: float = 0.0


class TurnRunner:
    def __init__(self, app, metrics, deadline: float = 3.0, workers: int = 32):
        self.app = app
        self.metrics = metrics
        self.deadline = deadline
        self._pool = cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="turn") if deadline else None

    def run(self, turn: Turn) -> TurnResult:
        start = time.perf_counter()
        problem, reply = None, None
        try:
            if self._pool is None:
                reply = self.app.handle(turn)
            else:
                reply = self._pool.submit(self.app.handle, turn).result(timeout=self.deadline)
        except cf.TimeoutError:
            problem = "busy"
            log.warning("turn over the deadline", extra={"platform": turn.platform, "deadline": self.deadline,
                                                         "user": user_hash(turn.user)})
        except SekretarError as exc:
            problem = "broken"
            log.error("turn failed: %s", type(exc).__name__, extra={"platform": turn.platform,
                                                                      "user": user_hash(turn.user)})
        except Exception:
            problem = "broken"
            self.metrics.crash("turn")
            log.exception("turn crashed", extra={"platform": turn.platform, "user": user_hash(turn.user)})
        if problem is None and not isinstance(reply, Reply):
            problem = "broken"
            log.error("the dialog returned %s, not a Reply", type(reply).__name__)
        seconds = time.perf_counter() - start
        outcome = reply.outcome if problem is None else problem
        self.metrics.turn(turn.platform, outcome, seconds)
        log.info("turn", extra={"platform": turn.platform, "user": user_hash(turn.user), "outcome": outcome,
                                "ms": round(seconds * 1000, 1), "new_session": turn.new_session,
                                "delivery": user_hash(turn.request_id) if turn.request_id else None})
        return TurnResult(reply if problem is None else None, problem, seconds)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
