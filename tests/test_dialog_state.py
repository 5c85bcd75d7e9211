"""The dialog's state is typed inside and JSON at the edge: every state a
conversation leaves reads back to the same JSON, its values are typed
(datetimes, a Recipient), and the routing tables cover every step."""
from __future__ import annotations

from datetime import datetime

import pytest
from sekretar.dialog.machine import FALLBACKS, ROUTES
from sekretar.dialog.state import DialogState
from sekretar.dialog.steps import Said, Step
from sekretar.grammar.command import Recipient

NOW = datetime.fromisoformat("2019-03-25T12:28:00+03:00")
USER = "cli:state"
SCRIPTS = [
    ["Поставь задачу на Сергея Иванова на следующий вторник в 13:15", "Отчет маркетинга", "нет, на среду"],
    ["Отправь сообщение Сергею", "Петрова"],
    ["Запланируй встречу завтра с 11 до 13", "Планерка", "в 15:00"],
    ["Send a message to Nastya"],
]


@pytest.fixture
def app(dialog_parser, store, dialog_workspace, dialog_settings):
    from sekretar.app import App

    a = App(dialog_settings, parser=dialog_parser, store=store, workspace=dialog_workspace)
    olga = next(p for p in dialog_workspace.people() if p.name == "Ольга Новикова")
    store.set_link(USER, olga.id, dialog_workspace.name, NOW)
    yield a
    a.close()


@pytest.mark.parametrize("script", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_every_state_reads_back_to_the_same_json(app, script):
    app.turn("отмена", user=USER, now=NOW)
    for text in script:
        reply = app.turn(text, user=USER, now=NOW)
        state = DialogState.from_json(reply.state)
        assert state.to_json() == reply.state, f"{text!r} → {reply.state}"
        assert state.step is not None and state.pending is not None, f"{text!r}: nothing open"
        when = state.pending.when
        assert when is None or isinstance(when.start, datetime)
        assert state.pending.recipient is None or isinstance(state.pending.recipient, Recipient)


def test_garbage_is_no_state():
    for garbage in (None, 1, "x", {"step": "dance"}, {"pending": {"intent": "rocket"}, "step": "slot"},
                    {"pending": {"intent": "task", "when": {"start": "soon"}}, "step": "confirm"}):
        assert DialogState.from_json(garbage) == DialogState()


def test_the_routing_tables_cover_every_step_and_the_fallback_words():
    assert set(ROUTES) == {None, *Step}
    assert set(FALLBACKS) == {Said.HELP, Said.UNLINK, Said.BYE, Said.CANCEL, Said.NO}
