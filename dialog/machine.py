"""The conversation: a state machine over one voice user's turns.

    dialog = Dialog(parser, store, workspace, outbox, settings)
    reply = dialog.handle(Turn(user="cli:local", text="Поставь задачу Насте", now=now))

Steps (state["step"]): none (waiting for a command), "slot" (a question
about a missing slot was asked: state["ask"]), "pick" (which of several
people), "confirm" (the confirmation was asked; state["key"] is the
idempotency key of the action it would create). The state is JSON, carried
by the platform (Turn.state) or loaded from the store, and always saved.
"""
from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sekretar.dialog.confirm import classify, split_correction, strip_slot_words
from sekretar.dialog.context import Ctx, analyzer_of, capitalize, make_context, reply_from_json, reply_to_json
from sekretar.dialog.correct import apply_correction
from sekretar.dialog.items import Items
from sekretar.dialog.lexicon import LANGS, lexicon, norm_words
from sekretar.dialog.linking import Linker
from sekretar.dialog.pending import SLOTS, Pending, fit_when, recipient_dict
from sekretar.dialog.people import People
from sekretar.dialog.phrasing import MAX_OPTIONS, for_speech
from sekretar.dialog.render import Render
from sekretar.dialog.settings import DialogSettings

from sekretar.core.config import Settings
from sekretar.core.errors import WorkspaceError
from sekretar.core.types import Action, Person, Reply, Turn


class Dialog:
    def __init__(self, parser, store, workspace, outbox, settings: Settings | None = None,
                 dialog_settings: DialogSettings | None = None, action_budget: float | None = None):
        self.parser = parser
        self.morph = analyzer_of(getattr(parser, "morph", None))
        self.store = store
        self.workspace = workspace
        self.outbox = outbox
        self.settings = settings or Settings()
        self.ds = dialog_settings or DialogSettings()
        self.action_budget = action_budget
        self.people = People(workspace, self.morph)
        self.linker = Linker(store, workspace, self.ds, self.settings.code_length)
        self.items = Items(self)  # questions and changes (dialog/items.py)

    # --- the entry point -------------------------------------------------
    def handle(self, turn: Turn) -> Reply:
        if turn.request_id:
            seen = self.store.get_reply(turn.request_id)
            if seen is not None:
                return reply_from_json(seen)
        ctx = self._context(turn)
        before = dict(ctx.state)
        try:
            reply = self._route(ctx, (turn.text or "").strip())
        except WorkspaceError as exc:
            # the directory could not be read (CRM down): nothing is lost, say so
            ctx.state = before
            reply = self._say(ctx, ctx.lex.say("unavailable", workspace=self._ws_name(ctx),
                                                 error=str(exc).rstrip(".")), "unavailable")
        self.items.remember(ctx, reply)
        ctx.state.update(lang=ctx.lang, at=ctx.now.isoformat())
        reply = replace(reply, state=ctx.state)
        self.store.save_state(turn.user, ctx.state, ctx.now)
        if turn.request_id:
            self.store.put_reply(turn.request_id, reply_to_json(reply), ctx.now)
        return reply

    def _context(self, turn: Turn) -> Ctx:
        stored = self.store.load_state(turn.user) if turn.state is None else None
        return make_context(turn, stored, self.settings, self.ds.state_ttl_seconds, self.morph)

    def _say(self, ctx: Ctx, text: str, outcome: str, *, buttons=(), end=False, tts=None) -> Reply:
        spoken = tts or for_speech(text)
        return Reply(text, spoken if spoken != text else None, end, tuple(buttons), ctx.state, outcome)

    def _route(self, ctx: Ctx, text: str) -> Reply:
        lex, turn = ctx.lex, ctx.turn
        kind = classify(text, lex, turn.hint)
        for other in LANGS:  # "ok" / "да" understood whatever the language
            kind = kind or classify(text, lexicon(other))
        link = self.store.get_link(turn.user)
        if link is not None and link.workspace != self.workspace.name:
            link = None
        if link is None:
            return self._unlinked(ctx, text, kind)
        ctx.actor = link.person_id
        handled = self.items.route(ctx, text, kind)
        if handled is not None:
            return handled
        if not text and kind is None:
            return self._again(ctx, lex.say("greeting"), "greeting")
        if kind == "help":
            return self._again(ctx, lex.say("help"), "help")
        if kind == "unlink":
            self.store.delete_link(turn.user)
            ctx.state = {}
            return self._say(ctx, lex.say("unlinked"), "unlinked")
        if kind == "bye":
            ctx.state = {}
            return self._say(ctx, lex.say("bye"), "bye", end=True)
        step, p = ctx.state.get("step"), ctx.pending
        if p is None or step is None:
            if kind == "yes":
                return self._say(ctx, lex.say("nothing_to_confirm"), "nothing")
            if kind in ("no", "cancel"):
                ctx.state = {}
                return self._say(ctx, lex.say("nothing_to_cancel"), "cancelled")
            return self._command(ctx, self._parse(ctx, text))
        if kind in ("cancel", "no"):
            ctx.state = {}
            return self._say(ctx, lex.say("cancelled"), "cancelled")
        if step == "confirm":
            if kind == "yes":
                return self._submit(ctx, p)
            return self.items.during_confirm(ctx, text, p) or self._correct(ctx, p, text)
        if step == "pick":
            return self._pick(ctx, p, text)
        return self._answer(ctx, p, ctx.state.get("ask"), text)

    def _unlinked(self, ctx: Ctx, text: str, kind: str | None) -> Reply:
        lex = ctx.lex
        if kind == "help":
            return self._say(ctx, lex.say("help_unlinked"), "help")
        if kind == "bye":
            return self._say(ctx, lex.say("bye"), "bye", end=True)
        if not text:
            return self._say(ctx, lex.say("greeting_unlinked") + " " + lex.say("link_ask"), "link_asked",
                             tts=lex.say("greeting_unlinked") + " " + lex.say("link_ask_tts"))
        if self._parse(ctx, text).intent is not None:
            # a command before linking: remembered, done once linked
            ctx.state = {"after_link": text}
            return self._say(ctx, lex.say("link_ask"), "link_asked", tts=lex.say("link_ask_tts"))
        result = self.linker.try_link(ctx.turn.user, text, ctx.now, lex, ctx.ph.name)
        if result.outcome != "linked":
            return self._say(ctx, result.text, result.outcome, tts=result.tts)
        after, ctx.state, ctx.actor = ctx.state.get("after_link"), {}, result.person_id
        if not after:
            return self._say(ctx, result.text, "linked")
        follow = self._command(ctx, self._parse(ctx, after))
        text = lex.say("linked_short", name=result.name) + " " + follow.text
        return self._say(ctx, text, "linked", buttons=follow.buttons)

    def _again(self, ctx: Ctx, text: str, outcome: str) -> Reply:
        """`text`, then the question still open (so help does not lose it)."""
        p, step = ctx.pending, ctx.state.get("step")
        if p is None or step is None:
            return self._say(ctx, text, outcome)
        follow = self._advance(ctx, p, outcome)
        return self._say(ctx, f"{text} {follow.text}", outcome, buttons=follow.buttons)

    # --- building the command ----------------------------------------------
    def _parse(self, ctx: Ctx, text: str, expect: str | None = None):
        return self.parser.parse(text, now=ctx.now, tz=ctx.now.tzinfo.key, lang=ctx.lang, expect=expect)

    def _command(self, ctx: Ctx, cmd) -> Reply:
        if cmd.intent is None:
            return self._say(ctx, ctx.lex.say("not_understood"), "not_understood")
        if cmd.intent in ("query", "change"):
            return self.items.command(ctx, cmd)
        p = Pending.from_command(cmd, self.settings.task_default_hour)
        return self._advance(ctx, p, "asked")

    def _advance(self, ctx: Ctx, p: Pending, outcome: str) -> Reply:
        """Ask for the first thing missing, else confirm."""
        for slot in SLOTS[p.intent]:
            optional = slot.endswith("?")
            slot = slot.rstrip("?")
            if slot == "recipient":
                if p.recipient is None and not optional:
                    return self._ask(ctx, p, slot)
                if p.recipient is not None and p.person is None:
                    reply = self._resolve(ctx, p)
                    if reply is not None:
                        return reply
            elif getattr(p, slot) in (None, ""):
                return self._ask(ctx, p, slot)
        if p.intent == "task" and p.person is None:
            p.person = ctx.actor
        return self._confirm(ctx, p, outcome if outcome == "corrected" else "confirm_asked")

    def _ask(self, ctx: Ctx, p: Pending, slot: str, prefix: str = "") -> Reply:
        ctx.keep(p, "slot", ask=slot)
        who = self._who(ctx, p)
        text = ctx.lex.say(f"ask/{p.intent}.{slot}", who=who)
        return self._say(ctx, f"{prefix} {text}".strip(), "asked", buttons=ctx.lex.say("buttons_cancel"))

    def _who(self, ctx: Ctx, p: Pending) -> str:
        person = self.people.get(p.person) if p.person else None
        return ctx.ph.who(person, ctx.actor, "datv") if person else ""

    def _resolve(self, ctx: Ctx, p: Pending) -> Reply | None:
        r = p.get_recipient()
        if r.self:
            p.person = ctx.actor
            return None
        found = self.people.match(r)
        if len(found) == 1:
            p.person = found[0].id
            return None
        if found:
            p.choices = [x.id for x in found]
            ctx.keep(p, "pick")
            return self._say(ctx, ctx.ph.pick_question(found), "ambiguous",
                             buttons=self._pick_buttons(ctx, found))
        said = ctx.ph.name(Person("?", r.first, r.last, r.middle), "accs")
        p.recipient = None
        return self._ask(ctx, p, "recipient", ctx.lex.say("not_found", who=said))

    @staticmethod
    def _pick_buttons(ctx: Ctx, people: list[Person]) -> list[str]:
        return [ctx.ph.name(x) for x in people] if len(people) <= MAX_OPTIONS else []

    def _pick(self, ctx: Ctx, p: Pending, text: str) -> Reply:
        choices = [x for x in (self.people.get(i) for i in p.choices) if x is not None]
        cmd = self._parse(ctx, text, expect="recipient")
        if cmd.intent is not None:
            return self._command(ctx, cmd)
        person = self.people.pick(choices, text, cmd.recipient, ctx.lex)
        rec = recipient_dict(cmd.recipient)
        if person is None and rec and ctx.lex.ordinal(text) is None and self.people.match(cmd.recipient):
            # somebody else altogether ("нет, Насте"): resolve that name instead
            p.recipient, p.person, p.choices = rec, None, []
            return self._advance(ctx, p, "asked")
        if person is None:
            if cmd.when is not None and p.when is None:
                # "завтра в десять" said instead of a name: kept for the confirmation
                p.when = fit_when(p.intent, None, cmd.when, self.settings.task_default_hour)
            ctx.keep(p, "pick")
            # not the first question again word for word: say how to answer it
            text = f"{ctx.lex.say('pick_again')} {ctx.ph.pick_question(choices)}"
            if len(choices) <= MAX_OPTIONS:
                text += " " + ctx.lex.say("pick_hint")
            return self._say(ctx, text, "ambiguous", buttons=self._pick_buttons(ctx, choices))
        p.person, p.choices = person.id, []
        return self._advance(ctx, p, "asked")

    def _answer(self, ctx: Ctx, p: Pending, slot: str | None, text: str) -> Reply:
        """An answer to the question about `slot`, parsed with that context."""
        if slot == "title":
            text = strip_slot_words(text, "title", ctx.lex)
        cmd = self._parse(ctx, text, expect=slot)
        if cmd.intent is not None:
            return self._command(ctx, cmd)
        if slot == "recipient":
            if recipient_dict(cmd.recipient) is None:
                return self._ask(ctx, p, slot)
            p.recipient, p.person = recipient_dict(cmd.recipient), None
            if cmd.message and p.intent == "message" and not p.message:
                p.message = cmd.message
        elif slot == "title":
            p.title = cmd.title or capitalize(text)
            lead = norm_words(p.title)[:1]
            if p.intent == "event" and lead and lead[0] in ctx.lex.sets.get("event_title_leads", ()):
                # "Как назвать встречу?" — "с клиентом": the title is "Встреча с клиентом"
                p.title = f"{ctx.lex.say('event_title')} {p.title[:1].lower()}{p.title[1:]}"
            if cmd.when is not None and p.when is None:
                p.when = fit_when(p.intent, None, cmd.when, self.settings.task_default_hour)
        elif slot == "message":
            p.message = text.strip()  # a message is what was said, dates and all
        elif slot == "when":
            if cmd.when is None:
                ctx.keep(p, "slot", ask=slot)
                return self._say(ctx, ctx.lex.say("ask_again_when"), "asked")
            p.when = fit_when(p.intent, p.when, cmd.when, self.settings.task_default_hour)
            if cmd.title and not p.title:
                p.title = cmd.title
        return self._advance(ctx, p, "asked")

    # --- confirming, correcting, doing ----------------------------------------
    def _confirm(self, ctx: Ctx, p: Pending, outcome: str) -> Reply:
        if p.intent == "event" and p.when and not p.all_day and p.end is None:
            end = p.start + timedelta(minutes=self.settings.event_default_minutes)
            p.when = {**p.when, "end": end.isoformat()}
        render = Render(ctx.ph, ctx.now)
        person = self.people.get(p.person) if p.person else None
        question = render.confirm(p, person, ctx.actor)
        warning = render.past(p)
        text = f"{warning} {question}" if warning else question
        ctx.keep(p, "confirm", key=secrets.token_hex(12))
        return self._say(ctx, text, outcome, buttons=ctx.lex.say("buttons_confirm"))

    def _correct(self, ctx: Ctx, p: Pending, text: str) -> Reply:
        corr = split_correction(text, ctx.lex)
        if corr is None:
            ctx.state = {}
            return self._say(ctx, ctx.lex.say("cancelled"), "cancelled")
        if corr.slot is None and corr.old is None:
            restated = self._parse(ctx, corr.text)
            if restated.intent is not None:
                return self._command(ctx, restated)
        if not apply_correction(p, corr, lambda t, e=None: self._parse(ctx, t, e), self.people,
                                self.settings.task_default_hour):
            return self._say(ctx, ctx.lex.say("correction_unclear"), "not_understood",
                             buttons=ctx.lex.say("buttons_confirm"))
        return self._advance(ctx, p, "corrected")

    def _submit(self, ctx: Ctx, p: Pending) -> Reply:
        key = ctx.state.get("key") or secrets.token_hex(12)
        start, end = p.start, p.end
        target = p.person if p.intent in ("task", "message") else None
        action = Action(kind=p.intent, actor=ctx.actor, key=key, target=target, title=p.title,
                        text=p.message, start=start, end=end, all_day=p.all_day,
                        tz=ctx.now.tzinfo.key)
        # the action record keeps real time (a turn's `now` may be fixed, e.g. `chat --now`):
        # its back-off and give-up age are measured against the drainer's real clock
        outcome = self.outbox.submit(action, ctx.turn.user, datetime.now(timezone.utc),
                                     budget=self.action_budget)
        ctx.state = {"last": key}
        self.items.created(ctx, p.intent, outcome)
        render = Render(ctx.ph, ctx.now)
        person = self.people.get(target) if target else None
        if outcome.status == "done":
            url = outcome.created.url if outcome.created else None
            return self._say(ctx, render.done(p, person, ctx.actor, url), "done")
        if outcome.status == "queued":
            return self._say(ctx, render.queued(p, person, ctx.actor, self._ws_name(ctx)), "queued")
        return self._say(ctx, render.failed(outcome.error), "failed")

    def _ws_name(self, ctx: Ctx) -> str:
        return ctx.lex.data.get("workspaces", {}).get(self.workspace.name, self.workspace.name)
