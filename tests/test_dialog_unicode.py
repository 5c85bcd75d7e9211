"""Text with code points Unicode has no name for (unassigned, private use)
reaches every step of a conversation without breaking it. pymorphy3 raises
on such characters; the fuzzed Alice webhook found it at a correction."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
ODD = ["°O\U000179ef\u00f8", "\U000e0100\U0010fffd", "Сергею \U000179ef", "\ue000 Иванову"]


def _linked(app, user):
    code = app.store.issue_code("1", app.workspace.name, datetime.now(timezone.utc))  # the server's clock
    assert "привязан" in app.turn(code, user=user, now=NOW).text


@pytest.mark.parametrize("odd", ODD, ids=range(len(ODD)))
def test_odd_code_points_at_every_step(dialog_app, odd):
    user = "test:odd"
    _linked(dialog_app, user)
    steps = [
        odd,                                              # as a command
        "Напиши сообщение",                               # → "Кому отправить сообщение?"
        odd,                                              # as the recipient
        "Поставь задачу Антону Попову отчёт на завтра",  # → confirmation
        odd,                                              # as a correction
        "не Попову, а " + odd,                            # as a named correction
    ]
    for text in steps:
        reply = dialog_app.turn(text, user=user, now=NOW)
        assert reply.text and "сломалось" not in reply.text
