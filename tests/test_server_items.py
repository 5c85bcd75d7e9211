"""Questions and changes over Alice's webhook with the real dialog (every
workspace × store of tests/fixtures_dialog.py): a question answered within
Alice's limits, a change confirmed with YANDEX.CONFIRM, YANDEX.REPEAT."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sekretar.core.types import Action
from tests.fixtures_server import make_web
from tests.test_dialog_conversations import person_id

HELP = json.loads((Path(__file__).parent / "data" / "alice" / "help.json").read_text("utf-8"))
USER = "alice:" + HELP["session"]["user"]["user_id"]


@pytest.fixture
def alice(dialog_app, tmp_path):
    web = make_web(dialog_app, tmp_path)
    client = web.test_client()
    n = [10]

    def say(text: str, intent: str | None = None) -> dict:
        body = copy.deepcopy(HELP)
        n[0] += 1
        body["session"]["message_id"] = n[0]
        body["request"].update(command=text, original_utterance=text)
        body["request"]["nlu"] = {"tokens": text.split(), "entities": [],
                                  "intents": {intent: {"slots": {}}} if intent else {}}
        resp = client.post("/alice", json=body)
        assert resp.status_code == 200
        return resp.get_json()["response"]

    yield say
    web.extensions["sekretar"]["shutdown"]()


def test_question_change_and_repeat_over_alice(alice, dialog_app):
    ws = dialog_app.workspace
    olga = person_id(ws, "Ольга Новикова")
    dialog_app.store.set_link(USER, olga, ws.name, datetime.now(ZoneInfo("UTC")))
    tomorrow = (datetime.now(ZoneInfo("Europe/Moscow")) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0)
    for i in range(6):
        ws.create(Action("event", actor=olga, key=f"e{i}", title=f"Встреча номер {i}" + " очень длинная" * 12,
                         start=tomorrow + timedelta(hours=i), end=tomorrow + timedelta(hours=i, minutes=30)))
    ws.create(Action("event", actor=olga, key="p", title="Планёрка", start=tomorrow.replace(hour=8),
                     end=tomorrow.replace(hour=8, minute=30)))
    asked = alice("что у меня завтра")
    assert asked["text"].startswith("Завтра у вас 7 встреч")
    assert len(asked["text"]) <= 1024 and len(asked["tts"]) <= 1024
    assert "Ещё 4 — рассказать?" in asked["tts"]
    move = alice("перенеси планёрку на 9:00")
    assert "Перенести «Планёрка» завтра с 8:00 на 9:00?" in move["text"]
    assert [b["title"] for b in move["buttons"]] == ["Да", "Нет"]
    done = alice("да", intent="YANDEX.CONFIRM")
    assert done["text"].startswith("Готово: «Планёрка» перенесена на завтра 9:00")
    again = alice("повтори", intent="YANDEX.REPEAT")
    assert again["text"].startswith("Готово: «Планёрка» перенесена")
    can = alice("что ты умеешь", intent="YANDEX.WHAT_CAN_YOU_DO")
    assert "отвечать на вопросы" in can["text"]
    [moved] = [e for e in ws.list_items("event") if e["title"] == "Планёрка"]
    assert datetime.fromisoformat(moved["start"]) == tomorrow.replace(hour=9)
