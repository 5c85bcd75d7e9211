"""A task's reminder in the workspaces (issue 11): what each workspace keeps
(`Workspace.carries`), the local workspace's `remind_minutes` column on both
backends (migration 005, an older database included), Bitrix24 sending none
(its REST has no reminder on a task, and the fake portal refuses fields the
docs do not list), and the reminder's lead in words."""
from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone

import pytest
import requests

from sekretar.integrations.local import LocalWorkspace
from sekretar.integrations.people import DATA

from sekretar.core.intents import EXTRAS
from sekretar.core.types import Action, workspace_carries

MSK = timezone(timedelta(hours=3))
DEADLINE = datetime(2019, 3, 26, 10, 0, tzinfo=MSK)


def _task(**kw) -> Action:
    return Action(**{**dict(kind="task", actor="3", key="rem-1", title="Купить хлеб", start=DEADLINE,
                            remind=60), **kw})


@pytest.fixture
def ws(store):
    return LocalWorkspace(store.db)


# --- what each workspace keeps -------------------------------------------------
def test_the_local_workspace_keeps_a_tasks_reminder_and_an_events_extras(ws):
    assert ws.carries("task", "remind")
    assert all(ws.carries("event", extra) for extra in EXTRAS)
    assert not ws.carries("task", "participants") and not ws.carries("message", "remind")


def test_bitrix24_keeps_an_events_extras_but_no_reminder_on_a_task(bitrix_workspace):
    assert not bitrix_workspace.carries("task", "remind")
    assert all(bitrix_workspace.carries("event", extra) for extra in EXTRAS)


def test_a_workspace_without_carries_is_taken_at_the_actions_word():
    class Bare:
        name = "bare"

    class Says:
        name = "says"

        def carries(self, kind, extra):
            return kind == "event"

    assert workspace_carries(Bare(), "task", "remind") is True
    assert (workspace_carries(Says(), "task", "remind"), workspace_carries(Says(), "event", "remind")) == (False, True)


# --- the local workspace's column, SQLite and PostgreSQL ---------------------------
def test_a_tasks_reminder_is_stored_once_and_listed(ws):
    ws.create(_task())
    ws.create(_task())  # the same key: one row
    ws.create(_task(key="rem-2", title="Позвонить", remind=None))
    first, second = ws.list_items("task")
    assert (first["title"], first["remind"], first["deadline"]) == ("Купить хлеб", 60, DEADLINE.isoformat())
    assert "remind" not in second  # a task's reminder only when it has one


def test_a_reminder_without_a_deadline_is_not_stored(ws):
    # the dialog never sends one (it asks for the deadline); the workspace does not trust that
    ws.create(_task(start=None))
    (item,) = ws.list_items("task")
    assert item["deadline"] is None and "remind" not in item


def test_an_older_database_gains_the_column(store, tmp_path):
    """A database made before migration 005: its tasks read back without a
    reminder, and new ones keep theirs."""
    old = tmp_path / "schema_v4"
    old.mkdir()
    for f in (DATA / "local_schema").iterdir():
        if f.name.endswith(".sql") and int(f.name[:3]) < 5:
            shutil.copy(f, old / f.name)
    assert store.db.migrate("local", old) == 4
    with store.db.tx() as cur:
        cur.execute("INSERT INTO local_tasks (action_key, title, responsible_id, responsible, created_by_id,"
                    " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    ("old", "Старая задача", "1", "Сергей Иванов", "1", "Сергей Иванов",
                     cur.ts(datetime.now(timezone.utc))))
    ws = LocalWorkspace(store.db)  # applies 005
    ws.create(_task())
    old_task, new_task = ws.list_items("task")
    assert old_task["title"] == "Старая задача" and "remind" not in old_task
    assert new_task["remind"] == 60


# --- Bitrix24: no reminder field on tasks.task.add -------------------------------
def test_bitrix24_creates_the_task_and_sends_no_reminder(bitrix_workspace):
    created = bitrix_workspace.create(_task(target="3"))
    (call,) = bitrix_workspace.fake.called("tasks.task.add")
    fields = call.params["fields"]
    assert set(fields) == {"TITLE", "RESPONSIBLE_ID", "CREATED_BY", "DESCRIPTION", "DEADLINE"}
    assert created.kind == "task" and bitrix_workspace.fake.state.tasks[0]["title"] == "Купить хлеб"


@pytest.mark.parametrize("field", ["REMIND", "REMINDERS", "TASK_REMINDER"])
def test_the_fake_portal_refuses_a_field_the_docs_do_not_list(fake_bitrix, field):
    r = requests.post(fake_bitrix.webhook_url + "tasks.task.add.json",
                      json={"fields": {"TITLE": "x", "RESPONSIBLE_ID": "2", field: [{"type": "min", "count": 60}]}},
                      timeout=5)
    assert r.status_code == 400 and r.json()["error"] == "ERROR_CORE" and field in r.json()["error_description"]
    assert fake_bitrix.state.tasks == []
    ok = requests.post(fake_bitrix.webhook_url + "tasks.task.add.json",
                       json={"fields": {"TITLE": "x", "RESPONSIBLE_ID": "2", "UF_CRM_TASK": ["D_1"]}}, timeout=5)
    assert ok.status_code == 200  # user fields are the portal's own


# --- the lead in words ------------------------------------------------------------
LEADS = [("ru", 1, "1 минуту"), ("ru", 15, "15 минут"), ("ru", 22, "22 минуты"), ("ru", 60, "1 час"),
         ("ru", 90, "90 минут"), ("ru", 120, "2 часа"), ("ru", 300, "5 часов"), ("ru", 1440, "1 день"),
         ("ru", 2880, "2 дня"), ("ru", 10080, "1 неделю"), ("ru", 21 * 60, "21 час"),
         ("en", 1, "1 minute"), ("en", 15, "15 minutes"), ("en", 60, "1 hour"), ("en", 180, "3 hours"),
         ("en", 1440, "1 day"), ("en", 20160, "2 weeks")]


@pytest.mark.parametrize("lang,minutes,words", LEADS, ids=[f"{l}-{m}" for l, m, _ in LEADS])
def test_a_reminders_lead_in_words(lang, minutes, words):
    from sekretar.dialog.invite import lead
    from sekretar.dialog.lexicon import lexicon

    assert lead(lexicon(lang), minutes) == words, f"{minutes} min in {lang}"
