"""The wired system: settings → parser, store, workspace, outbox, dialog.

Built once per process (CLI run, server worker) and passed in; the CLI's
`chat`, the microphone loop and the server all talk to it the same way:

    app = open_app(Settings.from_env())
    reply = app.turn("Поставь задачу Насте", user="cli:local")

PLACEHOLDER until the dialog lands.
"""
from __future__ import annotations

from datetime import datetime

from dialog.types import Reply, Turn
from sekretar.config import Settings


class App:
    """`action_budget`: seconds a confirmed action may take at the workspace
    before the reply says it is queued (the server sets it; the CLI waits)."""

    def __init__(self, settings: Settings, action_budget: float | None = None):
        self.settings = settings
        self.action_budget = action_budget

    def handle(self, turn: Turn) -> Reply:
        raise NotImplementedError

    def turn(self, text: str, *, user: str = "cli:local", now: datetime | None = None,
             tz: str | None = None, lang: str | None = None, platform: str = "cli",
             **turn_fields) -> Reply:
        raise NotImplementedError

    def close(self) -> None:
        pass


def open_app(settings: Settings | None = None, action_budget: float | None = None) -> App:
    return App(settings or Settings.from_env(), action_budget)
