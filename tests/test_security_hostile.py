"""Issue 9, items 8 and 11: hostile input gets a clear answer, never a
crash; the catch-all handlers did not fire (`crashes()`: the server counts
every time they do, so an apology cannot hide a crash)."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures_server import crashes
from tests.security_util import RealServer, alice_body, google_body

SEKRETAR = str(Path(sys.executable).with_name("sekretar"))


@pytest.fixture(scope="module")
def srv(tmp_path_factory, dialog_parser):
    s = RealServer(tmp_path_factory.mktemp("hostile"), parser=dialog_parser)
    yield s
    s.close()


def deep(levels: int, kind: str = "list") -> str:
    return ("[" * levels + "]" * levels) if kind == "list" else ('{"a":' * levels + "1" + "}" * levels)


# --- the catch-all is observable ---------------------------------------------------
def test_the_crash_counter_moves_when_the_catch_all_fires(client):
    before = crashes(client)
    resp = client.post("/api/v1/turn", json={"user": "u", "text": "сломайся"})  # the stub raises
    assert resp.status_code == 500 and crashes(client) == before + 1


# --- deep JSON --------------------------------------------------------------------------
@pytest.mark.parametrize("levels", [33, 1_000, 5_000, 9_000])
@pytest.mark.parametrize("kind", ["list", "object"])
def test_deeply_nested_json_is_refused_on_every_route(srv, levels, kind):
    raw = deep(levels, kind)
    api = srv.client.post("/api/v1/turn", data=raw, content_type="application/json")
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "bad_request"
    google = srv.client.post("/google", data=raw, content_type="application/json")
    assert google.status_code == 400 and google.get_json()["error"]["code"] == "bad_request"
    wrapped = '{"session": ' + raw + ', "request": {"command": "x"}, "version": "1.0"}'
    for body in (raw, wrapped):
        alice = srv.client.post("/alice", data=body, content_type="application/json")
        out = alice.get_json()
        assert alice.status_code == 200 and out["response"]["text"] and "version" in out
    state = alice_body("привет")
    state["state"] = {"session": {"x": json.loads(deep(30))}}  # within the limit: fine
    assert srv.client.post("/alice", json=state).status_code == 200
    assert srv.crashes() == 0


# --- `now` at the ends of time ---------------------------------------------------------
EXTREMES = ["0001-01-01T00:00:00+23:59", "0001-01-01T00:00:00-23:59", "9999-12-31T23:59:59-23:59",
            "9999-12-31T23:59:59+23:59", "1899-12-31T23:00:00+00:00", "2200-01-01T00:00:00+00:00"]


@pytest.mark.parametrize("now", EXTREMES)
def test_extreme_now_is_a_clear_400(srv, now):
    resp = srv.api("extreme", "поставь задачу Насте отчёт на завтра", now=now)
    assert resp.status_code == 400, resp.get_json()
    assert "'now'" in resp.get_json()["error"]["message"] and "1900" in resp.get_json()["error"]["message"]
    assert srv.crashes() == 0


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime.min, max_value=datetime.max),
       offset=st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1),
       text=st.sampled_from(["поставь задачу Насте отчёт на завтра", "встреча в пятницу в 10",
                             "напомни через неделю", "да", "привет", "напиши Сергею что я опоздаю"]))
def test_any_now_of_the_datetime_range_is_answered(srv, moment, offset, text):
    now = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    resp = srv.api("property", text, now=now.isoformat())
    assert resp.status_code in (200, 400), resp.get_data(as_text=True)[:300]
    if resp.status_code == 400:
        assert "'now'" in resp.get_json()["error"]["message"]
    assert srv.crashes() == 0


@pytest.mark.parametrize("now", EXTREMES[:4])
def test_parse_cli_with_an_extreme_now_says_so(now):
    res = subprocess.run([SEKRETAR, "parse", "--now", now, "поставь задачу Насте отчёт на завтра"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "1900" in res.stderr and "now" in res.stderr


def test_chat_cli_with_an_extreme_now_says_so(tmp_path):
    res = subprocess.run([SEKRETAR, "chat", "--now", EXTREMES[2]], input="привет\n", capture_output=True,
                         text=True, timeout=120, env={"SEKRETAR_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert res.returncode != 0 and "Traceback" not in res.stderr and "1900" in res.stderr


# --- lone surrogates -------------------------------------------------------------------
def test_lone_surrogates_in_google_state_are_saved_and_answered(srv):
    raw = ('{"handler": {"name": "main"}, "intent": {"name": "x", "query": "\\ud800 привет \\udfff"},'
           ' "session": {"id": "g1", "params": {"sekretar_state": {"lang": "ru", "note": "\\udbff"}}},'
           ' "user": {"locale": "ru-RU", "params": {"sekretar_uid": "surrogate-\\ud800"}}}')
    resp = srv.client.post("/google", data=raw, content_type="application/json")
    assert resp.status_code == 200 and resp.get_json()["prompt"]["firstSimple"]["text"]
    again = srv.client.post("/google", json=google_body("привет", uid="surrogate-\ufffd"))
    assert again.status_code == 200
    assert srv.crashes() == 0


def test_the_store_keeps_a_lone_surrogate(store):
    store.save_state("u", {"text": "a\ud800b"}, datetime.now(timezone.utc))
    assert store.load_state("u") == {"text": "a\ud800b"}


# --- a forged Alice state at "which one" -----------------------------------------------
@pytest.mark.parametrize("choices", [["999", "998"], ["999"], [], ["1", "999"]])
@pytest.mark.parametrize("said", ["второй", "первый", "Иванову", "да"])
def test_a_forged_pick_state_with_unknown_ids_is_answered(srv, choices, said):
    srv.store.set_link("alice:forger", srv.person().id, srv.app.workspace.name, srv.clock())
    pending = {"intent": "task", "recipient": {"first": "Сергей", "last": None, "middle": None, "self": False,
                                               "span": "Сергею"},
               "person": None, "title": "Отчёт", "message": None, "when": None, "choices": choices}
    body = alice_body(said, user="forger", session=f"forged-{len(choices)}-{said}",
                      state={"pending": pending, "step": "pick", "lang": "ru"})
    resp = srv.client.post("/alice", json=body)
    out = resp.get_json()
    assert resp.status_code == 200 and out["response"]["text"]
    from sekretar.integrations.speech import phrase

    assert out["response"]["text"] != phrase("broken")
    assert srv.crashes() == 0


# --- CSV -----------------------------------------------------------------------------
def test_a_csv_field_over_the_csv_limit_is_a_clear_error(tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("name,email\nИван Петров," + "a" * 140_000 + "@x.ru\n", encoding="utf-8")
    res = subprocess.run([SEKRETAR, "people", "import", str(big)], capture_output=True, text=True, timeout=120,
                         env={"SEKRETAR_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"})
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "big.csv" in res.stderr and "field" in res.stderr


# --- item 11: the database URL's password -------------------------------------------
@pytest.mark.parametrize("url", ["mysql://bob:hunter2@db/x", "postgresql://bob:hunter2@127.0.0.1:1/x",
                                 "postgresql://bob:hun%40ter2@db:notaport/x", "postgresql://bob:hunter2@[::1/x"])
def test_the_database_password_is_never_printed(url, tmp_path, monkeypatch):
    from sekretar.core.errors import StoreError
    from sekretar.store import open_store

    monkeypatch.chdir(tmp_path)

    try:
        open_store(url).close()
    except StoreError as exc:
        assert "hunter2" not in str(exc) and "hun@ter2" not in str(exc) and "hun%40ter2" not in str(exc)
    res = subprocess.run([SEKRETAR, "outbox"], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={"SEKRETAR_HOME": str(tmp_path), "SEKRETAR_DATABASE_URL": url, "PATH": "/usr/bin:/bin"})
    assert "hunter2" not in res.stdout + res.stderr and "hun@ter2" not in res.stdout + res.stderr
