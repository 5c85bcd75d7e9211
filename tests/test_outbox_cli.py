"""`sekretar outbox` and `sekretar outbox drain` on a real store and the fake portal."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sekretar.integrations.outbox import Outbox
from sekretar.store import open_store

from sekretar.cli import main
from sekretar.core.types import Action
from tests.fixtures_bitrix import make_bitrix_workspace, use_portal_cli


@pytest.fixture
def env(tmp_path, fake_bitrix, monkeypatch):
    return use_portal_cli(monkeypatch, tmp_path, fake_bitrix)


def queue(home, fake, n=2):
    """Confirm n tasks while the portal is down, an hour ago."""
    store = open_store(f"sqlite:///{home / 'sekretar.db'}")
    ws = make_bitrix_workspace(store, home, fake, timeout=1.0)
    fake.stop()
    then = datetime.now(timezone.utc) - timedelta(hours=1)
    for i in range(n):
        outcome = Outbox(store, ws).submit(Action("task", "1", f"cli-{i}", target="2", title=f"Задача {i}"),
                                           "cli:local", then)
        assert outcome.status == "queued"
    store.close()
    fake.start()


def test_empty_outbox(env, capsys):
    assert main(["outbox"]) == 0
    assert "Очередь пуста" in capsys.readouterr().out
    assert main(["outbox", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_list_then_drain(env, fake_bitrix, capsys):
    queue(env, fake_bitrix)
    assert main(["outbox", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["key"], r["status"], r["kind"], r["attempts"]) for r in rows] == [
        ("cli-0", "pending", "task", 1), ("cli-1", "pending", "task", 1)]
    assert all("Битрикс24" in r["error"] and r["next_try_at"] for r in rows)
    assert main(["outbox"]) == 0
    text = capsys.readouterr().out
    assert "cli-0" in text and "Задача 1" in text and "Ждут: 2" in text

    assert main(["outbox", "drain", "--seconds", "10", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {"done": 2, "retried": 0, "failed": 0, "pending": 0, "failed_total": 0}
    assert len(fake_bitrix.state.tasks) == 2
    assert main(["outbox", "drain"]) == 0
    assert "Выполнено: 0" in capsys.readouterr().out
    assert len(fake_bitrix.state.tasks) == 2
    assert main(["outbox", "--json", "--all"]) == 0
    assert {r["status"] for r in json.loads(capsys.readouterr().out)} == {"done"}


def test_drain_with_the_portal_still_down_keeps_them(env, fake_bitrix, capsys):
    queue(env, fake_bitrix, n=1)
    fake_bitrix.stop()
    assert main(["outbox", "drain", "--seconds", "5", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["retried"] == 1 and report["pending"] == 1 and report["done"] == 0


def test_drain_with_a_bad_webhook_says_what_to_fix(env, fake_bitrix, monkeypatch, capsys):
    queue(env, fake_bitrix, n=1)
    monkeypatch.setenv("SEKRETAR_BITRIX24_WEBHOOK", fake_bitrix.webhook_url.replace(fake_bitrix.secret, "nope"))
    assert main(["outbox", "drain", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["failed"] == 1
    assert main(["outbox"]) == 0
    out = capsys.readouterr().out
    assert "failed" in out and "SEKRETAR_BITRIX24_WEBHOOK" in out and "nope" not in out


def test_drain_without_configuration_is_a_clear_error(env, monkeypatch, capsys):
    monkeypatch.delenv("SEKRETAR_BITRIX24_WEBHOOK")
    assert main(["outbox", "drain"]) == 2
    err = capsys.readouterr().err
    assert "SEKRETAR_BITRIX24_WEBHOOK" in err and "Traceback" not in err


def test_retry_puts_failed_actions_back_and_tries_them(env, fake_bitrix, capsys):
    queue(env, fake_bitrix, n=1)
    fake_bitrix.fail("denied", methods=["tasks.task.list"])
    assert main(["outbox", "drain", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["failed"] == 1
    assert main(["outbox", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["status"] == "failed" and row["fail_kind"] == "lookup"
    assert main(["outbox", "retry", "nope"]) == 2
    assert "not a failed action" in capsys.readouterr().err
    assert main(["outbox", "retry", "--checked", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"key": "cli-0", "status": "done", "error": None}]
    assert len(fake_bitrix.state.tasks) == 1
    assert main(["outbox", "retry"]) == 0
    assert "Нет неудавшихся" in capsys.readouterr().out
