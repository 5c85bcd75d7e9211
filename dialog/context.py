"""One turn being answered (`Ctx`), and the small helpers around it:
replies to and from JSON (the store keeps a delivered reply), the
pymorphy3 analyzer behind a parser."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sekretar.dialog.lexicon import DialogLexicon, lexicon
from sekretar.dialog.pending import Pending
from sekretar.dialog.phrasing import Phrasing
from sekretar.dialog.state import DialogState
from sekretar.dialog.steps import Step

from sekretar.core.text import LANGS, capitalise, detect_lang
from sekretar.core.config import zone as to_zone
from sekretar.core.types import Reply, Turn


@dataclass
class Ctx:
    """One turn being answered."""

    turn: Turn
    now: datetime
    lang: str
    lex: DialogLexicon
    ph: Phrasing
    state: DialogState
    actor: str | None = None

    @property
    def pending(self) -> Pending | None:
        """The pending command while a question about it is open."""
        return self.state.open

    @property
    def step(self) -> Step | None:
        """What the last reply left open: a pending command's or a change's step."""
        return self.state.step if self.state.pending is not None or self.state.change is not None else None

    def keep(self, p: Pending | None, step: Step | None = None, *, ask: str | None = None,
             key: str | None = None) -> None:
        """The state after this turn: `p` waiting at `step` (nothing when `p` is None)."""
        self.state = DialogState(p, step, ask=ask, key=key) if p else DialogState()

    def clear(self, **kept) -> None:
        self.state = DialogState(**kept)


def make_context(turn: Turn, stored: dict | None, settings, ttl_seconds: float, morph=None,
                 server_now: datetime | None = None) -> Ctx:
    """The turn's clock in its zone, its state (carried by the platform, else
    `stored`; dropped when stale, by the server's clock `server_now` when
    given, or on a new session), and its language (the turn's, else
    detected; one word keeps the conversation's)."""
    zone = to_zone(turn.tz or settings.tz)
    now = turn.now or datetime.now(zone)
    now = (now if now.tzinfo else now.replace(tzinfo=zone)).astimezone(zone)
    state = DialogState.from_json(turn.state if turn.state is not None else stored or {})
    if turn.new_session and turn.state is None and state.step is not None:
        state = DialogState()  # a new session starts afresh (platforms that keep no state)
    try:
        if (server_now or now) - datetime.fromisoformat(state.at) > timedelta(seconds=ttl_seconds):
            state = DialogState()
    except (TypeError, ValueError):
        pass
    lang = (turn.lang or "")[:2].lower()
    if lang not in LANGS:
        lang = detect_lang(turn.text) or state.lang or settings.lang
        if state.lang in LANGS and len((turn.text or "").split()) < 2:
            lang = state.lang  # "ok" does not switch a Russian conversation to English
    lex = lexicon(lang if lang in LANGS else "ru")
    return Ctx(turn, now, lex.lang, lex, Phrasing(lex, morph), state)


def analyzer_of(morph):
    """The pymorphy3 analyzer itself, also when the parser wraps it."""
    return getattr(morph, "analyzer", morph)


def as_title(text: str) -> str:
    """What was said, as a title: trimmed of quotes and end punctuation, capitalised."""
    return capitalise(text.strip().strip(" .!«»\""))


def reply_to_json(reply: Reply) -> dict:
    d = asdict(reply)
    d["buttons"] = list(reply.buttons)
    return d


def reply_from_json(d: dict) -> Reply:
    d = dict(d)
    d["buttons"] = tuple(d.get("buttons") or ())
    return Reply(**{k: v for k, v in d.items() if k in Reply.__dataclass_fields__})
