"""Issue 9, item 1: a turn's `now` anchors words only. Code expiry, try
windows, cool-downs and the age of stored replies run on the SERVER's
clock, whatever `now` an API caller sends; the JSON API does not serve
without a token beyond loopback development."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from tests.security_util import RealServer


@pytest.fixture
def srv(tmp_path, dialog_parser):
    s = RealServer(tmp_path, parser=dialog_parser)
    yield s
    s.close()


def iso(dt) -> str:
    return dt.isoformat()


def test_an_expired_code_stays_expired_whatever_now_says(srv):
    code = srv.code(ttl=1)
    srv.clock.advance(2)  # the code is a second past its life on the server's clock
    hour_back = iso(srv.clock() - timedelta(hours=1))
    out = srv.api("caller", code, now=hour_back).get_json()
    assert out["outcome"] == "link_failed", out
    assert srv.store.get_link("api:caller") is None


def test_a_future_now_does_not_erase_failed_tries(srv):
    code = srv.code(ttl=3600)
    for _ in range(5):
        srv.api("guesser", "000000")
    far = iso(srv.clock() + timedelta(days=1))
    out = srv.api("guesser", code, now=far).get_json()
    assert out["outcome"] == "link_blocked", out
    assert srv.store.get_link("api:guesser") is None
    srv.clock.advance(15 * 60 + 1)  # the window passes on the server's clock: the code works
    assert srv.api("guesser", code).get_json()["outcome"] == "linked"


def test_one_client_gets_five_wrong_codes_per_window_whatever_now_it_sends(srv):
    before = srv.store.guesses_evaluated()
    outcomes = []
    for i in range(40):
        now = srv.clock() + timedelta(minutes=30 * i - 600)  # every turn claims another time
        outcomes.append(srv.api("hammer", f"{i:06d}", now=iso(now)).get_json()["outcome"])
    assert outcomes[:5] == ["link_failed"] * 5 and set(outcomes[5:]) == {"link_blocked"}
    assert srv.store.guesses_evaluated() - before == 5


def test_a_future_now_does_not_age_out_another_users_stored_reply(srv):
    """The reply cache is pruned on the server's clock: a turn claiming to be
    three days ahead must not drop the reply a retried delivery needs."""
    first = srv.api("alice-like", "привет", request_id="m1").get_json()
    srv.api("other", "привет", request_id="m9", now=iso(srv.clock() + timedelta(days=3)))
    assert srv.store.get_reply("api:alice-like", "api:alice-like:m1") is not None
    assert srv.api("alice-like", "привет", request_id="m1").get_json() == first


def test_the_action_record_keeps_server_time(srv):
    """A confirmed action's record and schedule run on the server's clock,
    though the turn said it was 2019."""
    srv.store.set_link("api:boss", srv.person().id, srv.app.workspace.name, srv.clock())
    then = "2019-03-25T12:28:00+03:00"
    asked = srv.api("boss", "Поставь задачу Сергею Иванову отчёт на завтра", now=then).get_json()
    assert asked["outcome"] == "confirm_asked", asked
    done = srv.api("boss", "да", now=then).get_json()
    assert done["outcome"] in ("done", "queued"), done
    with srv.store.db.read() as cur:
        created = cur.from_ts(cur.one("SELECT created_at FROM actions")[0])
    assert abs((created - srv.clock()).total_seconds()) < 5


# --- the JSON API without a token ---------------------------------------------------
def test_without_a_token_the_api_answers_loopback_clients_only(tmp_path, stub_app, caplog):
    from tests.fixtures_server import make_web

    caplog.set_level(logging.WARNING, logger="sekretar.server")
    web = make_web(stub_app, tmp_path)
    assert any("SEKRETAR_API_TOKEN is not set" in r.getMessage() for r in caplog.records)
    c = web.test_client()
    body = {"user": "u", "text": "привет"}
    assert c.post("/api/v1/turn", json=body).status_code == 200  # loopback: development
    far = c.post("/api/v1/turn", json=body, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    proxied = c.post("/api/v1/turn", json=body, headers={"X-Forwarded-For": "203.0.113.7"})
    rebound = c.post("/api/v1/turn", json=body, headers={"Host": "attacker.example"})
    for resp in (far, proxied, rebound):
        assert resp.status_code == 403 and "SEKRETAR_API_TOKEN" in resp.get_json()["error"]["message"]
    assert len(stub_app.turns) == 1
    web.extensions["sekretar"]["shutdown"]()


def test_in_production_the_api_is_off_without_a_token(tmp_path, stub_app, caplog):
    from tests.fixtures_server import make_web

    caplog.set_level(logging.WARNING, logger="sekretar.server")
    web = make_web(stub_app, tmp_path, env="production")
    assert any("/api/v1/turn is off" in r.getMessage() for r in caplog.records)
    resp = web.test_client().post("/api/v1/turn", json={"user": "u", "text": "привет"})
    assert resp.status_code == 403 and stub_app.turns == []
    web.extensions["sekretar"]["shutdown"]()
    with_token = make_web(stub_app, tmp_path, env="production", api_token="t")
    ok = with_token.test_client().post("/api/v1/turn", json={"user": "u", "text": "привет"},
                                       headers={"Authorization": "Bearer t"})
    assert ok.status_code == 200
    with_token.extensions["sekretar"]["shutdown"]()


@pytest.mark.parametrize("host,production", [("127.0.0.1", False), ("::1", False), ("localhost", False),
                                             ("0.0.0.0", True), ("192.0.2.10", True)])
def test_what_production_means(host, production):
    from sekretar.web.config import ServerConfig

    assert ServerConfig(host=host).production is production
    assert ServerConfig(host=host, env="production").production is True
    assert ServerConfig(host=host, env="development").production is False
