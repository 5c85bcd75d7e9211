"""The outbox in front of Bitrix24: a portal down for a minute loses nothing
and duplicates nothing; a lost reply is found, not re-created; a done action
is never re-sent; what a person must fix fails at once in plain words."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sekretar.integrations.outbox import Backoff, Outbox

from sekretar.core.types import Action
from tests.fake_bitrix24 import FakeBitrix24
from tests.fixtures_bitrix import make_bitrix_workspace, portal_users

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
MSK = timezone(timedelta(hours=3))


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def actions(n=2, prefix="a"):
    out = []
    for i in range(n):
        out += [Action("task", "1", f"{prefix}-task-{i}", target=str(2 + i), title=f"Задача {i}",
                       start=datetime(2026, 12, 1, 12, tzinfo=MSK)),
                Action("event", "1", f"{prefix}-event-{i}", title=f"Встреча {i}",
                       start=datetime(2026, 12, 1, 15 + i, tzinfo=MSK)),
                Action("message", "1", f"{prefix}-msg-{i}", target=str(5 + i), text=f"Сообщение {i}")]
    return out


def counts(fake):
    s = fake.state
    return len(s.tasks), len(s.events), len(s.messages)


@pytest.fixture
def ws(b24_store, tmp_path, fake_bitrix):
    w = make_bitrix_workspace(b24_store, tmp_path, fake_bitrix, timeout=1.0)
    yield w
    w.client.close()


def test_portal_down_for_a_minute_loses_nothing_and_duplicates_nothing(ws, b24_store):
    fake, clock = ws.fake, Clock()
    outbox = Outbox(b24_store, ws, backoff=Backoff(first=5, factor=2, cap=30))
    fake.stop()  # connections refused from now on
    todo = actions(2)
    outcomes = [outbox.submit(a, "cli:u", clock()) for a in todo]
    assert {o.status for o in outcomes} == {"queued"}
    retried = 0
    for _ in range(12):  # one minute, a drain every 5 s, the portal still down
        clock.advance(5)
        report = outbox.drain(seconds=5, clock=clock)
        assert report.done == 0 and report.failed == 0
        retried += report.retried
    assert retried >= len(todo)  # each was tried again, with back-off
    assert counts(fake) == (0, 0, 0)
    pending = b24_store.list_actions(("pending",))
    assert {r.key for r in pending} == {a.key for a in todo}

    fake.start()  # back, same address
    clock.advance(31)
    report = outbox.drain(seconds=30, clock=clock)
    assert report.done == len(todo) and report.failed == 0
    assert counts(fake) == (2, 2, 2)
    assert b24_store.list_actions(("pending", "failed")) == []
    for a in todo:
        rec = b24_store.get_action(a.key)
        assert rec.status == "done" and rec.result["id"]
    # later drains and the same confirmations delivered again create nothing
    clock.advance(600)
    assert outbox.drain(seconds=5, clock=clock).done == 0
    again = [outbox.submit(a, "cli:u", clock()) for a in todo]
    assert all(o.duplicate and o.status == "done" for o in again)
    assert counts(fake) == (2, 2, 2)


@pytest.mark.parametrize("method,kind", [("tasks.task.add", "task"), ("calendar.event.add", "event"),
                                         ("im.message.add", "message")])
def test_a_lost_reply_is_found_not_made_again(ws, b24_store, method, kind):
    fake, clock = ws.fake, Clock()
    outbox = Outbox(b24_store, ws)
    action = next(a for a in actions(1) if a.kind == kind)
    fake.fail("drop_after", methods=[method])  # the portal makes it, the reply is lost
    assert outbox.submit(action, "cli:u", clock()).status == "queued"
    assert sum(counts(fake)) == 1
    clock.advance(3600)
    report = outbox.drain(seconds=10, clock=clock)
    assert report.done == 1
    assert sum(counts(fake)) == 1
    assert len([c for c in fake.calls if c.method == method]) == 1  # never sent again
    assert b24_store.get_action(action.key).result["id"] == "1"


def test_a_slow_portal_that_finishes_late_is_not_asked_twice(ws, b24_store):
    fake, clock = ws.fake, Clock()
    outbox = Outbox(b24_store, ws)
    action = actions(1)[0]
    fake.fail("delay", seconds=1.5, methods=["tasks.task.add"])  # client gives up after 1 s
    assert outbox.submit(action, "cli:u", clock()).status == "queued"
    deadline = time.monotonic() + 5
    while not fake.state.tasks and time.monotonic() < deadline:
        time.sleep(0.05)  # the portal finishes the request after we hung up
    clock.advance(60)
    assert outbox.drain(seconds=10, clock=clock).done == 1
    assert counts(fake) == (1, 0, 0)


class FinishingStore:
    """A store whose claimed action turns out to be done by someone else
    (a slow first attempt that came back) right after the claim."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def claim_due_action(self, now, lease_seconds=60.0):
        rec = self._store.claim_due_action(now, lease_seconds)
        if rec is not None:
            self._store.finish_action(rec.key, "done", now, result={"kind": "task", "id": "elsewhere",
                                                                   "url": None, "extra": {}})
        return rec


def test_a_done_action_is_never_sent_again(ws, b24_store):
    fake, clock = ws.fake, Clock()
    fake.stop()
    action = actions(1)[0]
    assert Outbox(b24_store, ws).submit(action, "cli:u", clock()).status == "queued"
    fake.start()
    clock.advance(60)
    report = Outbox(FinishingStore(b24_store), ws).drain(seconds=10, clock=clock)
    assert report.done == 0 and counts(fake) == (0, 0, 0)
    assert fake.calls == []


@pytest.mark.parametrize("fault,words", [("denied", "нет прав"), ("no_auth", "SEKRETAR_BITRIX24_WEBHOOK"),
                                         ("credentials", "недостаточно прав"), ("scope", "нет права «task»"),
                                         ("overload", "только администратор")])
def test_what_a_person_must_fix_fails_at_once_in_plain_words(ws, b24_store, fault, words):
    ws.fake.fail(fault, methods=["tasks.task.add"])
    outcome = Outbox(b24_store, ws).submit(actions(1)[0], "cli:u", T0)
    assert outcome.status == "failed" and words in outcome.error
    assert b24_store.list_actions(("pending",)) == []


def test_retries_stop_after_the_give_up_time(ws, b24_store):
    fake, clock = ws.fake, Clock()
    outbox = Outbox(b24_store, ws, backoff=Backoff(first=5, cap=60, give_up_after=300))
    fake.stop()
    action = actions(1)[0]
    outbox.submit(action, "cli:u", clock())
    clock.advance(301)
    assert outbox.drain(seconds=5, clock=clock).failed == 1
    rec = b24_store.get_action(action.key)
    assert rec.status == "failed" and "Битрикс24" in rec.error


def test_a_burst_of_commands_stays_inside_the_portal_rate_limit(b24_store, tmp_path):
    """55 confirmations from 5 users at once, the portal's real limits and the
    client's as open_workspace sets them: nothing hits QUERY_LIMIT_EXCEEDED."""
    fake = FakeBitrix24(portal_users(), rate=2.0, burst=50).start()
    try:
        ws = make_bitrix_workspace(b24_store, tmp_path, fake, rate=2.0, burst=49)
        outbox = Outbox(b24_store, ws)
        todo = [Action("task", "1", f"burst-{i}", target=str(1 + i % 9), title=f"Задача {i}") for i in range(55)]

        def user(chunk):
            for a in chunk:
                assert outbox.submit(a, "u", T0).status == "done"
        threads = [threading.Thread(target=user, args=(todo[i::5],)) for i in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(fake.state.tasks) == 55
        assert all(c.status == 200 for c in fake.calls)
        times = sorted(c.at for c in fake.calls)
        assert all(j - i + 1 <= 50 + 2 * (times[j] - times[i]) for i in range(55) for j in range(i, 55))
    finally:
        fake.stop()
