"""Issue 9, item 2: the linking policy (docs/security.md).

- No global refusal: a flood of wrong codes from rotating voice user ids
  never makes the server refuse a real user's right code.
- The chance of guessing a live code is bounded per code: a d-digit code
  is accepted only while fewer than 0.1% x 10^d wrong codes were evaluated
  since its issue (1,000 for six digits), then it retires; while guessing
  goes on, new codes are issued longer so they outlast it.
- Check-and-record of a try is atomic (threads on SQLite and PostgreSQL).
- Codes are stored as keyed hashes.
- /alice: production refuses it without SEKRETAR_ALICE_SKILL_ID; an optional
  allow-list of source networks, X-Forwarded-For believed only from a
  configured proxy.
"""
from __future__ import annotations

import copy
import threading
from datetime import datetime, timedelta, timezone

import pytest

from sekretar.store import open_store
from tests.security_util import ALICE, RealServer, alice_body

T0 = datetime(2026, 3, 25, 9, 0, tzinfo=timezone.utc)
KEY = b"k" * 32


def wrong_code(live: set[str], i: int, length: int = 6) -> str:
    code = f"{i:0{length}d}"
    return code if code not in live else f"{(i + 1) % 10 ** length:0{length}d}"


def test_the_budget_figures():
    from sekretar.store.codes import code_length_for, guess_budget

    assert [guess_budget(d, 0.001) for d in (4, 6, 8, 12)] == [10, 1_000, 100_000, 1_000_000_000]
    assert code_length_for(6, 0, 0.001, 3e6) == 6 and code_length_for(6, 100, 0.001, 3e6) == 6
    # a flood: sized for all the server can evaluate in a lifetime (e.g. 5,000/s x 600 s = 3e6 → budget 1e7)
    assert code_length_for(6, 101, 0.001, 3e6) == 10 and code_length_for(6, 101, 0.001) == 7
    assert code_length_for(6, 58_611 * 10, 0.001, 3e6) == 10 and code_length_for(6, 10 ** 12, 0.001) == 12


def test_a_code_retires_after_its_budget_of_wrong_guesses(store):
    """1,000 wrong codes from 1,000 made-up users: the six-digit code evaluated
    1,000th-after-its-issue still links, one more wrong guess retires it."""
    a = store.issue_code("1", "local", T0)
    b = store.issue_code("2", "local", T0)
    live = {a, b}
    for i in range(999):
        assert store.try_code(f"flood:{i}", wrong_code(live, i), T0, max_tries=5, window_seconds=900).status == "wrong"
    linked = store.try_code("real:a", a, T0, max_tries=5, window_seconds=900)
    assert (linked.status, linked.person_id) == ("linked", "1")  # 999 wrong before it: within the budget
    store.try_code("flood:x", wrong_code(live, 5000), T0, max_tries=5, window_seconds=900)
    retired = store.try_code("real:b", b, T0, max_tries=5, window_seconds=900)
    assert retired.status == "retired"  # 1,000 wrong guesses were made while it lived
    assert store.get_link("real:b") is None


def test_under_a_flood_new_codes_are_longer_and_link(store):
    for i in range(150):  # 150 wrong codes in the last code lifetime: x10 > 1,000
        store.record_failed_try(f"flood:{i}", T0)
    code = store.issue_code("1", "local", T0 + timedelta(seconds=1))
    assert len(code) == 10  # 10,000 guesses/s x 600 s fit its budget of 10^7: the flood cannot retire it
    got = store.try_code("real", code, T0 + timedelta(seconds=2), max_tries=5, window_seconds=900)
    assert got.status == "linked"


def test_a_flood_of_rotating_ids_does_not_lock_out_a_real_user(tmp_path, dialog_parser):
    """The attack of the issue (rotating Alice user ids, the global cap tripped)
    with a real user saying the right code in the middle of it."""
    srv = RealServer(tmp_path, parser=dialog_parser)
    try:
        code = srv.code("Ольга Новикова")
        outcomes = []
        for i in range(120):
            body = alice_body(f"{i:06d}" if f"{i:06d}" != code else "999999", user=f"bot-{i}", session=f"s{i}")
            outcomes.append(srv.client.post("/alice", json=body).get_json()["response"]["text"])
            if i == 60:
                real = srv.client.post("/alice", json=alice_body(code, user="real-olga", session="real"))
                assert "привязан" in real.get_json()["response"]["text"], real.get_json()
        assert srv.store.get_link("alice:real-olga").person_id == srv.person("Ольга Новикова").id
        assert not any("слишком много попыток" in t.lower() for t in outcomes)
        assert srv.crashes() == 0
    finally:
        srv.close()


def test_concurrent_tries_of_one_user_stop_at_the_limit(store):
    """A check-then-record race let 36 tries through a cap of 30."""
    before = store.guesses_evaluated()
    barrier = threading.Barrier(12)
    results, lock = [], threading.Lock()

    def hammer(n):
        barrier.wait()
        for j in range(5):
            r = store.try_code("racer", f"{n:03d}{j:03d}", T0, max_tries=30, window_seconds=900)
            with lock:
                results.append(r.status)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("wrong") == 30 and results.count("blocked") == 30
    assert store.failed_tries(T0, 900, "racer") == 30
    assert store.guesses_evaluated() - before == 30


def test_codes_are_stored_as_keyed_hashes(store_url):
    s = open_store(store_url, code_key=KEY)
    code = s.issue_code("5", "local", T0, length=8)
    with s.db.read() as cur:
        rows = cur.all("SELECT * FROM link_code_hashes")
    assert rows and not any(code in str(v) for row in rows for v in row)
    other = open_store(store_url, code_key=b"another key of 32 bytes ........")
    assert other.redeem_code(code, T0) is None  # the hash is keyed: another key finds nothing
    assert s.redeem_code(code, T0) == ("5", "local")
    other.close()
    s.close()


def test_the_secret_key_file_is_made_once_and_private(tmp_path, monkeypatch):
    import os

    from sekretar.core.config import secret_key
    from sekretar.core.errors import ConfigError

    monkeypatch.delenv("SEKRETAR_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert secret_key(tmp_path) == first and len(first) >= 32
    assert os.stat(tmp_path / "secret.key").st_mode & 0o077 == 0
    monkeypatch.setenv("SEKRETAR_SECRET_KEY", "from-the-environment-0123456789")
    assert secret_key(tmp_path) == b"from-the-environment-0123456789"
    monkeypatch.setenv("SEKRETAR_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 16"):
        secret_key(tmp_path)


# --- /alice: who may call it -----------------------------------------------------------
SKILL = ALICE[0]["session"]["skill_id"]


def _alice(web, body=None, **environ):
    return web.test_client().post("/alice", json=body or copy.deepcopy(ALICE[0]), **environ)


def test_production_refuses_alice_without_a_skill_id(stub_app, tmp_path):
    from tests.fixtures_server import make_web

    web = make_web(stub_app, tmp_path, env="production")
    resp = _alice(web)
    assert resp.status_code == 403 and "response" in resp.get_json() and stub_app.turns == []
    web.extensions["sekretar"]["shutdown"]()
    web = make_web(stub_app, tmp_path, env="production", alice_skill_id=SKILL)
    assert _alice(web).status_code == 200 and stub_app.turns
    web.extensions["sekretar"]["shutdown"]()


@pytest.mark.parametrize("remote,forwarded,proxies,status", [
    ("203.0.113.5", None, "", 200),                       # from Yandex's network
    ("198.51.100.9", None, "", 403),                      # from elsewhere
    ("198.51.100.9", "203.0.113.5", "", 403),             # a forged X-Forwarded-For from elsewhere
    ("10.0.0.2", "203.0.113.5", "10.0.0.0/8", 200),       # behind our proxy, from Yandex
    ("10.0.0.2", "198.51.100.9", "10.0.0.0/8", 403),      # behind our proxy, from elsewhere
    ("10.0.0.2", "203.0.113.5, 198.51.100.9", "10.0.0.0/8", 403),  # a client-added hop does not help
], ids=["allowed", "other", "forged-xff", "proxy-allowed", "proxy-other", "proxy-spoofed-hop"])
def test_alice_source_network_allow_list(stub_app, tmp_path, remote, forwarded, proxies, status):
    from sekretar.web.guard import parse_networks
    from tests.fixtures_server import make_web

    web = make_web(stub_app, tmp_path, alice_allow_nets=parse_networks("203.0.113.0/24", "x"),
                   trusted_proxies=parse_networks(proxies, "y"))
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    resp = _alice(web, headers=headers, environ_base={"REMOTE_ADDR": remote})
    assert resp.status_code == status and "response" in resp.get_json()
    assert bool(stub_app.turns) == (status == 200)
    web.extensions["sekretar"]["shutdown"]()


def test_bad_network_settings_are_clear_errors(monkeypatch):
    from sekretar.core.errors import ConfigError
    from sekretar.web.config import ServerConfig

    monkeypatch.setenv("SEKRETAR_ALICE_ALLOW_NETS", "203.0.113.0/24, yandex")
    with pytest.raises(ConfigError, match="'yandex' is not an address"):
        ServerConfig.from_env()
    monkeypatch.setenv("SEKRETAR_ALICE_ALLOW_NETS", "203.0.113.0/24")
    monkeypatch.setenv("SEKRETAR_ENV", "prod")
    with pytest.raises(ConfigError, match="SEKRETAR_ENV"):
        ServerConfig.from_env()
