"""Helpers of the security tests (issue 9): the real app (parser, dialog,
store, local workspace) behind the real Flask app, on a server clock the
test moves by hand."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

from sekretar.core.clock import ManualClock
from sekretar.core.config import Settings
from sekretar.web.config import ServerConfig

ALICE = json.loads((Path(__file__).parent / "data" / "alice" / "conversation.json").read_text("utf-8"))


class RealServer:
    """`app` (the real App), `web` (Flask), `client`, `clock` (the server's)."""

    def __init__(self, home: Path, parser=None, store_url: str | None = None, workspace=None, **config):
        from sekretar.app import open_app
        from sekretar.web import create_app

        self.clock = ManualClock(datetime.now(timezone.utc), ticking=True)
        settings = Settings(home=home, database_url=store_url)
        parts = {k: v for k, v in (("parser", parser), ("workspace", workspace)) if v is not None}
        self.app = open_app(settings, action_budget=0.5, clock=self.clock, **parts)
        cfg = ServerConfig(**{"drain_interval": 0, "reply_deadline": 3.0, "action_budget": 0.5, **config})
        self.web = create_app(settings, app=self.app, config=cfg)
        self.client = self.web.test_client()

    @property
    def store(self):
        return self.app.store

    def person(self, name: str | None = None):
        people = self.app.workspace.people()
        return next(p for p in people if name is None or p.name == name)

    def code(self, name: str | None = None, ttl: int = 600, length: int = 6) -> str:
        """A code as the code page makes it: on the server's clock."""
        return self.store.issue_code(self.person(name).id, self.app.workspace.name, self.clock(),
                                     length=length, ttl_seconds=ttl)

    def api(self, user: str, text: str, now: str | None = None, **extra):
        body = {"user": user, "text": text, **({"now": now} if now else {}), **extra}
        return self.client.post("/api/v1/turn", json=body)

    def crashes(self) -> float:
        return self.web.extensions["sekretar"]["metrics"].crash_count()

    def close(self) -> None:
        self.web.extensions["sekretar"]["shutdown"]()


def alice_body(text: str, user: str = "alice-user", session: str = "sess-1", message_id: int = 1,
               state: dict | None = None) -> dict:
    body = copy.deepcopy(ALICE[2])
    body["request"].update(command=text, original_utterance=text, nlu={"tokens": [], "entities": [], "intents": {}})
    body["session"].update(message_id=message_id, session_id=session, new=False)
    body["session"]["user"] = {"user_id": user}
    body["session"]["application"] = {"application_id": user}
    if state is not None:
        body["state"] = {"session": state}
    return body


def google_body(text: str, uid: str = "g-user", state: dict | None = None) -> dict:
    return {"handler": {"name": "main"}, "intent": {"name": "actions.intent.TEXT", "query": text, "params": {}},
            "scene": {"name": "Main"}, "session": {"id": "g-session", "params": ({"sekretar_state": state}
                                                                                  if state else {})},
            "user": {"locale": "ru-RU", "params": {"sekretar_uid": uid}},
            "device": {"timeZone": {"id": "Europe/Moscow"}}}
