"""Google Assistant Conversational Actions webhook ↔ Turn / Reply.

Google turned Conversational Actions off on 13 June 2023; this adapter is
kept small and faithful to the format the original product used:
request {handler{name}, intent{name, params, query}, scene{name, next},
session{id, params, languageCode}, user{locale, params}, device{timeZone}}
→ response {session{id, params}, prompt{firstSimple{speech, text},
suggestions}, scene{next{name}}, user{params}}.

The dialog state rides in `session.params.sekretar_state`; a stable user id
is kept in `user.params.sekretar_uid` (Assistant's user storage).

`verify_signature()` checks the `google-assistant-signature` JWT (RS256,
audience = the Actions project id, issuer https://accounts.google.com)
against Google's public keys, fetched from a configurable JWKS URL.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sekretar.integrations.speech import clip, phrase, spoken
from sekretar.integrations.speech import data as speech_data

from sekretar.core.errors import BadRequest, Unauthorized
from sekretar.core.types import Reply, Turn

CERTS_URL = "https://www.googleapis.com/oauth2/v3/certs"
ISSUERS = ("https://accounts.google.com", "accounts.google.com")
END = "actions.scene.END_CONVERSATION"
STATE = "sekretar_state"
UID = "sekretar_uid"
HINTS = {"yes": "confirm", "no": "reject", "help": "help", "actions.intent.yes": "confirm",
         "actions.intent.no": "reject", "actions.intent.help": "help"}


@dataclass(frozen=True)
class GoogleRequest:
    uid: str
    new_uid: bool
    session_id: str
    text: str
    intent: str
    handler: str
    scene: str | None
    tz: str
    lang: str
    state: dict | None
    hint: str | None
    verified: bool = True     # user.verificationStatus == VERIFIED: user.params persist

    @property
    def user(self) -> str:
        return f"google:{self.uid}"


def _obj(parent: dict, key: str) -> dict:
    value = parent.get(key) or {}
    if not isinstance(value, dict):
        raise BadRequest(f"'{key}' must be an object")
    return value


def parse(body, default_tz: str = "Europe/Moscow", default_lang: str = "ru") -> GoogleRequest:
    if not isinstance(body, dict):
        raise BadRequest("the request must be a JSON object")
    session, intent, user = _obj(body, "session"), _obj(body, "intent"), _obj(body, "user")
    handler, scene, device = _obj(body, "handler"), _obj(body, "scene"), _obj(body, "device")
    session_id = session.get("id")
    if not isinstance(session_id, str) or not session_id:
        raise BadRequest("no session.id")
    query = intent.get("query") or ""
    if not isinstance(query, str):
        raise BadRequest("intent.query must be a string")
    name = intent.get("name") or ""
    params = _obj(user, "params")
    # user storage persists only for VERIFIED users; a GUEST's is wiped at the
    # end of each conversation (developers.google.com/assistant/conversational/
    # storage-user). The docs' own example puts the status inside user.params.
    status = user.get("verificationStatus") or params.get("verificationStatus")
    verified = status == "VERIFIED"
    uid = params.get(UID) if verified else None
    new_uid = not (isinstance(uid, str) and uid and len(uid) <= 64)
    state = _obj(session, "params").get(STATE)
    zone = _obj(device, "timeZone").get("id")
    try:
        tz = zone if isinstance(zone, str) and zone and ZoneInfo(zone) else default_tz
    except (ValueError, KeyError, OSError):
        tz = default_tz
    locale = user.get("locale") or session.get("languageCode") or ""
    locale = locale if isinstance(locale, str) else ""
    return GoogleRequest(
        uid=uuid.uuid4().hex if new_uid else uid, new_uid=new_uid, session_id=session_id,
        text=query[:1024], intent=name if isinstance(name, str) else "",
        handler=str(handler.get("name") or ""), scene=scene.get("name") if isinstance(scene.get("name"), str) else None,
        tz=tz, lang=locale[:2].lower() if locale[:2].lower() in ("ru", "en") else default_lang,
        state=state if isinstance(state, dict) and state else None,
        hint=HINTS.get(str(name).lower()),
        verified=verified,
    )


def to_turn(req: GoogleRequest, now: datetime | None = None) -> Turn:
    zone = ZoneInfo(req.tz)
    now = now.astimezone(zone) if now else datetime.now(zone)
    new = req.intent == "actions.intent.MAIN"
    return Turn(user=req.user, text="" if new else req.text, now=now, tz=req.tz, lang=req.lang,
                platform="google", state=req.state, hint=req.hint, request_id=None, new_session=new)


def render(reply: Reply, req: GoogleRequest) -> dict:
    limits = speech_data().limits
    body = {
        "session": {"id": req.session_id, "params": {STATE: reply.state or {}}},
        "prompt": {
            "override": False,
            "firstSimple": {"speech": spoken(reply.tts or reply.text, req.lang),
                            "text": clip(reply.text or "", limits["google_text"])},
        },
    }
    if req.verified:  # a guest's user storage does not outlive the conversation: do not write it
        body["user"] = {"params": {UID: req.uid}}
    if reply.buttons:
        body["prompt"]["suggestions"] = [{"title": b[:limits["google_chip"]]}
                                         for b in reply.buttons[:limits["google_chips"]]]
    if reply.end:
        body["scene"] = {"name": req.scene or "", "next": {"name": END}}
    return body


def guest(req: GoogleRequest) -> dict:
    """A GUEST user: not linked, and why (their id would not survive the
    conversation); nothing of theirs is stored."""
    text = phrase("google_guest", req.lang)
    return {"session": {"id": req.session_id, "params": {}},
            "prompt": {"override": False, "firstSimple": {"speech": text, "text": clip(text, 640)}},
            "scene": {"name": req.scene or "", "next": {"name": END}}}


def apology(lang: str | None = "ru", kind: str = "sorry") -> dict:
    text = phrase(kind, lang)
    return {"prompt": {"override": False, "firstSimple": {"speech": text, "text": text}}}


class SignatureVerifier:
    """Checks `google-assistant-signature` against Google's keys (cached)."""

    def __init__(self, project_id: str, certs_url: str = CERTS_URL):
        import jwt

        self.project_id = project_id
        self._jwt = jwt
        self._keys = jwt.PyJWKClient(certs_url, cache_keys=True, lifespan=3600, timeout=5)

    def verify(self, token: str | None) -> dict:
        if not token:
            raise Unauthorized("no google-assistant-signature header")
        jwt = self._jwt
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            return jwt.decode(token, key.key, algorithms=["RS256"], audience=self.project_id,
                              issuer=ISSUERS, options={"require": ["exp", "iat", "aud", "iss"]})
        except jwt.PyJWKClientError as exc:
            raise Unauthorized(f"cannot check the signature: {exc}") from None
        except jwt.InvalidTokenError as exc:
            raise Unauthorized(f"bad signature: {exc}") from None
