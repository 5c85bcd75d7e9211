"""What a person is told at the start of a turn, whatever the platform:
a confirmed action that failed for good since they last heard (with the
reason, and «повтори» / "try again" to retry it right after), and a link
that a directory import ended. Hooked into Dialog.handle with two calls:
`retry` before the turn is routed, `tell` after.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from importlib import resources

import yaml

from sekretar.dialog.phrasing import for_speech
from sekretar.dialog.steps import TurnOutcome

from sekretar.core.clock import utcnow
from sekretar.core.text import norm
from sekretar.core.types import Reply

MAX_TOLD = 2            # failures told in one turn (a spoken answer stays short); the rest next turns


@lru_cache(maxsize=None)
def _data() -> dict:
    return yaml.safe_load(resources.files("sekretar.dialog").joinpath("data", "notices.yaml").read_text("utf-8"))


def words(lang: str) -> dict:
    data = _data()
    return data.get(lang) or data["ru"]


class Notices:
    def __init__(self, store, outbox, workspace_name: str, clock=None):
        self.store = store
        self.outbox = outbox
        self.workspace_name = workspace_name
        self.clock = clock or utcnow  # the server's (bookkeeping: when told, when retried)

    # --- «повтори» right after a failure was told -------------------------
    def retry(self, ctx, text: str, budget: float | None = None) -> Reply | None:
        keys, ctx.state.retry_offer = ctx.state.retry_offer, None
        w = words(ctx.lang)
        if not keys or norm(text) not in {norm(x) for x in w["retry_words"]}:
            return None
        link = self.store.get_link(ctx.turn.user)
        person = link.person_id if link and link.workspace == self.workspace_name else None
        ctx.actor = ctx.actor or person  # the open question after it is asked for this person
        said = []
        for key in keys[:MAX_TOLD]:
            rec = self.store.get_action(str(key))
            if rec is None or not (rec.user == ctx.turn.user or (person and rec.person_id == person)):
                continue  # a state from elsewhere (forged, or another user's): not theirs to retry
            what = self._what(w, rec.payload)
            if rec.status == "done":
                said.append(w["nothing_to_retry"])
                continue
            if rec.status == "failed":
                self.outbox.retry(rec.key, self.clock(), checked=rec.fail_kind == "lookup")
            out = self.outbox.retry_now(rec.key, budget)
            if out.status == "done":
                said.append(w["retried_done"].format(what=what))
            elif out.status == "queued":
                said.append(w["retried_queued"].format(what=what, workspace=self._ws(w)))
            else:
                self.store.mark_reported([rec.key], self.clock())
                said.append(w["retried_failed"].format(error=_reason(out.error)))
        if not said:
            return None
        text = " ".join(said)
        return Reply(text, None, False, (), {}, TurnOutcome.RETRIED)

    # --- before the answer: what failed, what ended ------------------------
    def tell(self, ctx, reply: Reply) -> Reply:
        user = ctx.turn.user
        w = words(ctx.lang)
        if reply.outcome == TurnOutcome.FAILED and ctx.state.last:
            self.store.mark_reported([ctx.state.last], self.clock())  # the reply said it itself
        notes = [w[kind] for kind, _ in self.store.take_notices(user) if kind in w]
        link = self.store.get_link(user)
        person = link.person_id if link and link.workspace == self.workspace_name else None
        failures = self.store.unreported_failures(user, person)[:MAX_TOLD]
        for rec in failures:
            what = self._what(w, rec.payload)
            kind = (rec.payload or {}).get("kind")
            if rec.fail_kind == "lookup":
                notes.append(w["failed_lookup"].format(what=what, error=_reason(rec.error), workspace=self._ws(w)))
            else:
                verb = w["verbs"].get(kind, w["verbs"]["task"])
                notes.append(w["failed"].format(verb=verb, what=what, error=_reason(rec.error)))
        if failures:
            if not any(r.fail_kind == "lookup" for r in failures):
                notes.append(w["retry_hint"])
            self.store.mark_reported([r.key for r in failures], self.clock())
            ctx.state.retry_offer = [r.key for r in failures]
        if not notes:
            return reply
        lead = " ".join(notes)
        text = f"{lead} {reply.text}".strip()
        spoken = f"{for_speech(lead)} {reply.tts or for_speech(reply.text)}".strip()
        return replace(reply, text=text, tts=spoken if spoken != text else None)

    def _what(self, w: dict, payload: dict | None) -> str:
        p = payload or {}
        kind = p.get("kind") if p.get("kind") in w["what"] else "task"
        title = p.get("title") or p.get("text") or "…"
        return w["what"][kind].format(title=title)

    def _ws(self, w: dict) -> str:
        return w["workspaces"].get(self.workspace_name, self.workspace_name)


def _reason(error: str | None) -> str:
    return (error or "?").strip().rstrip(".")

