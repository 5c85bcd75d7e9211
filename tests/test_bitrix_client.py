"""The REST transport: error mapping, retries, redaction, the rate limiter."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
import requests
import yaml
from sekretar.integrations.bitrix24 import Bitrix24Client, RateLimiter, redact
from sekretar.integrations.bitrix24 import client as client_module
from sekretar.integrations.bitrix24.settings import parse_webhook

import sekretar.core.errors as errors
from tests.fake_bitrix24 import FakeBitrix24, php_params
from tests.fixtures_bitrix import portal_users

CASES = yaml.safe_load((Path(__file__).parent / "data" / "bitrix_errors.yaml").read_text(encoding="utf-8"))


def client_for(fake: FakeBitrix24, **kw) -> Bitrix24Client:
    kw.setdefault("timeout", 1.0)
    kw.setdefault("limit_backoff", 0.01)
    return Bitrix24Client(fake.webhook_url, limiter=RateLimiter(100, 100), **kw)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_portal_failures_become_clear_errors(fake_bitrix, case):
    client = client_for(fake_bitrix)
    fake_bitrix.fail(case["fault"], times=case.get("times", 1), methods=["user.current"],
                     seconds=case.get("seconds", 0))
    if case["error"] is None:
        assert client.call("user.current").result["ID"] == "1"
        return
    with pytest.raises(getattr(errors, case["error"], None) or getattr(client_module, case["error"])) as info:
        client.call("user.current")
    assert case["says"] in str(info.value)
    assert fake_bitrix.secret not in str(info.value)


def test_wrong_webhook_secret_is_said_in_plain_words_without_the_secret(fake_bitrix):
    bad = fake_bitrix.webhook_url.replace(fake_bitrix.secret, "wrongsecret42")
    client = Bitrix24Client(bad, timeout=1.0, limiter=RateLimiter(100, 100))
    with pytest.raises(errors.WorkspaceAuthError) as info:
        client.call("user.get")
    assert "Битрикс24 не принимает ключ вебхука" in str(info.value)
    assert "wrongsecret42" not in str(info.value)
    assert fake_bitrix.calls[-1].status == 401


def test_refused_connection_is_unavailable():
    fake = FakeBitrix24(portal_users())  # never started: nothing listens on the port
    with pytest.raises(errors.WorkspaceUnavailable, match="нет соединения"):
        client_for(fake).call("user.current")


def test_rate_limit_retry_backs_off_and_empties_the_bucket(fake_bitrix):
    slept = []
    limiter = RateLimiter(100, 100)
    client = Bitrix24Client(fake_bitrix.webhook_url, limiter=limiter, limit_backoff=0.05,
                            sleep=slept.append)
    fake_bitrix.fail("limit", times=2, methods=["user.current"])
    assert client.call("user.current").result["ID"] == "1"
    assert slept == [0.05, 0.1]  # exponential back-off on QUERY_LIMIT_EXCEEDED
    assert [c.status for c in fake_bitrix.calls] == [503, 503, 200]


def test_list_calls_follow_next_through_all_pages(fake_bitrix):
    for i in range(10, 130):
        fake_bitrix.add_user(ID=i, NAME=f"Имя{i}", LAST_NAME=f"Фамилия{i}")
    users = client_for(fake_bitrix).call_list("user.get", {"FILTER": {"ACTIVE": True}})
    assert len(users) == len(fake_bitrix.state.users)
    assert [c.params.get("start") for c in fake_bitrix.called("user.get")] == [0, 50, 100]


def test_fake_reads_form_encoded_bodies_like_the_portal(fake_bitrix):
    """The portal takes PHP-style forms as well as JSON; so does the fake."""
    assert php_params([("fields[TITLE]", "x"), ("select[]", "ID"), ("select[]", "TITLE")]) == \
        {"fields": {"TITLE": "x"}, "select": ["ID", "TITLE"]}
    r = requests.post(fake_bitrix.webhook_url + "tasks.task.add.json",
                      data={"fields[TITLE]": "Форма", "fields[RESPONSIBLE_ID]": "2"}, timeout=5)
    assert r.status_code == 200 and r.json()["result"]["task"]["title"] == "Форма"
    assert set(r.json()["time"]) >= {"start", "finish", "duration", "date_start", "date_finish"}


def test_redact_hides_webhook_secrets_and_tokens():
    text = redact("POST https://p.bitrix24.ru/rest/7/q1w2e3r4/user.get.json auth=abc&x=1 "
                  "{'refresh_token': 'zzz'}")
    assert "q1w2e3r4" not in text and "abc" not in text and "zzz" not in text
    assert "/rest/7/***/user.get.json" in text


@pytest.mark.parametrize("url", ["https://p.bitrix24.ru/rest/1/", "p.bitrix24.ru/rest/1/abc/",
                                 "https://p.bitrix24.ru/rest/x/abc/", "https://p.bitrix24.ru/"])
def test_malformed_webhook_is_a_config_error(url):
    with pytest.raises(errors.ConfigError, match="https://PORTAL/rest/USER_ID/SECRET/"):
        parse_webhook(url)


def test_webhook_is_parsed():
    hook = parse_webhook("https://p.bitrix24.ru/rest/7/abc123")
    assert (hook.url, hook.portal, hook.user_id) == ("https://p.bitrix24.ru/rest/7/abc123/",
                                                     "https://p.bitrix24.ru", "7")


def test_token_bucket_allows_the_burst_then_the_rate():
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=50, clock=lambda: now[0], sleep=lambda s: None)
    waits = [limiter.reserve() for _ in range(54)]
    assert waits[:50] == [0.0] * 50
    assert waits[50:] == pytest.approx([0.5, 1.0, 1.5, 2.0])
    now[0] = 10.0  # 10 s later the bucket holds 20 - 4 reserved = 16... capped by burst
    assert limiter.reserve() == 0.0


def test_rate_limit_holds_under_a_burst_from_many_threads():
    """60 calls from 6 threads with the portal's own limits (2/s, burst 50):
    the fake never answers QUERY_LIMIT_EXCEEDED and, measured at the fake,
    no window of t seconds holds more than 50 + 2·t requests. The client's
    bucket keeps one request in reserve for network jitter, as
    open_workspace configures it."""
    fake = FakeBitrix24(portal_users(), rate=2.0, burst=50).start()
    try:
        client = Bitrix24Client(fake.webhook_url, limiter=RateLimiter(2.0, 49), timeout=5)
        errs = []

        def worker():
            for _ in range(10):
                try:
                    client.call("user.current")
                except Exception as exc:  # pragma: no cover - shown on failure
                    errs.append(exc)
        threads = [threading.Thread(target=worker) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errs
        assert [c.status for c in fake.calls] == [200] * 60
        times = sorted(c.at for c in fake.calls)
        for i in range(len(times)):
            for j in range(i, len(times)):
                assert j - i + 1 <= 50 + 2.0 * (times[j] - times[i])
        print(f"60 calls in {times[-1] - times[0]:.2f}s (expected ≈ (60-49)/2 = 5.5s)")
    finally:
        fake.stop()


def test_fake_answers_the_documented_statuses(fake_bitrix):
    client = client_for(fake_bitrix)
    for fault, status in (("credentials", 403), ("scope", 403), ("overload", 503), ("operating", 429)):
        fake_bitrix.fail(fault, methods=["user.current"])
        with pytest.raises(errors.WorkspaceError):
            client_for(fake_bitrix).call("user.current")
        assert fake_bitrix.calls[-1].status == status, fault
    assert client.call("user.current").result["ID"] == "1"


def test_a_method_out_of_its_time_budget_is_not_asked_again_meanwhile(fake_bitrix):
    client = client_for(fake_bitrix)
    fake_bitrix.fail("operating", methods=["tasks.task.list"])
    for _ in range(3):
        with pytest.raises(errors.WorkspaceUnavailable, match="лимит времени"):
            client.call("tasks.task.list")
    assert len(fake_bitrix.calls) == 1  # the portal was asked once
    assert client.call("user.current").result["ID"] == "1"  # other methods go on
