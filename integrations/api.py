"""The JSON API for any other front end: `POST /api/v1/turn`.

Request {user, text, now?, tz?, lang?, request_id?} → Turn (`now` only
anchors what the words mean: "завтра" from then; it decides no expiry,
window or limit, which run on the server's clock); Reply →
{text, tts, end, buttons, outcome}. Errors are {error: {code, message}}.
The OpenAPI 3 description is `data/openapi.json` (served as is).
"""
from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from sekretar.integrations.speech import spoken

from sekretar.core.clock import BadMoment, anchor_now
from sekretar.core.errors import BadRequest, UnknownTimeZone
from sekretar.core.types import Reply, Turn
from sekretar.core.config import zone

MAX_TEXT = 1000
MAX_USER = 200
FIELDS = ("user", "text", "now", "tz", "lang", "request_id")


def _zone(name: str) -> ZoneInfo:
    if not name:
        raise BadRequest("'tz' must not be empty")
    try:
        return zone(name)
    except UnknownTimeZone as exc:
        raise BadRequest(str(exc)) from None


def _string(body: dict, key: str, limit: int, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise BadRequest(f"'{key}' is required")
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{key}' must be a string")
    if len(value) > limit:
        raise BadRequest(f"'{key}' is longer than {limit} characters")
    return value


def parse_turn(body, default_tz: str = "Europe/Moscow", default_lang: str = "ru") -> Turn:
    if not isinstance(body, dict):
        raise BadRequest("the request must be a JSON object")
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(map(str, unknown))}")
    user = _string(body, "user", MAX_USER, required=True)
    if not user.strip():
        raise BadRequest("'user' must not be empty")
    text = _string(body, "text", MAX_TEXT, required=True)
    tz = _string(body, "tz", 64)
    tz = default_tz if tz is None else tz
    zone = _zone(tz)
    lang = _string(body, "lang", 2)
    lang = default_lang if lang is None else lang
    if lang not in ("ru", "en"):
        raise BadRequest("'lang' must be 'ru' or 'en'")
    raw_now = _string(body, "now", 40)
    if raw_now is None:
        now = datetime.now(zone)
    else:
        try:
            now = datetime.fromisoformat(raw_now.upper())
        except ValueError:
            raise BadRequest("'now' must be an ISO-8601 date and time") from None
        if now.tzinfo is None:
            raise BadRequest("'now' must carry a UTC offset, e.g. 2019-03-25T12:28:00+03:00")
        try:  # it only anchors the words; expiry and limits run on the server's clock
            now = anchor_now(now, zone)
        except BadMoment as exc:
            raise BadRequest(f"'now': {exc}") from None
    request_id = _string(body, "request_id", 200)
    return Turn(user=f"api:{user}", text=text, now=now, tz=tz, lang=lang, platform="api",
                request_id=f"api:{user}:{request_id}" if request_id else None)


def render(reply: Reply, lang: str | None = None) -> dict:
    return {
        "text": reply.text,
        "tts": spoken(reply.tts or reply.text, lang),
        "end": bool(reply.end),
        "buttons": list(reply.buttons),
        "outcome": reply.outcome,
    }


def error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


@lru_cache(maxsize=1)
def openapi() -> dict:
    return json.loads(resources.files("sekretar.integrations").joinpath("data/openapi.json").read_text("utf-8"))
