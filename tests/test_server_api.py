"""The JSON API: /api/v1/turn, its bearer token, its errors, and its OpenAPI
description fuzzed against the app with schemathesis."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.fixtures_server import crashes, make_web


def turn(client, body, **kw):
    return client.post("/api/v1/turn", json=body, **kw)


def test_turn_round_trip(client, stub_app):
    resp = turn(client, {"user": "web:42", "text": "Поставь задачу на Сергея Иванова", "now": "2019-03-25T12:28:00+03:00",
                         "tz": "Asia/Omsk", "lang": "ru"})
    assert resp.status_code == 200
    out = resp.get_json()
    assert out == {"text": "Поставить задачу «Отчёт» Сергею Иванову на 2 апреля 13:15?",
                   "tts": "Поставить задачу Отчёт Сергею Иванову на 2 апреля 13 15?", "end": False,
                   "buttons": ["Да", "Нет"], "outcome": "confirm_asked"}
    t = stub_app.turns[-1]
    assert t.user == "api:web:42" and t.platform == "api" and t.tz == "Asia/Omsk"
    assert t.now.isoformat() == "2019-03-25T15:28:00+06:00" and t.state is None


def test_request_id_is_scoped_to_the_user(client, stub_app):
    turn(client, {"user": "u1", "text": "да", "request_id": "m-1"})
    assert stub_app.turns[-1].request_id == "api:u1:m-1"


@pytest.mark.parametrize("body,message", [
    ({"text": "x"}, "'user' is required"),
    ({"user": "u"}, "'text' is required"),
    ({"user": "  ", "text": "x"}, "must not be empty"),
    ({"user": 5, "text": "x"}, "'user' must be a string"),
    ({"user": "u", "text": "x" * 1001}, "longer than 1000"),
    ({"user": "u", "text": "x", "tz": "Mars/Base"}, "unknown time zone"),
    ({"user": "u", "text": "x", "lang": "de"}, "'lang' must be"),
    ({"user": "u", "text": "x", "now": "вчера"}, "ISO-8601"),
    ({"user": "u", "text": "x", "now": "2019-03-25T12:28:00"}, "UTC offset"),
    ({"user": "u", "text": "x", "extra": 1}, "unknown field"),
    ([1, 2], "JSON object"),
], ids=["no-user", "no-text", "blank-user", "user-not-string", "long-text", "bad-tz", "bad-lang", "bad-now",
        "naive-now", "unknown-field", "array"])
def test_bad_requests(client, stub_app, body, message):
    resp = turn(client, body)
    assert resp.status_code == 400
    err = resp.get_json()["error"]
    assert err["code"] == "bad_request" and message in err["message"]
    assert stub_app.turns == []


def test_not_json(client):
    resp = client.post("/api/v1/turn", data=b"\x00\xff", content_type="application/json")
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "bad_request"


def test_bearer_token(stub_app, tmp_path):
    c = make_web(stub_app, tmp_path, api_token="s3cret").test_client()
    body = {"user": "u", "text": "привет"}
    assert turn(c, body).status_code == 401
    assert turn(c, body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert turn(c, body, headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_slow_dialog_is_a_503(stub_app, tmp_path):
    stub_app.sleep = 2
    c = make_web(stub_app, tmp_path, reply_deadline=0.2, action_budget=0.1).test_client()
    resp = turn(c, {"user": "u", "text": "медленно"})
    assert resp.status_code == 503 and resp.get_json()["error"]["code"] == "busy"


def test_crash_is_a_json_500(client):
    resp = turn(client, {"user": "u", "text": "сломайся"})
    assert resp.status_code == 500 and resp.get_json() == {"error": {"code": "internal", "message": "internal error"}}


def test_openapi_is_served(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and "/api/v1/turn" in doc["paths"]


# --- schemathesis: the description matches the behaviour ----------------------------
def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
            negative_data_rejection]


@pytest.fixture
def token_web(stub_app, tmp_path):
    """The app as deployed: with SEKRETAR_API_TOKEN (schemathesis' WSGI
    client sends no REMOTE_ADDR: not a loopback client)."""
    web = make_web(stub_app, tmp_path, api_token="fuzz-token")
    yield web
    web.extensions["sekretar"]["shutdown"]()


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_matches_its_description(token_web, mode):
    from schemathesis.generation import GenerationMode

    web = token_web
    api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", web)
    checks = _checks()
    ran = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if mode == "negative" and operation.method.upper() == "GET":
            continue  # nothing in a bare GET can be made invalid

        @given(case=operation.as_strategy(GenerationMode(mode)))
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(checks=checks, headers={"Authorization": "Bearer fuzz-token"})
            ran.append(case)

        check()
    assert len(ran) >= 50
    assert crashes(web) == 0
