"""Fixtures for the dialog tests.

`WORKSPACE_FACTORIES` maps a workspace kind to `factory(store, tmp_path)`
returning a workspace that also has `list_items(kind)` (the conversation
tests check what it holds). The integrator adds "bitrix24" (the fake
portal) here; `dialog_app` runs on every factory × every store backend of
tests/fixtures_store.py.
"""
from __future__ import annotations

import pytest

from sekretar.config import Settings


def make_local_workspace(store, tmp_path):
    from integrations import open_workspace

    settings = Settings(home=tmp_path, workspace="local", database_url=store.url)
    return open_workspace(settings, store)


WORKSPACE_FACTORIES = {"local": make_local_workspace}


@pytest.fixture(scope="session")
def dialog_parser():
    """The real parser with the one morph analyzer, built once for the session."""
    import pymorphy3

    from grammar import Parser

    return Parser(morph=pymorphy3.MorphAnalyzer())


@pytest.fixture(params=sorted(WORKSPACE_FACTORIES))
def dialog_workspace(request, store, tmp_path):
    return WORKSPACE_FACTORIES[request.param](store, tmp_path)


@pytest.fixture
def dialog_settings(tmp_path, store):
    return Settings(home=tmp_path, database_url=store.url)


@pytest.fixture
def dialog_app(dialog_parser, store, dialog_workspace, dialog_settings):
    """An App on the real parser, a fresh store and a fresh workspace."""
    from dialog.settings import DialogSettings
    from sekretar.app import App

    app = App(dialog_settings, parser=dialog_parser, store=store, workspace=dialog_workspace,
              dialog_settings=DialogSettings())
    yield app
    app.close()
