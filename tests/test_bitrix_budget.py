"""One rate budget per portal across every worker and process, kept in the
store's database (SQLite and PostgreSQL)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

import pytest
from sekretar.integrations.bitrix24.budget import SharedRateLimiter
from sekretar.store import open_database, open_store

from tests.fake_bitrix24 import FakeBitrix24
from tests.fixtures_bitrix import portal_users
from tests.fixtures_server import ROOT


def test_two_processes_worth_of_limiters_share_one_bucket(store_url):
    open_store(store_url).close()  # migrated
    now = [1000.0]
    dbs = [open_database(store_url), open_database(store_url)]  # as two processes would open it
    try:
        a, b = (SharedRateLimiter(db, "https://p.bitrix24.ru", rate=2.0, burst=10, clock=lambda: now[0])
                for db in dbs)
        waits = [(a if i % 2 else b).reserve() for i in range(10)]
        assert waits == [0.0] * 10  # the burst, taken from both sides
        assert a.reserve() == pytest.approx(0.5) and b.reserve() == pytest.approx(1.0)  # then the rate
        now[0] += 10  # 20 tokens' worth of time, capped at the burst
        assert [a.reserve() for _ in range(8)] == [0.0] * 8
        b.penalize(3)  # QUERY_LIMIT_EXCEEDED seen by one empties the bucket for all
        assert a.reserve() == pytest.approx(3.5)
        other = SharedRateLimiter(dbs[0], "https://other.bitrix24.ru", rate=2.0, burst=10, clock=lambda: now[0])
        assert other.reserve() == 0.0  # per portal
    finally:
        for db in dbs:
            db.close()


def test_threads_never_take_more_than_the_burst(store_url):
    open_store(store_url).close()
    db = open_database(store_url)
    limiter = SharedRateLimiter(db, "https://p.bitrix24.ru", rate=0.001, burst=20)
    waits, lock = [], threading.Lock()

    def take():
        for _ in range(5):
            w = limiter.reserve()
            with lock:
                waits.append(w)
    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.close()
    assert sum(1 for w in waits if w == 0.0) == 20 and len(waits) == 40


WORKER = textwrap.dedent("""
    import sys
    from sekretar.core.config import Settings
    from sekretar.integrations.bitrix24 import open_workspace
    from sekretar.store import open_store
    store = open_store(sys.argv[1])
    ws = open_workspace(Settings.from_env(), store)
    sys.stdin.readline()  # start together
    for _ in range(int(sys.argv[2])):
        ws.client.call("user.current")
    print("ok", flush=True)
""")


def run_workers(fake, urls, calls):
    env = {**os.environ, "SEKRETAR_WORKSPACE": "bitrix24", "SEKRETAR_BITRIX24_WEBHOOK": fake.webhook_url,
           "SEKRETAR_BITRIX24_RATE": "5", "SEKRETAR_BITRIX24_BURST": "10", "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(calls)], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for url in urls]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(o[0].strip() == "ok" for o in outs), outs


def test_two_worker_processes_stay_inside_the_portals_limit(tmp_path):
    """The portal's bucket: burst 10, 5/s. Two processes sharing the store
    send 30 calls without one QUERY_LIMIT_EXCEEDED; with a bucket each (two
    databases, as every process had before) the portal refuses some."""
    fake = FakeBitrix24(portal_users(), rate=5.0, burst=10).start()
    try:
        shared = f"sqlite:///{tmp_path / 'shared.db'}"
        run_workers(fake, [shared, shared], 15)
        assert len(fake.calls) == 30 and fake.methods(status=503) == []
        fake.calls.clear()
        fake._bucket = 0.0
        import time
        time.sleep(2.5)
        run_workers(fake, [f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"], 15)
        assert fake.methods(status=503), "a bucket per process lets twice the burst through"
    finally:
        fake.stop()
