"""One turn being answered (`Ctx`), and the small helpers around it:
replies to and from JSON (the store keeps a delivered reply), the
pymorphy3 analyzer behind a parser."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from dialog.lexicon import Lexicon
from dialog.pending import Pending
from dialog.phrasing import Phrasing
from dialog.types import Reply, Turn


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
