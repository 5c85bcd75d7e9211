"""Fixtures for the Bitrix24 tests (and the conversation suite run on Bitrix24).

- `portal_users()`: the demo people of the local workspace
  (integrations/data/demo_people.csv) as portal users, ids 1..N in order.
- `fake_bitrix`: a FakeBitrix24 on loopback seeded with them, stopped after.
- `make_bitrix_workspace(store, tmp_path, fake=None, **options)`: a
  Bitrix24Workspace over a webhook of a (new, unless given) fake portal; the
  fake is `ws.fake`. `ws.list_items(kind)` reads the portal back in the
  local workspace's shape.
- `bitrix_workspace(store_sqlite)`: the same as a fixture.
- `b24_store`: a fresh SQLite store in tmp_path.
"""
from __future__ import annotations

import atexit
import csv
from pathlib import Path

import pytest
from sekretar.integrations.bitrix24 import Bitrix24Client, Bitrix24Workspace, RateLimiter
from sekretar.store import open_store

from tests.fake_bitrix24 import FakeBitrix24

DEMO_CSV = Path(__file__).resolve().parents[1] / "integrations" / "data" / "demo_people.csv"


def portal_users(path: Path = DEMO_CSV) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    users = []
    for i, row in enumerate(rows, start=1):
        first, _, last = row["name"].partition(" ")
        gender = row.get("gender") or ("F" if last.endswith(("а", "я")) else "M")
        users.append({"ID": str(i), "NAME": first, "LAST_NAME": last, "EMAIL": row.get("email", ""),
                      "PERSONAL_GENDER": gender.upper()[:1]})
    return users


def make_fake(**options) -> FakeBitrix24:
    fake = FakeBitrix24(portal_users(), **options).start()
    atexit.register(fake.stop)
    return fake


def make_bitrix_workspace(store=None, tmp_path=None, fake: FakeBitrix24 | None = None, *,
                          timeout: float = 5.0, rate: float = 50.0, burst: int = 50,
                          limit_backoff: float = 0.05, **ws_options) -> Bitrix24Workspace:
    """A workspace on a webhook of `fake` (a new seeded fake by default).
    The rate limiter here is loose (50/s) so conversation tests run fast;
    tests of the limit itself pass rate=2."""
    fake = fake or make_fake()
    limiter = RateLimiter(rate, burst)
    client = Bitrix24Client(fake.webhook_url, timeout=timeout, limiter=limiter,
                            limit_backoff=limit_backoff)
    ws = Bitrix24Workspace(client, fake.portal, caller_id=fake.webhook_user, store=store,
                           app_client_factory=lambda: Bitrix24Client(f"{fake.portal}/rest/", timeout=timeout,
                                                                     limiter=limiter),
                           **ws_options)
    ws.fake = fake
    return ws


def use_portal_cli(monkeypatch, home: Path, fake: FakeBitrix24) -> Path:
    """The environment `sekretar` commands run in against `fake`: a fresh
    SEKRETAR_HOME on SQLite, the bitrix24 workspace by webhook, a 1 s timeout."""
    monkeypatch.setenv("SEKRETAR_HOME", str(home))
    monkeypatch.delenv("SEKRETAR_DATABASE_URL", raising=False)
    monkeypatch.setenv("SEKRETAR_WORKSPACE", "bitrix24")
    monkeypatch.setenv("SEKRETAR_BITRIX24_WEBHOOK", fake.webhook_url)
    monkeypatch.setenv("SEKRETAR_BITRIX24_TIMEOUT", "1")
    return home


@pytest.fixture
def fake_bitrix():
    fake = FakeBitrix24(portal_users()).start()
    yield fake
    fake.stop()


@pytest.fixture
def b24_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'b24.db'}")
    yield store
    store.close()


@pytest.fixture
def bitrix_workspace(b24_store, tmp_path, fake_bitrix):
    ws = make_bitrix_workspace(b24_store, tmp_path, fake_bitrix)
    yield ws
    ws.client.close()
