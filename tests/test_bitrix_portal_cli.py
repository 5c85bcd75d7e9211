"""`sekretar events` and `sekretar people` against the fake portal: a portal
of any language, a portal that is down."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sekretar.cli import main
from sekretar.core.types import Action
from tests.fake_bitrix24 import FakeBitrix24
from tests.fixtures_bitrix import make_bitrix_workspace, portal_users, use_portal_cli


@pytest.fixture
def english_portal():
    fake = FakeBitrix24(portal_users(), language="en").start()
    yield fake
    fake.stop()


@pytest.fixture
def env(tmp_path, monkeypatch):
    return lambda fake: use_portal_cli(monkeypatch, tmp_path, fake)


def test_events_on_an_english_portal(english_portal, env, capsys, b24_store):
    ws = make_bitrix_workspace(b24_store, None, english_portal)
    berlin = ZoneInfo("Europe/Berlin")
    ws.create(Action("event", "3", "e1", title="Review", start=datetime(2026, 12, 11, 17, 59, tzinfo=berlin),
                     tz="Europe/Berlin"))
    ws.create(Action("event", "3", "e2", title="Day off", start=datetime(2026, 12, 12), all_day=True))
    raw = english_portal.state.events[0]
    assert raw["DATE_FROM"] == "12/11/2026 05:59:00 pm"  # what the docs show an English portal answer
    env(english_portal)
    assert main(["events", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["title"], r["start"], r["end"], r["all_day"]) for r in rows] == [
        ("Review", "2026-12-11T17:59:00+01:00", "2026-12-11T18:59:00+01:00", False),
        ("Day off", "2026-12-12T00:00:00+03:00", "2026-12-13T00:00:00+03:00", True)]


def test_people_says_when_the_list_is_the_cached_one(fake_bitrix, env, capsys):
    env(fake_bitrix)
    assert main(["people", "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 12
    fake_bitrix.stop()
    assert main(["people"]) == 3
    out, err = capsys.readouterr()
    assert "Сергей Иванов" in out  # still shown
    assert "warning: the portal is unreachable" in err and "this is the list read" in err
    fake_bitrix.start()
    assert main(["people"]) == 0 and "warning" not in capsys.readouterr().err
