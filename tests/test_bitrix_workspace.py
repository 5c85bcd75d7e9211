"""Bitrix24Workspace against the fake portal: each method with the right fields."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sekretar.core.errors import WorkspaceAuthError, WorkspaceRejected
from sekretar.core.types import Action, Person

MSK = ZoneInfo("Europe/Moscow")


def test_people_are_the_active_portal_users(bitrix_workspace):
    fake = bitrix_workspace.fake
    fake.add_user(ID=77, NAME="Уволенный", LAST_NAME="Сотрудник", ACTIVE=False)
    people = bitrix_workspace.people()
    assert people[0] == Person("1", "Сергей", "Иванов", None, "s.ivanov@example.com", "m")
    assert [p.name for p in people[:3]] == ["Сергей Иванов", "Сергей Петров", "Анастасия Смирнова"]
    assert "77" not in {p.id for p in people}
    assert people[2].gender == "f"
    (call,) = fake.called("user.get")
    assert call.params["FILTER"] == {"ACTIVE": True}


def test_people_are_cached_for_a_while(bitrix_workspace):
    now = [0.0]
    bitrix_workspace.clock = lambda: now[0]
    bitrix_workspace.people()
    now[0] = 299
    bitrix_workspace.people()
    assert len(bitrix_workspace.fake.called("user.get")) == 1
    now[0] = 301
    bitrix_workspace.people()
    assert len(bitrix_workspace.fake.called("user.get")) == 2


def test_get_person_by_portal_id(bitrix_workspace):
    assert bitrix_workspace.get_person("7").name == "Анна Петрова"
    assert bitrix_workspace.get_person("999") is None
    assert bitrix_workspace.get_person("Анна") is None  # not an id: no call at all
    assert [c.params["FILTER"] for c in bitrix_workspace.fake.called("user.get")] == [{"ACTIVE": True}, {"ID": "999"}]
    bitrix_workspace.fake.add_user(ID=50, NAME="Бывший", LAST_NAME="Сотрудник", ACTIVE=False)
    assert bitrix_workspace.get_person("50").name == "Бывший Сотрудник"  # not in the active list: asked by id


def test_task_add_fields(bitrix_workspace):
    fake = bitrix_workspace.fake
    created = bitrix_workspace.create(Action("task", actor="1", key="k-task", target="2", title="Подготовить отчёт",
                                             start=datetime(2026, 12, 1, 13, 15, tzinfo=MSK)))
    (call,) = fake.called("tasks.task.add")
    fields = call.params["fields"]
    assert fields["TITLE"] == "Подготовить отчёт"
    assert fields["RESPONSIBLE_ID"] == "2" and fields["CREATED_BY"] == "1"
    assert fields["DEADLINE"] == "2026-12-01T13:15:00+03:00"
    assert "[sekretar:k-task]" in fields["DESCRIPTION"]
    assert created.kind == "task" and created.id == fake.state.tasks[0]["id"]
    assert created.url == f"{fake.portal}/company/personal/user/1/tasks/task/view/{created.id}/"


def test_naive_deadline_gets_the_action_time_zone(bitrix_workspace):
    bitrix_workspace.create(Action("task", "1", "k", target="3", title="x", start=datetime(2026, 12, 1, 9, 0),
                                   tz="Asia/Yekaterinburg"))
    assert bitrix_workspace.fake.called("tasks.task.add")[0].params["fields"]["DEADLINE"] == "2026-12-01T09:00:00+05:00"


def test_event_add_fields_in_the_owners_default_section(bitrix_workspace):
    fake = bitrix_workspace.fake
    start = datetime(2026, 12, 1, 15, 0, tzinfo=MSK)
    created = bitrix_workspace.create(Action("event", actor="4", key="k-ev", title="Планёрка", start=start))
    bitrix_workspace.create(Action("event", actor="4", key="k-ev2", title="Обед", start=start.replace(hour=13),
                                   end=start.replace(hour=14)))
    (sec,) = fake.called("calendar.section.get")  # cached per owner
    assert sec.params == {"type": "user", "ownerId": "4"}
    first = fake.called("calendar.event.add")[0].params
    assert first["type"] == "user" and first["ownerId"] == "4" and first["name"] == "Планёрка"
    assert (first["from"], first["to"]) == ("2026-12-01 15:00:00", "2026-12-01 16:00:00")  # default hour
    assert first["timezone_from"] == first["timezone_to"] == "Europe/Moscow"
    assert first["skip_time"] == "N"
    assert first["section"] == fake.state.sections["4"][0]["ID"]
    assert "[sekretar:k-ev]" in first["description"]
    assert fake.called("calendar.event.add")[1].params["to"] == "2026-12-01 14:00:00"
    assert created.url == f"{fake.portal}/company/personal/user/4/calendar/?EVENT_ID={created.id}"


def test_all_day_event_skips_time(bitrix_workspace):
    day = datetime(2026, 12, 3, tzinfo=MSK)
    bitrix_workspace.create(Action("event", "1", "k", title="Отпуск", start=day, end=day + timedelta(days=1),
                                   all_day=True))
    bitrix_workspace.create(Action("event", "1", "k2", title="Конференция", start=day,
                                   end=day + timedelta(days=2), all_day=True))
    one, two = (c.params for c in bitrix_workspace.fake.called("calendar.event.add"))
    assert (one["from"], one["to"], one["skip_time"]) == ("2026-12-03", "2026-12-03", "Y")
    assert (two["from"], two["to"]) == ("2026-12-03", "2026-12-04")  # the portal's `to` is the last day
    items = bitrix_workspace.list_items("event")
    assert [(i["all_day"], i["start"], i["end"]) for i in items] == [
        (True, "2026-12-03T00:00:00+03:00", "2026-12-04T00:00:00+03:00"),
        (True, "2026-12-03T00:00:00+03:00", "2026-12-05T00:00:00+03:00")]


def test_message_add_fields(bitrix_workspace):
    created = bitrix_workspace.create(Action("message", actor="1", key="k-m", target="6", text="Созвон в три"))
    (call,) = bitrix_workspace.fake.called("im.message.add")
    assert call.params == {"DIALOG_ID": "6", "MESSAGE": "Созвон в три"}
    assert created.kind == "message" and created.id == "1"


def test_a_message_for_someone_else_names_them(bitrix_workspace):
    """The webhook's user sends every message; on behalf of another linked
    person the text starts with the portal's mention of that person."""
    bitrix_workspace.create(Action("message", actor="4", key="k-m", target="6", text="Созвон в три"))
    (call,) = bitrix_workspace.fake.called("im.message.add")
    assert call.params["MESSAGE"] == "[USER=4]Александр Кузнецов[/USER]: Созвон в три"
    (item,) = bitrix_workspace.list_items("message")
    assert (item["from_id"], item["from"], item["text"]) == ("4", "Александр Кузнецов", "Созвон в три")


def test_rejected_fields_fail_for_good(bitrix_workspace):
    with pytest.raises(WorkspaceRejected, match="ответственный"):
        bitrix_workspace.create(Action("task", "1", "k", target="999", title="x"))
    with pytest.raises(WorkspaceRejected):
        bitrix_workspace.create(Action("event", "1", "k2", title="без даты"))


def test_list_items_has_the_local_workspace_shape(bitrix_workspace):
    ws = bitrix_workspace
    ws.create(Action("task", "1", "a", target="2", title="Отчёт", start=datetime(2026, 12, 1, 12, tzinfo=MSK)))
    ws.create(Action("event", "3", "b", title="Встреча", start=datetime(2026, 12, 2, 10, tzinfo=MSK)))
    ws.create(Action("message", "1", "c", target="9", text="Привет"))
    (task,) = ws.list_items("task")
    assert datetime.fromisoformat(task.pop("created_at"))
    assert task == {
        "id": "1", "title": "Отчёт", "responsible": "Сергей Петров", "responsible_id": "2",
        "deadline": "2026-12-01T12:00:00+03:00", "created_by": "Сергей Иванов", "created_by_id": "1",
        "status": "open"}
    assert ws.list_items("event") == [{
        "id": "1", "title": "Встреча", "start": "2026-12-02T10:00:00+03:00", "end": "2026-12-02T11:00:00+03:00",
        "all_day": False, "owner": "Анастасия Смирнова", "owner_id": "3", "cancelled": False}]
    (msg,) = ws.list_items("message")
    assert datetime.fromisoformat(msg.pop("created_at"))
    assert msg == {"id": "1", "to": "Дмитрий Орлов", "to_id": "9", "text": "Привет", "from": "Сергей Иванов",
                   "from_id": "1"}


def test_find_recovers_what_an_earlier_attempt_made(bitrix_workspace):
    ws = bitrix_workspace
    task = Action("task", "1", "t1", target="2", title="Отчёт")
    event = Action("event", "1", "e1", title="Встреча", start=datetime(2026, 12, 2, 10, tzinfo=MSK))
    msg = Action("message", "1", "m1", target="5", text="Жду отчёт")
    assert [ws.find(a) for a in (task, event, msg)] == [None, None, None]
    made = [ws.create(a) for a in (task, event, msg)]
    assert [ws.find(a, since=datetime(2020, 1, 1, tzinfo=MSK)) for a in (task, event, msg)] == made
    # the same text sent long before this action was confirmed is not this action
    assert ws.find(msg, since=datetime(2100, 1, 1, tzinfo=MSK)) is None


def test_user_from_app_auth_asks_the_portal_who_opened_the_page(bitrix_workspace):
    fake = bitrix_workspace.fake
    tokens = fake.issue_tokens(user_id="5")
    person = bitrix_workspace.user_from_app_auth({"AUTH_ID": tokens["access_token"], "DOMAIN": fake.domain,
                                                  "member_id": "fake-member"})
    assert person.id == "5" and person.name == "Александра Соколова"
    call = fake.called("user.current")[-1]
    assert call.user is None  # the user's own token, not the webhook
    with pytest.raises(WorkspaceAuthError, match="чужого портала"):
        bitrix_workspace.user_from_app_auth({"AUTH_ID": tokens["access_token"], "DOMAIN": "evil.example"})
    with pytest.raises(WorkspaceAuthError):
        bitrix_workspace.user_from_app_auth({"AUTH_ID": "forged", "DOMAIN": fake.domain})


def test_names_still_resolve_while_the_portal_is_down(b24_store, tmp_path, fake_bitrix):
    from tests.fixtures_bitrix import make_bitrix_workspace
    ws = make_bitrix_workspace(b24_store, tmp_path, fake_bitrix, timeout=1.0)
    assert len(ws.people()) == 12
    fake_bitrix.stop()
    ws.clock = lambda: 10 ** 9  # the cache is long stale
    assert len(ws.people()) == 12
    fresh = make_bitrix_workspace(b24_store, tmp_path, fake_bitrix, timeout=1.0)
    assert [p.name for p in fresh.people()][:2] == ["Сергей Иванов", "Сергей Петров"]  # another process
    from sekretar.core.errors import WorkspaceUnavailable
    with pytest.raises(WorkspaceUnavailable):
        make_bitrix_workspace(None, tmp_path, fake_bitrix, timeout=1.0).people()  # nothing saved anywhere
