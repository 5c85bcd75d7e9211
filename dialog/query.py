"""A question about the calendar or the tasks, answered at once (no
confirmation): the agenda of a day or period, free/busy at a time, the next
meeting with someone, my tasks / overdue ones / the ones I gave someone /
someone's. Read through the workspace (`events`, `tasks`) with the linked
person as the viewer: another person's items only as the CRM lets them see.

The spoken answer is short: a count, the first three items with their times,
then "ещё пять — рассказать?" (the rest waits in the state: "да" reads on);
the text lists more, with links where the workspace gives them, within
Alice's 1024 characters. An empty day is said as such."""
from __future__ import annotations

from datetime import datetime, timedelta

from sekretar.dialog.itemwords import item_words
from sekretar.dialog.phrasing import for_speech

from sekretar.core.errors import WorkspaceError
from sekretar.core.types import Item, Person

SPOKEN = 3        # items read aloud at once
TEXT_LIMIT = 1000  # characters of a text answer (Alice takes 1024)
AHEAD_DAYS = 60   # "ближайшая встреча": how far ahead to look


class Answer:
    def __init__(self, text: str, tts: str, outcome: str = "answered", items: list[Item] | None = None,
                 more: list[str] | None = None, choices: list[str] | None = None):
        self.text, self.tts, self.outcome, self.items, self.more = text, tts, outcome, items or [], more or []
        self.choices = choices or []  # namesakes asked about: their ids


class Questions:
    def __init__(self, workspace, people, settings):
        self.ws = workspace
        self.people = people
        self.settings = settings

    def answer(self, ctx, cmd, whose: Person | None = None) -> Answer:
        """`whose`: the person already picked among namesakes."""
        iw = item_words(ctx.lang)
        det = cmd.detail
        if whose is None:
            whose, reply = self._whose(ctx, cmd.recipient, iw)
            if reply is not None:
                return reply
        elif whose.id == ctx.actor:
            whose = None
        try:
            if det is not None and det.free:
                return self._free(ctx, cmd, whose, iw)
            if det is not None and det.next:
                return self._next(ctx, cmd, whose, iw)
            return self._agenda(ctx, cmd, whose, iw)
        except WorkspaceError as exc:
            text = iw.say("denied", error=str(exc).rstrip("."))
            return Answer(text, for_speech(text), "unavailable")

    # --- whose -------------------------------------------------------------------
    def _whose(self, ctx, recipient, iw) -> tuple[Person | None, Answer | None]:
        if recipient is None or recipient.self:
            return None, None
        found = self.people.match(recipient)
        if len(found) == 1:
            return (None if found[0].id == ctx.actor else found[0]), None
        if not found:
            who = ctx.ph.name(Person("?", recipient.first, recipient.last, recipient.middle), "gent")
            text = iw.say("whose_unknown", who=who)
        else:
            text = iw.say("whose_many", options=ctx.ph.options(found[:5], "accs"))
        return None, Answer(text, for_speech(text), "ambiguous" if found else "not_found",
                            choices=[p.id for p in found[:5]])

    def _names(self, ctx, person: Person | None, iw) -> dict:
        if person is None:
            return {"whose": iw.say("me"), "whose_have": "you have"}
        return {"whose": ctx.ph.name(person, "gent"), "whose_have": f"{ctx.ph.name(person)} has"}

    # --- periods -----------------------------------------------------------------
    @staticmethod
    def _window(ctx, cmd, default_days: int = 1) -> tuple[datetime, datetime, bool]:
        """[start, end) asked about, and whether it was said."""
        w = cmd.when
        if w is not None:
            end = w.end or (w.start + timedelta(hours=1) if w.has_time else w.start + timedelta(days=1))
            return w.start, end, True
        day = ctx.now.replace(hour=0, minute=0, second=0, microsecond=0)
        return day, day + timedelta(days=default_days), False

    def _events(self, ctx, start, end, person: Person | None) -> list[Item]:
        owner = person.id if person else ctx.actor
        return self.ws.events(start, end, owner, ctx.actor)

    # --- the three kinds of question -------------------------------------------------
    def _agenda(self, ctx, cmd, person, iw) -> Answer:
        det = cmd.detail
        overdue = bool(det and det.overdue)
        start, end, said = self._window(ctx, cmd, default_days=1 if cmd.about != "tasks" else 0)
        names = self._names(ctx, person, iw)
        events, tasks = [], []
        if cmd.about in (None, "events") and not overdue:
            if not said and cmd.about == "events":
                end = start + timedelta(days=7)
            events = self._events(ctx, start, end, person)
            events = self._filter(events, det, iw, cmd)
        if cmd.about in (None, "tasks") or overdue:
            tasks = self._tasks(ctx, cmd, person, start, end, said, overdue)
            tasks = self._filter(tasks, det, iw, cmd)
        items = events + tasks
        one_day = said and end - start <= timedelta(days=1) or not said and cmd.about != "tasks" and \
            end - start <= timedelta(days=1)
        when = iw.period(ctx.ph, start, end, ctx.now) if (said or cmd.about != "tasks") else ""
        if not said and cmd.about == "events":
            when = iw.say("upcoming")
        if not items:
            return self._empty(ctx, cmd, iw, names, when, said, overdue, start, end)
        head = self._head(ctx, cmd, iw, names, when, said, overdue, events, tasks)
        who = (lambda t: self._person_name(ctx, t.owner, "datv")) if det and det.scope == "given" else None
        lines = [iw.line(ctx.ph, i, ctx.now, one_day, who(i) if who else None) for i in items]
        return self._say_list(ctx, iw, head, lines, items)

    def _tasks(self, ctx, cmd, person, start, end, said, overdue) -> list[Item]:
        det = cmd.detail
        scope = det.scope if det else "own"
        them = person.id if person else None
        if scope == "given":
            kw = {"creator": ctx.actor, "responsible": them}
        elif scope == "from":
            kw = {"responsible": ctx.actor, "creator": them}
        else:
            kw = {"responsible": them or ctx.actor}
        if said and not overdue:
            kw.update(due_from=start, due_to=end)
        if overdue:  # open and past the deadline, by the turn's clock (the one "завтра" means by)
            kw.update(due_to=ctx.now)
        status = "done" if det and det.done else "open"
        return self.ws.tasks(ctx.actor, status=status, **kw)

    @staticmethod
    def _filter(items, det, iw, cmd) -> list[Item]:
        stems = iw.stems(" ".join(det.words)) if det and det.words else []
        if stems:
            items = [i for i in items if iw.matches(i, stems) == len(stems)]
        for r in cmd.participants:
            name = iw.stems(" ".join(x for x in (r.first, r.last) if x))
            items = [i for i in items if iw.matches(i, name)]
        return items

    def _head(self, ctx, cmd, iw, names, when, said, overdue, events, tasks) -> str:
        if overdue:
            return _cap(iw.say("count_tasks", count=iw.count(len(tasks), "task"), when="",
                               **names)) + f" ({iw.say('overdue')})"
        if cmd.about == "tasks":
            return _cap(iw.say("count_tasks", count=iw.count(len(tasks), "task"),
                               when=f" ({when})" if said else "", **names))
        parts = [iw.count(len(x), k) for x, k in ((events, "event"), (tasks, "task")) if x]
        joined = (" и " if ctx.lang == "ru" else " and ").join(parts)
        return _cap(iw.say("count_events", when=when, count=joined, **names))

    def _empty(self, ctx, cmd, iw, names, when, said, overdue, start, end) -> Answer:
        if cmd.about == "tasks" or overdue:
            what = iw.say("overdue_word") if overdue else ""
            text = iw.say("empty_tasks", what=what, when=f" ({when})" if said and when else "", **names)
        elif cmd.about == "events":
            key = "empty_events" if end - start <= timedelta(days=1) else "empty_period"
            text = iw.say(key, when=when, **names)
        else:
            text = iw.say("empty_both", when=when, **names)
        text = _cap(text)
        return Answer(text, for_speech(text), "answered")

    def _say_list(self, ctx, iw, head: str, lines: list[str], items: list[Item]) -> Answer:
        spoken = lines[:SPOKEN]
        rest = lines[SPOKEN:]
        tts = f"{head}: " + "; ".join(spoken) + "."
        if rest:
            tts += " " + iw.say("more_ask", more=_cap(iw.count(len(rest), "more")))
        text = f"{head}:"
        shown = 0
        for line, item in zip(lines, items):
            entry = f"\n{shown + 1}. {line}" + (f" {item.url}" if item.url else "")
            if len(text) + len(entry) > TEXT_LIMIT:
                break
            text += entry
            shown += 1
        if shown < len(lines):
            text += "\n" + iw.say("more_ask", more=_cap(iw.count(len(lines) - shown, "more")))
        return Answer(text, for_speech(tts), "answered", items, rest)

    def _person_name(self, ctx, pid, case) -> str:
        p = self.people.get(pid) if pid else None
        return ctx.ph.name(p, case) if p else str(pid)

    def _free(self, ctx, cmd, person, iw) -> Answer:
        start, end, said = self._window(ctx, cmd)
        if cmd.when is not None and cmd.when.has_time and cmd.when.end is None:
            end = start + timedelta(minutes=self.settings.event_default_minutes)
        busy = self._events(ctx, start, end, person)
        when = iw.moment(ctx.ph, start, ctx.now) if cmd.when is not None and cmd.when.has_time \
            else iw.period(ctx.ph, start, end, ctx.now)
        names = self._names(ctx, person, iw)
        if not busy:
            text = iw.say("free_yes" if person is None else "free_yes_other", when=when, **names)
        else:
            what = "; ".join(iw.line(ctx.ph, i, ctx.now, True) for i in busy[:3])
            text = iw.say("free_no" if person is None else "free_no_other", when=when, what=what, **names)
        text = _cap(text)
        return Answer(text, for_speech(text), "answered", busy)

    def _next(self, ctx, cmd, person, iw) -> Answer:
        start = ctx.now
        events = self._filter(self._events(ctx, start, start + timedelta(days=AHEAD_DAYS), person),
                              cmd.detail, iw, cmd)
        events = [e for e in events if e.start is not None and e.start >= start - timedelta(minutes=1)]
        if not events:
            with_ = ""
            if cmd.participants:
                r = cmd.participants[0]
                with_ = (" с " if ctx.lang == "ru" else " with ") + \
                    ctx.ph.name(Person("?", r.first, r.last), "ablt")
            text = iw.say("next_none", with_=with_)
            return Answer(text, for_speech(text), "answered")
        e = events[0]
        text = iw.say("next_one", title=e.title, when=iw.moment(ctx.ph, e.start, ctx.now, e.all_day))
        return Answer(text + (f" {e.url}" if e.url else ""), for_speech(text), "answered", [e])


def _cap(s: str) -> str:
    s = s.strip()
    return s[:1].upper() + s[1:]
