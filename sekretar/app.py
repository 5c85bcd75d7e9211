"""The wired system: settings → parser, store, workspace, outbox, dialog.

Built once per process (CLI run, server worker) and passed in; the CLI's
`chat`, the microphone loop and the server all talk to it the same way:

    app = open_app(Settings.from_env())
    reply = app.turn("Поставь задачу Насте", user="cli:local")

Attributes others use: `settings`, `parser` (its `morph` is the one
pymorphy3 analyzer of the process), `store`, `workspace`, `outbox`,
`dialog`, `action_budget`.
"""
from __future__ import annotations

from datetime import datetime

from sekretar.core.config import Settings
from sekretar.core.types import Reply, Turn
from sekretar.core.config import zone


class App:
    """`action_budget`: seconds a confirmed action may take at the workspace
    before the reply says it is queued (the server sets it; the CLI waits).

    The parts may be given (tests, the server's own wiring); whatever is
    not given is built from `settings`. `clock`: the server's clock (tests
    inject one; a turn's `now` never decides expiry or limits)."""

    def __init__(self, settings: Settings, action_budget: float | None = None, *,
                 parser=None, store=None, workspace=None, outbox=None, dialog_settings=None, clock=None):
        from sekretar.dialog.machine import Dialog
        from sekretar.dialog.settings import DialogSettings
        from sekretar.integrations.outbox import Outbox

        self.settings = settings
        self.action_budget = action_budget
        self._own_store = store is None
        self.parser = parser if parser is not None else _parser(settings)
        self.store = store if store is not None else _store(settings)
        self.workspace = workspace if workspace is not None else _workspace(settings, self.store)
        self.outbox = outbox if outbox is not None else Outbox(self.store, self.workspace)
        self.dialog = Dialog(self.parser, self.store, self.workspace, self.outbox, settings,
                             dialog_settings or DialogSettings.from_env(), action_budget, clock=clock)

    @property
    def morph(self):
        return self.dialog.morph

    def handle(self, turn: Turn) -> Reply:
        return self.dialog.handle(turn)

    def turn(self, text: str, *, user: str = "cli:local", now: datetime | None = None,
             tz: str | None = None, lang: str | None = None, platform: str = "cli",
             **turn_fields) -> Reply:
        tz = tz or self.settings.tz
        now = now or datetime.now(zone(tz))
        return self.handle(Turn(user=user, text=text, now=now, tz=tz, lang=lang,
                                platform=platform, **turn_fields))

    def close(self) -> None:
        self.outbox.close()
        if self._own_store:
            self.store.close()


def _parser(settings: Settings):
    from sekretar.grammar import Parser
    from sekretar.grammar.morph import make_analyzer

    return Parser(morph=make_analyzer(), task_default_hour=settings.task_default_hour)


def _store(settings: Settings):
    from sekretar.store import open_store

    if settings.db_url.startswith("sqlite:///"):
        settings.home.mkdir(parents=True, exist_ok=True)
    from sekretar.core.config import env_int, secret_key

    return open_store(settings.db_url, code_key=secret_key(settings.home),
                      guess_capacity=env_int("SEKRETAR_LINK_GUESS_CAPACITY", 10000))


def _workspace(settings: Settings, store):
    from sekretar.integrations import open_workspace

    return open_workspace(settings, store)


def open_app(settings: Settings | None = None, action_budget: float | None = None, **parts) -> App:
    return App(settings or Settings.from_env(), action_budget, **parts)
