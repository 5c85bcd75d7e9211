"""What a command carries besides its slots, in the dialog: an event's people,
found in the directory like a recipient (one match is invited, namesakes are
asked about with the pick question, nobody found is said in the
confirmation), the words for its repetition and an event's or a task's
reminder ("каждую среду в 9:00, начиная с 27 марта", "с напоминанием за 15
минут"), and what the workspace cannot keep (`Workspace.carries`: said before
«да», never claimed after). The words are in dialog/data/<lang>.yaml
`say/extras`."""
from __future__ import annotations

from sekretar.dialog.lexicon import plural
from sekretar.dialog.pending import Pending
from sekretar.dialog.phrasing import translit
from sekretar.dialog.steps import Step, TurnOutcome

from sekretar.core.text import fold
from sekretar.core.types import Person, rrule_form, rrule_parts

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def next_participant(machine, ctx, p: Pending):
    """Resolve the participants still to find; a Reply when one has namesakes
    (Step.PICK with `p.picking_participant`), else None."""
    while p.participants:
        r = p.participants[0]
        if r.self:
            p.participants.pop(0)
            continue
        found = machine.people.match(r)
        if len(found) == 1:
            take(p, found[0].id, ctx.actor)
            continue
        if found:
            p.choices, p.picking_participant = [x.id for x in found], True
            ctx.keep(p, Step.PICK)
            return machine._say(ctx, ctx.ph.pick_question(found), TurnOutcome.AMBIGUOUS,
                                buttons=machine._pick_buttons(ctx, found))
        p.unknown.append(ctx.ph.name(Person("?", r.first, r.last, r.middle)))
        p.participants.pop(0)
    return None


def take(p: Pending, person_id: str, actor: str | None = None) -> None:
    """The first participant still to find is `person_id`."""
    if p.participants:
        p.participants.pop(0)
    if person_id != actor and person_id not in p.invited:
        p.invited.append(person_id)
    p.choices, p.picking_participant = [], False


# a reminder's lead in the largest whole unit: minutes in each
UNITS = (("week", 7 * 24 * 60), ("day", 24 * 60), ("hour", 60), ("minute", 1))


def lead(lex, minutes: int) -> str:
    """A reminder's lead in words: "15 минут", "1 час", "2 дня" ("15 minutes")."""
    unit, size = next((u, s) for u, s in UNITS if minutes % s == 0)
    n = minutes // size
    return f"{n} {plural(lex.lang, n, lex.say('extras/units')[unit])}"


def keeps(p: Pending, carries, extra: str) -> bool:
    """Whether the workspace keeps `extra` of `p` (carries(kind, extra); None: it does)."""
    return carries is None or carries(p.intent, extra)


def needs_deadline(p: Pending, carries=None) -> bool:
    """A reminder said with a task that has no deadline yet (it counts back
    from one), where the workspace would keep it: the deadline is asked."""
    return bool(p.remind) and p.spec.has("when") and p.when is None and keeps(p, carries, "remind")


def repeats(p: Pending, carries) -> bool:
    """A repetition said that the workspace keeps in its form ("rrule:nth_weekday"...)."""
    return bool(p.rrule) and keeps(p, carries, rrule_form(p.rrule))


def cannot(ph, p: Pending, carries, workspace: str, now=None) -> str | None:
    """"Напоминание к задаче Битрикс24 поставить не даёт." when the reminder said
    is one the workspace cannot keep; the same for a repetition it cannot
    make ("каждый первый понедельник": one event, not repeating)."""
    notes = []
    if p.rrule and not repeats(p, carries):
        notes.append(ph.lex.say("extras/cannot_repeat", workspace=workspace,
                                repeat=repeat_words(ph, p, now, start=False)))
    if p.remind and not keeps(p, carries, "remind"):
        words = ph.lex.say("extras/cannot_remind")
        notes.append(words.get(p.intent, words["task"]).format(workspace=workspace))
    return " ".join(notes) or None


def extras(ph, p: Pending, people, carries=None) -> str:
    """", с Козловым и Орловой, с напоминанием за 15 минут" after an event's
    time or a task's deadline; only what the workspace keeps (`carries`)."""
    lex = ph.lex
    out = []
    names = [ph.name(x, "ablt") for x in (people.get(i) for i in p.invited)
             if x is not None and not _in_title(x, p.title)]
    if names:
        out.append(lex.say("extras/with", names=_join(names, lex.say("extras/and"))))
    if p.remind and p.start is not None and keeps(p, carries, "remind"):
        out.append(lex.say("extras/remind", lead=lead(lex, p.remind)))
    return (", " + ", ".join(out)) if out else ""


def _in_title(person: Person, title: str | None) -> bool:
    """"Встреча с Сергеем Ивановым": the one person an event is with is in its
    title already (the grammar keeps a single "с ..." there), not said twice."""
    words = fold(title or "").split()
    for name in (person.last, person.first):
        if name and len(name) > 2:
            for stem in (fold(name)[:-1], fold(translit(name))[:-1]):
                if stem and any(w.startswith(stem) for w in words):
                    return True
    return False


def unknown(ph, p: Pending) -> str | None:
    if not p.unknown:
        return None
    return ph.lex.say("extras/unknown", names=", ".join(p.unknown))


def repeat_words(ph, p: Pending, now, start: bool = True) -> str:
    """"каждую среду в 9:00, начиная с 27 марта" for an event's RRULE
    (`start=False`: only how it repeats, "каждый первый понедельник")."""
    lex = ph.lex
    rule = rrule_parts(p.rrule)
    freq, n = rule.get("FREQ"), int(rule.get("INTERVAL", "1") or 1)
    days = [DAYS.index(d[-2:]) for d in rule.get("BYDAY", "").split(",") if d[-2:] in DAYS]
    x = lambda key, **kw: lex.say(f"extras/{key}", **kw)
    if freq == "WEEKLY" and days:
        if days == [0, 1, 2, 3, 4] and n == 1:
            what = x("weekdays")
        elif days == [5, 6] and n == 1:
            what = x("weekends")
        elif len(days) == 1 and n == 1:
            what = x("every_day_of_week")[days[0]]
        else:
            plural = x("days_plural")
            lead = x("on_days")[days[0]].rsplit(" ", 1)[0] if lex.lang == "ru" else "on"
            what = f"{lead} {_join([plural[d] for d in days], x('and'))}"
            if n > 1:
                what = f"{x('biweekly') if n == 2 else x('every_n_weeks', n=n)} {what}"
    elif freq == "WEEKLY":
        what = x("weekly") if n == 1 else (x("biweekly") if n == 2 else x("every_n_weeks", n=n))
    elif freq == "DAILY":
        what = x("daily") if n == 1 else x("every_n_days", n=n)
    elif freq == "MONTHLY" and rule.get("BYMONTHDAY"):
        what = x("monthday", day=rule["BYMONTHDAY"])
    elif freq == "MONTHLY" and days and rule.get("BYDAY", "")[:-2]:
        nth = x("nth").get(rule["BYDAY"][:-2], rule["BYDAY"][:-2])
        what = x("nth_weekday", nth=nth, day=x("days_acc")[days[0]])
    elif freq == "MONTHLY":
        what = x("monthly") if n == 1 else (x("quarterly") if n == 3 else x("every_n_months", n=n))
    elif freq == "HOURLY":
        what = x("hourly") if n == 1 else x("every_n_hours", n=n)
    elif freq == "MINUTELY":
        what = x("every_n_minutes", n=n)
    else:
        what = x("yearly")
    start = p.start if start else None
    if start is None:
        return what
    if not p.all_day:
        what = f"{what} {x('at', time=ph.time(start))}"
    return f"{what}, {x('from', date=ph.date(start, now))}"


def _join(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


__all__ = ["cannot", "extras", "keeps", "lead", "needs_deadline", "next_participant", "repeat_words", "take",
           "unknown"]
