"""Bitrix24Workspace against the fake portal: each method with the right fields."""
from __future__ import annotations

import time
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
    assert call.params["FILTER"] == {"ACTIVE": True, "USER_TYPE": "employee"}
    assert call.params["select"] == ["ID", "ACTIVE", "NAME", "LAST_NAME", "SECOND_NAME", "EMAIL",
                                     "PERSONAL_GENDER", "USER_TYPE"]


def test_extranet_users_and_bots_are_not_people(bitrix_workspace):
    fake = bitrix_workspace.fake
    fake.add_user(ID=80, NAME="Внешний", LAST_NAME="Партнёр", USER_TYPE="extranet")
    fake.add_user(ID=81, NAME="Бот", LAST_NAME="Битрикс", USER_TYPE="bot")
    assert not {"80", "81"} & {p.id for p in bitrix_workspace.people()}


def test_a_big_directory_is_read_in_one_page_and_one_batch(bitrix_workspace):
    fake = bitrix_workspace.fake
    for i in range(100, 400):
        fake.add_user(ID=i, NAME=f"Имя{i}", LAST_NAME="Фамилия")
    people = bitrix_workspace.people()
    assert len(people) == 312 and len({p.id for p in people}) == 312
    assert fake.methods() == ["user.get", "batch"]  # not seven user.get calls one after another
    (batch,) = fake.called("batch")
    assert len(batch.params["cmd"]) == 6 and batch.params["cmd"]["p50"].startswith("user.get?FILTER[ACTIVE]=Y")


def wait_refreshed(ws):
    for _ in range(200):
        if not ws.directory._refreshing:
            return
        time.sleep(0.02)


def test_people_are_cached_and_refreshed_in_the_background(bitrix_workspace):
    ws, fake = bitrix_workspace, bitrix_workspace.fake
    now = [0.0]
    ws.clock = lambda: now[0]
    ws.people()
    now[0] = 299
    ws.people()
    assert len(fake.called("user.get")) == 1
    fake.add_user(ID=90, NAME="Новенький", LAST_NAME="Сотрудник")
    fake.fail("delay", methods=["user.get"], seconds=0.5)
    now[0] = 301
    assert "90" not in {p.id for p in ws.people()}  # the turn got the list it had, without waiting
    wait_refreshed(ws)
    assert len(fake.calls) == 2 and "90" in {p.id for p in ws.people()}


def test_get_person_by_portal_id(bitrix_workspace):
    assert bitrix_workspace.get_person("7").name == "Анна Петрова"
    assert bitrix_workspace.get_person("999") is None
    assert bitrix_workspace.get_person("Анна") is None  # not an id: no call at all
    assert [c.params["FILTER"] for c in bitrix_workspace.fake.called("user.get")] == [
        {"ACTIVE": True, "USER_TYPE": "employee"}, {"ID": "999"}]
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
    assert fake.called("calendar.section.get") == []  # the portal picks the default section itself
    first = fake.called("calendar.event.add")[0].params
    assert first["type"] == "user" and first["ownerId"] == "4" and first["name"] == "Планёрка"
    assert (first["from"], first["to"]) == ("2026-12-01 15:00:00", "2026-12-01 16:00:00")  # default hour
    assert first["timezone_from"] == first["timezone_to"] == "Europe/Moscow"
    assert first["skip_time"] == "N"
    assert "section" not in first and fake.state.events[0]["SECTION_ID"] == fake.state.sections["4"][0]["ID"]
    assert "[sekretar:k-ev]" in first["description"]
    assert fake.called("calendar.event.add")[1].params["to"] == "2026-12-01 14:00:00"
    assert created.url == f"{fake.portal}/company/personal/user/4/calendar/?EVENT_ID={created.id}"


def test_a_portal_that_requires_the_section_gets_the_owners_first_one(bitrix_workspace):
    fake = bitrix_workspace.fake
    fake.auto_section = False
    start = datetime(2026, 12, 1, 15, 0, tzinfo=MSK)
    for key in ("a", "b"):
        bitrix_workspace.create(Action("event", actor="4", key=key, title="Планёрка", start=start))
    (sec,) = fake.called("calendar.section.get")  # asked once per owner, then cached
    assert sec.params == {"type": "user", "ownerId": "4"}
    assert [c.params.get("section") for c in fake.calls if c.method == "calendar.event.add"] == [
        None, fake.state.sections["4"][0]["ID"], fake.state.sections["4"][0]["ID"]]  # learnt once
    assert len(fake.state.events) == 2


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


def test_the_look_up_asks_only_for_what_could_be_this_action(bitrix_workspace):
    """Creator, responsible, created since the action was recorded (tasks);
    FIRST_ID after the last message sent before it (messages): cheap on a
    portal with thousands of tasks and a long chat."""
    ws, fake = bitrix_workspace, bitrix_workspace.fake
    for i in range(3):
        ws.create(Action("message", "1", f"old{i}", target="5", text="Жду отчёт"))
    recorded = datetime.now(MSK)
    time.sleep(1.1)
    task = Action("task", "1", "t-narrow", target="2", title="Отчёт")
    msg = Action("message", "1", "m-narrow", target="5", text="Жду отчёт")
    assert ws.find(task, since=recorded) is None and ws.find(msg, since=recorded) is None
    (lookup,) = fake.called("tasks.task.list")
    assert lookup.params["filter"] == {"CREATED_BY": "1", "RESPONSIBLE_ID": "2",
                                       ">=CREATED_DATE": (recorded - timedelta(minutes=5)).isoformat(timespec="seconds")}
    (read,) = fake.called("im.dialog.messages.get")
    assert read.params["FIRST_ID"] == 3  # after the last message known to predate the action
    made = ws.create(msg)
    assert ws.find(msg, since=recorded) == made
    assert fake.called("im.dialog.messages.get")[-1].params["FIRST_ID"] == 3


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
    assert len(ws.refresh_people()) == 12 and "unreachable" in ws.people_stale
    fresh = make_bitrix_workspace(b24_store, tmp_path, fake_bitrix, timeout=1.0)
    assert [p.name for p in fresh.people()][:2] == ["Сергей Иванов", "Сергей Петров"]  # another process
    from sekretar.core.errors import WorkspaceUnavailable
    with pytest.raises(WorkspaceUnavailable):
        make_bitrix_workspace(None, tmp_path, fake_bitrix, timeout=1.0).people()  # nothing saved anywhere
