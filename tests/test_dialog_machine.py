"""The dialog's behaviour around the workspace and the platform: a CRM that
is down or refuses, state carried by the platform, stale state, speech."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sekretar.core.errors import WorkspaceRejected, WorkspaceUnavailable
from sekretar.core.types import Turn

NOW = datetime.fromisoformat("2019-03-25T12:28:00+03:00")
USER = "alice:machine"


class Flaky:
    """The real workspace, with failures switched on per test."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.people_error = None
        self.people_override = None
        self.create_error = None
        self.created = 0

    def people(self):
        if self.people_error:
            raise self.people_error
        return self.people_override or self.inner.people()

    def get_person(self, pid):
        for p in self.people_override or ():
            if p.id == pid:
                return p
        return self.inner.get_person(pid)

    def create(self, action):
        if self.create_error:
            raise self.create_error
        self.created += 1
        return self.inner.create(action)

    def list_items(self, kind):
        return self.inner.list_items(kind)


@pytest.fixture
def app(dialog_parser, store, dialog_workspace, dialog_settings, server_clock):
    from sekretar.dialog.settings import DialogSettings

    from sekretar.app import App

    ws = Flaky(dialog_workspace)
    a = App(dialog_settings, parser=dialog_parser, store=store, workspace=ws,
            dialog_settings=DialogSettings(state_ttl_seconds=600), clock=server_clock)
    olga = next(p for p in ws.people() if p.name == "Ольга Новикова")
    store.set_link(USER, olga.id, ws.name, NOW)
    yield a
    a.close()


def say(app, text, now=NOW, **kw):
    return app.handle(Turn(user=USER, text=text, now=now, tz="Europe/Moscow", lang="ru", **kw))


def test_directory_down_keeps_the_conversation(app):
    assert say(app, "Отправить сообщение привет.").outcome == "asked"
    app.workspace.people_error = WorkspaceUnavailable("портал не отвечает")
    reply = say(app, "Сергею Иванову")
    assert reply.outcome == "unavailable"
    assert "портал не отвечает" in reply.text
    app.workspace.people_error = None
    reply = say(app, "Сергею Иванову")
    assert "Отправить сообщение Сергею Иванову: «привет»?" in reply.text


def test_crm_down_queues_the_action(app):
    say(app, "Добавь Сергею Иванову задачу на послезавтра и назови ее привет.")
    app.workspace.create_error = WorkspaceUnavailable("timeout")
    reply = say(app, "да")
    assert reply.outcome == "queued"
    assert "будет создана, как только" in reply.text
    assert app.store.list_actions(("pending",))


def test_crm_refusal_says_why(app):
    say(app, "Отправить сообщение Сергею Иванову привет.")
    app.workspace.create_error = WorkspaceRejected("получатель заблокирован")
    reply = say(app, "да")
    assert reply.outcome == "failed"
    assert "получатель заблокирован" in reply.text


def test_state_carried_by_the_platform(app):
    asked = say(app, "Отправить сообщение.", state={})
    assert asked.state["step"] == "slot"
    # the platform sends the state back; the store's copy is not needed
    app.store.save_state(USER, None, NOW)
    reply = say(app, "Насте", state=asked.state)
    assert "Что написать Анастасии Смирновой?" in reply.text


def test_stale_state_is_dropped(app, server_clock):
    """Its age is measured on the server's clock (issue 9): a turn's `now`
    neither keeps a stale state alive nor drops a fresh one."""
    say(app, "Отправить сообщение.")
    assert say(app, "Насте", now=NOW + timedelta(hours=2)).outcome == "asked"  # fresh on the server's clock
    say(app, "Отправить сообщение.")
    server_clock.advance(2 * 3600)
    reply = say(app, "Насте")
    assert reply.outcome == "not_understood"


def test_speech_has_no_quotes(app):
    reply = say(app, "Отправить сообщение Сергею Иванову привет.")
    assert "«" in reply.text
    assert reply.tts and "«" not in reply.tts and "привет" in reply.tts


def test_same_request_twice_acts_once(app):
    say(app, "Отправить сообщение Сергею Иванову привет.", request_id="r1")
    first = say(app, "да", request_id="r2")
    again = say(app, "да", request_id="r2")
    assert first.outcome == again.outcome == "done"
    assert first.text == again.text
    assert app.workspace.created == 1


def test_greeting_repeats_the_open_question(app):
    say(app, "Отправить сообщение.")
    reply = say(app, "")
    assert "Кому отправить сообщение?" in reply.text


HOSTILE = ["", "   ", "...", "🙂" * 300, "задачу " * 800, "\x00\x1b[31m\u202e", "'; DROP TABLE links; --",
           "да нет", "1" * 40, "нет, не , а ", "не а", "назови её", "текст:"]


@pytest.mark.parametrize("opening", [None, "Отправить сообщение.", "Отправь сообщение Сергею.",
                                     "Отправить сообщение Сергею Иванову привет."],
                         ids=["idle", "slot", "pick", "confirm"])
def test_any_text_at_any_step_gets_an_answer(app, opening):
    for text in HOSTILE:
        if opening:
            say(app, "отмена")
            say(app, opening)
        reply = say(app, text)
        assert reply.text.strip(), text
        assert isinstance(reply.state, dict)
    assert app.workspace.created == 0


def test_unlinked_any_text_gets_an_answer(app):
    for text in HOSTILE:
        reply = app.handle(Turn(user="alice:stranger", text=text, now=NOW, tz="Europe/Moscow"))
        assert reply.text.strip(), text


@pytest.mark.parametrize("state", [
    {"step": "confirm", "pending": {"intent": "task", "when": {"start": "not a date"}}},
    {"step": "confirm", "pending": {"intent": "rocket"}},
    {"step": "pick", "pending": {"intent": "message", "choices": [{"x": 1}]}},
    {"step": "dance"},
    {"pending": "nonsense", "step": "slot"},
    {"pending": {"intent": "message", "recipient": {"nick": "x"}}, "step": "confirm"},
], ids=["bad-date", "bad-intent", "bad-choices", "bad-step", "bad-pending", "bad-recipient"])
def test_garbage_state_from_a_platform_starts_afresh(app, state):
    reply = say(app, "да", state=state)
    assert reply.outcome == "nothing"
    assert app.workspace.created == 0


def test_many_namesakes_ask_for_the_last_name(app):
    from sekretar.core.types import Person

    lasts = ["Орлов", "Белов", "Зайцев", "Громов", "Титов", "Ершов"]
    app.workspace.people_override = app.workspace.inner.people() + [
        Person(f"x{i}", "Глеб", last, gender="m") for i, last in enumerate(lasts)]
    reply = say(app, "Отправить сообщение Глебу привет.")
    assert reply.outcome == "ambiguous"
    assert "Назовите фамилию" in reply.text and "6" in reply.text
    assert reply.buttons == ()
    reply = say(app, "Громову")
    assert "Отправить сообщение Глебу Громову: «привет»?" in reply.text


@pytest.mark.parametrize("state", [
    {"step": "change_confirm", "change": {"action": "explode"}},
    {"step": "change_pick", "change": {"action": "move", "choices": [{"nonsense": 1}]}},
    {"more": [1, 2]}, {"it": {"kind": 5}}, {"said": ["x"]}, {"step": "change_ask"},
], ids=["bad-action", "bad-choice", "bad-more", "bad-it", "bad-said", "no-change"])
def test_a_garbled_items_state_starts_afresh(state):
    from sekretar.dialog.state import DialogState

    assert DialogState.from_json(state) == DialogState()  # the whole state dropped: the conversation afresh
