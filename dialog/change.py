"""A change of an existing task or event: find it, ask which when several
match, confirm saying what changes from what to what, then hand the change
to the outbox (one confirmed change, applied once).

Finding: by words of its title, by its time, by a participant, or «её» /
"it": the item this conversation just created or read out (state["it"]).
The state while a change is pending: DialogState.change (a dict, JSON as
it is), step Step.CHANGE_PICK | CHANGE_ASK | CHANGE_CONFIRM, key: the
idempotency key; dialog/machine.py's ROUTES send those steps to `step`."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sekretar.dialog.itemwords import item_words
from sekretar.dialog.pending import fit_when
from sekretar.dialog.state import DialogState, ItemRef
from sekretar.dialog.steps import Said, Step, TurnOutcome
from sekretar.grammar.command import When

from sekretar.core.errors import ItemChanged, ItemNotFound, WorkspaceError
from sekretar.core.types import Action, Item, Person

AHEAD_DAYS = 60
MAX_PICK = 5


class Changes:
    def __init__(self, dialog):
        self.d = dialog

    # --- starting ----------------------------------------------------------------
    def start(self, ctx, cmd):
        iw = item_words(ctx.lang)
        ch = {"action": cmd.action, "about": cmd.about, "ref": cmd.ref,
              "when": _when_json(cmd.when), "shift": cmd.detail.shift.total_seconds()
              if cmd.detail is not None and cmd.detail.shift else None,
              "title": cmd.title, "target": None}
        if cmd.action == "reassign" and cmd.recipient is not None:
            found = self.d.people.match(cmd.recipient)
            if not found:
                return self.d.query_reply_for_person(ctx, cmd.recipient, found)
            if len(found) == 1:
                ch["target"] = found[0].id
            else:  # namesakes: asked once the item is known
                ch["target_choices"] = [p.id for p in found]
        try:
            found, where = self._find(ctx, cmd, iw)
        except WorkspaceError as exc:
            return self.d.say(ctx, iw.say("failed_change", error=str(exc).rstrip(".")), TurnOutcome.UNAVAILABLE)
        if not found:
            return self.d.say(ctx, iw.say("change_none", what=self._what(cmd, iw), where=where), TurnOutcome.NOT_FOUND)
        if len(found) > 1:
            ch["choices"] = [i.to_json() for i in found[:MAX_PICK]]
            ctx.state = DialogState(step=Step.CHANGE_PICK, change=ch)
            return self.d.say(ctx, iw.say("change_pick", options=self._options(ctx, found[:MAX_PICK], iw)),
                              TurnOutcome.AMBIGUOUS)
        return self._ready(ctx, ch, found[0], iw)

    def _what(self, cmd, iw) -> str:
        if cmd.detail is not None and cmd.detail.it:
            return iw.say("change_what_it")
        key = {"events": "change_what_event", "tasks": "change_what_task"}.get(cmd.about, "change_what_any")
        return iw.say(key, ref=cmd.ref or "")

    def _find(self, ctx, cmd, iw) -> tuple[list[Item], str]:
        kinds = self._kinds(cmd)
        if cmd.detail is not None and cmd.detail.it:
            it = ctx.state.it
            getter = getattr(self.d.workspace, "item", None)
            item = getter(it.kind, it.id, ctx.actor) if it is not None and it.kind in kinds and getter else None
            return ([item] if item else []), iw.say("change_what_it")
        window = cmd.when if cmd.action != "move" else None
        day = ctx.now.replace(hour=0, minute=0, second=0, microsecond=0)
        start, end = (window.start, window.end or window.start + timedelta(days=1)) if window else \
            (day, day + timedelta(days=AHEAD_DAYS))
        items: list[Item] = []
        wheres = []
        if "event" in kinds:
            items += self.d.workspace.events(start, end, ctx.actor, ctx.actor)
            wheres.append(iw.say("change_where_events_on", when=iw.period(ctx.ph, start, end, ctx.now))
                          if window else iw.say("change_where_events", d1=ctx.ph.date(start, ctx.now),
                                                d2=ctx.ph.date(end, ctx.now)))
        if "task" in kinds:
            seen = set()
            for kw in ({"responsible": ctx.actor}, {"creator": ctx.actor}):
                for t in self.d.workspace.tasks(ctx.actor, **kw):
                    if t.id not in seen and (window is None or t.start is not None and start <= t.start < end):
                        seen.add(t.id)
                        items.append(t)
            wheres.append(iw.say("change_where_tasks"))
        old = cmd.detail.old if cmd.detail is not None and cmd.action == "move" else None
        if old is not None:  # "со среды на четверг", "с 10 на 11": the old time finds it
            items = [i for i in items if _at(i, old)]
        items = iw.matching(items, iw.stems(cmd.ref))
        return items, (" и " if ctx.lang == "ru" else " and ").join(wheres)

    @staticmethod
    def _kinds(cmd) -> tuple[str, ...]:
        if cmd.about == "events" or cmd.action == "cancel":
            return ("event",)
        if cmd.about == "tasks" or cmd.action in ("complete", "reassign"):
            return ("task",)
        return ("event", "task")

    def _options(self, ctx, items: list[Item], iw) -> str:
        return iw.options(ctx.ph, items, ctx.now)

    # --- once the item is known ------------------------------------------------------
    def _ready(self, ctx, ch: dict, item: Item, iw):
        ch["item"] = item.to_json()
        ch.pop("choices", None)
        kind = item.kind
        allowed = {"event": ("move", "rename", "cancel"), "task": ("move", "rename", "reassign", "complete")}[kind]
        if ch["action"] not in allowed:
            ctx.clear()
            text = iw.say("change_cannot", title=item.title, kind=iw.say(f"kind_{kind}"), can=iw.say(f"can_{kind}"))
            return self.d.say(ctx, text, TurnOutcome.NOT_UNDERSTOOD)
        missing = {"move": not (ch.get("when") or ch.get("shift")), "rename": not ch.get("title"),
                   "reassign": not ch.get("target")}.get(ch["action"])
        if missing:
            ctx.state = DialogState(step=Step.CHANGE_ASK, change=ch, it=ItemRef(kind, item.id))
            if ch.get("target_choices"):  # "Какого Сергея: Сергея Иванова или Сергея Петрова?"
                found = [p for p in map(self.d.people.get, ch["target_choices"]) if p is not None]
                return self.d.say(ctx, ctx.ph.pick_question(found), TurnOutcome.AMBIGUOUS,
                                  buttons=[ctx.ph.name(p) for p in found][:4])
            key = {"move": "change_ask_when", "rename": "change_ask_title", "reassign": "change_ask_who"}[ch["action"]]
            return self.d.say(ctx, iw.say(key, title=item.title), TurnOutcome.ASKED, buttons=ctx.lex.say("buttons_cancel"))
        return self._confirm(ctx, ch, item, iw)

    def _new_time(self, ch: dict, item: Item) -> tuple[datetime, datetime | None, bool]:
        if ch.get("shift"):
            d = timedelta(seconds=ch["shift"])
            return item.start + d, (item.end + d) if item.end else None, item.all_day
        old = When(item.start, item.end, item.all_day) if item.start else None
        new = fit_when(item.kind, old, _when_of(ch["when"]), self.d.settings.task_default_hour)
        start, end = new.start, new.end
        if item.kind == "event" and end is None and not new.all_day:
            length = (item.end - item.start) if item.end and item.start else \
                timedelta(minutes=self.d.settings.event_default_minutes)
            end = start + length
        return start, end, bool(new.all_day)

    def _confirm(self, ctx, ch: dict, item: Item, iw):
        a, t = ch["action"], item.title
        ph, now = ctx.ph, ctx.now
        if a == "move":
            if item.kind == "event" and item.start is None:
                return self.d.say(ctx, iw.say("change_none", what=t, where=""), TurnOutcome.NOT_FOUND)
            start, end, all_day = self._new_time(ch, item)
            ch["new"] = {"start": start.isoformat(), "end": end.isoformat() if end else None, "all_day": all_day}
            new = iw.moment(ph, start, now, all_day)
            if item.kind == "task" and item.start is None:
                text = iw.say("confirm_move_task_nodue", title=t, new=new)
            else:
                text = iw.say(f"confirm_move_{item.kind}", title=t,
                              move=iw.move(ph, item.start, start, now, item.all_day and all_day))
        elif a == "rename":
            text = iw.say("confirm_rename", title=t, new=ch["title"])
        elif a == "reassign":
            old = self.d.people.get(item.owner)
            new = self.d.people.get(ch["target"])
            text = iw.say("confirm_reassign", title=t, old=ph.name(old, "gent") if old else item.owner,
                          new=ph.name(new, "datv") if new else ch["target"])
        elif a == "complete":
            text = iw.say("confirm_complete", title=t)
        else:
            text = iw.say("confirm_cancel", title=t, when=iw.moment(ph, item.start, now, item.all_day)
                          if item.start else "")
        ch["asked"] = text
        ctx.state = DialogState(step=Step.CHANGE_CONFIRM, change=ch, key=secrets.token_hex(12),
                                it=ItemRef(item.kind, item.id))
        return self.d.say(ctx, text, TurnOutcome.CONFIRM_ASKED, buttons=ctx.lex.say("buttons_confirm"))

    # --- the steps -----------------------------------------------------------------------
    def cancel(self, ctx):
        """«нет» / «отмена» while a change is pending: nothing changes; «её» still means the item."""
        ctx.clear(it=ctx.state.it)
        return self.d.say(ctx, item_words(ctx.lang).say("kept"), TurnOutcome.CANCELLED)

    def step(self, ctx, text: str, kind: str | None):
        iw = item_words(ctx.lang)
        ch, step = ctx.state.change, ctx.state.step
        if kind in (Said.NO, Said.CANCEL):
            return self.cancel(ctx)
        if step == Step.CHANGE_CONFIRM and kind == Said.YES:
            return self._submit(ctx, ch, iw)
        cmd = self.d.parse(ctx, text)
        if cmd.intent == "query":
            return self.d.answer_then(ctx, cmd, lambda: self.d.say(ctx, ch.get("asked") or "", TurnOutcome.CONFIRM_ASKED,
                                                                   buttons=ctx.lex.say("buttons_confirm")))
        if cmd.intent is not None:
            ctx.clear()
            return self.d.command(ctx, cmd)
        if step == Step.CHANGE_PICK:
            return self._pick(ctx, ch, text, iw)
        if step == Step.CHANGE_ASK:
            item = Item.from_json(ch["item"])
            if ch["action"] == "move":
                when = self.d.parse(ctx, text, "when").when
                if when is None:
                    return self.d.say(ctx, iw.say("change_ask_when", title=item.title), TurnOutcome.ASKED)
                ch["when"] = _when_json(when)
            elif ch["action"] == "rename":
                ch["title"] = text.strip().strip("«»\"'“” .")
            else:
                r = self.d.parse(ctx, text, "recipient").recipient
                choices = [p for p in map(self.d.people.get, ch.get("target_choices") or ()) if p is not None]
                picked = self.d.people.pick(choices, text, r, ctx.lex) if choices else None
                found = [picked] if picked else self.d.people.match(r) if r is not None else []
                if len(found) != 1:
                    if len(found) > 1:
                        ch["target_choices"] = [p.id for p in found]
                    ctx.state.change = ch
                    question = ctx.ph.pick_question(found) if len(found) > 1 else \
                        iw.say("change_ask_who", title=item.title)
                    return self.d.say(ctx, question, "ambiguous" if found else TurnOutcome.ASKED)
                ch["target"] = found[0].id
                ch.pop("target_choices", None)
            return self._confirm(ctx, ch, item, iw)
        return self.d.say(ctx, f"{iw.say('confirm_again')} {ch.get('asked', '')}".strip(), TurnOutcome.NOT_UNDERSTOOD,
                          buttons=ctx.lex.say("buttons_confirm"))

    def _pick(self, ctx, ch: dict, text: str, iw):
        choices = [Item.from_json(x) for x in ch.get("choices") or ()]
        n = ctx.lex.ordinal(text)
        picked = None
        if n is not None and choices and -len(choices) <= n <= len(choices) and n != 0:
            picked = choices[n - 1 if n > 0 else n]
        else:
            stems = iw.stems(text)
            hits = [c for c in choices if stems and iw.matches(c, stems) == len(stems)]
            picked = hits[0] if len(hits) == 1 else None
        if picked is None:
            return self.d.say(ctx, f"{iw.say('change_pick_again')} {self._options(ctx, choices, iw)}", TurnOutcome.AMBIGUOUS)
        return self._ready(ctx, ch, picked, iw)

    def _submit(self, ctx, ch: dict, iw):
        item = Item.from_json(ch["item"])
        new = ch.get("new") or {}
        action = Action(kind=ch["action"], actor=ctx.actor, key=ctx.state.key or secrets.token_hex(12),
                        target=ch.get("target"), title=ch.get("title"),
                        start=datetime.fromisoformat(new["start"]) if new.get("start") else None,
                        end=datetime.fromisoformat(new["end"]) if new.get("end") else None,
                        all_day=bool(new.get("all_day")), tz=ctx.now.tzinfo.key,
                        item=item.id, item_kind=item.kind, before=item.to_json())
        # the action record keeps the server's time (a turn's `now` may be fixed)
        outcome = self.d.outbox.submit(action, ctx.turn.user, self.d.clock(), budget=self.d.action_budget)
        ctx.clear(last=action.key, it=ItemRef(item.kind, item.id))
        first = self.d.deliveries.confirmation(ctx.turn.user, action.key) if outcome.duplicate else None
        if first is not None:  # another «да» for this change answered first: the same answer
            return first
        if outcome.status == "queued":
            return self.d.say(ctx, iw.say("queued_change", title=item.title, workspace=self.d.ws_name(ctx)),
                              TurnOutcome.QUEUED)
        if outcome.status != "done":
            error = outcome.error or "?"
            key = "failed_changed" if ItemChanged.MARK in error else "failed_gone" if ItemNotFound.MARK in error \
                else None
            if key and ctx.lang != "ru":  # the workspace words these in Russian, like the CRM's own errors
                return self.d.say(ctx, iw.say(key, title=item.title), TurnOutcome.FAILED)
            return self.d.say(ctx, iw.say("failed_change", error=error.rstrip(".")), TurnOutcome.FAILED)
        url = outcome.created.url if outcome.created and outcome.created.url else None
        ref = f" {url}" if url else ""
        a = ch["action"]
        kw = {"title": item.title, "ref": ref}
        if a == "move":
            kw["new"] = iw.moment(ctx.ph, action.start, ctx.now, action.all_day)
            key = f"done_move_{item.kind}"
        elif a == "reassign":
            p = self.d.people.get(action.target)
            kw["new"] = ctx.ph.name(p, "datv") if p else action.target
            key = "done_reassign"
        else:
            kw["new"] = action.title
            key = f"done_{a}"
        return self.d.say(ctx, iw.say(key, **kw), TurnOutcome.DONE)


def _at(item: Item, old) -> bool:
    """The item is at the old time said: that day, that clock, or both."""
    if item.start is None:
        return False
    if old.has_date and item.start.date() != old.start.date():
        return False
    return not old.has_time or (item.start.hour, item.start.minute) == (old.start.hour, old.start.minute)


def _when_json(w) -> dict | None:
    if w is None:
        return None
    return {"start": w.start.isoformat(), "end": w.end.isoformat() if w.end else None, "all_day": w.all_day,
            "has_date": w.has_date, "has_time": w.has_time}


def _when_of(d: dict) -> When:
    return When(datetime.fromisoformat(d["start"]), datetime.fromisoformat(d["end"]) if d.get("end") else None,
                bool(d.get("all_day")), has_date=d.get("has_date", True), has_time=d.get("has_time", True))


__all__ = ["Changes", "Person"]
