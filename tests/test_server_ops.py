"""Operations: health, metrics, JSON errors, the code page, logs, the drainer."""
from __future__ import annotations

import json
import logging
import re

import pytest

from sekretar.core.logs import JsonFormatter, redact
from sekretar.core.types import Action
from sekretar.web.drainer import Drainer
from tests.fixtures_server import csrf, make_web


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_healthz_reports_a_broken_store(client, stub_app):
    stub_app.store.close()
    stub_app.store.kv_get = lambda key: (_ for _ in ()).throw(RuntimeError("db down"))
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.get_json()["status"] == "unavailable"


@pytest.mark.parametrize("method,path,status,code", [
    ("get", "/nope", 404, "not_found"), ("get", "/alice", 405, "method_not_allowed"),
    ("put", "/api/v1/turn", 405, "method_not_allowed"), ("delete", "/healthz", 405, "method_not_allowed"),
])
def test_http_errors_are_json(client, method, path, status, code):
    resp = getattr(client, method)(path)
    assert resp.status_code == status and resp.is_json
    assert resp.get_json()["error"]["code"] == code


def test_huge_api_body_is_a_json_413(client):
    resp = client.post("/api/v1/turn", data=b"x" * (100 * 1024), content_type="application/json")
    assert resp.status_code == 413 and resp.get_json()["error"]["code"] == "too_large"


def _metric(text: str, name: str, **labels) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            m = re.match(r"^(\w+)(\{[^}]*\})? ([0-9.e+-]+)$", line)
            if m and m.group(1) == name:
                total += float(m.group(3))
    return total


def test_metrics_count_turns_outcomes_and_crm(client, stub_app):
    for text in ("поставь задачу", "абракадабра", "да"):
        client.post("/api/v1/turn", json={"user": "m", "text": text})
    client.post("/api/v1/turn", json={"user": "m", "text": "x", "lang": "xx"})
    stub_app.outbox.store.add_action("k-pending", "m", Action("task", "1", "k-pending").to_json(),
                                     __import__("datetime").datetime.now(__import__("datetime").timezone.utc))
    text = client.get("/metrics").get_data(as_text=True)
    assert _metric(text, "sekretar_turns_total", platform="api", outcome="confirm_asked") == 1
    assert _metric(text, "sekretar_parse_failures_total", platform="api") == 1
    assert _metric(text, "sekretar_confirmations_total", platform="api") == 1
    assert _metric(text, "sekretar_crm_seconds_count", workspace="local", call="create") == 1
    assert _metric(text, "sekretar_bad_requests_total", route="api", reason="shape") == 1
    assert _metric(text, "sekretar_outbox_depth") == 1
    assert "sekretar_turn_seconds_bucket" in text and "sekretar_cancellations_total" in text


def test_crm_errors_counted(client, stub_app):
    def boom(action):
        raise ConnectionError("portal down")

    stub_app.workspace.create = boom
    client.post("/api/v1/turn", json={"user": "m", "text": "да"})
    text = client.get("/metrics").get_data(as_text=True)
    assert _metric(text, "sekretar_crm_errors_total", workspace="local", call="create", error="ConnectionError") == 1


# --- the code page --------------------------------------------------------------------
def test_link_page_asks_for_the_person_on_loopback(client):
    resp = client.get("/link")
    assert resp.status_code == 200 and 'name="person"' in resp.get_data(as_text=True)
    assert resp.headers["X-Frame-Options"] == "DENY" and resp.headers["Cache-Control"] == "no-store"


def test_link_page_issues_a_redeemable_code(client, stub_app):
    from datetime import datetime, timezone

    page = client.post("/link", data={"person": "иванов", "csrf": csrf(client)}).get_data(as_text=True)
    code = re.search(r'id="code">(\d+)<', page).group(1)
    assert len(code) == 6 and "Сергей Иванов" in page
    words = " ".join(["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"][int(c)]
                     for c in code)
    assert words in page
    assert stub_app.store.redeem_code(code, datetime.now(timezone.utc)) == ("1", "local")


def test_link_page_lets_you_pick_among_namesakes(client):
    page = client.post("/link", data={"person": "Сергей", "csrf": csrf(client)}).get_data(as_text=True)
    assert "Сергей Иванов" in page and "Сергей Смирнов" in page and 'id="code"' not in page
    page = client.post("/link", data={"person_id": "3", "csrf": csrf(client)}).get_data(as_text=True)
    assert "Сергей Смирнов" in page and 'id="code"' in page


def test_link_page_unknown_person(client):
    page = client.post("/link", data={"person": "Пётр Первый", "csrf": csrf(client)}).get_data(as_text=True)
    assert "Никого не нашла" in page and 'id="code"' not in page


@pytest.mark.parametrize("remote,headers,token,status", [
    ("10.0.0.5", {}, None, 403),
    ("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}, None, 403),
    ("10.0.0.5", {}, "wrong", 403),
    ("10.0.0.5", {}, "page-token", 200),
    ("::1", {}, None, 200),
], ids=["remote", "behind-proxy", "wrong-token", "token", "ipv6-loopback"])
def test_link_page_shows_codes_only_locally_or_with_the_token(stub_app, tmp_path, remote, headers, token, status):
    web = make_web(stub_app, tmp_path, link_page_token="page-token")
    url = "/link" + (f"?token={token}" if token else "")
    c = web.test_client()
    resp = c.post(url, data={"person": "Иванов", "csrf": csrf(c)}, headers=headers,
                                  environ_base={"REMOTE_ADDR": remote})
    assert resp.status_code == status
    assert ('id="code"' in resp.get_data(as_text=True)) == (status == 200)


def test_link_page_from_a_bitrix24_portal(stub_app, client):
    from sekretar.core.errors import WorkspaceAuthError
    from sekretar.core.types import Person

    seen = {}

    def user_from_app_auth(params):
        seen.update(params)
        if params.get("AUTH_ID") != "good":
            raise WorkspaceAuthError("expired token")
        return Person("7", "Анна", "Кузнецова")

    stub_app.workspace.user_from_app_auth = user_from_app_auth
    resp = client.post("/link?DOMAIN=portal.bitrix24.ru&PROTOCOL=1&LANG=ru&APP_SID=x",
                       data={"AUTH_ID": "good", "member_id": "m1", "status": "L"},
                       environ_base={"REMOTE_ADDR": "198.51.100.1"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Анна Кузнецова" in page and 'id="code"' in page
    assert seen["DOMAIN"] == "portal.bitrix24.ru" and seen["member_id"] == "m1"
    assert "X-Frame-Options" not in resp.headers  # shown inside the portal
    resp = client.post("/link?DOMAIN=portal.bitrix24.ru", data={"AUTH_ID": "forged"},
                       environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert resp.status_code == 403 and 'id="code"' not in resp.get_data(as_text=True)


# --- logs -------------------------------------------------------------------------------
def test_logs_are_json_without_secrets_or_bodies(client, caplog):
    caplog.set_level(logging.INFO, logger="sekretar.server")
    client.post("/api/v1/turn", json={"user": "secret-user", "text": "поставь задачу про зарплату"})
    records = [r for r in caplog.records if r.getMessage() == "turn"]
    assert records
    line = JsonFormatter().format(records[-1])
    out = json.loads(line)
    assert out["platform"] == "api" and out["outcome"] == "confirm_asked" and "ms" in out
    assert "зарплат" not in line and "secret-user" not in line


def test_redact():
    assert redact("https://p.bitrix24.ru/rest/1/a1b2c3/tasks.task.add") == "https://p.bitrix24.ru/rest/1/***/tasks.task.add"
    assert redact("auth=abc&x=1 Bearer zzz refresh_token: \"rrr\"") == "auth=***&x=1 Bearer *** refresh_token: \"***\""


# --- the drainer ---------------------------------------------------------------------------
def test_drainer_retries_the_outbox(stub_app):
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc) - timedelta(minutes=5)
    action = Action("task", "1", "late-1", target="1", title="t")
    stub_app.store.add_action(action.key, "u", action.to_json(), now)
    drainer = Drainer(stub_app, interval=0.05).start()
    try:
        import time

        for _ in range(100):
            if stub_app.store.get_action("late-1").status == "done":
                break
            time.sleep(0.05)
    finally:
        drainer.stop()
    assert stub_app.store.get_action("late-1").status == "done"
    assert list(stub_app.workspace.created) == ["late-1"]
