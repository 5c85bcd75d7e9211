"""Properties over random conversations (hypothesis): whatever is said, in
whatever order, with repeated deliveries, every reply has text, and the
workspace holds exactly one item per "done" — never two for one
confirmation."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sekretar.core.types import Turn

NOW = datetime.fromisoformat("2019-03-25T12:28:00+03:00")
SAY = [
    "Отправить сообщение Сергею Иванову привет.", "Отправь сообщение Сергею.", "Поставь задачу.",
    "Добавь событие в календарь.", "Запланируй встречу завтра с 14 до 15", "Поставь задачу Насте на завтра",
    "да", "да", "давай", "нет", "отмена", "помощь", "нет, на среду", "в 15:00", "не Иванову, а Попову",
    "назови её отчёт", "текст другой: привет", "Петрова", "второго", "Насте", "на завтра", "Планерка",
    "привет", "какая сегодня погода", "", "yes", "Send a message to Nastya saying hi", "no, at 3 pm",
]


@pytest.fixture(scope="module")
def parser():
    import pymorphy3
    from sekretar.grammar import Parser

    return Parser(morph=pymorphy3.MorphAnalyzer())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=st.lists(st.tuples(st.sampled_from(SAY), st.booleans()), min_size=1, max_size=14))
def test_one_item_per_done(parser, tmp_path_factory, turns):
    from sekretar.dialog.settings import DialogSettings
    from sekretar.integrations import open_workspace
    from sekretar.store import open_store

    from sekretar.app import App
    from sekretar.core.config import Settings

    home = tmp_path_factory.mktemp("prop")
    store = open_store(f"sqlite:///{home / 's.db'}")
    settings_ = Settings(home=home, database_url=store.url)
    ws = open_workspace(settings_, store)
    app = App(settings_, parser=parser, store=store, workspace=ws, dialog_settings=DialogSettings())
    try:
        olga = next(p for p in ws.people() if p.name == "Ольга Новикова")
        store.set_link("prop:user", olga.id, ws.name, NOW)
        done = 0
        for n, (text, redeliver) in enumerate(turns):
            turn = Turn(user="prop:user", text=text, now=NOW + timedelta(seconds=n), request_id=f"r{n}")
            reply = app.handle(turn)
            assert reply.text.strip()
            if redeliver:  # the platform delivers the same request again
                again = app.handle(turn)
                assert (again.text, again.outcome) == (reply.text, reply.outcome)
            done += reply.outcome == "done"
        held = sum(len(ws.list_items(kind)) for kind in ("task", "event", "message"))
        assert held == done
    finally:
        app.close()
        store.close()
