"""Fixtures for the dialog tests.

`WORKSPACE_FACTORIES` maps a workspace kind to `factory(store, tmp_path)`
returning a workspace that also has `list_items(kind)` (the conversation
tests check what it holds): "local", and "bitrix24" on the loopback fake
portal of tests/fixtures_bitrix.py. `dialog_app` runs on every factory ×
every store backend of tests/fixtures_store.py.
"""
from __future__ import annotations

import threading

import pytest

from sekretar.core.config import Settings


def make_local_workspace(store, tmp_path):
    from sekretar.integrations import open_workspace

    settings = Settings(home=tmp_path, workspace="local", database_url=store.url)
    return open_workspace(settings, store)


def make_bitrix24_workspace(store, tmp_path):
    from tests.fake_bitrix24 import FakeBitrix24
    from tests.fixtures_bitrix import make_bitrix_workspace, portal_users

    # a fresh portal per test (what it holds is checked); stopped by dialog_workspace
    return make_bitrix_workspace(store, tmp_path, FakeBitrix24(portal_users()).start())


WORKSPACE_FACTORIES = {"local": make_local_workspace, "bitrix24": make_bitrix24_workspace}


@pytest.fixture(scope="session")
def dialog_parser():
    """The real parser with the product's morph analyzer, built once for the session."""
    from sekretar.grammar import Parser
    from sekretar.grammar.morph import make_analyzer

    return Parser(morph=make_analyzer())


@pytest.fixture(params=sorted(WORKSPACE_FACTORIES))
def dialog_workspace(request, store, tmp_path):
    ws = WORKSPACE_FACTORIES[request.param](store, tmp_path)
    yield ws
    for closer in ("close", "client.close", "fake.stop"):  # what the adapter has
        obj = ws
        for part in closer.split("."):
            obj = getattr(obj, part, None)
        if callable(obj) and closer == "fake.stop":
            # the fake's server takes its poll interval (0.5 s) to stop: not on the test's time
            threading.Thread(target=obj, daemon=True).start()
        elif callable(obj):
            obj()


@pytest.fixture
def dialog_settings(tmp_path, store):
    return Settings(home=tmp_path, database_url=store.url)


@pytest.fixture
def server_clock():
    """The server's clock of `dialog_app`, moved by hand (starts at the real time)."""
    from sekretar.core.clock import ManualClock

    return ManualClock()


@pytest.fixture
def dialog_app(dialog_parser, store, dialog_workspace, dialog_settings, server_clock):
    """An App on the real parser, a fresh store and a fresh workspace; its
    server clock is `server_clock`."""
    from sekretar.dialog.settings import DialogSettings

    from sekretar.app import App

    app = App(dialog_settings, parser=dialog_parser, store=store, workspace=dialog_workspace,
              dialog_settings=DialogSettings(), clock=server_clock)
    yield app
    app.close()
