"""The conversation: a state machine over one voice user's turns.

    dialog = Dialog(parser, store, workspace, outbox, settings)
    reply = dialog.handle(Turn(user="cli:local", text="Поставь задачу Насте", now=now))

Each turn is routed by two tables: the words that mean the same at every
step (`FALLBACKS`: help, cancel/no, unlink, bye), then the step the last
reply left open (`ROUTES`: none → a command, `Step.SLOT` → an answer to a
slot question, `Step.PICK` → which person, `Step.CONFIRM` → yes or a
correction). The state (`dialog.state.DialogState`) is JSON only at the
edge: carried by the platform (Turn.state) or kept in the store, always
saved. docs/dialog.md draws it.
"""
from __future__ import annotations

from dataclasses import replace

from sekretar.dialog.acting import Acting
from sekretar.dialog.asking import Asking
from sekretar.dialog.confirm import classify
from sekretar.dialog.context import Ctx, analyzer_of, make_context
from sekretar.dialog.deliveries import Deliveries
from sekretar.dialog.items import Items
from sekretar.dialog.lexicon import lexicon
from sekretar.dialog.linking import Linker
from sekretar.dialog.notices import Notices
from sekretar.dialog.people import People
from sekretar.dialog.phrasing import for_speech
from sekretar.dialog.settings import DialogSettings
from sekretar.dialog.state import CHANGE_STEPS, DialogState
from sekretar.dialog.steps import Said, Step, TurnOutcome

from sekretar.core.clock import utcnow
from sekretar.core.config import Settings
from sekretar.core.errors import WorkspaceError
from sekretar.core.text import LANGS
from sekretar.core.types import Reply, Turn


class Dialog(Asking, Acting):
    def __init__(self, parser, store, workspace, outbox, settings: Settings | None = None,
                 dialog_settings: DialogSettings | None = None, action_budget: float | None = None,
                 *, clock=None):
        self.parser = parser
        self.morph = analyzer_of(getattr(parser, "morph", None))
        self.store = store
        self.workspace = workspace
        self.outbox = outbox
        self.settings = settings or Settings()
        self.ds = dialog_settings or DialogSettings()
        self.action_budget = action_budget
        self.people = People(workspace, self.morph)
        self.clock = clock or utcnow  # the server's: codes, tries, stored replies (core/clock.py)
        self.linker = Linker(store, workspace, self.ds, self.settings.code_length, clock=self.clock)
        self.deliveries = Deliveries(store, self.clock)
        self.notices = Notices(store, outbox, workspace.name, self.clock)
        self.items = Items(self)  # questions and changes (dialog/items.py)

    # --- the entry point -------------------------------------------------
    def handle(self, turn: Turn) -> Reply:
        seen = self.deliveries.seen(turn)  # a repeated delivery: the first one's reply
        if seen is not None:
            return seen
        try:
            return self._handle(turn)
        except BaseException:
            self.deliveries.forget(turn)
            raise

    def _handle(self, turn: Turn) -> Reply:
        ctx = self._context(turn)
        before = ctx.state.to_json()  # a snapshot: the handlers change the pending command in place
        try:
            text = (turn.text or "").strip()
            retried = self.notices.retry(ctx, text, self.action_budget)  # «повтори» after a failure told
            reply = self._again(ctx, retried.text, retried.outcome) if retried else self._route(ctx, text)
        except WorkspaceError as exc:
            # the directory could not be read (CRM down): nothing is lost, say so
            ctx.state = DialogState.from_json(before)
            reply = self._say(ctx, ctx.lex.say("unavailable", workspace=self._ws_name(ctx),
                                                 error=str(exc).rstrip(".")), TurnOutcome.UNAVAILABLE)
        self.items.remember(ctx, reply)  # for «повтори»
        reply = self.notices.tell(ctx, reply)  # failures since the last turn, an ended link
        ctx.state.lang, ctx.state.at = ctx.lang, self.clock().isoformat()  # its age: on the server's clock
        state = ctx.state.to_json()
        reply = replace(reply, state=state)
        if reply.outcome in (TurnOutcome.DONE, TurnOutcome.QUEUED, TurnOutcome.FAILED) and ctx.state.last:
            self.deliveries.remember_confirmation(turn.user, ctx.state.last, reply)  # before the state
        self.store.save_state(turn.user, state, self.clock())
        self.deliveries.remember(turn, reply)
        return reply

    def _context(self, turn: Turn) -> Ctx:
        stored = self.store.load_state(turn.user) if turn.state is None else None
        return make_context(turn, stored, self.settings, self.ds.state_ttl_seconds, self.morph, self.clock())

    def _say(self, ctx: Ctx, text: str, outcome: str, *, buttons=(), end=False, tts=None) -> Reply:
        spoken = tts or for_speech(text)
        return Reply(text, spoken if spoken != text else None, end, tuple(buttons), {}, outcome)

    # --- routing -----------------------------------------------------------
    def _route(self, ctx: Ctx, text: str) -> Reply:
        said = classify(text, ctx.lex, ctx.turn.hint)
        for other in LANGS:  # "ok" / "да" understood whatever the language
            said = said or classify(text, lexicon(other))
        link = self.store.get_link(ctx.turn.user)
        if link is not None and link.workspace != self.workspace.name:
            link = None
        if link is None:
            fallback = UNLINKED_FALLBACKS.get(said)
            return fallback(self, ctx) if fallback else self._unlinked(ctx, text)
        ctx.actor = link.person_id
        handled = self.items.route(ctx, text, said)  # «повтори»; "да" to «ещё пять — рассказать?»
        if handled is not None:
            return handled
        if not text and said is None:
            return self._again(ctx, ctx.lex.say("greeting"), TurnOutcome.GREETING)
        fallback = FALLBACKS.get(said)
        if fallback is not None:
            return fallback(self, ctx)
        return ROUTES[ctx.step](self, ctx, text, said)

    # fallbacks: the same at every step
    def _help(self, ctx: Ctx) -> Reply:
        return self._again(ctx, ctx.lex.say("help"), TurnOutcome.HELP)

    def _unlink(self, ctx: Ctx) -> Reply:
        self.store.delete_link(ctx.turn.user)
        ctx.clear()
        return self._say(ctx, ctx.lex.say("unlinked"), TurnOutcome.UNLINKED)

    def _bye(self, ctx: Ctx) -> Reply:
        ctx.clear()
        return self._say(ctx, ctx.lex.say("bye"), TurnOutcome.BYE, end=True)

    def _cancel(self, ctx: Ctx) -> Reply:
        if ctx.step in CHANGE_STEPS:
            return self.items.changes.cancel(ctx)
        words = "cancelled" if ctx.pending is not None else "nothing_to_cancel"
        ctx.clear()
        return self._say(ctx, ctx.lex.say(words), TurnOutcome.CANCELLED)

    def _help_unlinked(self, ctx: Ctx) -> Reply:
        return self._say(ctx, ctx.lex.say("help_unlinked"), TurnOutcome.HELP)

    def _bye_unlinked(self, ctx: Ctx) -> Reply:
        # a command said before linking stays remembered for the next session
        return self._say(ctx, ctx.lex.say("bye"), TurnOutcome.BYE, end=True)

    # steps: what the last reply left open
    def _at_command(self, ctx: Ctx, text: str, said: Said | None) -> Reply:
        if said == Said.YES:
            return (self.deliveries.repeated(ctx.turn.user, ctx.state.last)
                    or self._say(ctx, ctx.lex.say("nothing_to_confirm"), TurnOutcome.NOTHING))
        return self._command(ctx, self._parse(ctx, text))

    def _at_slot(self, ctx: Ctx, text: str, said: Said | None) -> Reply:
        return self._answer(ctx, ctx.pending, ctx.state.ask, text)

    def _at_pick(self, ctx: Ctx, text: str, said: Said | None) -> Reply:
        return self._pick(ctx, ctx.pending, text)

    def _at_confirm(self, ctx: Ctx, text: str, said: Said | None) -> Reply:
        if said == Said.YES:
            return self._submit(ctx, ctx.pending)
        return self.items.during_confirm(ctx, text, ctx.pending) or self._correct(ctx, ctx.pending, text)

    def _at_change(self, ctx: Ctx, text: str, said: Said | None) -> Reply:
        return self.items.changes.step(ctx, text, said)

    # --- before the account is linked ----------------------------------------
    def _unlinked(self, ctx: Ctx, text: str) -> Reply:
        lex = ctx.lex
        if not text:
            return self._say(ctx, lex.say("greeting_unlinked") + " " + lex.say("link_ask"), TurnOutcome.LINK_ASKED,
                             tts=lex.say("greeting_unlinked") + " " + lex.say("link_ask_tts"))
        if self._parse(ctx, text).intent is not None:
            # a command before linking: remembered, done once linked
            ctx.clear(after_link=text)
            return self._say(ctx, lex.say("link_ask"), TurnOutcome.LINK_ASKED, tts=lex.say("link_ask_tts"))
        result = self.linker.try_link(ctx.turn.user, text, lex, ctx.ph.name)
        if result.outcome != TurnOutcome.LINKED:
            return self._say(ctx, result.text, result.outcome, tts=result.tts)
        after, ctx.actor = ctx.state.after_link, result.person_id
        ctx.clear()
        if not after:
            return self._say(ctx, result.text, TurnOutcome.LINKED)
        follow = self._command(ctx, self._parse(ctx, after))
        text = lex.say("linked_short", name=result.name) + " " + follow.text
        return self._say(ctx, text, TurnOutcome.LINKED, buttons=follow.buttons)

    def _again(self, ctx: Ctx, text: str, outcome: str) -> Reply:
        """`text`, then the question still open (so help does not lose it)."""
        p = ctx.pending
        if p is None:
            return self._say(ctx, text, outcome)
        follow = self._advance(ctx, p, outcome)
        return self._say(ctx, f"{text} {follow.text}", outcome, buttons=follow.buttons)


# what a word means whatever step the conversation is at
FALLBACKS = {Said.HELP: Dialog._help, Said.UNLINK: Dialog._unlink, Said.BYE: Dialog._bye,
             Said.CANCEL: Dialog._cancel, Said.NO: Dialog._cancel}
UNLINKED_FALLBACKS = {Said.HELP: Dialog._help_unlinked, Said.BYE: Dialog._bye_unlinked}
# the handler of everything else, by the step the last reply left open
ROUTES = {None: Dialog._at_command, Step.SLOT: Dialog._at_slot, Step.PICK: Dialog._at_pick,
          Step.CONFIRM: Dialog._at_confirm, Step.CHANGE_PICK: Dialog._at_change,
          Step.CHANGE_ASK: Dialog._at_change, Step.CHANGE_CONFIRM: Dialog._at_change}
