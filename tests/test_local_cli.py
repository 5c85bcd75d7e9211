"""The workspace commands as a user runs them: subprocesses with
SEKRETAR_HOME in a temporary directory (and SEKRETAR_DATABASE_URL on both
store backends for the commands that touch the store)."""
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from sekretar.integrations.local import LocalWorkspace
from sekretar.store import open_store

from sekretar.core.types import Action


def run(home, *args, db_url=None, workspace=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEKRETAR_")}
    env["SEKRETAR_HOME"] = str(home)
    env["SEKRETAR_LANG"] = "ru"
    if db_url:
        env["SEKRETAR_DATABASE_URL"] = db_url
    if workspace:
        env["SEKRETAR_WORKSPACE"] = workspace
    res = subprocess.run([sys.executable, "-m", "sekretar.cli", *args], capture_output=True, text=True,
                         env=env, timeout=120)
    assert "Traceback" not in res.stderr
    return res


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


def test_people_table_and_json(home):
    res = run(home, "people")
    assert res.returncode == 0
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "email"]
    assert "Сергей Иванов" in lines[2] and "s.ivanov@example.com" in lines[2]
    assert (home / "sekretar.db").exists()
    rows = [json.loads(ln) for ln in run(home, "people", "--json").stdout.splitlines()]
    assert rows[0] == {"id": "1", "name": "Сергей Иванов", "first": "Сергей", "last": "Иванов",
                       "middle": None, "email": "s.ivanov@example.com", "gender": None}
    assert [r["name"] for r in rows[:9]][-1] == "Дмитрий Орлов"


def test_link_code_by_id_and_by_name_redeems(home, store_url):
    res = run(home, "link-code", "7", "--length", "8", "--ttl", "120", db_url=store_url)
    assert res.returncode == 0, res.stderr
    code = res.stdout.strip()
    assert code.isdigit() and len(code) == 8
    assert "Анна Петрова" in res.stderr
    named = run(home, "link-code", "Настя", db_url=store_url).stdout.strip()
    assert len(named) == 6
    from sekretar.core.config import secret_key

    s = open_store(store_url, code_key=secret_key(home))  # the CLI's key (SEKRETAR_HOME/secret.key)
    now = datetime.now(timezone.utc)
    assert s.redeem_code(code, now) == ("7", "local")
    assert s.redeem_code(named, now) == ("3", "local")
    s.close()


def test_link_code_for_a_name_in_two_words(home):
    res = run(home, "link-code", "Мария", "Иванова")
    assert res.returncode == 0 and "Мария Иванова (id 8" in res.stderr


@pytest.mark.parametrize("args, message", [
    (("link-code", "Сергей"), "ambiguous: 1: Сергей Иванов"),
    (("link-code", "Саша"), "4: Александр Кузнецов"),
    (("link-code", "Козлов"), "nobody called 'Козлов'"),
    (("link-code", "404"), "no person with id 404"),
    (("link-code", "1", "--length", "2"), "4 to 12 digits"),
], ids=["ambiguous Сергей", "ambiguous Саша", "unknown name", "unknown id", "bad length"])
def test_link_code_errors_are_clear(home, args, message):
    res = run(home, *args)
    assert res.returncode == 2 and message in res.stderr and res.stdout == ""


def test_people_import_replaces_the_directory(home, tmp_path):
    f = tmp_path / "staff.csv"
    f.write_text("name,email\nИрина Орлова,i.orlova@example.com\nКозлов Пётр Ильич,\n", encoding="utf-8")
    res = run(home, "people", "import", str(f))
    assert res.returncode == 0 and "2 people imported" in res.stdout
    rows = [json.loads(ln) for ln in run(home, "people", "--json").stdout.splitlines()]
    assert [(r["id"], r["first"], r["last"], r["middle"]) for r in rows] == [
        ("13", "Ирина", "Орлова", None), ("14", "Пётр", "Козлов", "Ильич")]  # after the demo's 1..12
    assert run(home, "link-code", "Козлов").returncode == 0


def test_people_import_bad_file(home, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("fio\nСергей Иванов\n", encoding="utf-8")
    res = run(home, "people", "import", str(f))
    assert res.returncode == 2 and "'name'" in res.stderr
    res = run(home, "people", "import", str(tmp_path / "missing.csv"))
    assert res.returncode == 2 and "no such file" in res.stderr


def test_lists_empty_then_filled(home, store_url):
    for command in ("tasks", "events", "messages"):
        res = run(home, command, db_url=store_url)
        assert res.returncode == 0 and res.stdout.strip() == f"(no {command})"
        assert run(home, command, "--json", db_url=store_url).stdout == ""
    s = open_store(store_url)
    ws = LocalWorkspace(s.db)
    deadline = datetime(2019, 4, 2, 13, 15, tzinfo=timezone.utc)
    ws.create(Action("task", actor="3", key="t", target="1", title="Отчёт", start=deadline))
    ws.create(Action("task", actor="3", key="t2", title="Купить хлеб", start=deadline, remind=60))
    ws.create(Action("event", actor="3", key="e", title="Планёрка", start=deadline))
    ws.create(Action("message", actor="3", key="m", target="9", text="Привет, Дима"))
    s.close()
    [task, reminded] = [json.loads(ln) for ln in run(home, "tasks", "--json", db_url=store_url).stdout.splitlines()]
    assert task["responsible"] == "Сергей Иванов" and task["deadline"] == deadline.isoformat()
    assert set(task) == {"id", "title", "responsible", "responsible_id", "deadline", "created_by",
                         "created_by_id", "created_at", "status"}
    assert task["status"] == "open"
    assert reminded["remind"] == 60 and reminded["title"] == "Купить хлеб"  # minutes before the deadline
    [event] = [json.loads(ln) for ln in run(home, "events", "--json", db_url=store_url).stdout.splitlines()]
    assert set(event) == {"id", "title", "start", "end", "all_day", "owner", "owner_id", "cancelled"}
    [msg] = [json.loads(ln) for ln in run(home, "messages", "--json", db_url=store_url).stdout.splitlines()]
    assert set(msg) == {"id", "to", "to_id", "text", "from", "from_id", "created_at"}
    table = run(home, "tasks", db_url=store_url).stdout.splitlines()
    assert table[0].split() == ["id", "title", "responsible", "deadline", "remind", "status", "created_by",
                                "created_at"]
    assert "Отчёт" in table[2] and "Анастасия Смирнова" in table[2] and " - " in table[2]
    assert "Купить хлеб" in table[3] and " 60 " in table[3]


def test_unknown_workspace_is_a_clear_error(home):
    res = run(home, "people", workspace="jira")
    assert res.returncode == 2 and "unknown workspace 'jira'" in res.stderr


def test_workspace_without_list_items_says_so(monkeypatch, tmp_path, capsys):
    from sekretar import cli, integrations

    class Remote:
        name = "remote"

        def people(self):
            return []

        def get_person(self, person_id):
            return None

    monkeypatch.setenv("SEKRETAR_HOME", str(tmp_path))
    monkeypatch.delenv("SEKRETAR_DATABASE_URL", raising=False)
    monkeypatch.setattr(integrations, "open_workspace", lambda settings, store: Remote())
    assert cli.main(["tasks"]) == 2
    assert "cannot list tasks" in capsys.readouterr().err
    assert cli.main(["people", "import", str(tmp_path / "x.csv")]) == 2  # the file is checked first
    (tmp_path / "x.csv").write_text("name\nСергей Иванов\n", encoding="utf-8")
    assert cli.main(["people", "import", str(tmp_path / "x.csv")]) == 2
    assert "managed in remote" in capsys.readouterr().err


def test_people_import_dry_run_shows_the_changes_and_keeps_links(home, tmp_path, store_url):
    s = open_store(store_url)
    LocalWorkspace(s.db)  # the demo directory
    s.set_link("alice:dmitry", "9", "local", datetime.now(timezone.utc))
    s.set_link("alice:olga", "12", "local", datetime.now(timezone.utc))
    s.close()
    f = tmp_path / "staff.csv"
    f.write_text("name,email\nИрина Орлова,i.orlova@example.com\nОльга Новикова,o.novikova@example.com\n",
                 encoding="utf-8")
    res = run(home, "people", "import", str(f), "--dry-run", db_url=store_url)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "Dry run" in out and "+ 13: Ирина Орлова" in out and "- 9: Дмитрий Орлов" in out
    assert "alice:dmitry" in out and "would be unlinked" in out and "Nothing was changed" in out
    assert "alice:olga" not in out
    s = open_store(store_url)
    assert s.get_link("alice:dmitry").person_id == "9"
    s.close()
    res = run(home, "people", "import", str(f), db_url=store_url)
    assert res.returncode == 0 and "1 linked accounts unlinked" in res.stdout
    s = open_store(store_url)
    assert s.get_link("alice:dmitry") is None and s.get_link("alice:olga").person_id == "12"
    s.close()
