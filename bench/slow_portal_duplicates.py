"""Duplicates under a slow portal (issue 9, item 5): prints figures, asserts nothing.

    .venv/bin/python bench/slow_portal_duplicates.py [--n 32] [--scale 0.1] [--runs 1]

The loopback fake portal (tests/fake_bitrix24.py) takes 25 s × scale for
every tasks.task.add; the outbox runs as the server runs it: a reply budget
of 2.5 s × scale, 8 attempt workers, a 60 s × scale lease, a drainer
retrying every second × scale, the client's timeout 30 s × scale.

1. slow: N confirmations at once. Attempts past the first 8 wait in the
   queue longer than the lease; the drainer overtakes them.
2. kill -9: a child process confirms N actions and is killed with SIGKILL
   while its writes are in flight (and more wait in its queue); a drainer
   here takes over once the leases run out.

For each: tasks at the portal, duplicates, create requests, wall time.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sekretar.integrations.outbox import Outbox  # noqa: E402
from sekretar.store import open_store  # noqa: E402

from sekretar.core.types import Action  # noqa: E402
from tests.fake_bitrix24 import FakeBitrix24  # noqa: E402
from tests.fixtures_bitrix import make_bitrix_workspace, portal_users  # noqa: E402

WRITE, BUDGET, LEASE, TIMEOUT, DRAIN = 25.0, 2.5, 60.0, 30.0, 1.0


def actions(n: int, prefix: str) -> list[Action]:
    return [Action("task", "1", f"{prefix}-{i}", target=str(2 + i % 8), title=f"Задача {i}") for i in range(n)]


def outbox_for(store, ws, scale: float) -> Outbox:
    try:
        return Outbox(store, ws, lease_seconds=LEASE * scale, workers=8)
    except TypeError:  # the outbox before fencing (no `workers`): 8 workers all the same
        return Outbox(store, ws, lease_seconds=LEASE * scale)


class DrainLoop:
    def __init__(self, outbox: Outbox, every: float):
        self.outbox, self.every = outbox, every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop.wait(self.every):
            self.outbox.drain(seconds=self.every)


def settle(store, fake, n: int, limit: float) -> float:
    """Wait until no action is pending and the portal is quiet."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if not store.list_actions(("pending",)) and len(fake.state.tasks) >= n:
            break
        time.sleep(0.1)
    return time.monotonic() - t0


def report(name: str, n: int, fake, store, wall: float) -> None:
    tasks = len(fake.state.tasks)
    adds = len([c for c in fake.calls if c.method == "tasks.task.add"])
    left = {s: len(store.list_actions((s,))) for s in ("pending", "failed")}
    print(f"{name}: {n} confirmations → {tasks} tasks, duplicates: {tasks - n}; "
          f"tasks.task.add requests: {adds}; pending {left['pending']}, failed {left['failed']}; "
          f"{wall:.1f} s")


def slow(n: int, scale: float, home: Path) -> None:
    fake = FakeBitrix24(portal_users(), limit=False).start()
    fake.fail("delay", times=10 ** 6, methods=["tasks.task.add"], seconds=WRITE * scale)
    store = open_store(f"sqlite:///{home / 'slow.db'}")
    ws = make_bitrix_workspace(store, home, fake, timeout=TIMEOUT * scale, rate=1000, burst=1000)
    outbox = outbox_for(store, ws, scale)
    drainer = DrainLoop(outbox, DRAIN * scale)
    drainer.thread.start()
    t0 = time.monotonic()
    threads = [threading.Thread(target=outbox.submit, args=(a, "bench", datetime.now(timezone.utc)),
                                kwargs={"budget": BUDGET * scale}) for a in actions(n, "slow")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    settle(store, fake, n, limit=WRITE * scale * (n / 8 + 4) + LEASE * scale * 2)
    outbox.close()  # the queued first attempts have all run (or stopped) by now
    drainer.stop.set()
    drainer.thread.join()
    report("slow portal", n, fake, store, time.monotonic() - t0)
    fake.stop()
    store.close()


def child(db: str, webhook: str, n: int, scale: float) -> None:
    """The process that is killed: confirms n actions on its own outbox."""
    from sekretar.integrations.bitrix24.client import Bitrix24Client, RateLimiter
    from sekretar.integrations.bitrix24.workspace import Bitrix24Workspace

    store = open_store(db)
    client = Bitrix24Client(webhook, timeout=TIMEOUT * scale, limiter=RateLimiter(1000, 1000))
    portal = webhook.split("/rest/")[0]
    ws = Bitrix24Workspace(client, portal, caller_id="1", store=store)
    outbox = outbox_for(store, ws, scale)
    for a in actions(n, "kill"):
        outbox.submit(a, "bench", datetime.now(timezone.utc), budget=0.01)
    print("submitted", flush=True)
    time.sleep(3600)


def kill9(n: int, scale: float, home: Path) -> None:
    fake = FakeBitrix24(portal_users(), limit=False).start()
    fake.fail("delay", times=10 ** 6, methods=["tasks.task.add"], seconds=WRITE * scale)
    db = f"sqlite:///{home / 'kill.db'}"
    store = open_store(db)
    proc = subprocess.Popen([sys.executable, __file__, "--child", db, fake.webhook_url, str(n), str(scale)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "submitted"
    t0 = time.monotonic()
    time.sleep(WRITE * scale / 2)  # its first writes are in flight, the rest queued
    in_flight = len([c for c in fake.calls if c.method == "tasks.task.add"])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    ws = make_bitrix_workspace(store, home, fake, timeout=TIMEOUT * scale, rate=1000, burst=1000)
    outbox = outbox_for(store, ws, scale)
    drainer = DrainLoop(outbox, DRAIN * scale)
    drainer.thread.start()
    settle(store, fake, n, limit=WRITE * scale * (n + 4) + LEASE * scale * 3)  # one drainer: serial
    drainer.stop.set()
    drainer.thread.join()
    outbox.close()
    print(f"(kill -9 with {in_flight} writes in flight and {n - in_flight} queued)")
    report("kill -9", n, fake, store, time.monotonic() - t0)
    fake.stop()
    store.close()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        db, webhook, n, scale = sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
        return child(db, webhook, n, scale)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=32, help="confirmations (default 32)")
    ap.add_argument("--scale", type=float, default=0.1, help="time scale: 1 = a 25 s write (default 0.1)")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    print(f"write {WRITE * args.scale:g} s, lease {LEASE * args.scale:g} s, budget {BUDGET * args.scale:g} s, "
          f"client timeout {TIMEOUT * args.scale:g} s, drain every {DRAIN * args.scale:g} s")
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as d:
            slow(args.n, args.scale, Path(d))
            kill9(args.n, args.scale, Path(d))


if __name__ == "__main__":
    main()
