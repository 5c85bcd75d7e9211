"""The Store contract, on SQLite and PostgreSQL (the `store` fixture)."""
from datetime import datetime, timedelta, timezone

import pytest
from sekretar.store import open_store

from sekretar.core.errors import StoreError

T0 = datetime(2026, 3, 25, 9, 0, tzinfo=timezone.utc)
MSK = timezone(timedelta(hours=3))


def test_links_set_get_replace_delete(store):
    assert store.get_link("alice:u1") is None
    link = store.set_link("alice:u1", "7", "bitrix24", T0)
    assert (link.user, link.person_id, link.workspace) == ("alice:u1", "7", "bitrix24")
    got = store.get_link("alice:u1")
    assert got == link and got.linked_at == T0 and got.linked_at.tzinfo is not None
    store.set_link("alice:u1", "3", "local", T0 + timedelta(minutes=1))
    assert store.get_link("alice:u1").person_id == "3"
    assert store.delete_link("alice:u1") is True
    assert store.delete_link("alice:u1") is False
    assert store.get_link("alice:u1") is None


def test_times_are_utc_whatever_zone_goes_in(store):
    local = datetime(2026, 3, 25, 12, 0, tzinfo=MSK)
    link = store.set_link("u", "1", "local", local)
    got = store.get_link("u").linked_at
    assert got == local and got.utcoffset() == timedelta(0)


def test_code_is_digits_of_the_asked_length_and_single_use(store):
    code = store.issue_code("1", "local", T0, length=8, ttl_seconds=60)
    assert code.isdigit() and len(code) == 8
    assert store.redeem_code(code, T0 + timedelta(seconds=59)) == ("1", "local")
    assert store.redeem_code(code, T0 + timedelta(seconds=59)) is None


def test_code_expires(store):
    code = store.issue_code("1", "local", T0, ttl_seconds=60)
    assert store.redeem_code(code, T0 + timedelta(seconds=60)) is None


def test_new_code_replaces_the_persons_live_one(store):
    first = store.issue_code("1", "local", T0)
    other = store.issue_code("2", "local", T0)
    second = store.issue_code("1", "local", T0 + timedelta(seconds=1))
    assert store.redeem_code(first, T0 + timedelta(seconds=2)) is None or first == second
    assert store.redeem_code(second, T0 + timedelta(seconds=2)) == ("1", "local")
    assert store.redeem_code(other, T0 + timedelta(seconds=2)) == ("2", "local")


def test_same_person_id_in_two_workspaces_keeps_two_codes(store):
    a = store.issue_code("7", "local", T0)
    b = store.issue_code("7", "bitrix24", T0)
    assert store.redeem_code(b, T0) == ("7", "bitrix24")
    assert store.redeem_code(a, T0) == ("7", "local")


def test_live_codes_are_unique(store):
    codes = [store.issue_code(str(i), "local", T0, length=4) for i in range(300)]
    assert len(set(codes)) == 300
    assert all(store.redeem_code(c, T0) == (str(i), "local") for i, c in enumerate(codes))


def test_spoken_code_with_spaces_is_redeemed(store):
    code = store.issue_code("5", "local", T0)
    assert store.redeem_code(f"{code[:3]} {code[3:]}", T0) == ("5", "local")
    assert store.redeem_code("", T0) is None
    assert store.redeem_code("abc", T0) is None


@pytest.mark.parametrize("length", [0, 3, 13])
def test_code_length_out_of_range_is_a_clear_error(store, length):
    with pytest.raises(StoreError, match="digits"):
        store.issue_code("1", "local", T0, length=length)


def test_failed_tries_per_user_and_global_in_a_window(store):
    for s in (0, 10, 20):
        store.record_failed_try("a", T0 + timedelta(seconds=s))
    store.record_failed_try("b", T0 + timedelta(seconds=25))
    now = T0 + timedelta(seconds=30)
    assert store.failed_tries(now, 60, "a") == 3
    assert store.failed_tries(now, 15, "a") == 1
    assert store.failed_tries(now, 60) == 4
    assert store.failed_tries(now, 60, "c") == 0
    assert store.failed_tries(T0 + timedelta(hours=1), 60) == 0


def test_dialog_state_roundtrip_and_clear(store):
    assert store.load_state("u") is None
    state = {"step": "confirm", "command": {"title": "Отчёт", "when": None}, "n": [1, 2]}
    store.save_state("u", state, T0)
    assert store.load_state("u") == state
    store.save_state("u", {"step": "idle"}, T0)
    assert store.load_state("u") == {"step": "idle"}
    store.save_state("u", None, T0)
    assert store.load_state("u") is None


def test_replies_kept_then_pruned(store):
    store.put_reply("u", "r1", {"text": "Готово"}, T0)
    assert store.get_reply("u", "r1") == {"text": "Готово"}
    assert store.get_reply("u", "r2") is None
    store.put_reply("u", "r2", {"text": "x"}, T0 + timedelta(days=2))
    assert store.get_reply("u", "r1") is None
    assert store.get_reply("u", "r2") == {"text": "x"}


def test_add_action_is_idempotent(store):
    rec, inserted = store.add_action("k1", "u", {"kind": "task", "title": "Т"}, T0)
    assert inserted and rec.status == "pending" and rec.attempts == 0 and rec.payload["title"] == "Т"
    again, inserted2 = store.add_action("k1", "u", {"kind": "other"}, T0 + timedelta(seconds=5))
    assert not inserted2 and again.payload == {"kind": "task", "title": "Т"}
    assert store.get_action("k1") == rec
    assert store.get_action("nope") is None


def test_claim_leases_and_finish_records(store):
    store.add_action("k1", "u", {"n": 1}, T0)
    store.add_action("k2", "u", {"n": 2}, T0 + timedelta(seconds=1))
    now = T0 + timedelta(seconds=2)
    a = store.claim_due_action(now, lease_seconds=30)
    b = store.claim_due_action(now, lease_seconds=30)
    assert {a.key, b.key} == {"k1", "k2"} and a.key == "k1"
    assert a.next_try_at == now + timedelta(seconds=30)
    assert store.claim_due_action(now) is None
    assert store.claim_due_action(now + timedelta(seconds=30)).key == "k1"  # lease ran out

    store.finish_action("k1", "pending", now, error="down", next_try_at=now + timedelta(seconds=5))
    rec = store.get_action("k1")
    assert (rec.status, rec.attempts, rec.error) == ("pending", 1, "down")
    store.finish_action("k1", "pending", now, next_try_at=now + timedelta(seconds=60), count_attempt=False)
    rec = store.get_action("k1")
    assert rec.attempts == 1 and rec.error == "down"  # a lease keeps the last error
    store.finish_action("k1", "done", now, result={"kind": "task", "id": "9", "url": None})
    rec = store.get_action("k1")
    assert (rec.status, rec.attempts, rec.next_try_at, rec.error) == ("done", 2, None, None)
    assert rec.result == {"kind": "task", "id": "9", "url": None}
    store.finish_action("k2", "failed", now, error="rejected")
    assert store.get_action("k2").status == "failed"
    assert store.claim_due_action(now + timedelta(days=1)) is None
    assert [r.key for r in store.list_actions()] == ["k2"]
    assert [r.key for r in store.list_actions(("done", "failed"))] == ["k1", "k2"]


def test_finish_rejects_unknown_status_and_key(store):
    store.add_action("k", "u", {}, T0)
    with pytest.raises(StoreError):
        store.finish_action("k", "weird", T0)
    with pytest.raises(StoreError):
        store.finish_action("missing", "done", T0)


def test_kv(store):
    assert store.kv_get("bitrix.token") is None
    store.kv_put("bitrix.token", "abc")
    store.kv_put("bitrix.token", "def")
    assert store.kv_get("bitrix.token") == "def"
    store.kv_put("bitrix.token", None)
    assert store.kv_get("bitrix.token") is None


def test_reopen_keeps_data_and_does_not_remigrate(store_url):
    s1 = open_store(store_url)
    s1.kv_put("a", "1")
    s1.close()
    s2 = open_store(store_url)
    assert s2.kv_get("a") == "1"
    with s2.db.read() as cur:
        # each migration file once (store/migrations/NNN_*.sql), none twice
        from importlib import resources

        versions = sorted(int(f.name[:3]) for f in resources.files("sekretar.store.migrations").iterdir()
                          if f.name.endswith(".sql"))
        assert sorted(cur.all("SELECT component, version FROM schema_versions")) == [("store", v) for v in versions]
    s2.close()


@pytest.mark.parametrize("url", ["mysql://x/y", "nonsense"])
def test_unsupported_url_is_a_clear_error(url):
    with pytest.raises(StoreError, match="unsupported database URL"):
        open_store(url)


def test_unreachable_postgres_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        open_store("postgresql://nobody@/nodb?host=/nonexistent-dir&connect_timeout=2")


def test_memory_sqlite_works_across_threads():
    import threading

    s = open_store("sqlite://")
    s.kv_put("a", "1")
    out = []
    t = threading.Thread(target=lambda: out.append(s.kv_get("a")))
    t.start(); t.join()
    assert out == ["1"]


def test_sqlite_file_is_in_wal_mode(tmp_path):
    s = open_store(f"sqlite:///{tmp_path}/deep/dir/s.db")
    with s.db.read() as cur:
        assert cur.one("PRAGMA journal_mode")[0] == "wal"
    assert (tmp_path / "deep/dir/s.db").exists()


def test_sqlite_users_never_import_psycopg(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from store import open_store; s = open_store(sys.argv[1]); s.kv_put('a', '1');"
            "from integrations.local import LocalWorkspace; LocalWorkspace(s.db).people();"
            "print('psycopg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, f"sqlite:///{tmp_path}/x.db"], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_required_postgres_fails_instead_of_skipping(monkeypatch):
    from tests.fixtures_store import _no_postgres

    monkeypatch.setenv("SEKRETAR_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="required"):
        _no_postgres("no server")
    monkeypatch.delenv("SEKRETAR_REQUIRE_POSTGRES")
    with pytest.raises(pytest.skip.Exception, match="no server"):
        _no_postgres("no server")
