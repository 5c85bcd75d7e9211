"""Questions and changes in the conversation (DESIGN.md's three paths: create,
query, change), hooked into `Dialog` with a few calls:

- `route(ctx, text, said)`: before anything else once linked: «повтори»
  (YANDEX.REPEAT) says the last reply again; "да" after «ещё пять —
  рассказать?» reads on; the namesake a question asked about. A pending
  change's steps are routed by `Step.CHANGE_*` (dialog/machine.py ROUTES).
- `command(ctx, cmd)`: a new query (answered at once, dialog/query.py) or
  change (found, confirmed, then the outbox).
- `during_confirm(ctx, text, p)`: a question while a create waits for its
  "да": answered, and the confirmation asked again.
- `created(ctx, kind, outcome)` / `remember(ctx, reply)`: what «её» and
  «повтори» refer to, kept in the state (DialogState.it / .said).
"""
from __future__ import annotations

from sekretar.dialog.change import Changes
from sekretar.dialog.itemwords import item_words
from sekretar.dialog.phrasing import for_speech
from sekretar.dialog.query import Questions
from sekretar.dialog.state import DialogState, ItemRef, QueryPick, Spoken
from sekretar.dialog.steps import Said, TurnOutcome

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

    @property
    def clock(self):
        return self.dialog.clock

    @property
    def deliveries(self):
        return self.dialog.deliveries

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
    def route(self, ctx, text: str, said) -> Reply | None:
        iw = item_words(ctx.lang)
        last = ctx.state.said
        if last is not None and (ctx.turn.hint == "repeat" or iw.is_("repeat", text)):
            return Reply(last.text, None, False, last.buttons, {}, TurnOutcome.REPEATED)
        if ctx.step is not None:
            return None
        pick = ctx.state.query_pick
        if pick is not None and said is None:
            return self._picked(ctx, pick, text)
        more = ctx.state.more
        if more and (said == Said.YES or iw.is_("more", text)):
            return self._more(ctx, list(more), iw)
        return None

    def during_confirm(self, ctx, text: str, p) -> Reply | None:
        cmd = self.parse(ctx, text)
        if cmd.intent != "query":
            return None
        return self.answer_then(ctx, cmd, lambda: self.dialog._advance(ctx, p, TurnOutcome.ASKED))

    def created(self, ctx, kind: str, outcome) -> None:
        if outcome.created is not None and kind in ("task", "event"):
            ctx.state.it = ItemRef(kind, outcome.created.id)

    def remember(self, ctx, reply: Reply) -> None:
        if reply.outcome == TurnOutcome.REPEATED:
            return
        # kept short: the state travels with Alice
        text = reply.text if len(reply.text) <= SAID_LIMIT else (reply.tts or reply.text)[:SAID_LIMIT]
        ctx.state.said = Spoken(text, tuple(reply.buttons))

    # --- answering ----------------------------------------------------------------------
    def _picked(self, ctx, pick: QueryPick, text: str) -> Reply | None:
        """The answer to "Уточните, кого: …" about a question: the question again
        for the person picked; another command is that command."""
        cmd = self.parse(ctx, text)
        if cmd.intent is not None:
            ctx.clear()
            return None
        choices = [p for p in map(self.people.get, pick.choices) if p is not None]
        person = self.people.pick(choices, text, self.parse(ctx, text, "recipient").recipient, ctx.lex)
        if person is None:
            ctx.clear()
            return None
        return self._answer(ctx, self.parse(ctx, pick.text), person)

    def _answer(self, ctx, cmd, whose=None) -> Reply:
        ans = self.questions.answer(ctx, cmd, whose)
        ctx.state = DialogState(query_pick=QueryPick(cmd.text, tuple(ans.choices)) if ans.choices else None,
                                more=tuple(ans.more),
                                it=ItemRef(ans.items[0].kind, ans.items[0].id) if len(ans.items) == 1 else None)
        return Reply(ans.text, ans.tts if ans.tts != ans.text else None, False, (), {}, ans.outcome)

    def answer_then(self, ctx, cmd, follow) -> Reply:
        """A question answered while something waits for its answer, then that
        question again (its state kept)."""
        ans = self.questions.answer(ctx, cmd)
        then = follow()
        tts = f"{ans.tts} {then.tts or for_speech(then.text)}"
        return Reply(f"{ans.text}\n{then.text}", tts, False, then.buttons, {}, TurnOutcome.ANSWERED)

    def _more(self, ctx, more: list[str], iw) -> Reply:
        now, rest = more[:MORE_AT_ONCE], more[MORE_AT_ONCE:]
        text = "; ".join(now) + "."
        if rest:
            text += " " + iw.say("more_ask", more=iw.count(len(rest), "more").capitalize())
        ctx.state = DialogState(more=tuple(rest))
        return self.say(ctx, text, TurnOutcome.ANSWERED)

    def query_reply_for_person(self, ctx, recipient, found) -> Reply:
        from sekretar.core.types import Person

        iw = item_words(ctx.lang)
        if not found:
            who = ctx.ph.name(Person("?", recipient.first, recipient.last, recipient.middle), "gent")
            return self.say(ctx, iw.say("whose_unknown", who=who), TurnOutcome.NOT_FOUND)
        return self.say(ctx, iw.say("whose_many", options=ctx.ph.options(found[:5], "accs")),
                        TurnOutcome.AMBIGUOUS)

