"""The duplicate look-up and failures told (issue 9, item 6): a look-up that
cannot run does not doom an action no attempt ever sent; after one that may
have been made, it fails with the reason instead of creating blind; a
failed action is told to its person on their next turn, and «повтори»
right after makes it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sekretar.integrations.outbox import Outbox

from sekretar.core.types import Action
from tests.fixtures_bitrix import make_bitrix_workspace

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def ws(b24_store, tmp_path, fake_bitrix):
    w = make_bitrix_workspace(b24_store, tmp_path, fake_bitrix, timeout=1.0)
    yield w
    w.client.close()


def task(key="look-0"):
    return Action("task", "1", key, target="2", title="Отчёт")


@pytest.mark.parametrize("fault", ["denied", "not_found"])
def test_a_lookup_that_cannot_run_does_not_doom_an_action_never_sent(ws, b24_store, fault):
    """A record no attempt has sent yet (its first attempt was overtaken, or
    the process died before calling out): nothing to look for, it is made."""
    b24_store.add_action("look-0", "cli:u", task().to_json(), T0)
    ws.fake.fail(fault, times=5, methods=["tasks.task.list"])
    report = Outbox(b24_store, ws).drain(seconds=5, clock=lambda: T0 + timedelta(seconds=1))
    assert report.done == 1 and report.failed == 0
    assert len(ws.fake.state.tasks) == 1
    assert b24_store.get_action("look-0").status == "done"


@pytest.mark.parametrize("fault", ["denied", "not_found"])
def test_after_a_create_that_may_have_landed_a_lookup_that_cannot_run_asks_the_person(ws, b24_store, fault):
    clock = [T0]
    outbox = Outbox(b24_store, ws)
    ws.fake.fail("500", methods=["tasks.task.add"])
    assert outbox.submit(task(), "cli:u", T0).status == "queued"
    ws.fake.fail(fault, times=5, methods=["tasks.task.list"])
    clock[0] += timedelta(minutes=5)
    assert outbox.drain(seconds=5, clock=lambda: clock[0]).failed == 1
    rec = b24_store.get_action("look-0")
    assert rec.status == "failed" and rec.fail_kind == "lookup"
    assert "проверить" in rec.error and ("нет прав" in rec.error or "нет метода" in rec.error)
    assert ws.fake.state.tasks == [] and len(ws.fake.called("tasks.task.add")) == 0
    # the person checked and says to go on: made without the look-up
    assert outbox.retry("look-0", clock[0], checked=True).status == "pending"
    assert outbox.drain(seconds=5, clock=lambda: clock[0]).done == 1
    assert len(ws.fake.state.tasks) == 1


def test_a_transient_lookup_failure_is_retried_not_failed(ws, b24_store):
    clock = [T0]
    outbox = Outbox(b24_store, ws)
    ws.fake.fail("500", methods=["tasks.task.add"])
    outbox.submit(task(), "cli:u", T0)
    ws.fake.fail("500", methods=["tasks.task.list"])
    clock[0] += timedelta(minutes=5)
    assert outbox.drain(seconds=5, clock=lambda: clock[0]).retried == 1
    clock[0] += timedelta(minutes=5)
    assert outbox.drain(seconds=5, clock=lambda: clock[0]).done == 1
    assert len(ws.fake.state.tasks) == 1
