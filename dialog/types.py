"""What goes into the dialog and what comes out: platform-neutral."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Turn:
    """One thing a voice user said.

    `user` is a stable key from the platform ("alice:<user_id>", "cli:local").
    `state` is the dialog state the platform carried back (Alice's
    session_state); None means: load it from the store.
    `hint` is a platform's own understanding: "confirm", "reject", "help".
    `request_id` identifies a delivery (session + message id) so a request
    delivered twice gets the same reply and acts once.
    """

    user: str
    text: str
    now: datetime
    tz: str = "Europe/Moscow"
    lang: str | None = None
    platform: str = "cli"
    state: dict | None = None
    hint: str | None = None
    request_id: str | None = None
    new_session: bool = False


@dataclass(frozen=True)
class Reply:
    text: str
    tts: str | None = None           # what to speak, if it differs from text
    end: bool = False                # the session ends
    buttons: tuple[str, ...] = ()    # suggestions (Да / Нет on a confirmation)
    state: dict = field(default_factory=dict)  # the new dialog state
    outcome: str = "answered"        # for metrics: asked, confirm_asked, done, queued, cancelled, corrected, linked, link_failed, help, not_understood...
