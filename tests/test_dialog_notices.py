"""A queued action that fails for good is told to its person on their next
turn, on any platform, with the reason; «повтори» right after makes it
(issue 9, item 6). The real App on the loopback portal."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sekretar.dialog.settings import DialogSettings

from sekretar.app import App
from sekretar.core.config import Settings
from sekretar.core.types import Turn
from tests.fixtures_bitrix import make_bitrix_workspace

NOW = datetime(2019, 3, 25, 12, 28, tzinfo=timezone(timedelta(hours=3)))


@pytest.fixture
def app(dialog_parser, b24_store, tmp_path, fake_bitrix):
    ws = make_bitrix_workspace(b24_store, tmp_path, fake_bitrix, timeout=1.0)
    a = App(Settings(home=tmp_path, workspace="bitrix24"), parser=dialog_parser, store=b24_store,
            workspace=ws, dialog_settings=DialogSettings())
    for user in ("alice:olga", "google:olga"):
        b24_store.set_link(user, "12", "bitrix24", NOW)  # Ольга Новикова on two platforms
    yield a
    a.close()
    ws.client.close()


def say(app, text, user="alice:olga"):
    return app.handle(Turn(user=user, text=text, now=NOW, tz="Europe/Moscow", lang="ru"))


def drain(app):
    return app.outbox.drain(seconds=5, clock=lambda: datetime.now(timezone.utc) + timedelta(hours=1))


def test_a_failure_after_queued_is_told_once_on_the_next_turn_and_retried_by_voice(app, fake_bitrix):
    fake_bitrix.fail("500", methods=["tasks.task.add"])
    say(app, "Поставь задачу Сергею Иванову подготовить отчёт")
    queued = say(app, "да")
    assert queued.outcome == "queued" and "будет" in queued.text, queued.text
    fake_bitrix.fail("denied", methods=["tasks.task.add"])  # the retry is refused for good
    assert drain(app).failed == 1
    # the next turn, on another platform, says so first, in plain words
    told = say(app, "Помощь", user="google:olga")
    assert told.text.startswith("Не получилось поставить задачу «Подготовить отчёт»"), told.text
    assert "нет прав" in told.text and "повтори" in told.text, told.text
    assert told.outcome == "help"
    again = say(app, "привет", user="alice:olga")
    assert "Не получилось" not in again.text  # told once
    assert fake_bitrix.state.tasks == []


def test_try_again_right_after_the_notice(app, fake_bitrix):
    fake_bitrix.fail("500", methods=["tasks.task.add"])
    say(app, "Поставь задачу Сергею Иванову подготовить отчёт")
    say(app, "да")
    fake_bitrix.fail("denied", methods=["tasks.task.add"])
    drain(app)
    told = say(app, "Помощь")
    assert "Не получилось" in told.text
    done = say(app, "повтори")
    assert done.outcome == "retried" and "Готово" in done.text, done.text
    assert len(fake_bitrix.state.tasks) == 1
    again = say(app, "повтори")  # only right after the notice; otherwise the last reply again (dialog/items.py)
    assert again.outcome == "repeated" and again.text == done.text, again
    assert len(fake_bitrix.state.tasks) == 1


def test_a_forged_offer_cannot_retry_someone_elses_action(app, fake_bitrix):
    fake_bitrix.fail("denied", methods=["tasks.task.add"])
    say(app, "Поставь задачу Сергею Иванову подготовить отчёт", user="alice:olga")
    assert say(app, "да", user="alice:olga").outcome == "failed"
    key = app.store.list_actions(("failed",))[0].key
    app.store.set_link("alice:mallory", "1", "bitrix24", NOW)
    reply = app.handle(Turn(user="alice:mallory", text="повтори", now=NOW, tz="Europe/Moscow", lang="ru",
                            state={"retry_offer": [key]}))
    assert reply.outcome != "retried"
    assert fake_bitrix.state.tasks == [] and app.store.get_action(key).status == "failed"


def test_a_failure_the_reply_said_itself_is_not_told_again(app, fake_bitrix):
    fake_bitrix.fail("denied", methods=["tasks.task.add"])
    say(app, "Поставь задачу Сергею Иванову подготовить отчёт")
    assert say(app, "да").outcome == "failed"
    assert "Не получилось поставить" not in say(app, "Помощь").text


def test_many_failures_are_told_a_few_per_turn(app, fake_bitrix):
    from sekretar.core.types import Action

    for i in range(5):
        a = Action("task", "12", f"many-{i}", target="1", title=f"Задача {i}")
        app.store.add_action(a.key, "alice:olga", a.to_json(), NOW)
        rec = app.store.claim_action(a.key, NOW, 60)
        app.store.settle_action(a.key, rec.claim, "failed", NOW, error="нет прав", fail_kind="rejected")
    told = [say(app, "Помощь").text.count("Не получилось") for _ in range(4)]
    assert told == [2, 2, 1, 0]
