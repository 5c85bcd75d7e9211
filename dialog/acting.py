"""The end of a command's conversation: the confirmation question, a
correction said at it, and doing it once confirmed, by the intent's
workspace operation (sekretar/core/intents.yaml). A mixin of
`dialog.machine.Dialog`.

A correction changes only what it names ("нет, на среду" → the day, "в
15:00" → the time, "не Иванову, а Петрову" → the person, "назови её ..." →
the title, "текст другой: ..." → the message, "по четвергам" → an event's
repetition, "напомни за час" → its reminder).

What the workspace cannot keep (`Workspace.carries`: Bitrix24 has no reminder
on a task) is said in the confirmation, left out of the Action and never
claimed in the reply."""
from __future__ import annotations

import secrets
from typing import Callable

from sekretar.dialog import anchor, guests, invite
from sekretar.dialog.confirm import Correction, only_a_reminder, split_correction
from sekretar.dialog.context import Ctx, as_title
from sekretar.dialog.pending import Pending, fit_when, said, with_end
from sekretar.dialog.people import People
from sekretar.dialog.render import Render
from sekretar.dialog.steps import Step, TurnOutcome
from sekretar.dialog.switch import switch_reply

from sekretar.core.intents import Operation, WhenKind
from sekretar.core.types import Action, Reply, workspace_carries


class Acting:
    def _carries(self, kind: str, extra: str) -> bool:
        """Whether the workspace keeps `extra` on a `kind` it creates."""
        return workspace_carries(self.workspace, kind, extra)

    def _render(self, ctx: Ctx) -> Render:
        return Render(ctx.ph, ctx.now, self.people, self._carries, self._ws_name(ctx))

    def _confirm(self, ctx: Ctx, p: Pending, outcome: str, note: str | None = None) -> Reply:
        if p.spec.when == WhenKind.SPAN and p.when is not None:
            p.when = with_end(p.when, self.settings.event_default_minutes)
        if not p.spec.confirm:
            return self._perform(ctx, p)
        render = self._render(ctx)
        person = self.people.get(p.person) if p.person else None
        question = render.confirm(p, person, ctx.actor)
        warning = render.past(p)
        text = " ".join(x for x in (note, warning, question) if x)
        ctx.keep(p, Step.CONFIRM, key=secrets.token_hex(12))
        return self._say(ctx, text, outcome, buttons=ctx.lex.say("buttons_confirm"))

    def _correct(self, ctx: Ctx, p: Pending, text: str) -> Reply:
        people = guests.correct(self, ctx, p, text)  # «и ещё с Козловым», «без Попова»: an event's people
        if people is not None:
            return people
        if p.remind and ctx.lex.is_("no_remind", text):  # «без напоминания»: the reminder taken away
            p.remind = None
            return self._advance(ctx, p, TurnOutcome.CORRECTED)
        switched = switch_reply(self, ctx, p, text)  # a whole new command, not a correction
        if switched is not None:
            return switched
        corr = split_correction(text, ctx.lex)
        if corr is None:
            ctx.clear()
            return self._say(ctx, ctx.lex.say("cancelled"), TurnOutcome.CANCELLED)
        if corr.slot is None and corr.old is None:
            restated = self._parse(ctx, corr.text)
            if restated.intent is not None and not (only_a_reminder(restated) and p.spec.carries("remind")):
                return self._command(ctx, restated)
        if not apply_correction(p, corr, lambda t, e=None: self._parse(ctx, t, e), self.people,
                                self.settings.task_default_hour):
            return self._say(ctx, ctx.lex.say("correction_unclear"), TurnOutcome.NOT_UNDERSTOOD,
                             buttons=ctx.lex.say("buttons_confirm"))
        return self._advance(ctx, p, TurnOutcome.CORRECTED)

    def _submit(self, ctx: Ctx, p: Pending) -> Reply:
        """"Да" at the confirmation: the intent's operation, once."""
        return self._perform(ctx, p)

    def _perform(self, ctx: Ctx, p: Pending) -> Reply:
        return OPERATIONS[p.spec.operation](self, ctx, p)

    def _create(self, ctx: Ctx, p: Pending) -> Reply:
        key = ctx.state.key or secrets.token_hex(12)
        target = p.person if p.spec.person_slot is not None else None
        action = Action(kind=p.intent, actor=ctx.actor, key=key, target=target, title=p.title,
                        text=p.message, start=p.start, end=p.end, all_day=p.all_day,
                        tz=ctx.now.tzinfo.key, participants=tuple(p.invited),
                        rrule=p.rrule if invite.repeats(p, self._carries) else None,
                        remind=p.remind if self._carries(p.intent, "remind") and p.start is not None else None)
        # the action record keeps real time (a turn's `now` may be fixed, e.g. `chat --now`):
        # its back-off and give-up age are measured against the drainer's real clock
        outcome = self.outbox.submit(action, ctx.turn.user, self.clock(), budget=self.action_budget)
        ctx.clear(last=key)
        self.items.created(ctx, p.intent, outcome)  # what «её» / "it" means next
        first = self.deliveries.confirmation(ctx.turn.user, key) if outcome.duplicate else None
        if first is not None:  # another «да» for this action answered first: the same answer
            return first
        render = self._render(ctx)
        person = self.people.get(target) if target else None
        if outcome.status == "done":
            url = outcome.created.url if outcome.created else None
            return self._say(ctx, render.done(p, person, ctx.actor, url), TurnOutcome.DONE)
        if outcome.status == "queued":
            return self._say(ctx, render.queued(p, person, ctx.actor, self._ws_name(ctx)), TurnOutcome.QUEUED)
        return self._say(ctx, render.failed(outcome.error), TurnOutcome.FAILED)

    def _ws_name(self, ctx: Ctx) -> str:
        return ctx.lex.data.get("workspaces", {}).get(self.workspace.name, self.workspace.name)


def apply_correction(p: Pending, corr: Correction, parse: Callable, people: People,
                     task_default_hour: int = 12) -> bool:
    """Change `p` by `corr`; True if something changed. `parse(text,
    expect=None)` is the grammar in this turn's context."""
    if corr.slot is not None and not p.spec.has(corr.slot):
        return False  # "назови её ..." at a message, "текст ..." at a task: not what it has
    if corr.slot == "title":
        p.title = parse(corr.text, "title").title or as_title(corr.text)
        return True
    if corr.slot == "message":
        p.message = corr.text  # a message is what was said, dates and all
        return True
    cmd = parse(corr.text)
    changed = False
    has_person = p.spec.person_slot is not None
    if cmd.when is not None and p.spec.has("when"):
        p.when, changed = fit_when(p.intent, p.when, cmd.when, task_default_hour), True
    elif cmd.intent is None and p.spec.has("when") and anchor.take(p, parse(corr.text, "when"), p.when):
        changed = True  # "нет, после планёрки": found on the day agreed (dialog/anchor.py)
    changed = p.take_extras(cmd) or changed  # "нет, по четвергам", "нет, напомни за час"
    if said(cmd.recipient) and has_person:
        p.recipient, p.person, changed = said(cmd.recipient), None, True
    if not changed and has_person:
        # a bare name: "нет, Петрову" / "не Иванову, а Петрову"
        rec = said(parse(corr.text, "recipient").recipient)
        if rec is not None and (corr.old is not None or people.match(rec)):
            p.recipient, p.person, changed = rec, None, True
    return changed


# what the workspace does with a confirmed command, by the intent's `operation`
OPERATIONS = {Operation.CREATE: Acting._create}
