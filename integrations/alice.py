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
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sekretar.integrations.speech import clip, phrase, spell_digits, spoken
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
    hints: dict | None = None  # nlu.entities: {"fio": [...], "datetime": [...]} (grammar.hints)

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


_WORD = re.compile(r"\w+")


def _norm(word: str) -> str:
    return word.casefold().replace("ё", "е")


def said(original: str, command: str) -> str:
    """What the person said, with their capitals and punctuation: the part of
    `original_utterance` that `command` stands for. `command` is normalised
    (lower case, no punctuation, numbers as digits) and without the
    activation phrase ("попроси секретаря ..."), so it marks where the
    person's own words begin. When the two cannot be lined up (Alice fixed a
    typo, wrote a number as digits at the start) the command is used."""
    words = list(_WORD.finditer(original or ""))
    wanted = [_norm(w) for w in _WORD.findall(command or "")]
    if not words or not wanted:
        return command
    have = [_norm(w.group()) for w in words]
    for i, word in enumerate(have):
        if word != wanted[0]:
            continue
        tail = have[i:]
        if len(tail) < len(wanted) - 3:
            break
        common = sum(1 for w in wanted if w in tail)
        if common >= 0.6 * len(wanted) and len(tail) <= 2 * len(wanted) + 3:
            return original[words[i].start():].strip()
    return command


def _text(request: dict, kind: str, new: bool) -> str:
    if kind == "ButtonPressed":
        payload = request.get("payload")
        if isinstance(payload, dict) and isinstance(payload.get("text"), str):
            return payload["text"]
    command = _str(request, "command", "") or ""
    original = _str(request, "original_utterance", "") or ""
    if not command:  # a launch ("запусти навык ...") comes with an empty command
        return "" if new else original
    return said(original, command)


_DATETIME_PARTS = ("year", "month", "day", "hour", "minute")


def _entities(request: dict) -> dict | None:
    """YANDEX.FIO and YANDEX.DATETIME from nlu.entities (naming-entities.md):
    FIO `{first_name, patronymic_name, last_name}` in the nominative, lower
    case; DATETIME parts, each maybe `<part>_is_relative`. Anything else is
    ignored; a malformed entity is skipped."""
    nlu = request.get("nlu")
    entities = nlu.get("entities") if isinstance(nlu, dict) else None
    if not isinstance(entities, list):
        return None
    fio, when = [], []
    for e in entities[:20]:
        value = e.get("value") if isinstance(e, dict) else None
        if not isinstance(value, dict):
            continue
        if e.get("type") == "YANDEX.FIO":
            names = {k: value.get(f) for k, f in (("first", "first_name"), ("middle", "patronymic_name"),
                                                  ("last", "last_name")) if isinstance(value.get(f), str)}
            if names.get("first") or names.get("last"):
                fio.append({k: v[:64] for k, v in names.items()})
        elif e.get("type") == "YANDEX.DATETIME":
            parts = {k: value[k] for k in _DATETIME_PARTS
                     if isinstance(value.get(k), int) and not isinstance(value.get(k), bool) and abs(value[k]) < 10000}
            parts.update({f"{k}_is_relative": True for k in parts if value.get(f"{k}_is_relative") is True})
            if parts:
                when.append(parts)
    return {"fio": fio, "datetime": when} if fio or when else None


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
        hints=_entities(request) if kind == "SimpleUtterance" else None,
    )


def to_turn(req: AliceRequest, now: datetime | None = None) -> Turn:
    zone = ZoneInfo(req.tz)
    now = now.astimezone(zone) if now else datetime.now(zone)
    return Turn(user=req.user, text=req.text, now=now, tz=req.tz, lang=req.lang, platform="alice",
                state=req.state, hint=req.hint, request_id=req.request_id, new_session=req.new,
                hints=req.hints)


def _button(title: str) -> dict:
    limits = speech_data().limits
    button = {"title": clip(title, limits["alice_button_title"]), "hide": True}
    word = title.strip().lower()
    hint = speech_data().button_hints.get(word)
    button["payload"] = {"text": title, **({"hint": hint} if hint else {})}
    return button


_URL = re.compile(r"\s*https?://\S+")
_CODE = re.compile(r"(?<![\d:])(?<!\d[.,])\d{5,9}(?![\d:]|[.,]\d)")  # a code, not 1.25 or 13:05


def _link_title(url: str, lang: str | None) -> str:
    titles = speech_data().phrases["link_buttons"]["en" if (lang or "").startswith("en") else "ru"]
    for marker, title in titles.items():
        if marker != "default" and marker in url:
            return title
    return titles["default"]


def _links(text: str, lang: str | None) -> tuple[str, list[dict]]:
    """Links in a reply become buttons with `url` (response.md: a button
    with a url opens it): a link read out or shown as a long line is of no use."""
    limit = speech_data().limits["alice_url"]
    buttons = []
    for m in _URL.finditer(text):
        url = m.group().strip().rstrip(".,;)")
        if len(url.encode("utf-8")) <= limit:
            buttons.append({"title": _link_title(url, lang), "url": url, "hide": False})
    cleaned = _URL.sub("", text).strip()
    return re.sub(r"\s+([.,;!?])", r"\1", cleaned), buttons


def _speakable(text: str, lang: str | None) -> str:
    """The tts: no command-line words read aloud (they are for the screen),
    and a code's digits one by one with pauses, not as one big number."""
    for pattern in speech_data().phrases["not_spoken"]["en" if (lang or "").startswith("en") else "ru"]:
        text = re.sub(pattern, " ", text)
    tts = spoken(text, lang)
    tts = _CODE.sub(lambda m: " sil <[200]> ".join(spell_digits(m.group(), lang).split()), tts)
    return re.sub(r"[ \t]{2,}", " ", tts).strip()


def render(reply: Reply, version: str = "1.0", lang: str | None = None) -> dict:
    """A Reply as an Alice response body."""
    limits = speech_data().limits
    shown, links = _links(reply.text or "", lang)
    text = clip(shown.strip() or "…", limits["alice_text"])
    tts = clip(_speakable(reply.tts or reply.text or "", lang) or "sil <[100]>", limits["alice_tts"])
    buttons = links + [_button(b) for b in reply.buttons if b and b.strip()]
    body = {
        "response": {
            "text": text,
            "tts": tts,
            "buttons": buttons[: limits["alice_buttons"]],
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
