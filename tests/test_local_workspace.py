"""The local workspace on both backends: demo seed, creating with
idempotency keys, listing, importing a directory."""
from datetime import datetime, timedelta, timezone

import pytest
from sekretar.integrations import open_workspace
from sekretar.integrations.local import LocalWorkspace, read_people_csv

from sekretar.core.config import Settings
from sekretar.core.errors import ConfigError, WorkspaceRejected
from sekretar.core.types import Action, Created, Workspace

MSK = timezone(timedelta(hours=3))
DEMO = ["Сергей Иванов", "Сергей Петров", "Анастасия Смирнова", "Александр Кузнецов",
        "Александра Соколова", "Антон Попов", "Анна Петрова", "Мария Иванова", "Дмитрий Орлов"]


@pytest.fixture
def ws(store):
    return LocalWorkspace(store.db)


def test_seeded_with_the_demo_directory(ws):
    people = ws.people()
    assert [p.name for p in people[:9]] == DEMO
    assert [p.id for p in people] == [str(i) for i in range(1, len(people) + 1)]
    assert ws.get_person("1").email == "s.ivanov@example.com"
    assert ws.get_person("999") is None
    assert isinstance(ws, Workspace) and ws.name == "local"


def test_reopening_does_not_reseed_or_duplicate(store, tmp_path):
    f = tmp_path / "people.csv"
    f.write_text("name\nИван Грозный\n", encoding="utf-8")
    LocalWorkspace(store.db).import_people(read_people_csv(f))
    assert [p.name for p in LocalWorkspace(store.db).people()] == ["Иван Грозный"]


def test_task_for_a_target_with_deadline(ws):
    deadline = datetime(2019, 4, 2, 13, 15, tzinfo=MSK)
    created = ws.create(Action("task", actor="3", key="k1", target="1", title="Подготовить отчёт",
                               start=deadline))
    assert created == Created("task", "1")
    [item] = ws.list_items("task")
    assert item["title"] == "Подготовить отчёт"
    assert (item["responsible"], item["responsible_id"]) == ("Сергей Иванов", "1")
    assert (item["created_by"], item["created_by_id"]) == ("Анастасия Смирнова", "3")
    assert item["deadline"] == "2019-04-02T13:15:00+03:00"
    assert datetime.fromisoformat(item["created_at"]).tzinfo is not None
    assert set(item) == {"id", "title", "responsible", "responsible_id", "deadline", "created_by",
                         "created_by_id", "created_at", "status"}


def test_task_for_oneself_without_deadline(ws):
    ws.create(Action("task", actor="2", key="k", title="Позвонить"))
    [item] = ws.list_items("task")
    assert (item["responsible_id"], item["deadline"]) == ("2", None)


def test_same_key_never_makes_two_rows(ws):
    a = Action("message", actor="1", key="dup", target="9", text="Привет")
    first = ws.create(a)
    assert ws.create(a) == first
    assert len(ws.list_items("message")) == 1


def test_event_and_message(ws):
    start = datetime(2019, 3, 26, 0, 0, tzinfo=MSK)
    ws.create(Action("event", actor="1", key="e1", title="Планёрка", start=start,
                     end=start + timedelta(days=1), all_day=True))
    ws.create(Action("event", actor="1", key="e2", title="Созвон", start=start.replace(hour=15)))
    ws.create(Action("message", actor="1", key="m1", target="7", text="Отчёт готов"))
    events = ws.list_items("event")
    assert events[0] == {"id": "1", "title": "Планёрка", "start": "2019-03-26T00:00:00+03:00",
                         "end": "2019-03-27T00:00:00+03:00", "all_day": True, "owner": "Сергей Иванов",
                         "owner_id": "1", "cancelled": False}
    assert events[1]["end"] is None and events[1]["all_day"] is False
    [msg] = ws.list_items("message")
    assert {k: msg[k] for k in ("id", "to", "to_id", "text", "from", "from_id")} == {
        "id": "1", "to": "Анна Петрова", "to_id": "7", "text": "Отчёт готов", "from": "Сергей Иванов",
        "from_id": "1"}


@pytest.mark.parametrize("action, reason", [
    (Action("task", actor="1", key="a"), "title"),
    (Action("event", actor="1", key="b", title="X"), "start"),
    (Action("message", actor="1", key="c", text="X"), "recipient"),
    (Action("message", actor="1", key="d", target="2"), "text"),
    (Action("message", actor="1", key="e", target="404", text="X"), "404"),
    (Action("call", actor="1", key="f"), "call"),
], ids=["task without title", "event without start", "message without recipient",
        "message without text", "unknown target", "unknown kind"])
def test_bad_actions_are_rejected_for_good(ws, action, reason):
    with pytest.raises(WorkspaceRejected, match=reason):
        ws.create(action)


def test_import_replaces_the_directory(ws, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("name;email\nОрлова Ирина Петровна;i@example.com\nPetr Sidorov;\nИванов Сергей;\n",
                 encoding="utf-8")
    assert ws.import_people(read_people_csv(f)).total == 3
    people = ws.people()
    # Сергей Иванов (by name) keeps his id; the new people get ids never used before
    assert [(p.id, p.first, p.last, p.middle, p.email) for p in people] == [
        ("13", "Ирина", "Орлова", "Петровна", "i@example.com"),
        ("14", "Petr", "Sidorov", None, None),
        ("1", "Сергей", "Иванов", None, None)]
    assert [p.id for p in ws.directory().match_text("Ира")] == ["13"]
    assert ws.get_person("2") is None  # removed


@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ("email\na@b.c\n", "'name'"),
    ("name\nМадонна\n", "line 2"),
    ("name,email\nСергей Иванов,not-an-email\n", "e-mail"),
    ("name\n\n", "no people"),
], ids=["empty", "no name column", "one word", "bad email", "header only"])
def test_bad_csv_is_a_clear_error(tmp_path, content, message):
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_people_csv(f)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        read_people_csv(tmp_path / "none.csv")
    f = tmp_path / "b.csv"
    f.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="UTF-8"):
        read_people_csv(f)


def test_open_workspace_factory(tmp_path, store):
    ws = open_workspace(Settings(home=tmp_path, workspace="local"), store)
    assert ws.name == "local" and ws.db is store.db
    with pytest.raises(ConfigError, match="unknown workspace"):
        open_workspace(Settings(home=tmp_path, workspace="jira"), store)
