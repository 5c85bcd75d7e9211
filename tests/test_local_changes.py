"""The local workspace's reading and changing (issue 12), on both backends:
events in a range by owner or participant, tasks by responsible / creator /
deadline / status, and each change applied once, refused when the item
changed since it was confirmed or is gone."""
from datetime import datetime, timedelta, timezone

import pytest
from sekretar.integrations.local import LocalWorkspace
from sekretar.integrations.outbox import Outbox

from sekretar.core.errors import ItemChanged, ItemNotFound, WorkspaceRejected
from sekretar.core.types import Action

MSK = timezone(timedelta(hours=3))
D = lambda day, h=12, m=0: datetime(2030, 4, day, h, m, tzinfo=MSK)  # noqa: E731  April 2030: the future


@pytest.fixture
def ws(store):
    w = LocalWorkspace(store.db)
    w.create(Action("task", actor="1", key="t1", target="3", title="Отчёт маркетинга", start=D(2)))
    w.create(Action("task", actor="1", key="t2", target="1", title="Оплатить счёт", start=D(3)))
    w.create(Action("task", actor="3", key="t3", target="1", title="Договор", start=datetime(2020, 1, 1, tzinfo=MSK)))
    w.create(Action("event", actor="1", key="e1", title="Планёрка", start=D(2, 10), end=D(2, 11)))
    w.create(Action("event", actor="1", key="e2", target="6", title="Встреча с Антоном", start=D(3, 15), end=D(3, 16)))
    w.create(Action("event", actor="2", key="e3", title="Обед", start=D(2, 13), end=D(2, 14)))
    return w


def titles(items):
    return [i.title for i in items]


def test_events_in_a_range_by_owner(ws):
    assert titles(ws.events(D(2, 0), D(3, 0), "1", "1")) == ["Планёрка"]
    assert titles(ws.events(D(1, 0), D(9, 0), "1", "1")) == ["Планёрка", "Встреча с Антоном"]
    assert titles(ws.events(D(2, 0), D(3, 0), "2", "2")) == ["Обед"]
    assert titles(ws.events(D(2, 0), D(3, 0), "2", "1")) == []  # not the viewer's: not shown
    assert titles(ws.events(D(3, 0), D(4, 0), "6", "1")) == ["Встреча с Антоном"]  # the viewer takes part
    assert ws.events(D(5, 0), D(6, 0), "1", "1") == []


def test_tasks_by_responsible_creator_deadline_status(ws):
    assert titles(ws.tasks("1", responsible="1")) == ["Договор", "Оплатить счёт"]
    assert titles(ws.tasks("1", creator="1")) == ["Отчёт маркетинга", "Оплатить счёт"]
    assert titles(ws.tasks("1", responsible="3", creator="1")) == ["Отчёт маркетинга"]
    assert titles(ws.tasks("1", due_from=D(3, 0), due_to=D(4, 0))) == ["Оплатить счёт"]
    assert titles(ws.tasks("1", responsible="1", status="overdue")) == ["Договор"]
    assert ws.tasks("1", status="done") == []
    assert ws.tasks("2", responsible="3") == []  # neither made by nor given to the viewer: not shown


def _item(ws, kind, title):
    items = ws.tasks(None, status="any") if kind == "task" else ws.events(D(1, 0), D(9, 0), "1", "1") + \
        ws.events(D(1, 0), D(9, 0), "2", "2")
    return next(i for i in items if i.title == title)


def change(ws, kind, name, what, key="c1", **kw):
    item = _item(ws, kind, name)
    return ws.create(Action(what, actor="1", key=key, item=item.id, item_kind=kind, before=item.to_json(), **kw))


def test_move_rename_reassign_complete_cancel(ws):
    change(ws, "task", "Оплатить счёт", "move", key="a", start=D(5))
    change(ws, "task", "Оплатить счёт", "rename", key="b", title="Оплатить счёт поставщику")
    change(ws, "task", "Отчёт маркетинга", "reassign", key="c", target="2")
    change(ws, "task", "Договор", "complete", key="d")
    change(ws, "event", "Планёрка", "move", key="e", start=D(4, 15), end=D(4, 16))
    change(ws, "event", "Обед", "cancel", key="f")
    tasks = {t["title"]: t for t in ws.list_items("task")}
    assert tasks["Оплатить счёт поставщику"]["deadline"] == D(5).isoformat()
    assert tasks["Отчёт маркетинга"]["responsible"] == "Сергей Петров"
    assert tasks["Договор"]["status"] == "done"
    events = {e["title"]: e for e in ws.list_items("event")}
    assert events["Планёрка"]["start"] == D(4, 15).isoformat()
    assert events["Обед"]["cancelled"] is True
    assert titles(ws.events(D(1, 0), D(9, 0), "2", "2")) == []
    assert "Договор" not in titles(ws.tasks("1"))
    assert titles(ws.tasks("1", status="done")) == ["Договор"]


def test_a_change_applied_twice_is_one_change(ws):
    item = _item(ws, "task", "Оплатить счёт")
    a = Action("move", actor="1", key="k", item=item.id, item_kind="task", before=item.to_json(), start=D(5))
    assert ws.create(a) == ws.create(a)
    # the same key after someone else moved it again: still nothing new
    ws.create(Action("move", actor="1", key="other", item=item.id, item_kind="task", start=D(7)))
    ws.create(a)
    assert _item(ws, "task", "Оплатить счёт").start == D(7)


def test_changed_meanwhile_is_refused(ws):
    item = _item(ws, "event", "Планёрка")
    ws.create(Action("rename", actor="2", key="x", item=item.id, item_kind="event", title="Летучка"))
    with pytest.raises(ItemChanged, match="Летучка"):
        ws.create(Action("move", actor="1", key="y", item=item.id, item_kind="event", before=item.to_json(),
                         start=D(4, 9), end=D(4, 10)))
    assert _item(ws, "event", "Летучка").start == D(2, 10)


def test_gone_and_impossible(ws):
    item = _item(ws, "event", "Обед")
    change(ws, "event", "Обед", "cancel", key="gone")
    with pytest.raises(ItemNotFound):
        ws.create(Action("move", actor="1", key="z", item=item.id, item_kind="event", start=D(4)))
    # cancelling what is already gone is what was asked: done
    ws.create(Action("cancel", actor="1", key="z2", item=item.id, item_kind="event"))
    with pytest.raises(WorkspaceRejected):
        ws.create(Action("complete", actor="1", key="z3", item=item.id, item_kind="event"))
    with pytest.raises(WorkspaceRejected):
        ws.create(Action("reassign", actor="1", key="z4", item="1", item_kind="task", target="999"))


def test_through_the_outbox_a_double_confirmation_writes_once(ws, store):
    outbox = Outbox(store, ws)
    item = _item(ws, "task", "Оплатить счёт")
    a = Action("complete", actor="1", key="dbl", item=item.id, item_kind="task", before=item.to_json())
    now = datetime.now(timezone.utc)
    first, second = outbox.submit(a, "cli:1", now), outbox.submit(a, "cli:1", now)
    assert (first.status, second.status, second.duplicate) == ("done", "done", True)
    with store.db.read() as cur:
        assert cur.one("SELECT COUNT(*) FROM local_changes WHERE action_key = 'dbl'")[0] == 1
    failed = outbox.submit(Action("move", actor="1", key="late", item=item.id, item_kind="task",
                                  before={**item.to_json(), "title": "Другое"}, start=D(6)), "cli:1", now)
    assert failed.status == "failed" and "изменилось" in failed.error
