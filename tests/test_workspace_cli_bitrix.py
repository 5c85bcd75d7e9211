"""`sekretar people` on Bitrix24 with the portal down (issue 9, item 11):
the directory read earlier is printed, said to be cached and why, with
exit status 3 (not 0: a script must be able to tell)."""
from __future__ import annotations

import json

import pytest

from sekretar.cli import main
from tests.fixtures_bitrix import use_portal_cli


@pytest.fixture
def env(tmp_path, fake_bitrix, monkeypatch):
    return use_portal_cli(monkeypatch, tmp_path, fake_bitrix)


def test_people_with_the_portal_down_says_the_list_is_cached(env, fake_bitrix, capsys):
    assert main(["people", "--json"]) == 0
    fresh = capsys.readouterr()
    assert fresh.err == ""
    fake_bitrix.stop()
    assert main(["people", "--json"]) == 3
    cached = capsys.readouterr()
    assert [json.loads(x) for x in cached.out.splitlines()] == [json.loads(x) for x in fresh.out.splitlines()]
    assert "cached" in cached.err and "unreachable" in cached.err and "нет соединения" in cached.err
    assert fake_bitrix.secret not in cached.err
    fake_bitrix.start()
    assert main(["people"]) == 0
    assert capsys.readouterr().err == ""


def test_people_with_the_portal_down_and_nothing_cached_is_an_error(env, fake_bitrix, capsys):
    fake_bitrix.stop()
    assert main(["people"]) == 2
    assert "Битрикс24" in capsys.readouterr().err
