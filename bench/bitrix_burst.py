"""Bitrix24 under load, against the loopback fake with the portal's real
limits (burst 50, 2 requests/s): prints figures, asserts nothing.

    .venv/bin/python bench/bitrix_burst.py [N]

1. N confirmations from 5 threads at once through the outbox: wall time,
   requests/s reaching the portal, QUERY_LIMIT_EXCEEDED answers.
2. The portal down while N actions are confirmed, then back: one drain,
   requests per action (lookup + create), duplicates.
"""
from __future__ import annotations

import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sekretar.integrations.outbox import Outbox  # noqa: E402
from sekretar.store import open_store  # noqa: E402

from sekretar.core.types import Action  # noqa: E402
from tests.fake_bitrix24 import FakeBitrix24  # noqa: E402
from tests.fixtures_bitrix import make_bitrix_workspace, portal_users  # noqa: E402


def burst(n: int, home: Path) -> None:
    fake = FakeBitrix24(portal_users(), rate=2.0, burst=50).start()
    store = open_store(f"sqlite:///{home / 'burst.db'}")
    ws = make_bitrix_workspace(store, home, fake, rate=2.0, burst=49)
    outbox = Outbox(store, ws)
    todo = [Action("task", "1", f"b{i}", target=str(1 + i % 9), title=f"T{i}") for i in range(n)]
    t0 = time.monotonic()
    threads = [threading.Thread(target=lambda c: [outbox.submit(a, "u", datetime.now(timezone.utc)) for a in c],
                                args=(todo[i::5],)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    limited = sum(c.status == 503 for c in fake.calls)
    print(f"burst: {n} tasks in {wall:.1f}s; {len(fake.calls)} requests, "
          f"{len(fake.calls) / wall:.2f} req/s overall, expected ≥ {(n - 49) / 2:.1f}s; "
          f"QUERY_LIMIT_EXCEEDED: {limited}; created: {len(fake.state.tasks)}")
    fake.stop()
    store.close()


def outage(n: int, home: Path) -> None:
    fake = FakeBitrix24(portal_users(), limit=False).start()
    store = open_store(f"sqlite:///{home / 'outage.db'}")
    ws = make_bitrix_workspace(store, home, fake, rate=1000, burst=1000, timeout=1.0)
    outbox = Outbox(store, ws)
    fake.stop()
    now = datetime.now(timezone.utc)
    t0 = time.monotonic()
    for i in range(n):
        outbox.submit(Action("task", "1", f"o{i}", target=str(1 + i % 9), title=f"T{i}"), "u", now)
    queued = time.monotonic() - t0
    fake.start()
    t0 = time.monotonic()
    report = outbox.drain(seconds=300, clock=lambda: now + timedelta(minutes=1))
    wall = time.monotonic() - t0
    print(f"outage: {n} actions queued in {queued:.2f}s (refused connections); drain after 1 min: "
          f"{report.done} done in {wall:.2f}s, {len(fake.calls) / max(1, report.done):.1f} requests/action, "
          f"created: {len(fake.state.tasks)} (duplicates: {len(fake.state.tasks) - n})")
    fake.stop()
    store.close()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as d:
        burst(n, Path(d))
        outage(n, Path(d))
