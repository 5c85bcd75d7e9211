"""An attempt holds its action (issue 9, item 5): a first attempt that waited
in the queue until its lease ran out, and was overtaken by a drainer retry,
never calls the portal; a stale attempt records nothing over the holder's."""
from __future__ import annotations

import concurrent.futures as cf
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sekretar.integrations.outbox import Outbox

from sekretar.core.types import Action
from tests.fixtures_bitrix import make_bitrix_workspace

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def ws(b24_store, tmp_path, fake_bitrix):
    w = make_bitrix_workspace(b24_store, tmp_path, fake_bitrix, timeout=5.0)
    yield w
    w.client.close()


def task(i=0):
    return Action("task", "1", f"fence-{i}", target="2", title=f"Задача {i}")


def test_a_queued_attempt_overtaken_by_a_retry_never_calls_the_portal(ws, b24_store):
    outbox = Outbox(b24_store, ws, lease_seconds=60)
    gate = threading.Event()
    outbox._pool = cf.ThreadPoolExecutor(max_workers=1)  # the queue: one worker, busy
    outbox._pool.submit(gate.wait, 10)
    try:
        assert outbox.submit(task(), "u", T0, budget=0.05).status == "queued"
        # the lease runs out while the first attempt still waits in the queue
        report = outbox.drain(seconds=5, clock=lambda: T0 + timedelta(seconds=61))
        assert report.done == 1
        assert len(ws.fake.state.tasks) == 1
        gate.set()  # the queued first attempt finally runs
        outbox._pool.shutdown(wait=True)
    finally:
        gate.set()
    adds = ws.fake.called("tasks.task.add")
    assert len(adds) == 1, f"the portal was asked {len(adds)} times to create one task"
    assert len(ws.fake.state.tasks) == 1
    assert b24_store.get_action("fence-0").status == "done"


def test_an_attempt_in_flight_keeps_its_lease_from_the_drainer(ws, b24_store):
    """A first attempt that is talking to the portal holds the action: a
    drainer inside the lease finds nothing to claim."""
    outbox = Outbox(b24_store, ws, lease_seconds=60)
    ws.fake.fail("delay", seconds=0.6, methods=["tasks.task.add"])
    assert outbox.submit(task(1), "u", T0, budget=0.05).status == "queued"
    assert outbox.drain(seconds=1, clock=lambda: T0 + timedelta(seconds=30)).done == 0
    outbox.close()
    assert b24_store.get_action("fence-1").status == "done"
    assert len(ws.fake.called("tasks.task.add")) == 1


def test_a_stale_claim_cannot_hold_or_record(store):
    store.add_action("k", "u", {"kind": "task", "actor": "1"}, T0)
    first = store.claim_action("k", T0, 60)
    second = store.claim_due_action(T0 + timedelta(seconds=61), 60)
    assert second.claim == first.claim + 1
    now = T0 + timedelta(seconds=62)
    assert not store.hold_action("k", first.claim, now, 60, reaching=True)
    assert not store.get_action("k").reached
    assert not store.settle_action("k", first.claim, "pending", now, error="late", next_try_at=now)
    assert not store.settle_action("k", first.claim, "failed", now, error="late", fail_kind="rejected")
    assert store.get_action("k").error is None
    assert store.hold_action("k", second.claim, now, 60, reaching=True)
    assert store.get_action("k").reached
    # a thing made is recorded whoever made it, but never over a result
    assert store.settle_action("k", first.claim, "done", now, result={"kind": "task", "id": "7"})
    assert not store.settle_action("k", second.claim, "done", now, result={"kind": "task", "id": "8"})
    assert store.get_action("k").result["id"] == "7"


def test_a_claim_by_key_never_takes_a_live_lease(store):
    store.add_action("k", "u", {"kind": "task", "actor": "1"}, T0)
    held = store.claim_action("k", T0, 60)
    assert store.claim_action("k", T0 + timedelta(seconds=30), 60) is None  # leased: not taken
    later = store.claim_action("k", T0 + timedelta(seconds=61), 60)
    assert later.claim == held.claim + 1


def test_records_from_before_fencing_count_as_possibly_made(tmp_path):
    """Migrating a database with actions in it: a retry of an old record
    looks before it makes (nobody knows whether its attempt called out)."""
    from sekretar.store import open_store
    from sekretar.store.db import Database

    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url)
    db.migrate("store", _only_first_migration(tmp_path))
    with db.write() as cur:
        cur.execute("INSERT INTO actions (key, user_key, payload, status, attempts, next_try_at, created_at,"
                    " updated_at) VALUES ('old', 'u', '{}', 'pending', 1, ?, ?, ?)",
                    (cur.ts(T0), cur.ts(T0), cur.ts(T0)))
    db.close()
    store = open_store(url)
    assert store.get_action("old").reached
    store.close()


def _only_first_migration(tmp_path):
    from importlib import resources

    folder = tmp_path / "v1"
    folder.mkdir()
    src = resources.files("sekretar.store.migrations").joinpath("001_init.sql")
    (folder / "001_init.sql").write_text(src.read_text("utf-8"), encoding="utf-8")
    return folder
