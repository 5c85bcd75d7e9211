"""`people import` keeps identities (issue 9, item 7): a linked account
never becomes somebody else; links and pending actions follow the person
(by id column, else e-mail, else name); a removed person's link ends and
the user is told; --dry-run changes nothing. And the CSV's own traps
(item 11): an unclosed quote, a NUL, duplicate rows."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sekretar.integrations.directory_import import import_directory, read_people_csv
from sekretar.integrations.local import LocalWorkspace
from sekretar.integrations.outbox import Outbox

from sekretar.core.errors import ConfigError
from sekretar.core.types import Action

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def ws(store):
    return LocalWorkspace(store.db)


def csv_file(tmp_path, text, name="p.csv"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def do_import(ws, store, tmp_path, text, **kw):
    return import_directory(ws, store, read_people_csv(csv_file(tmp_path, text)), now=T0, **kw)


def test_an_import_of_other_names_in_another_order_moves_nobody(ws, store, tmp_path):
    store.set_link("alice:olga", "12", "local", T0)        # Ольга Новикова
    store.set_link("alice:sergey", "1", "local", T0)       # Сергей Иванов
    plan = do_import(ws, store, tmp_path,
                     "name,email\nИрина Орлова,i@example.com\nОльга Новикова,o.novikova@example.com\n"
                     "Иванов Сергей,\nПётр Козлов,\n")
    assert ws.get_person(store.get_link("alice:olga").person_id).name == "Ольга Новикова"
    assert ws.get_person(store.get_link("alice:sergey").person_id).name == "Сергей Иванов"
    assert [p.name for p in plan.added] == ["Ирина Орлова", "Пётр Козлов"]
    assert {p.id for p in plan.added}.isdisjoint({str(i) for i in range(1, 13)})  # never an old id
    assert len(plan.removed) == 10 and plan.unlinked == []


def test_by_email_a_renamed_person_keeps_their_id(ws, store, tmp_path):
    store.set_link("alice:anna", "7", "local", T0)  # Анна Петрова, a.petrova@example.com
    do_import(ws, store, tmp_path, "name;email\nАнна Смирнова;a.petrova@example.com\n")
    assert store.get_link("alice:anna").person_id == "7"
    assert ws.get_person("7").name == "Анна Смирнова"


def test_the_same_name_with_another_email_is_another_person(ws, store, tmp_path):
    store.set_link("alice:sergey", "1", "local", T0)
    plan = do_import(ws, store, tmp_path, "name,email\nСергей Иванов,other@example.com\n")
    assert [p.id for p in plan.removed if p.id == "1"] == ["1"]
    assert store.get_link("alice:sergey") is None


def test_an_id_column_is_the_identity_and_links_and_pending_actions_follow(ws, store, tmp_path):
    store.set_link("alice:olga", "12", "local", T0)
    # a pending action of Ольга for Сергей (the portal was down)
    action = Action("task", "12", "pend-1", target="1", title="Отчёт")
    store.add_action(action.key, "alice:olga", action.to_json(), T0)
    plan = do_import(ws, store, tmp_path,
                     "id,name,email\nE-77,Ольга Новикова,o.novikova@example.com\n"
                     "E-12,Сергей Иванов,s.ivanov@example.com\n")
    assert plan.mapping == {"12": "E-77", "1": "E-12"}
    assert store.get_link("alice:olga").person_id == "E-77"
    moved = store.get_action("pend-1")
    assert (moved.payload["actor"], moved.payload["target"], moved.person_id) == ("E-77", "E-12", "E-77")
    assert Outbox(store, ws).drain(seconds=5, clock=lambda: T0 + timedelta(seconds=1)).done == 1
    (task,) = ws.list_items("task")
    assert (task["responsible_id"], task["created_by"]) == ("E-12", "Ольга Новикова")
    # the next import by id: the same people, renamed, keep everything
    do_import(ws, store, tmp_path, "id,name\nE-77,Ольга Смирнова\nE-12,Сергей Иванов\n")
    assert store.get_link("alice:olga").person_id == "E-77"
    assert ws.get_person("E-77").name == "Ольга Смирнова"


def test_a_removed_persons_link_ends_and_they_are_told(ws, store, tmp_path):
    store.set_link("alice:dmitry", "9", "local", T0)
    store.set_link("google:dmitry", "9", "local", T0)
    plan = do_import(ws, store, tmp_path, "name,email\nСергей Иванов,s.ivanov@example.com\n")
    assert sorted(plan.unlinked) == [("alice:dmitry", "9"), ("google:dmitry", "9")]
    assert store.get_link("alice:dmitry") is None
    assert store.take_notices("alice:dmitry") == [("link_removed", "9")]
    assert store.take_notices("alice:dmitry") == []
    # an action still waiting for him fails in plain words
    with pytest.raises(Exception, match="больше нет в справочнике"):
        ws.create(Action("task", "1", "k-gone", target="9", title="Т"))


def test_dry_run_changes_nothing(ws, store, tmp_path):
    store.set_link("alice:dmitry", "9", "local", T0)
    before = ws.people()
    plan = do_import(ws, store, tmp_path, "name\nСергей Иванов\nИрина Орлова\n", dry_run=True)
    assert [p.name for p in plan.added] == ["Ирина Орлова"] and plan.unlinked == [("alice:dmitry", "9")]
    assert ws.people() == before
    assert store.get_link("alice:dmitry").person_id == "9" and store.take_notices("alice:dmitry") == []


@pytest.mark.parametrize("content, message", [
    ('name,email\n"Кавычкин,a@x.ru\nИван Петров,i@x.ru\n', "line 2: a double quote"),
    ('name,email\nИван Петров,i@x.ru\n"Кавычкин Иван,a@x.ru\n', "line 3: a double quote"),
    ("name,email\nИван\x00 Петров,i@x.ru\n", "line 2: a NUL"),
    ("name,email\nИван Петров,i@x.ru\nПётр Иванов,I@x.ru\n", "line 3: the e-mail 'i@x.ru' is on line 2"),
    ("id,name\n7,Иван Петров\n7,Пётр Иванов\n", "line 3: the id '7' is on line 2"),
    ("id,name\n,Иван Петров\n", "line 2: the id is empty"),
    ("name,email\nИван Петров,i@x.ru,extra\n", "line 2: more cells"),
    ("name\n" + "Иван " + "П" * 200_000 + "\n", "line 2"),
], ids=["unclosed quote", "unclosed quote later", "NUL", "same e-mail", "same id", "empty id",
        "extra cell", "huge cell"])
def test_a_bad_directory_file_is_refused_naming_the_line(tmp_path, content, message):
    with pytest.raises(ConfigError, match=message):
        read_people_csv(csv_file(tmp_path, content))


def test_quoted_cells_still_read(tmp_path):
    people = read_people_csv(csv_file(tmp_path, 'name,email\n"Иван Петров","i@x.ru"\n"Орлова Ирина Петровна",\n'))
    assert [(p.first, p.last, p.middle, p.email) for p in people] == [
        ("Иван", "Петров", None, "i@x.ru"), ("Ирина", "Орлова", "Петровна", None)]


def test_a_command_being_confirmed_follows_the_person_too(ws, store, tmp_path):
    store.save_state("alice:olga", {"step": "confirm", "pending": {"intent": "task", "person": "1",
                                                                   "choices": ["1", "2"]}}, T0)
    do_import(ws, store, tmp_path, "id,name,email\nE-12,Сергей Иванов,s.ivanov@example.com\n"
                                   "E-13,Сергей Петров,s.petrov@example.com\n")
    pending = store.load_state("alice:olga")["pending"]
    assert pending["person"] == "E-12" and pending["choices"] == ["E-12", "E-13"]
