"""End to end against a RUNNING server (`sekretar serve`, gunicorn) with the
real dialog, on SQLite and PostgreSQL: the recorded Alice conversation, the
same through the JSON API, duplicate delivery, a slow CRM, several server
processes draining one outbox."""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from sekretar.core.types import Action
from tests.fixtures_bitrix import make_fake

DATA = Path(__file__).parent / "data" / "alice"
CONVERSATION = (DATA / "conversation.json").read_text("utf-8")
SPEAKER = "Ольга Новикова"


def workspace_of(url: str):
    from sekretar.integrations.local import LocalWorkspace
    from sekretar.store import open_database

    return LocalWorkspace(open_database(url))


def issue_code(srv, url: str, name: str = SPEAKER, workspace: str = "local", person_id: str | None = None) -> str:
    """With `sekretar link-code NAME` when the CLI has it, else straight in the store."""
    if workspace == "local":
        done = srv.sekretar("link-code", name)
        found = re.findall(r"\b\d{4,8}\b", done.stdout)
        if done.returncode == 0 and found:
            return found[0]
    from sekretar.store import open_store

    if person_id is None:
        person_id = next(p.id for p in workspace_of(url).people() if p.name == name)
    from sekretar.core.config import secret_key

    store = open_store(url, code_key=secret_key(Path(srv.env["SEKRETAR_HOME"])))  # the server's key
    try:
        return store.issue_code(person_id, workspace, datetime.now(timezone.utc), length=6, ttl_seconds=600)
    finally:
        store.close()


def alice_requests(code: str, session: str = "2eac4854-fce721f3-b845abba-20d60") -> list[dict]:
    return [json.loads(s) for s in [json.dumps(r, ensure_ascii=False) for r in json.loads(
        CONVERSATION.replace("{CODE}", code).replace("2eac4854-fce721f3-b845abba-20d60", session))]]


def post_alice(srv, body) -> dict:
    resp = requests.post(srv.url + "/alice", json=body, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def replay(srv, code: str) -> list[dict]:
    out, state = [], {}
    for body in alice_requests(code):
        body["state"]["session"] = state  # as Alice carries session_state back
        reply = post_alice(srv, body)
        state = reply.get("session_state", {})
        out.append(reply)
    return out


def metric(srv, name: str, **labels) -> float:
    text = requests.get(srv.url + "/metrics", timeout=5).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()))


@pytest.fixture
def home(tmp_path):
    h = tmp_path / "home"
    h.mkdir()
    return h


def test_recorded_alice_conversation(serve_factory, store_url, home):
    srv = serve_factory(home=home, SEKRETAR_DATABASE_URL=store_url)
    code = issue_code(srv, store_url)
    replies = replay(srv, code)
    texts = [r["response"]["text"] for r in replies]
    assert "привяж" in texts[0].lower()
    assert SPEAKER in texts[1]
    assert [b["title"] for b in replies[2]["response"]["buttons"]] == ["Да", "Нет"]
    assert "13:15" in texts[2] and "13 15" in replies[2]["response"]["tts"]
    assert texts[3].startswith("Готово")
    tasks = workspace_of(store_url).list_items("task")
    assert len(tasks) == 1
    assert tasks[0]["responsible"] == "Сергей Иванов" and tasks[0]["created_by"] == SPEAKER
    assert tasks[0]["title"] == "Подготовить отчёт"  # as said (original_utterance), not «отчет» of command

    # the last request delivered again: the same reply, nothing new
    again = alice_requests(code)[3]
    again["state"]["session"] = replies[2]["session_state"]
    assert post_alice(srv, again)["response"]["text"] == texts[3]
    assert len(workspace_of(store_url).list_items("task")) == 1

    assert metric(srv, "sekretar_turns_total", platform="alice", outcome="done") >= 1


def test_same_through_the_json_api(serve_factory, store_url, home):
    srv = serve_factory(home=home, SEKRETAR_DATABASE_URL=store_url, SEKRETAR_API_TOKEN="t0ken")
    code = issue_code(srv, store_url)
    auth = {"Authorization": "Bearer t0ken"}

    def say(text, request_id=None):
        body = {"user": "web-1", "text": text, "tz": "Europe/Moscow"}
        if request_id:
            body["request_id"] = request_id
        resp = requests.post(srv.url + "/api/v1/turn", json=body, headers=auth, timeout=10)
        assert resp.status_code == 200, resp.text
        return resp.json()

    assert requests.post(srv.url + "/api/v1/turn", json={"user": "x", "text": "y"}, timeout=5).status_code == 401
    assert SPEAKER in say(code)["text"]
    ask = say("Поставь задачу на Сергея Иванова на следующий вторник в 13:15 подготовить отчёт")
    assert ask["buttons"] == ["Да", "Нет"] and ask["outcome"] == "confirm_asked"
    first = say("да", request_id="m-7")
    assert first["text"].startswith("Готово") and first["outcome"] == "done"
    assert say("да", request_id="m-7") == first  # delivered twice
    assert len(workspace_of(store_url).list_items("task")) == 1


def test_slow_crm_gets_an_honest_reply_in_time_and_the_outbox(serve_factory, home):
    fake = make_fake(limit=False)
    url = f"sqlite:///{home / 'sekretar.db'}"
    srv = serve_factory(home=home, SEKRETAR_WORKSPACE="bitrix24", SEKRETAR_BITRIX24_WEBHOOK=fake.webhook_url,
                        SEKRETAR_ACTION_BUDGET="1.0", SEKRETAR_DRAIN_INTERVAL="0.5")
    code = issue_code(srv, url, workspace="bitrix24", person_id="12")
    bodies = alice_requests(code, session="slow-session")
    for body in bodies[:3]:
        post_alice(srv, body)
    fake.fail("delay", times=1, methods=["tasks.task.add"], seconds=4)
    start = time.monotonic()
    reply = post_alice(srv, bodies[3])
    took = time.monotonic() - start
    assert took < 3.0, took  # the budget is 1 s; Alice allows 4.5 s
    assert not reply["response"]["text"].startswith("Готово"), reply
    assert metric(srv, "sekretar_turns_total", platform="alice", outcome="queued") == 1
    from sekretar.store import open_store

    store = open_store(url)
    try:
        assert [a.status for a in store.list_actions(("pending",))] == ["pending"]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and store.list_actions(("pending",)):
            time.sleep(0.2)
        assert store.list_actions(("pending", "failed")) == []
    finally:
        store.close()
    assert len(fake.state.tasks) == 1


def test_two_servers_on_one_postgresql_drain_each_action_once(serve_factory, pg_url, tmp_path):
    from sekretar.store import open_store

    from tests.fixtures_store import drop_schema, make_store_url

    url = make_store_url("postgresql", tmp_path, pg_url)
    fake = make_fake(limit=False)
    store = open_store(url)
    try:
        now = datetime.now(timezone.utc) - timedelta(seconds=1)
        keys = [f"drain-{i}" for i in range(40)]
        for key in keys:
            action = Action("task", "12", key, target="1", title=f"Задача {key}")
            store.add_action(key, "alice:someone", action.to_json(), now)
        env = dict(SEKRETAR_DATABASE_URL=url, SEKRETAR_WORKSPACE="bitrix24",
                   SEKRETAR_BITRIX24_WEBHOOK=fake.webhook_url, SEKRETAR_DRAIN_INTERVAL="0.2")
        for i in range(2):
            h = tmp_path / f"home{i}"
            h.mkdir()
            serve_factory(home=h, **env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and store.list_actions(("pending",)):
            time.sleep(0.2)
        assert store.list_actions(("pending", "failed")) == []
        assert all(store.get_action(k).status == "done" for k in keys)
    finally:
        store.close()
        drop_schema(url, pg_url)
    adds = fake.called("tasks.task.add")
    assert len(adds) == len(keys)
    assert len(fake.state.tasks) == len(keys)


def test_gunicorn_serves_the_conversation(serve_factory, home):
    # gunicorn is production: /alice is served for the configured skill only
    srv = serve_factory("gunicorn", home=home, SEKRETAR_ALICE_SKILL_ID=alice_requests("0")[0]["session"]["skill_id"])
    url = f"sqlite:///{home / 'sekretar.db'}"
    replies = replay(srv, issue_code(srv, url))
    assert replies[-1]["response"]["text"].startswith("Готово")
    assert len(workspace_of(url).list_items("task")) == 1
    # production without SEKRETAR_API_TOKEN: the JSON API is off, even for a loopback client
    off = requests.post(srv.url + "/api/v1/turn", json={"user": "u", "text": "привет"}, timeout=10)
    assert off.status_code == 403 and "SEKRETAR_API_TOKEN" in off.json()["error"]["message"]
    assert "/api/v1/turn is off" in srv.log()


def test_bitrix24_application_page_shows_the_portal_user_their_code(serve_factory, home):
    fake = make_fake(limit=False)
    srv = serve_factory(home=home, SEKRETAR_WORKSPACE="bitrix24", SEKRETAR_BITRIX24_WEBHOOK=fake.webhook_url)
    token = fake.issue_tokens(user_id="7")["access_token"]
    launch = {"AUTH_ID": token, "AUTH_EXPIRES": "3600", "REFRESH_ID": "r", "member_id": "fake-member",
              "status": "L", "PLACEMENT": "DEFAULT", "PLACEMENT_OPTIONS": "{}"}
    resp = requests.post(f"{srv.url}/link?DOMAIN={fake.domain}&PROTOCOL=0&LANG=ru&APP_SID=abc", data=launch,
                         timeout=10)
    assert resp.status_code == 200, resp.text
    assert "Анна Петрова" in resp.text and "X-Frame-Options" not in resp.headers
    code = re.search(r'id="code">(\d+)<', resp.text).group(1)

    body = alice_requests(code, session="b24-session")[1]
    assert "Анна Петрова" in post_alice(srv, body)["response"]["text"]

    forged = requests.post(f"{srv.url}/link?DOMAIN={fake.domain}", data={**launch, "AUTH_ID": "forged"}, timeout=10)
    other = requests.post(f"{srv.url}/link?DOMAIN=evil.bitrix24.ru", data=launch, timeout=10)
    for r in (forged, other):
        assert r.status_code == 403 and 'id="code"' not in r.text
