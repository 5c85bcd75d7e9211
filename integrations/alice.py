"""Yandex Alice (Yandex Dialogs) webhook protocol ↔ Turn / Reply.

Pure functions, no web framework: `parse()` reads a request body (already
decoded JSON) into an `AliceRequest`, `to_turn()` makes the dialog's Turn,
`render()` turns a Reply into the response body, `apology()` answers
something that cannot be served with a polite spoken reply.

Protocol: https://yandex.ru/dev/dialogs/alice/doc/ru/request.md and
response.md. The voice user is `session.user.user_id` (a Yandex account)
else `session.application.application_id` (one device/app).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sekretar.integrations.speech import clip, phrase, spoken
from sekretar.integrations.speech import data as speech_data

from sekretar.core.errors import BadRequest
from sekretar.core.types import Reply, Turn

HINTS = {"YANDEX.CONFIRM": "confirm", "YANDEX.REJECT": "reject", "YANDEX.HELP": "help",
         "YANDEX.WHAT_CAN_YOU_DO": "help", "YANDEX.REPEAT": "repeat"}
REQUEST_TYPES = ("SimpleUtterance", "ButtonPressed")
PING = "ping"
MAX_ID = 256  # Yandex ids are 64 hex characters or UUID-like


@dataclass(frozen=True)
class AliceRequest:
    user: str                 # "alice:<user_id or application_id>"
    text: str
    session_id: str
    message_id: int
    skill_id: str | None
    new: bool
    tz: str
    lang: str
    kind: str                 # request.type
    hint: str | None
    state: dict | None        # state.session
    version: str
    ping: bool = False        # Yandex's health check ("ping")

    @property
    def request_id(self) -> str:
        return f"alice:{self.session_id}:{self.message_id}"

    @property
    def is_ping(self) -> bool:
        return self.ping


def _obj(parent: dict, key: str, required: bool = True) -> dict:
    value = parent.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise BadRequest(f"'{key}' must be an object")
    return value


def _str(parent: dict, key: str, default: str | None = None) -> str | None:
    value = parent.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise BadRequest(f"'{key}' must be a string")
    return value


def _zone(name: str | None, default: str) -> str:
    if not name:
        return default
    try:
        ZoneInfo(name)
        return name
    except (ValueError, KeyError, OSError):
        return default  # an unknown zone from a device: use ours, do not fail the turn


def _hint(request: dict) -> str | None:
    payload = request.get("payload")
    if isinstance(payload, dict) and payload.get("hint") in ("confirm", "reject", "help", "repeat"):
        return payload["hint"]
    nlu = request.get("nlu")
    intents = nlu.get("intents") if isinstance(nlu, dict) else None
    if isinstance(intents, dict):
        for name, hint in HINTS.items():
            if name in intents:
                return hint
    return None


def _text(request: dict, kind: str, new: bool) -> str:
    if kind == "ButtonPressed":
        payload = request.get("payload")
        if isinstance(payload, dict) and isinstance(payload.get("text"), str):
            return payload["text"]
    command = _str(request, "command", "") or ""
    if command or new:  # a launch ("запусти навык ...") comes with an empty command
        return command
    return _str(request, "original_utterance", "") or ""


def parse(body, default_tz: str = "Europe/Moscow", default_lang: str = "ru") -> AliceRequest:
    """Read an Alice request body. Raises BadRequest for a wrong shape."""
    if not isinstance(body, dict):
        raise BadRequest("the request must be a JSON object")
    session = _obj(body, "session")
    request = _obj(body, "request")
    meta = _obj(body, "meta", required=False)
    user = _obj(session, "user", required=False)
    application = _obj(session, "application", required=False)
    voice_user = _str(user, "user_id") or _str(application, "application_id") or _str(session, "user_id")
    if not voice_user:
        raise BadRequest("no session.user.user_id or session.application.application_id")
    session_id = _str(session, "session_id")
    if not session_id:
        raise BadRequest("no session.session_id")
    if len(voice_user) > MAX_ID or len(session_id) > MAX_ID:
        raise BadRequest("a user, application or session id is too long")
    message_id = session.get("message_id", 0)
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        raise BadRequest("session.message_id must be a number")
    kind = _str(request, "type", "SimpleUtterance")
    if kind not in REQUEST_TYPES:
        raise BadRequest(f"request type {kind!r} is not served")
    state = body.get("state")
    session_state = state.get("session") if isinstance(state, dict) else None
    locale = _str(meta, "locale", "") or ""
    version = body.get("version")
    return AliceRequest(
        user=f"alice:{voice_user}",
        text=_text(request, kind, session.get("new") is True)[:1024],
        session_id=session_id,
        message_id=message_id,
        skill_id=_str(session, "skill_id"),
        new=session.get("new") is True,
        tz=_zone(_str(meta, "timezone"), default_tz),
        lang=locale[:2].lower() if locale[:2].lower() in ("ru", "en") else default_lang,
        kind=kind,
        hint=_hint(request),
        state=session_state if isinstance(session_state, dict) and session_state else None,
        version=version if isinstance(version, str) and version else "1.0",
        ping=PING in ((_str(request, "original_utterance", "") or "").strip().lower(),
                      (_str(request, "command", "") or "").strip().lower()),
    )


def to_turn(req: AliceRequest, now: datetime | None = None) -> Turn:
    zone = ZoneInfo(req.tz)
    now = now.astimezone(zone) if now else datetime.now(zone)
    return Turn(user=req.user, text=req.text, now=now, tz=req.tz, lang=req.lang, platform="alice",
                state=req.state, hint=req.hint, request_id=req.request_id, new_session=req.new)


def _button(title: str) -> dict:
    limits = speech_data().limits
    button = {"title": clip(title, limits["alice_button_title"]), "hide": True}
    word = title.strip().lower()
    hint = speech_data().button_hints.get(word)
    button["payload"] = {"text": title, **({"hint": hint} if hint else {})}
    return button


def render(reply: Reply, version: str = "1.0", lang: str | None = None) -> dict:
    """A Reply as an Alice response body."""
    limits = speech_data().limits
    text = clip((reply.text or "").strip() or "…", limits["alice_text"])
    tts = clip(spoken(reply.tts or reply.text or "", lang) or "sil <[100]>", limits["alice_tts"])
    body = {
        "response": {
            "text": text,
            "tts": tts,
            "buttons": [_button(b) for b in reply.buttons[: limits["alice_buttons"]] if b and b.strip()],
            "end_session": bool(reply.end),
        },
        "version": version,
    }
    if isinstance(reply.state, dict):
        size = len(json.dumps(reply.state, ensure_ascii=False, default=str).encode("utf-8"))
        if size <= limits["alice_state"]:
            body["session_state"] = reply.state
    return body


def apology(lang: str | None = "ru", version: str = "1.0", kind: str = "sorry") -> dict:
    """A polite spoken answer to a request that cannot be served
    (kind: "sorry" bad request, "busy" too slow, "broken" our fault)."""
    body = render(Reply(text=phrase(kind, lang)), version, lang)
    body.pop("session_state", None)  # keep whatever state the platform holds
    return body


def pong(req: AliceRequest) -> dict:
    return render(Reply(text=phrase("pong", req.lang)), req.version, req.lang)
