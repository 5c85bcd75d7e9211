"""One turn being answered (`Ctx`), and the small helpers around it:
replies to and from JSON (the store keeps a delivered reply), the
pymorphy3 analyzer behind a parser."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sekretar.dialog.lexicon import LANGS, Lexicon, detect_lang, lexicon
from sekretar.dialog.pending import Pending
from sekretar.dialog.phrasing import Phrasing

from sekretar.core.errors import GrammarError
from sekretar.core.types import Reply, Turn


@dataclass
class Ctx:
    """One turn being answered."""

    turn: Turn
    now: datetime
    lang: str
    lex: Lexicon
    ph: Phrasing
    state: dict
    actor: str | None = None

    @property
    def pending(self) -> Pending | None:
        return Pending.from_json(self.state.get("pending"))

    def keep(self, p: Pending | None, step: str | None = None, **extra) -> None:
        self.state = {"pending": p.to_json(), "step": step, **extra} if p else {}


def make_context(turn: Turn, stored: dict | None, settings, ttl_seconds: float, morph=None) -> Ctx:
    """The turn's clock in its zone, its state (carried by the platform, else
    `stored`; dropped when stale or on a new session), and its language
    (the turn's, else detected; one word keeps the conversation's)."""
    try:
        zone = ZoneInfo(turn.tz or settings.tz)
    except Exception:
        raise GrammarError(f"unknown time zone {turn.tz!r}") from None
    now = turn.now or datetime.now(zone)
    now = (now if now.tzinfo else now.replace(tzinfo=zone)).astimezone(zone)
    state = dict(turn.state if turn.state is not None else stored or {})
    if turn.new_session and turn.state is None and state.get("step"):
        state = {}  # a new session starts afresh (platforms that keep no state)
    try:
        if now - datetime.fromisoformat(state["at"]) > timedelta(seconds=ttl_seconds):
            state = {}
    except (KeyError, TypeError, ValueError):
        pass
    if not _sound(state):
        state = {}  # a state that does not read (a platform sent garbage): start afresh
    lang = (turn.lang or "")[:2].lower()
    if lang not in LANGS:
        lang = detect_lang(turn.text) or state.get("lang") or settings.lang
        if state.get("lang") in LANGS and len((turn.text or "").split()) < 2:
            lang = state["lang"]  # "ok" does not switch a Russian conversation to English
    lex = lexicon(lang if lang in LANGS else "ru")
    return Ctx(turn, now, lex.lang, lex, Phrasing(lex, morph), state)


def _sound(state: dict) -> bool:
    """The state reads back: its pending command, times and choices."""
    try:
        p = Pending.from_json(state.get("pending"))
        if p is not None:
            assert p.intent in ("task", "event", "message")
            p.start, p.end, p.get_recipient()  # noqa: B018 - parse them
            assert all(isinstance(x, str) for x in p.choices)
        assert state.get("step") in (None, "slot", "pick", "confirm", "change_pick", "change_ask", "change_confirm")
        return True
    except Exception:
        return False


def analyzer_of(morph):
    """The pymorphy3 analyzer itself, also when the parser wraps it."""
    return getattr(morph, "analyzer", morph)


def capitalize(text: str) -> str:
    text = text.strip().strip(" .!«»\"")
    return text[:1].upper() + text[1:]


def reply_to_json(reply: Reply) -> dict:
    d = asdict(reply)
    d["buttons"] = list(reply.buttons)
    return d


def reply_from_json(d: dict) -> Reply:
    d = dict(d)
    d["buttons"] = tuple(d.get("buttons") or ())
    return Reply(**{k: v for k, v in d.items() if k in Reply.__dataclass_fields__})
