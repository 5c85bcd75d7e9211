"""Yandex Alice protocol details, on recorded requests in the documented shape
(https://yandex.ru/dev/dialogs/alice/doc/ru/request.md, naming-entities.md,
response.md) and through the real dialog: what the person said is kept,
nlu entities are hints, links are url buttons, speech is natural, errors
are HTTP 200 with the Alice body."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sekretar.integrations import alice

from sekretar.core.types import Reply

RECORDED = json.loads((Path(__file__).parent / "data" / "alice" / "conversation.json").read_text("utf-8"))
FIO = {"type": "YANDEX.FIO", "tokens": {"start": 1, "end": 3},
       "value": {"first_name": "дмитрий", "last_name": "орлов"}}
TOMORROW_AT_3 = {"type": "YANDEX.DATETIME", "tokens": {"start": 5, "end": 8},
                 "value": {"day": 1, "day_is_relative": True, "hour": 15, "minute": 0}}


def utterance(original: str, command: str, entities=(), message_id=2) -> dict:
    body = copy.deepcopy(RECORDED[2])
    body["request"].update(original_utterance=original, command=command,
                           nlu={"tokens": command.split(), "entities": list(entities), "intents": {}})
    body["session"]["message_id"] = message_id
    return body


@pytest.mark.parametrize("original,command,said", [
    ("Напиши Дмитрию Орлову, что созвон переносится на 15:30!",
     "напиши дмитрию орлову что созвон переносится на 15 30",
     "Напиши Дмитрию Орлову, что созвон переносится на 15:30!"),
    ("Алиса, попроси Секретаря: поставь задачу Насте «Отчёт Q4».", "поставь задачу насте отчет q4",
     "поставь задачу Насте «Отчёт Q4»."),  # the activation phrase is not the person's command
    ("пастав задачу", "поставь задачу", "поставь задачу"),  # Alice fixed a typo: her command
], ids=["punctuation-and-capitals", "activation-phrase", "typo-fixed"])
def test_the_turn_keeps_what_the_person_said(original, command, said):
    req = alice.parse(utterance(original, command))
    assert req.text == said


def test_entities_become_hints_and_other_nlu_is_ignored():
    body = utterance("Напиши Диме, что я опоздаю завтра в три", "напиши диме что я опоздаю завтра в 3",
                     [FIO, TOMORROW_AT_3, {"type": "YANDEX.GEO", "value": {"city": "москва"}},
                      {"type": "YANDEX.FIO", "value": "garbage"}])
    turn = alice.to_turn(alice.parse(body))
    assert turn.hints == {"fio": [{"first": "дмитрий", "last": "орлов"}],
                          "datetime": [{"day": 1, "hour": 15, "minute": 0, "day_is_relative": True}]}


def test_links_are_url_buttons_not_text():
    url = "https://p.bitrix24.ru/company/personal/user/1/tasks/task/view/42/"
    body = alice.render(Reply(f"Готово: задача «Отчёт» для Сергея Иванова. {url}", buttons=("Ещё",)), lang="ru")
    r = body["response"]
    assert url not in r["text"] and url not in r["tts"] and r["text"].endswith("Иванова.")
    assert r["buttons"][0] == {"title": "Открыть задачу", "url": url, "hide": False}
    assert r["buttons"][1]["title"] == "Ещё"


def test_the_unlinked_greeting_speaks_naturally_and_codes_are_spelled():
    text = ("Здравствуйте! Я секретарь. Сначала привяжите аккаунт. Получите код командой "
            "«sekretar link-code ИМЯ» или на странице вашего рабочего пространства и назовите его мне.")
    r = alice.render(Reply(text), lang="ru")["response"]
    assert "sekretar" in r["text"]  # on the screen, for whoever hands out codes
    assert "sekretar" not in r["tts"] and "link" not in r["tts"]
    assert "Получите код на странице вашего рабочего пространства" in r["tts"]
    r = alice.render(Reply("Ваш код 552914."), lang="ru")["response"]
    assert "пять sil <[200]> пять sil <[200]> два" in r["tts"] and "552914" in r["text"]


# --- through the real dialog -------------------------------------------------------
@pytest.fixture
def web(dialog_parser, tmp_path):
    from sekretar.app import App
    from sekretar.dialog.settings import DialogSettings

    from sekretar.core.config import Settings
    from tests.fixtures_server import make_web

    app = App(Settings(home=tmp_path), parser=dialog_parser, dialog_settings=DialogSettings())
    flask_app = make_web(app, tmp_path, reply_deadline=5.0, action_budget=2.0)
    person = app.workspace.people()[0]
    code = app.store.issue_code(person.id, app.workspace.name, datetime.now(timezone.utc))
    link = copy.deepcopy(RECORDED[1])
    link["request"].update(command=code, original_utterance=code)
    client = flask_app.test_client()
    assert person.name in client.post("/alice", json=link).get_json()["response"]["text"]
    yield client, app
    flask_app.extensions["sekretar"]["shutdown"]()


def say(client, body):
    resp = client.post("/alice", json=body)
    assert resp.status_code == 200
    return resp.get_json()["response"]


def test_a_message_keeps_the_persons_punctuation(web):
    client, app = web
    say(client, utterance("Напиши Дмитрию Орлову: созвон переносится на 15:30, извини!",
                          "напиши дмитрию орлову созвон переносится на 15 30 извини"))
    say(client, utterance("Да.", "да", message_id=3))
    (msg,) = app.workspace.list_items("message")
    assert msg["text"] == "созвон переносится на 15:30, извини!", msg


def test_a_hint_fills_what_the_grammar_missed_and_disagreements_are_counted(web, monkeypatch):
    from sekretar.grammar import hints

    client, app = web
    seen = []
    monkeypatch.setattr(hints, "LISTENERS", [seen.append])
    # the grammar finds the time; Alice's entity says another day: counted, the grammar wins
    other_day = {**TOMORROW_AT_3, "value": {"day": 3, "day_is_relative": True, "hour": 15, "minute": 0}}
    r = say(client, utterance("Поставь задачу Сергею Иванову завтра в 15:00 позвонить клиенту",
                              "поставь задачу сергею иванову завтра в 15 00 позвонить клиенту", [other_day]))
    assert seen == ["datetime"] and "Поставить задачу" in r["text"]


def test_a_fio_hint_names_the_recipient_the_grammar_did_not_find():
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from sekretar.grammar.command import Command
    from sekretar.grammar.hints import apply

    now = datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Moscow"))
    cmd = Command(intent="message", message="я опоздаю", missing=("recipient",))
    out = apply(cmd, {"fio": [{"first": "дмитрий", "last": "орлов"}],
                      "datetime": [{"day": 1, "day_is_relative": True, "hour": 15, "minute": 0}]}, now)
    assert (out.recipient.first, out.recipient.last, out.missing) == ("Дмитрий", "Орлов", ())
    assert out.when.start == now.replace(hour=15) + timedelta(days=1)


def test_an_error_reply_is_http_200_with_the_alice_body(web):
    client, _ = web
    for raw, ctype in ((b"{" + b" " * (200 * 1024) + b"}", "application/json"), (b"x", "text/plain")):
        resp = client.post("/alice", data=raw, content_type=ctype)
        assert resp.status_code == 200 and resp.get_json()["response"]["text"]
    resp = client.put("/alice", json={})
    assert resp.status_code == 405  # not a POST: not Alice asking
