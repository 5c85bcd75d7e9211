"""A background thread per server process that retries the outbox.

Several processes (gunicorn workers, machines on one PostgreSQL) may each
run one: the store's claim gives every due action to exactly one of them.
"""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class Drainer:
    def __init__(self, app, interval: float, metrics=None):
        self.app = app
        self.interval = interval
        self.metrics = metrics
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "Drainer":
        if self.interval > 0 and getattr(self.app, "outbox", None) is not None:
            self._thread = threading.Thread(target=self._run, name="outbox-drainer", daemon=True)
            self._thread.start()
        return self

    def once(self) -> None:
        report = self.app.outbox.drain(seconds=max(1.0, self.interval))
        if report.done or report.retried or report.failed:
            log.info("outbox drained", extra={"done": report.done, "retried": report.retried,
                                              "failed": report.failed})
        self.update_depth()

    def update_depth(self) -> None:
        store = getattr(self.app, "store", None)
        if self.metrics is not None and store is not None:
            self.metrics.outbox_depth.set(len(store.list_actions(("pending",))))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.once()
            except Exception:  # a failing store must not kill the thread
                log.exception("outbox drain failed")

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
