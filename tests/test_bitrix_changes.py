"""Bitrix24Workspace reading and changing existing items against the fake
portal (tests/fake_bitrix24_changes.py): the documented methods and fields,
permissions never widened, a change sent once, refused when the item changed
on the portal meanwhile, faults."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sekretar.integrations.outbox import Outbox

from sekretar.core.errors import ItemChanged, ItemNotFound, WorkspacePermissionError, WorkspaceUnavailable
from sekretar.core.types import Action

MSK = ZoneInfo("Europe/Moscow")
D = lambda day, h=12, m=0: datetime(2030, 4, day, h, m, tzinfo=MSK)  # noqa: E731


@pytest.fixture
def ws(bitrix_workspace):
    w = bitrix_workspace
    w.create(Action("task", actor="1", key="t1", target="3", title="Отчёт маркетинга", start=D(2)))
    w.create(Action("task", actor="1", key="t2", target="1", title="Оплатить счёт", start=D(3)))
    w.create(Action("task", actor="3", key="t3", target="2", title="Чужая задача", start=D(3)))
    w.create(Action("event", actor="1", key="e1", title="Планёрка", start=D(2, 10), end=D(2, 11)))
    w.create(Action("event", actor="3", key="e3", title="Обед Насти", start=D(2, 13), end=D(2, 14)))
    return w


def titles(items):
    return [i.title for i in items]


def test_events_over_a_range(ws):
    assert titles(ws.events(D(2, 0), D(3, 0), "1", "1")) == ["Планёрка"]
    (call,) = [c for c in ws.fake.called("calendar.event.get") if c.params.get("from") == "2030-04-02"]
    assert call.params == {"type": "user", "ownerId": "1", "from": "2030-04-02", "to": "2030-04-03"}
    [item] = ws.events(D(2, 0), D(3, 0), "1", "1")
    assert (item.start, item.end, item.owner) == (D(2, 10), D(2, 11), "1")
    assert item.url.endswith(f"/calendar/?EVENT_ID={item.id}")


def test_another_persons_calendar_only_as_far_as_the_linked_person_may_see(ws):
    # the webhook (an admin) sees Настя's lunch; the linked person 1 is no attendee: not shown
    assert titles(ws.events(D(2, 0), D(3, 0), "3", "1")) == []
    assert titles(ws.events(D(2, 0), D(3, 0), "3", "3")) == ["Обед Насти"]
    ws.fake.state.events[-1]["ATTENDEE_LIST"] = [{"id": 1, "entryId": "9", "status": "Y"}]
    assert titles(ws.events(D(2, 0), D(3, 0), "3", "1")) == ["Обед Насти"]
    ws.fake.state.events[-1]["PRIVATE_EVENT"] = "Y"
    assert titles(ws.events(D(2, 0), D(3, 0), "3", "1")) == []


def test_tasks_with_filters(ws):
    assert titles(ws.tasks("1", responsible="1")) == ["Оплатить счёт"]
    call = ws.fake.called("tasks.task.list")[-1]
    assert call.params["filter"] == {"<REAL_STATUS": 5, "RESPONSIBLE_ID": "1"}
    assert titles(ws.tasks("1", creator="1")) == ["Отчёт маркетинга", "Оплатить счёт"]
    assert titles(ws.tasks("1", creator="1", due_from=D(3, 0), due_to=D(4, 0))) == ["Оплатить счёт"]
    assert ws.fake.called("tasks.task.list")[-1].params["filter"][">=DEADLINE"] == D(3, 0).isoformat()
    # someone else's task between two others: the webhook sees it, the linked person does not
    assert titles(ws.tasks("1", responsible="2")) == []
    assert titles(ws.tasks("2", responsible="2")) == ["Чужая задача"]


def test_overdue_and_done(ws):
    ws.fake.state.tasks[1]["deadline"] = "2020-01-01T12:00:00+03:00"
    assert titles(ws.tasks("1", responsible="1", status="overdue")) == ["Оплатить счёт"]
    assert ws.fake.called("tasks.task.list")[-1].params["filter"]["STATUS"] == -1
    assert ws.tasks("1", status="done") == []


def _act(ws, kind, name, what, key, **kw):
    items = ws.tasks("1", creator="1", status="any") + ws.tasks("1", responsible="1", status="any") \
        if kind == "task" else ws.events(D(1, 0), D(9, 0), "1", "1")
    item = next(i for i in items if i.title == name)
    return Action(what, actor="1", key=key, item=item.id, item_kind=kind, before=item.to_json(), **kw)


def test_each_change_with_its_documented_call(ws):
    fake = ws.fake
    ws.create(_act(ws, "task", "Оплатить счёт", "move", "a", start=D(5, 18)))
    assert fake.called("tasks.task.update")[-1].params == {"taskId": 2, "fields": {"DEADLINE": D(5, 18).isoformat()}}
    ws.create(_act(ws, "task", "Оплатить счёт", "rename", "b", title="Оплатить счёт поставщику"))
    assert fake.called("tasks.task.update")[-1].params["fields"] == {"TITLE": "Оплатить счёт поставщику"}
    ws.create(_act(ws, "task", "Отчёт маркетинга", "reassign", "c", target="7"))
    assert fake.called("tasks.task.update")[-1].params["fields"] == {"RESPONSIBLE_ID": "7"}
    ws.create(_act(ws, "task", "Оплатить счёт поставщику", "complete", "d"))
    assert fake.called("tasks.task.complete")[-1].params == {"taskId": 2}
    assert fake.state.tasks[1]["status"] == "5"
    ws.create(_act(ws, "event", "Планёрка", "move", "e", start=D(4, 15), end=D(4, 16)))
    upd = fake.called("calendar.event.update")[-1].params
    assert (upd["from"], upd["to"], upd["type"], upd["ownerId"], upd["name"]) == \
        ("2030-04-04 15:00:00", "2030-04-04 16:00:00", "user", "1", "Планёрка")
    [moved] = ws.events(D(4, 0), D(5, 0), "1", "1")
    assert moved.start == D(4, 15)
    ws.create(_act(ws, "event", "Планёрка", "cancel", "f"))
    assert fake.called("calendar.event.delete")[-1].params == {"id": int(moved.id)}
    assert ws.events(D(1, 0), D(9, 0), "1", "1") == []
    listed = {t["title"]: t for t in ws.list_items("task")}
    assert listed["Оплатить счёт поставщику"]["status"] == "done"


def test_a_change_twice_is_sent_once(ws):
    a = _act(ws, "task", "Оплатить счёт", "move", "twice", start=D(6))
    ws.create(a)
    ws.create(a)
    assert len(ws.fake.called("tasks.task.update")) == 1


def test_changed_on_the_portal_meanwhile(ws):
    a = _act(ws, "event", "Планёрка", "move", "late", start=D(4, 9), end=D(4, 10))
    ws.fake.state.events[0]["NAME"] = "Летучка"  # somebody renamed it on the portal
    with pytest.raises(ItemChanged, match="Летучка"):
        ws.create(a)
    assert ws.fake.called("calendar.event.update") == []


def test_gone_or_not_yours(ws):
    a = _act(ws, "task", "Оплатить счёт", "complete", "gone")
    ws.fake.state.tasks.pop(1)
    with pytest.raises(ItemNotFound):
        ws.create(a)
    theirs = ws.tasks("2", responsible="2")[0]
    with pytest.raises(WorkspacePermissionError):
        ws.create(Action("complete", actor="1", key="x", item=theirs.id, item_kind="task"))


def test_faults_leave_the_change_in_the_outbox_then_it_goes_once(ws, b24_store):
    outbox = Outbox(b24_store, ws)
    a = _act(ws, "task", "Оплатить счёт", "complete", "flaky")
    ws.fake.fail("500", methods=["tasks.task.complete"])
    now = datetime.now(MSK)
    assert outbox.submit(a, "alice:u", now).status == "queued"
    report = outbox.drain(clock=lambda: now + timedelta(minutes=5))
    assert report.done == 1
    assert outbox.submit(a, "alice:u", now).duplicate
    assert [t["status"] for t in ws.fake.state.tasks if t["title"] == "Оплатить счёт"] == ["5"]
    ws.fake.fail("drop", methods=["calendar.event.getbyid"])
    with pytest.raises(WorkspaceUnavailable):
        ws.create(_act(ws, "event", "Планёрка", "rename", "r", title="Синк"))
