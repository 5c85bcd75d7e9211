"""Google Assistant Conversational Actions: the adapter, the route, and the
google-assistant-signature JWT checked against keys served on loopback."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sekretar.integrations import google

from tests.fixtures_server import crashes, make_web

PROJECT = "sekretar-test-project"


def request_body(query="поставь задачу на сергея иванова", intent="actions.intent.TEXT", uid="u-1", state=None,
                 status="VERIFIED"):
    return {
        "handler": {"name": "main_handler"},
        "intent": {"name": intent, "params": {}, "query": query},
        "scene": {"name": "Main", "slotFillingStatus": "UNSPECIFIED", "slots": {}},
        "session": {"id": "ABwppHG-session", "params": {google.STATE: state} if state else {},
                    "typeOverrides": [], "languageCode": ""},
        "user": {"locale": "ru-RU", "params": {google.UID: uid} if uid else {}, "accountLinkingStatus": "NOT_LINKED",
                 "verificationStatus": status},
        "home": {"params": {}},
        "device": {"capabilities": ["SPEECH", "RICH_RESPONSE"], "timeZone": {"id": "Europe/Samara"}},
    }


def test_parse_and_turn():
    req = google.parse(request_body(state={"pending": 1}))
    turn = google.to_turn(req)
    assert turn.user == "google:u-1" and turn.platform == "google" and turn.tz == "Europe/Samara"
    assert turn.text == "поставь задачу на сергея иванова" and turn.state == {"pending": 1} and turn.lang == "ru"


def test_main_invocation_starts_a_session_with_no_text():
    turn = google.to_turn(google.parse(request_body("Talk to Sekretar", intent="actions.intent.MAIN")))
    assert turn.new_session and turn.text == ""


def test_new_user_gets_a_stable_id_in_user_storage():
    req = google.parse(request_body(uid=None))
    from sekretar.core.types import Reply

    body = google.render(Reply("Привет", state={"a": 1}), req)
    assert body["user"]["params"][google.UID] == req.uid and len(req.uid) == 32
    assert body["session"] == {"id": "ABwppHG-session", "params": {google.STATE: {"a": 1}}}


def test_route_renders_prompt_suggestions_and_end(client, stub_app):
    out = client.post("/google", json=request_body()).get_json()
    assert out["prompt"]["firstSimple"]["text"].startswith("Поставить задачу")
    assert "13 15" in out["prompt"]["firstSimple"]["speech"]
    assert out["prompt"]["suggestions"] == [{"title": "Да"}, {"title": "Нет"}]
    out = client.post("/google", json=request_body("да", intent="YES")).get_json()
    assert stub_app.turns[-1].hint == "confirm"
    assert out["scene"]["next"]["name"] == "actions.scene.END_CONVERSATION"


def test_a_guest_is_not_linked_and_told_why(client, stub_app):
    """A GUEST gets a new user id each conversation and their user storage is
    wiped (developers.google.com/assistant/conversational/storage-user):
    sekretar does not run the dialog for them nor write user.params."""
    for status in ("GUEST", "USER_VERIFICATION_STATUS_UNSPECIFIED", None):
        body = request_body(status=status)
        if status is None:
            del body["user"]["verificationStatus"]
        out = client.post("/google", json=body).get_json()
        assert "гостевом режиме" in out["prompt"]["firstSimple"]["text"]
        assert "user" not in out and out["scene"]["next"]["name"] == "actions.scene.END_CONVERSATION"
    assert stub_app.turns == []
    req = google.parse(request_body(status="GUEST", uid="remembered-from-before"))
    assert not req.verified and req.uid != "remembered-from-before"
    # the status the storage docs' own example keeps inside user.params also counts
    body = request_body(status=None)
    body["user"]["params"]["verificationStatus"] = "VERIFIED"
    assert google.parse(body).verified


def test_first_simple_text_is_clipped_at_640_at_a_word_break():
    from sekretar.core.types import Reply

    long = " ".join(["слово"] * 200)
    body = google.render(Reply(long), google.parse(request_body()))
    text = body["prompt"]["firstSimple"]["text"]
    assert len(text) <= 640 and text.endswith("слово…")
    assert body["prompt"]["firstSimple"]["speech"].count("слово") == 200  # speech has no documented limit


@pytest.mark.parametrize("body", [[], {"session": {}}, {"session": {"id": "s"}, "intent": {"query": 5}}],
                         ids=["array", "no-session-id", "query-not-string"])
def test_bad_shapes(client, body):
    resp = client.post("/google", json=body)
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "bad_request"


# --- signature ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def keys():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": "k1", "alg": "RS256", "use": "sig"})
    body = json.dumps({"keys": [jwk]}).encode()

    class Certs(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Certs)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {"private": private, "other": other, "url": f"http://127.0.0.1:{httpd.server_port}/certs"}
    httpd.shutdown()


def token(key, aud=PROJECT, iss="https://accounts.google.com", exp_in=300, kid="k1"):
    now = int(time.time())
    return jwt.encode({"aud": aud, "iss": iss, "iat": now, "nbf": now, "exp": now + exp_in}, key,
                      algorithm="RS256", headers={"kid": kid})


@pytest.mark.parametrize("make,status", [
    (lambda k: token(k["private"]), 200),
    (lambda k: None, 403),
    (lambda k: "garbage", 403),
    (lambda k: token(k["private"], aud="someone-else"), 403),
    (lambda k: token(k["private"], iss="https://evil.example"), 403),
    (lambda k: token(k["private"], exp_in=-60), 403),
    (lambda k: token(k["other"]), 403),
    (lambda k: token(k["private"], kid="unknown"), 403),
], ids=["valid", "missing", "garbage", "wrong-audience", "wrong-issuer", "expired", "wrong-key", "unknown-kid"])
def test_signature(stub_app, tmp_path, keys, make, status):
    web = make_web(stub_app, tmp_path, google_project_id=PROJECT, google_certs_url=keys["url"])
    tok = make(keys)
    headers = {"google-assistant-signature": tok} if tok else {}
    resp = web.test_client().post("/google", json=request_body(), headers=headers)
    assert resp.status_code == status
    assert bool(stub_app.turns) == (status == 200)


# --- fuzz: any JSON gets a well-formed answer, never a 500 -------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st

_text = st.text(max_size=30)
_any = st.recursive(st.none() | st.booleans() | st.integers() | _text,
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(_text, c, max_size=3), max_leaves=6)
_maybe = lambda s: st.one_of(s, _any)  # noqa: E731
_google_like = st.fixed_dictionaries({
    "handler": _maybe(st.fixed_dictionaries({"name": _maybe(_text)})),
    "intent": _maybe(st.fixed_dictionaries({"name": _maybe(st.sampled_from(["actions.intent.MAIN", "YES", "x"])),
                                            "query": _maybe(_text), "params": _any})),
    "session": _maybe(st.fixed_dictionaries({"id": _maybe(_text), "params": _any})),
    "user": _maybe(st.fixed_dictionaries({"locale": _any, "params": _any})),
    "device": _maybe(st.fixed_dictionaries({"timeZone": _any})),
    "scene": _any})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_google_like)
def test_fuzz_google_shaped_payloads(client, body):
    resp = client.post("/google", json=body)
    assert resp.status_code in (200, 400), resp.data[:300]
    out = resp.get_json()
    assert "prompt" in out if resp.status_code == 200 else out["error"]["code"] == "bad_request"
    assert crashes(client) == 0
