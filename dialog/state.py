"""The conversation's state between turns, typed (`DialogState`), and its
JSON at the edge: the platform carries it (Alice's session_state) or the
store keeps it. A state that does not read starts the conversation afresh."""
from __future__ import annotations

from dataclasses import dataclass

from sekretar.dialog.pending import Pending
from sekretar.dialog.steps import Step

from sekretar.core.types import CHANGE_KINDS, Item

CHANGE_STEPS = (Step.CHANGE_PICK, Step.CHANGE_ASK, Step.CHANGE_CONFIRM)


@dataclass(frozen=True)
class ItemRef:
    """An existing task or event the conversation just made or read out: «её» / "it"."""

    kind: str
    id: str

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.id}

    @classmethod
    def from_json(cls, d: dict) -> "ItemRef":
        if not isinstance(d.get("kind"), str) or not isinstance(d.get("id"), str):
            raise TypeError("it: kind and id are strings")
        return cls(d["kind"], d["id"])


@dataclass(frozen=True)
class Spoken:
    """The last reply, as «повтори» / YANDEX.REPEAT says it again (kept short)."""

    text: str
    buttons: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"text": self.text, "buttons": list(self.buttons)}

    @classmethod
    def from_json(cls, d: dict) -> "Spoken":
        buttons = tuple(d.get("buttons") or ())
        if not isinstance(d.get("text"), str) or not all(isinstance(b, str) for b in buttons):
            raise TypeError("said: text and buttons are strings")
        return cls(d["text"], buttons)


@dataclass(frozen=True)
class QueryPick:
    """A question about one of several namesakes: the question, and their ids."""

    text: str
    choices: tuple[str, ...]

    def to_json(self) -> dict:
        return {"text": self.text, "choices": list(self.choices)}

    @classmethod
    def from_json(cls, d: dict) -> "QueryPick":
        choices = tuple(d.get("choices") or ())
        if not isinstance(d.get("text"), str) or not all(isinstance(c, str) for c in choices):
            raise TypeError("query_pick: text and choices are strings")
        return cls(d["text"], choices)


def _change(d: dict) -> dict:
    """A pending change (dialog/change.py) as kept: its action, the item(s) it
    is about (as `Item.to_json`), its new values."""
    if not isinstance(d, dict) or d.get("action") not in CHANGE_KINDS:
        raise TypeError("change: no such action")
    for raw in ([d["item"]] if d.get("item") else []) + list(d.get("choices") or ()):
        Item.from_json(raw)
    return d


@dataclass
class DialogState:
    pending: Pending | None = None
    step: Step | None = None
    ask: str | None = None          # Step.SLOT: the slot asked about
    key: str | None = None          # Step.CONFIRM: the idempotency key of the action it would create
    last: str | None = None         # the key of the last action submitted
    after_link: str | None = None   # a command said before the account was linked
    lang: str | None = None         # the conversation's language
    at: str | None = None           # when the last turn was answered (ISO), for the time-out
    retry_offer: list[str] | None = None  # keys of failures just told: «повтори» retries them
    # questions and changes (dialog/items.py, dialog/change.py)
    change: dict | None = None      # Step.CHANGE_*: the change being built (dialog/change.py)
    it: ItemRef | None = None       # the item «её» / "it" means
    more: tuple[str, ...] = ()      # an answer's items not read out yet ("да" reads on)
    said: Spoken | None = None      # the last reply, for «повтори»
    query_pick: QueryPick | None = None  # a question waiting for which namesake

    @property
    def open(self) -> Pending | None:
        """The pending command when a question about it is open."""
        return self.pending if self.step is not None else None

    def to_json(self) -> dict:
        d: dict = {}
        if self.change is not None:
            d["change"] = self.change
            d["step"] = self.step.value if self.step else None
        elif self.pending is not None or self.step is not None:
            d["pending"] = self.pending.to_json() if self.pending else None
            d["step"] = self.step.value if self.step else None
        for name in ("ask", "key", "last", "after_link", "lang", "at"):
            value = getattr(self, name)
            if value is not None:
                d[name] = value
        if self.retry_offer:
            d["retry_offer"] = list(self.retry_offer)
        for name in ("it", "said", "query_pick"):
            value = getattr(self, name)
            if value is not None:
                d[name] = value.to_json()
        if self.more:
            d["more"] = list(self.more)
        return d

    @classmethod
    def from_json(cls, d) -> "DialogState":
        """The state in `d`; an empty one when `d` does not read (a platform
        sent garbage, an old version wrote it)."""
        if not isinstance(d, dict):
            return cls()
        try:
            step = d.get("step")
            state = cls(Pending.from_json(d.get("pending")), Step(step) if step is not None else None)
            for name in ("ask", "key", "last", "after_link", "lang", "at"):
                value = d.get(name)
                if value is not None and not isinstance(value, str):
                    raise TypeError(f"{name} is not a string")
                setattr(state, name, value)
            offer = d.get("retry_offer")
            if offer is not None:
                if not isinstance(offer, list) or not all(isinstance(k, str) for k in offer):
                    raise TypeError("retry_offer is not a list of keys")
                state.retry_offer = list(offer)
            if d.get("change") is not None or state.step in CHANGE_STEPS:
                if state.step not in CHANGE_STEPS or state.pending is not None:
                    raise TypeError("a change belongs to a change step")
                state.change = _change(d["change"])
            for name, kind in (("it", ItemRef), ("said", Spoken), ("query_pick", QueryPick)):
                if d.get(name) is not None:
                    setattr(state, name, kind.from_json(d[name]))
            more = tuple(d.get("more") or ())
            if not all(isinstance(x, str) for x in more):
                raise TypeError("more: strings")
            state.more = more
            return state
        except Exception:  # any shape that does not read is no state at all
            return cls()
