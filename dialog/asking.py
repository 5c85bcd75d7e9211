"""Building the command: a new command, the question for the first slot
still missing (in the order the intent declares its slots), resolving its
person (and asking which one of several), and taking an answer to a slot
question, by the slot's kind; an event's people are found the same way
(dialog/invite.py). A mixin of `dialog.machine.Dialog`."""
from __future__ import annotations

from sekretar.dialog import anchor, invite
from sekretar.dialog.confirm import strip_slot_words
from sekretar.dialog.context import Ctx, as_title
from sekretar.dialog.pending import Pending, fit_when, said
from sekretar.dialog.phrasing import MAX_OPTIONS
from sekretar.dialog.render import Render
from sekretar.dialog.steps import Step, TurnOutcome
from sekretar.grammar import hints as platform_hints

from sekretar.core.intents import SlotKind, intent_spec
from sekretar.core.text import norm_words
from sekretar.core.types import Person, Reply


class Asking:
    def _parse(self, ctx: Ctx, text: str, expect: str | None = None):
        cmd = self.parser.parse(text, now=ctx.now, tz=ctx.now.tzinfo.key, lang=ctx.lang, expect=expect)
        if ctx.turn.hints and text == (ctx.turn.text or "").strip():  # the platform's entities are of this text
            cmd = platform_hints.apply(cmd, ctx.turn.hints, ctx.now)
        return cmd

    def _command(self, ctx: Ctx, cmd) -> Reply:
        if cmd.intent in ("query", "change"):  # about existing items: dialog/items.py
            return self.items.command(ctx, cmd)
        if intent_spec(cmd.intent) is None:  # no command, or one the dialog has no steps for
            return self._say(ctx, ctx.lex.say("not_understood"), TurnOutcome.NOT_UNDERSTOOD)
        p = Pending.from_command(cmd, self.settings.task_default_hour)
        anchor.take(p, cmd)  # "после планёрки": found when the time comes up (dialog/anchor.py)
        return self._advance(ctx, p, TurnOutcome.ASKED)

    def _advance(self, ctx: Ctx, p: Pending, outcome: str, note: str | None = None) -> Reply:
        """Ask for the first thing missing, else confirm (`note` said first)."""
        for slot in p.spec.slots:
            if slot.kind == SlotKind.WHEN and p.anchor is not None and p.when is None:
                reply = anchor.resolve(self, ctx, p)  # the item found, asked which, or not found
                if reply is not None:
                    return reply
            if slot.kind == SlotKind.PERSON:
                if p.recipient is None and not slot.optional:
                    return self._ask(ctx, p, slot.name)
                if p.recipient is not None and p.person is None:
                    reply = self._resolve(ctx, p)
                    if reply is not None:
                        return reply
            elif not slot.optional and p.value(slot.name) in (None, ""):
                return self._ask(ctx, p, slot.name)
        person = p.spec.person_slot
        if person is not None and person.default == "speaker" and p.person is None:
            p.person = ctx.actor
        if p.participants:
            reply = invite.next_participant(self, ctx, p)  # namesakes asked about, like a person slot
            if reply is not None:
                return reply
        if invite.needs_deadline(p, self._carries):  # "напомни за час" with no deadline: before what?
            return self._ask(ctx, p, "when")
        return self._confirm(ctx, p, outcome if outcome == TurnOutcome.CORRECTED else TurnOutcome.CONFIRM_ASKED,
                             note)

    def _ask(self, ctx: Ctx, p: Pending, slot: str, prefix: str = "") -> Reply:
        ctx.keep(p, Step.SLOT, ask=slot)
        person = self.people.get(p.person) if p.person else None
        text = Render(ctx.ph, ctx.now).ask(p, slot, person, ctx.actor)
        return self._say(ctx, f"{prefix} {text}".strip(), TurnOutcome.ASKED, buttons=ctx.lex.say("buttons_cancel"))

    def _resolve(self, ctx: Ctx, p: Pending) -> Reply | None:
        r = p.recipient
        if r.self:
            p.person = ctx.actor
            return None
        found = self.people.match(r)
        if len(found) == 1:
            p.person = found[0].id
            return None
        if found:
            p.choices = [x.id for x in found]
            ctx.keep(p, Step.PICK)
            return self._say(ctx, ctx.ph.pick_question(found), TurnOutcome.AMBIGUOUS,
                             buttons=self._pick_buttons(ctx, found))
        named = ctx.ph.name(Person("?", r.first, r.last, r.middle), "accs")
        p.recipient = None
        return self._ask(ctx, p, p.spec.person_slot.name, ctx.lex.say("not_found", who=named))

    @staticmethod
    def _pick_buttons(ctx: Ctx, people: list[Person]) -> list[str]:
        return [ctx.ph.name(x) for x in people] if len(people) <= MAX_OPTIONS else []

    def _pick(self, ctx: Ctx, p: Pending, text: str) -> Reply:
        choices = [x for x in (self.people.get(i) for i in p.choices) if x is not None]
        if len(choices) < 2:  # a forged or stale state (unknown ids): resolve the name afresh
            p.choices = []
            return self._advance(ctx, p, TurnOutcome.ASKED)
        cmd = self._parse(ctx, text, expect="recipient")
        if cmd.intent is not None:
            return self._command(ctx, cmd)
        person = self.people.pick(choices, text, cmd.recipient, ctx.lex)
        rec = said(cmd.recipient)
        if person is None and rec and ctx.lex.ordinal(text) is None and self.people.match(cmd.recipient):
            # somebody else altogether ("нет, Насте"): resolve that name instead
            if p.picking_participant:
                p.participants[0], p.choices = rec, []
            else:
                p.recipient, p.person, p.choices = rec, None, []
            return self._advance(ctx, p, TurnOutcome.ASKED)
        if person is None:
            if cmd.when is not None and p.when is None:
                # "завтра в десять" said instead of a name: kept for the confirmation
                p.when = fit_when(p.intent, None, cmd.when, self.settings.task_default_hour)
            ctx.keep(p, Step.PICK)
            # not the first question again word for word: say how to answer it
            text = f"{ctx.lex.say('pick_again')} {ctx.ph.pick_question(choices)}"
            if len(choices) <= MAX_OPTIONS:
                text += " " + ctx.lex.say("pick_hint")
            return self._say(ctx, text, TurnOutcome.AMBIGUOUS, buttons=self._pick_buttons(ctx, choices))
        if p.picking_participant:
            invite.take(p, person.id, ctx.actor)
        else:
            p.person, p.choices = person.id, []
        return self._advance(ctx, p, TurnOutcome.ASKED)

    def _answer(self, ctx: Ctx, p: Pending, slot: str | None, text: str) -> Reply:
        """An answer to the question about `slot`, parsed with that context
        and taken by the slot's kind (`ANSWERS`)."""
        spec = p.spec.slot(slot) if slot else None
        if spec is not None and spec.kind == SlotKind.WHEN and p.anchor and p.anchor.get("choices"):
            return anchor.picked(self, ctx, p, text)  # «После какой?» — «после второй»
        if spec is not None and spec.kind == SlotKind.TITLE:
            text = strip_slot_words(text, slot, ctx.lex)
        cmd = self._parse(ctx, text, expect=slot)
        if cmd.intent is not None:
            return self._command(ctx, cmd)
        take = ANSWERS.get(spec.kind) if spec is not None else None
        if take is not None:
            reply = take(self, ctx, p, slot, text, cmd)
            if reply is not None:
                return reply
        return self._advance(ctx, p, TurnOutcome.ASKED)

    # one per slot kind: take the answer into `p`, or return the reply that asks again
    def _answer_person(self, ctx: Ctx, p: Pending, slot: str, text: str, cmd) -> Reply | None:
        if said(cmd.recipient) is None:
            return self._ask(ctx, p, slot)
        p.recipient, p.person = said(cmd.recipient), None
        if cmd.message and p.spec.has("message") and not p.message:
            p.message = cmd.message
        return None

    def _answer_title(self, ctx: Ctx, p: Pending, slot: str, text: str, cmd) -> Reply | None:
        p.title = cmd.title or as_title(text)
        lead = norm_words(p.title)[:1]
        if p.spec.has_sentence(ctx.lang, "title_lead") and lead and lead[0] in ctx.lex.sets.get("event_title_leads", ()):
            # "Как назвать встречу?" — "с клиентом": the title is "Встреча с клиентом"
            p.title = f"{p.spec.sentence(ctx.lang, 'title_lead')} {p.title[:1].lower()}{p.title[1:]}"
        if cmd.when is not None and p.when is None:
            p.when = fit_when(p.intent, None, cmd.when, self.settings.task_default_hour)
        return None

    def _answer_text(self, ctx: Ctx, p: Pending, slot: str, text: str, cmd) -> Reply | None:
        setattr(p, slot, text.strip())  # a message is what was said, dates and all
        return None

    def _answer_when(self, ctx: Ctx, p: Pending, slot: str, text: str, cmd) -> Reply | None:
        if cmd.when is None and anchor.take(p, cmd):
            return None  # «На когда?» — «после стендапа»: found next
        if cmd.when is None and p.remind and p.spec.slot(slot).optional and ctx.lex.is_("no_deadline", text):
            # the deadline asked for a task's reminder: "без срока" — no deadline, so no reminder
            p.remind = None
            return self._advance(ctx, p, TurnOutcome.ASKED, ctx.lex.say("extras/remind_dropped"))
        if cmd.when is None:
            ctx.keep(p, Step.SLOT, ask=slot)
            return self._say(ctx, ctx.lex.say("ask_again_when"), TurnOutcome.ASKED)
        p.when = fit_when(p.intent, p.when, cmd.when, self.settings.task_default_hour)
        p.take_extras(cmd)  # "На когда?" — "каждую среду в 9"
        if cmd.title and not p.title:
            p.title = cmd.title
        return None


ANSWERS = {SlotKind.PERSON: Asking._answer_person, SlotKind.TITLE: Asking._answer_title,
           SlotKind.TEXT: Asking._answer_text, SlotKind.WHEN: Asking._answer_when}
