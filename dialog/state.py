"""The conversation's state between turns, typed (`DialogState`), and its
JSON at the edge: the platform carries it (Alice's session_state) or the
store keeps it. A state that does not read starts the conversation afresh."""
from __future__ import annotations

from dataclasses import dataclass

from sekretar.dialog.pending import Pending
from sekretar.dialog.steps import Step


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

    @property
    def open(self) -> Pending | None:
        """The pending command when a question about it is open."""
        return self.pending if self.step is not None else None

    def to_json(self) -> dict:
        d: dict = {}
        if self.pending is not None or self.step is not None:
            d["pending"] = self.pending.to_json() if self.pending else None
            d["step"] = self.step.value if self.step else None
        for name in ("ask", "key", "last", "after_link", "lang", "at"):
            value = getattr(self, name)
            if value is not None:
                d[name] = value
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
            return state
        except Exception:  # any shape that does not read is no state at all
            return cls()
