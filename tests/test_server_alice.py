"""Yandex Alice: the protocol adapter (pure) and the /alice route with a stub dialog."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sekretar.integrations import alice
from sekretar.integrations.speech import spell_digits, spoken

from sekretar.core.errors import BadRequest
from sekretar.core.types import Reply
from tests.fixtures_server import crashes, make_web

DATA = Path(__file__).parent / "data"
RECORDED = {p.stem: json.loads(p.read_text("utf-8")) for p in (DATA / "alice").glob("*.json")}
TTS = yaml.safe_load((DATA / "server_tts.yaml").read_text("utf-8"))


def valid_alice_response(body: dict) -> None:
    assert set(body) <= {"response", "session_state", "user_state_update", "application_state", "version"}
    assert body["version"]
    r = body["response"]
    assert isinstance(r["text"], str) and 0 < len(r["text"]) <= 1024
    assert isinstance(r["tts"], str) and 0 < len(r["tts"]) <= 1024
    assert isinstance(r["end_session"], bool)
    for b in r.get("buttons", []):
        assert 0 < len(b["title"]) <= 64 and isinstance(b.get("hide", True), bool)


@pytest.mark.parametrize("case", TTS, ids=[c["id"] for c in TTS])
def test_tts(case):
    assert spoken(case["text"], case["lang"]) == case["tts"]


def test_code_spelled_digit_by_digit():
    assert spell_digits("552914") == "пять пять два девять один четыре"
    assert spell_digits("0307", "en") == "zero three zero seven"


def test_parse_recorded_first_message():
    req = alice.parse(RECORDED["conversation"][0])
    assert req.user == "alice:6C91DA5198D1758C6A9F63A7C5CDDF09359F683B13A18A151FBF4C8B092BB0C2"
    assert req.new and req.text == "" and req.tz == "Europe/Moscow" and req.lang == "ru"
    assert req.request_id == "alice:2eac4854-fce721f3-b845abba-20d60:0"
    assert req.state is None  # an empty session state: the store has it


def test_user_falls_back_to_application_and_zone_from_meta():
    req = alice.parse(RECORDED["no_account"])
    assert req.user == "alice:47C73714B580ED2469056E71081159529FFC676A4E5B059D629A819E857DC2F8"
    turn = alice.to_turn(req)
    assert turn.tz == "Asia/Yekaterinburg" and turn.now.utcoffset().total_seconds() == 5 * 3600
    assert turn.text.startswith("поставь задачу") and turn.platform == "alice"


@pytest.mark.parametrize("name,hint,text", [("reject", "reject", "Нет."), ("help", "help", "Помощь"),
                                            ("button_yes", "confirm", "Да")])
def test_yandex_intents_and_buttons_become_hints(name, hint, text):
    req = alice.parse(RECORDED[name])
    assert req.hint == hint and req.text == text


@pytest.mark.parametrize("intent,hint", [("YANDEX.REPEAT", "repeat"), ("YANDEX.WHAT_CAN_YOU_DO", "help")])
def test_yandex_repeat_and_what_can_you_do(intent, hint):
    body = json.loads(json.dumps(RECORDED["help"]))
    body["request"]["nlu"]["intents"] = {intent: {"slots": {}}}
    assert alice.parse(body).hint == hint


def test_render_confirmation_has_yes_no_buttons_and_state():
    body = alice.render(Reply("Поставить задачу «Отчёт» на 13:15?", buttons=("Да", "Нет"),
                              state={"pending": 1}, outcome="confirm_asked"))
    valid_alice_response(body)
    assert [b["title"] for b in body["response"]["buttons"]] == ["Да", "Нет"]
    assert body["response"]["buttons"][0]["payload"]["hint"] == "confirm"
    assert body["response"]["tts"] == "Поставить задачу Отчёт на 13 15?"
    assert body["session_state"] == {"pending": 1}


def test_a_state_too_big_for_alice_stays_in_the_store():
    body = alice.render(Reply("Хорошо.", state={"pending": "я" * 2000}))
    assert "session_state" not in body


def test_render_clips_long_text():
    body = alice.render(Reply("слово " * 400, end=True))
    valid_alice_response(body)
    assert body["response"]["end_session"] is True


@pytest.mark.parametrize("body", [None, [], "x", {"session": {}}, {"session": {"session_id": "s"}, "request": {}},
                                  {"session": {"session_id": "s", "application": {"application_id": "a"}},
                                   "request": {"type": "Purchase.Confirmation"}},
                                  {"session": {"session_id": "s", "message_id": "1", "user": {"user_id": "u"}},
                                   "request": {}}],
                         ids=["null", "list", "string", "no-request", "no-user", "unknown-type", "bad-message-id"])
def test_parse_refuses_wrong_shapes(body):
    with pytest.raises(BadRequest):
        alice.parse(body)


# --- the route -----------------------------------------------------------------------
def post(client, body, **kw):
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return client.post("/alice", data=raw, content_type=kw.pop("content_type", "application/json"), **kw)


def test_ping_answers_without_the_dialog(client, stub_app):
    resp = post(client, RECORDED["ping"])
    assert resp.status_code == 200
    valid_alice_response(resp.get_json())
    assert stub_app.turns == []


def test_turn_reaches_the_dialog(client, stub_app):
    body = copy.deepcopy(RECORDED["conversation"][2])
    resp = post(client, body)
    out = resp.get_json()
    valid_alice_response(out)
    assert [b["title"] for b in out["response"]["buttons"]] == ["Да", "Нет"]
    assert out["session_state"] == {"pending": "task"}
    turn = stub_app.turns[-1]
    assert turn.request_id == "alice:2eac4854-fce721f3-b845abba-20d60:2" and turn.platform == "alice"
    assert "13:15" in turn.text


def test_session_state_goes_back_to_the_dialog(client, stub_app):
    body = copy.deepcopy(RECORDED["conversation"][3])
    body["state"]["session"] = {"pending": "task"}
    out = post(client, body).get_json()
    assert stub_app.turns[-1].state == {"pending": "task"} and stub_app.turns[-1].hint == "confirm"
    assert out["response"]["text"] == "Готово." and out["response"]["end_session"] is True


def test_other_skill_refused(stub_app, tmp_path):
    web = make_web(stub_app, tmp_path, alice_skill_id="my-skill")
    resp = post(web.test_client(), RECORDED["conversation"][2])
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "forbidden"
    assert stub_app.turns == []
    body = copy.deepcopy(RECORDED["conversation"][2])
    body["session"]["skill_id"] = "my-skill"
    assert post(web.test_client(), body).status_code == 200


def test_slow_dialog_gets_a_polite_reply_within_the_deadline(stub_app, tmp_path):
    stub_app.sleep = 3
    web = make_web(stub_app, tmp_path, reply_deadline=0.3, action_budget=0.1)
    body = copy.deepcopy(RECORDED["conversation"][2])
    body["request"]["command"] = "медленно"
    out = post(web.test_client(), body).get_json()
    valid_alice_response(out)
    assert "Повторите" in out["response"]["text"]


def test_crashing_dialog_gets_a_polite_reply(client):
    body = copy.deepcopy(RECORDED["conversation"][2])
    body["request"]["command"] = "сломайся"
    resp = post(client, body)
    assert resp.status_code == 200
    valid_alice_response(resp.get_json())


def test_slow_crm_is_queued_within_budget(stub_app, client):
    stub_app.workspace.delay = 1.5
    body = copy.deepcopy(RECORDED["conversation"][3])
    out = post(client, body).get_json()
    assert out["response"]["text"] == "Поставила в очередь."
    rec = stub_app.store.list_actions(("pending",))
    assert len(rec) == 1


@pytest.mark.parametrize("raw,content_type", [
    (b"not json", "application/json"), (b"", "application/json"), (b"{\"session\": 1}", "text/plain"),
    (b"[1,2,3]", "application/json"), ("{\"a\": \"\ud800\"}".encode("utf-8", "surrogatepass"), "application/json"),
], ids=["not-json", "empty", "wrong-shape-text-plain", "array", "bad-utf8"])
def test_bad_input_gets_a_spoken_apology(client, stub_app, raw, content_type):
    resp = client.post("/alice", data=raw, content_type=content_type)
    assert resp.status_code == 200
    valid_alice_response(resp.get_json())
    assert stub_app.turns == []


def test_huge_body_refused_in_alice_shape(client):
    resp = client.post("/alice", data=b"{" + b" " * (200 * 1024) + b"}", content_type="application/json")
    assert resp.status_code == 200  # any non-200 makes Alice say the skill is not answering
    valid_alice_response(resp.get_json())


# --- fuzz: random Alice-shaped payloads always get a valid Alice response -----------
text = st.text(max_size=40)
anything = st.recursive(st.none() | st.booleans() | st.integers() | text,
                        lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
                        max_leaves=6)
maybe = lambda s: st.one_of(s, anything)  # noqa: E731
alice_like = st.fixed_dictionaries(
    {"session": maybe(st.fixed_dictionaries({
        "session_id": maybe(text), "message_id": maybe(st.integers()), "new": maybe(st.booleans()),
        "skill_id": maybe(text),
        "user": maybe(st.fixed_dictionaries({"user_id": maybe(text)})),
        "application": maybe(st.fixed_dictionaries({"application_id": maybe(text)}))})),
     "request": maybe(st.fixed_dictionaries({
         "command": maybe(text), "original_utterance": maybe(text),
         "type": maybe(st.sampled_from(["SimpleUtterance", "ButtonPressed", "Show.Pull", ""])),
         "payload": anything, "nlu": maybe(st.fixed_dictionaries({"intents": anything, "tokens": anything}))})),
     "meta": maybe(st.fixed_dictionaries({"timezone": maybe(st.sampled_from(["Europe/Moscow", "Mars/Base", "", "UTC"])),
                                         "locale": maybe(text)})),
     "state": maybe(st.fixed_dictionaries({"session": anything})),
     "version": anything})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=alice_like)
def test_fuzz_alice_shaped_payloads(client, body):
    resp = post(client, body)
    assert resp.status_code == 200, resp.data[:300]
    valid_alice_response(resp.get_json())
    assert crashes(client) == 0  # an apology must not hide a crash


# --- the same fuzz through the real dialog: never a crash, never "broken" ------------
WORDS = ("поставь задачу на сергея иванова завтра в 13:15 да нет отмена встреча напиши насте привет "
         "не на среду 25 99:99 в следующий вторник ещё код 123456 help yes no").split()


@pytest.fixture(scope="module")
def real_web(tmp_path_factory):
    from datetime import datetime, timezone

    from sekretar.app import open_app
    from sekretar.core.config import Settings
    from sekretar.web import create_app
    from sekretar.web.config import ServerConfig

    settings = Settings(home=tmp_path_factory.mktemp("real-home"))
    app = open_app(settings, action_budget=0.5)
    web = create_app(settings, app=app, config=ServerConfig(drain_interval=0, reply_deadline=3.0, action_budget=0.5))
    person = app.workspace.people()[0]
    code = app.store.issue_code(person.id, app.workspace.name, datetime.now(timezone.utc))
    body = copy.deepcopy(RECORDED["conversation"][1])
    body["request"]["command"] = code
    assert person.name in post(web.test_client(), body).get_json()["response"]["text"]
    yield web
    web.extensions["sekretar"]["shutdown"]()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=80), st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)),
       intent=st.sampled_from([None, *alice.HINTS]), new=st.booleans(), message_id=st.integers(0, 10**6))
def test_fuzz_through_the_real_dialog(real_web, text, intent, new, message_id):
    body = copy.deepcopy(RECORDED["conversation"][2])
    body["request"].update(command=text, original_utterance=text, nlu={"intents": {intent: {}} if intent else {}})
    body["session"].update(new=new, message_id=message_id)
    resp = post(real_web.test_client(), body)
    assert resp.status_code == 200
    out = resp.get_json()
    valid_alice_response(out)
    from sekretar.integrations.speech import phrase

    assert out["response"]["text"] not in (phrase("broken"), phrase("busy"))
    assert crashes(real_web) == 0
