"""Prometheus metrics for the server.

One `Metrics` object per process holds its own registry (so tests and
several apps in one process do not collide). Under gunicorn with several
workers set PROMETHEUS_MULTIPROC_DIR to an empty directory: each worker
then writes its values there and `/metrics` sums them over all workers.
"""
from __future__ import annotations

import os
import re
import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sekretar.dialog.steps import TurnOutcome

# Reply.outcome values that mean something for the counters below (str enums:
# a label is the very string)
PARSE_FAILED = {TurnOutcome.NOT_UNDERSTOOD}
CONFIRMED = {TurnOutcome.DONE, TurnOutcome.QUEUED, TurnOutcome.FAILED}
CANCELLED = {TurnOutcome.CANCELLED}
CORRECTED = {TurnOutcome.CORRECTED}
_LABEL = re.compile(r"[^a-z0-9_]")


def _label(value: str | None) -> str:
    return _LABEL.sub("_", (value or "none").lower())[:32] or "none"


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None):
        self.registry = registry or CollectorRegistry(auto_describe=True)
        r = self.registry
        self.turns = Counter("sekretar_turns_total", "Conversation turns", ["platform", "outcome"], registry=r)
        self.parse_failures = Counter("sekretar_parse_failures_total",
                                      "Turns the parser could not make a command of", ["platform"], registry=r)
        self.confirmations = Counter("sekretar_confirmations_total", "Confirmed actions", ["platform"], registry=r)
        self.cancellations = Counter("sekretar_cancellations_total", "Cancelled commands", ["platform"], registry=r)
        self.corrections = Counter("sekretar_corrections_total", "Corrections applied", ["platform"], registry=r)
        self.turn_seconds = Histogram("sekretar_turn_seconds", "Time to answer a turn", ["platform"], registry=r,
                                      buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 1.5, 2.5, 4.5))
        self.bad_requests = Counter("sekretar_bad_requests_total", "Requests refused as malformed or unauthorized",
                                    ["route", "reason"], registry=r)
        self.crm_seconds = Histogram("sekretar_crm_seconds", "Workspace (CRM) call latency",
                                     ["workspace", "call"], registry=r,
                                     buckets=(.01, .025, .05, .1, .25, .5, 1, 2, 5, 10, 30))
        self.hint_disagreements = Counter(
            "sekretar_platform_hint_disagreements_total",
            "A platform's own entity (Alice YANDEX.FIO / YANDEX.DATETIME) disagreed with the grammar", ["kind"],
            registry=r)
        from sekretar.grammar import hints

        hints.LISTENERS[:] = [lambda kind: self.hint_disagreements.labels(_label(kind)).inc()]
        self.crm_errors = Counter("sekretar_crm_errors_total", "Workspace (CRM) call failures",
                                  ["workspace", "call", "error"], registry=r)
        # the catch-all handlers: a crash turned into an apology. Tests fail when it moves.
        self.crashes = Counter("sekretar_crashes_total", "Requests or turns that hit a catch-all handler",
                               ["where"], registry=r)
        self.outbox_depth = Gauge("sekretar_outbox_depth", "Confirmed actions waiting in the outbox",
                                  registry=r, multiprocess_mode="livemax")

    # --- recording ---------------------------------------------------------
    def turn(self, platform: str, outcome: str, seconds: float) -> None:
        platform, outcome = _label(platform), _label(outcome)
        self.turns.labels(platform, outcome).inc()
        self.turn_seconds.labels(platform).observe(seconds)
        if outcome in PARSE_FAILED:
            self.parse_failures.labels(platform).inc()
        if outcome in CONFIRMED:
            self.confirmations.labels(platform).inc()
        if outcome in CANCELLED:
            self.cancellations.labels(platform).inc()
        if outcome in CORRECTED:
            self.corrections.labels(platform).inc()

    def crash(self, where: str) -> None:
        self.crashes.labels(_label(where)).inc()

    def crash_count(self) -> float:
        return sum(s.value for m in self.crashes.collect() for s in m.samples if s.name.endswith("_total"))

    def bad_request(self, route: str, reason: str) -> None:
        self.bad_requests.labels(_label(route), _label(reason)).inc()

    # --- exposition ----------------------------------------------------------
    def exposition(self) -> tuple[bytes, str]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class InstrumentedWorkspace:
    """Wraps a workspace: times and counts its calls into the CRM; every
    other attribute passes through unchanged."""

    TIMED = ("create", "people", "get_person")

    def __init__(self, inner, metrics: Metrics):
        self._inner = inner
        self._metrics = metrics
        self.name = getattr(inner, "name", "unknown")

    def __getattr__(self, attr):
        value = getattr(self._inner, attr)
        if attr not in self.TIMED or not callable(value):
            return value
        metrics, workspace = self._metrics, _label(self.name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return value(*args, **kwargs)
            except Exception as exc:
                metrics.crm_errors.labels(workspace, attr, type(exc).__name__).inc()
                raise
            finally:
                metrics.crm_seconds.labels(workspace, attr).observe(time.perf_counter() - start)

        return timed
