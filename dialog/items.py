"""Questions and changes in the conversation (DESIGN.md's three paths: create,
query, change), hooked into `Dialog` with a few calls:

- `route(ctx, text, kind)`: before anything else once linked: «повтори»
  (YANDEX.REPEAT) says the last reply again; a pending change's steps
  (dialog/change.py); "да" after «ещё пять — рассказать?» reads on.
- `command(ctx, cmd)`: a new query (answered at once, dialog/query.py) or
  change (found, confirmed, then the outbox).
- `during_confirm(ctx, text, p)`: a question while a create waits for its
  "да": answered, and the confirmation asked again.
- `created(ctx, kind, outcome)` / `remember(ctx, reply)`: what «её» and
  «повтори» refer to, kept in the state.
"""
from __future__ import annotations

from sekretar.dialog.change import STEPS, Changes
from sekretar.dialog.itemwords import item_words
from sekretar.dialog.phrasing import for_speech
from sekretar.dialog.query import Questions

from sekretar.core.types import Reply

MORE_AT_ONCE = 5
SAID_LIMIT = 600


class Items:
    def __init__(self, dialog):
        self.dialog = dialog
        self.questions = Questions(dialog.workspace, dialog.people, dialog.settings)
        self.changes = Changes(self)

    # what dialog/change.py uses of the dialog
    @property
    def people(self):
        return self.dialog.people

    @property
    def workspace(self):
        return self.dialog.workspace

    @property
    def outbox(self):
        return self.dialog.outbox

    @property
    def settings(self):
        return self.dialog.settings

    @property
    def action_budget(self):
        return self.dialog.action_budget

    def say(self, ctx, text: str, outcome: str, buttons=(), tts=None) -> Reply:
        return self.dialog._say(ctx, text, outcome, buttons=buttons, tts=tts)

    def parse(self, ctx, text: str, expect: str | None = None):
        return self.dialog._parse(ctx, text, expect)

    def command(self, ctx, cmd) -> Reply:
        if cmd.intent == "query":
            return self._answer(ctx, cmd)
        if cmd.intent == "change":
            return self.changes.start(ctx, cmd)
        return self.dialog._command(ctx, cmd)

    def ws_name(self, ctx) -> str:
        return self.dialog._ws_name(ctx)

    # --- the hooks ------------------------------------------------------------------
    def route(self, ctx, text: str, kind: str | None) -> Reply | None:
        if not _sound(ctx.state):
            ctx.state = {}  # a state that does not read back (a platform sent garbage): start afresh
        iw = item_words(ctx.lang)
        said = ctx.state.get("said")
        if said and (ctx.turn.hint == "repeat" or iw.is_("repeat", text)):
            return Reply(said.get("text") or "", None, False, tuple(said.get("buttons") or ()), ctx.state,
                         "repeated")
        if ctx.state.get("step") in STEPS and ctx.state.get("change"):
            return self.changes.step(ctx, text, kind)
        pick = ctx.state.get("query_pick")
        if pick and ctx.state.get("step") is None and kind is None:
            return self._picked(ctx, pick, text)
        more = ctx.state.get("more")
        if more and ctx.state.get("step") is None and (kind == "yes" or iw.is_("more", text)):
            return self._more(ctx, more, iw)
        return None

    def during_confirm(self, ctx, text: str, p) -> Reply | None:
        cmd = self.parse(ctx, text)
        if cmd.intent != "query":
            return None
        return self.answer_then(ctx, cmd, lambda: self.dialog._advance(ctx, p, "asked"))

    def created(self, ctx, kind: str, outcome) -> None:
        if outcome.created is not None and kind in ("task", "event"):
            ctx.state["it"] = {"kind": kind, "id": outcome.created.id}

    def remember(self, ctx, reply: Reply) -> None:
        if reply.outcome != "repeated":  # kept short: the state travels with Alice
            text = reply.text if len(reply.text) <= SAID_LIMIT else (reply.tts or reply.text)[:SAID_LIMIT]
            ctx.state["said"] = {"text": text, "buttons": list(reply.buttons)}

    # --- answering ----------------------------------------------------------------------
    def _picked(self, ctx, pick: dict, text: str) -> Reply | None:
        """The answer to "Уточните, кого: …" about a question: the question again
        for the person picked; another command is that command."""
        cmd = self.parse(ctx, text)
        if cmd.intent is not None:
            ctx.state = {}
            return None
        choices = [p for p in map(self.people.get, pick.get("choices") or ()) if p is not None]
        person = self.people.pick(choices, text, self.parse(ctx, text, "recipient").recipient, ctx.lex)
        if person is None:
            ctx.state = {}
            return None
        return self._answer(ctx, self.parse(ctx, pick.get("text") or ""), person)

    def _answer(self, ctx, cmd, whose=None) -> Reply:
        ans = self.questions.answer(ctx, cmd, whose)
        ctx.state = {}
        if ans.choices:
            ctx.state["query_pick"] = {"text": cmd.text, "choices": ans.choices}
        if ans.more:
            ctx.state["more"] = ans.more
        if len(ans.items) == 1:
            ctx.state["it"] = {"kind": ans.items[0].kind, "id": ans.items[0].id}
        return Reply(ans.text, ans.tts if ans.tts != ans.text else None, False, (), ctx.state, ans.outcome)

    def answer_then(self, ctx, cmd, follow) -> Reply:
        """A question answered while something waits for its answer, then that
        question again (its state kept)."""
        ans = self.questions.answer(ctx, cmd)
        then = follow()
        tts = f"{ans.tts} {then.tts or for_speech(then.text)}"
        return Reply(f"{ans.text}\n{then.text}", tts, False, then.buttons, ctx.state, "answered")

    def _more(self, ctx, more: list[str], iw) -> Reply:
        now, rest = more[:MORE_AT_ONCE], more[MORE_AT_ONCE:]
        text = "; ".join(now) + "."
        if rest:
            text += " " + iw.say("more_ask", more=iw.count(len(rest), "more").capitalize())
        ctx.state = {"more": rest} if rest else {}
        return self.say(ctx, text, "answered")

    def query_reply_for_person(self, ctx, recipient, found) -> Reply:
        from sekretar.core.types import Person

        iw = item_words(ctx.lang)
        if not found:
            who = ctx.ph.name(Person("?", recipient.first, recipient.last, recipient.middle), "gent")
            return self.say(ctx, iw.say("whose_unknown", who=who), "not_found")
        return self.say(ctx, iw.say("whose_many", options=ctx.ph.options(found[:5], "accs")), "ambiguous")


def _sound(state: dict) -> bool:
    """This module's parts of the state read back."""
    from sekretar.core.types import Item

    try:
        it = state.get("it")
        assert it is None or isinstance(it.get("kind"), str) and isinstance(it.get("id"), str)
        more = state.get("more")
        assert more is None or isinstance(more, list) and all(isinstance(x, str) for x in more)
        said = state.get("said")
        assert said is None or isinstance(said.get("text"), str)
        pick = state.get("query_pick")
        assert pick is None or isinstance(pick.get("text"), str) and all(isinstance(x, str) for x in pick["choices"])
        ch = state.get("change")
        if ch is not None or state.get("step") in STEPS:
            assert ch.get("action") in ("move", "rename", "reassign", "complete", "cancel")
            for raw in [ch["item"]] if ch.get("item") else []:
                Item.from_json(raw)
            for raw in ch.get("choices") or ():
                Item.from_json(raw)
        return True
    except Exception:
        return False
