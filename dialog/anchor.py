"""A task or an event timed by an item of the calendar: "созвон после
планёрки", "a call an hour after the standup" (grammar: `Command.anchor`).

The item is found the way a change finds its item (dialog/change.py): the
speaker's events by the words of their titles (`ItemWords.matching`), from
now on (a day said: that day only), the first day that has one; several
that day are asked about («После какой: 1) … 2) …?»), none is said so and
the time asked («Не нашла планёрки в вашем календаре … На когда?»). Its end
(plus an offset said, «через час после») is the event's start (lasting the
length said, else SEKRETAR_EVENT_MINUTES) or the task's deadline, and the
confirmation says where that time came from («…, после планёрки?»).

The anchor is kept in `Pending.anchor` (JSON as it is): ref, said, offset and
length (seconds), day (ISO date), choices (items as `Item.to_json`), at (the
start it gave). A state that does not read drops the anchor, nothing else.
Hooks: `take` (dialog/asking.py, a new command or an answer), `resolve`
(before the slots are asked), `picked` (the answer to «После какой?»),
`note` (dialog/render.py).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sekretar.dialog.itemwords import item_words
from sekretar.dialog.pending import Pending, fit_when
from sekretar.dialog.steps import Step, TurnOutcome
from sekretar.grammar.command import When

from sekretar.core.intents import WhenKind
from sekretar.core.types import Item, Reply

AHEAD_DAYS = 30
MAX_PICK = 5


def take(p: Pending, cmd, keep_day: When | None = None) -> bool:
    """The anchor `cmd` says, where `p` has a time and `cmd` says no clock
    of its own ("завтра после планёрки": that day; a correction «нет, после
    планёрки» keeps the day agreed, `keep_day`); True if taken."""
    a = cmd.anchor
    if a is None or not p.spec.has("when") or (cmd.when is not None and cmd.when.has_time):
        return False
    day = cmd.when.start.date().isoformat() if cmd.when is not None and cmd.when.has_date else \
        keep_day.start.date().isoformat() if keep_day is not None else None
    p.anchor = {"ref": a.ref, "said": a.said, "day": day, "relation": "before" if a.relation == "before" else "after",
                "offset": int(a.offset.total_seconds()) if a.offset else None,
                "length": int(a.length.total_seconds()) if a.length else None}
    p.when = None
    return True


def _valid(a) -> bool:
    return (isinstance(a, dict) and isinstance(a.get("ref"), str) and isinstance(a.get("said"), str)
            and all(a.get(k) is None or isinstance(a[k], int) and 0 <= a[k] <= 7 * 86400 for k in ("offset", "length"))
            and (a.get("day") is None or isinstance(a["day"], str)) and a.get("relation") in (None, "after", "before")
            and isinstance(a.get("choices") or [], list))


def resolve(d, ctx, p: Pending) -> Reply | None:
    """Find the anchor of `p` (no time of its own yet) and take its end;
    None when done (or nothing to do), else the question asked."""
    a = p.anchor
    if a is None or p.when is not None:
        return None
    if not _valid(a):
        p.anchor = None
        return None
    iw = item_words(ctx.lang)
    if a.get("choices"):  # asked again (after «помощь»): the same question with its list
        try:
            found = [Item.from_json(x) for x in a["choices"]]
        except (KeyError, TypeError, ValueError):
            p.anchor = None
            return None
        return _ask_pick(d, ctx, p, found, iw)
    try:
        day = date.fromisoformat(a["day"]) if a.get("day") else None
    except ValueError:
        day = None
    if day is not None:
        start = ctx.now.replace(year=day.year, month=day.month, day=day.day, hour=0, minute=0, second=0, microsecond=0)
        end = start + timedelta(days=1)
        where = iw.say("change_where_events_on", when=iw.on_day(ctx.ph, start, ctx.now))
    else:
        start = ctx.now.replace(hour=0, minute=0, second=0, microsecond=0)
        end = start + timedelta(days=AHEAD_DAYS)
        where = iw.say("change_where_events", d1=ctx.ph.date(start, ctx.now), d2=ctx.ph.date(end, ctx.now))
    found = _first_day(d, ctx, a, start, end, iw, future=day is None)
    if not found:
        p.anchor = None
        ctx.keep(p, Step.SLOT, ask="when")
        ref = _genitive(d.morph, a["ref"]) if ctx.lang == "ru" and a.get("relation") == "before" else a["ref"]
        return d._say(ctx, iw.say("anchor_none", ref=ref, where=where), TurnOutcome.NOT_FOUND,
                      buttons=ctx.lex.say("buttons_cancel"))
    if len(found) > 1:
        a["choices"] = [i.to_json() for i in found[:MAX_PICK]]
        return _ask_pick(d, ctx, p, found[:MAX_PICK], iw)
    place(d, ctx, p, found[0])
    return None


def _ask_pick(d, ctx, p: Pending, found: list[Item], iw, again: bool = False) -> Reply:
    ctx.keep(p, Step.SLOT, ask="when")
    key = ("anchor_pick_again" if again else "anchor_pick") + ("_before" if p.anchor.get("relation") == "before" else "")
    return d._say(ctx, iw.say(key, options=iw.options(ctx.ph, found, ctx.now)), TurnOutcome.AMBIGUOUS)


_PREPS = frozenset({"с", "со", "по", "о", "об", "про", "для", "насчет", "насчёт"})


def _genitive(morph, ref: str) -> str:
    """«перед планёркой отдела» → «планёрки отдела»: «Не нашла …» takes the
    genitive (the words up to a preposition, from the instrumental)."""
    if morph is None:
        return ref
    words = ref.split()
    for n, w in enumerate(words):
        if w.lower() in _PREPS:
            break
        p = next((x for x in morph.parse(w.lower()) if x.tag.case == "ablt"), None) if w.isalpha() else None
        g = p.inflect({"gent"}) if p is not None else None
        if g is None:
            break
        word = g.word if "ё" in w.lower() else g.word.replace("ё", "е")
        words[n] = word.capitalize() if w[:1].isupper() else word
    return " ".join(words)


def _end(d, i: Item) -> datetime:
    return i.end or i.start + timedelta(minutes=d.settings.event_default_minutes)


def _first_day(d, ctx, a: dict, start: datetime, end: datetime, iw, future: bool) -> list[Item]:
    """The matching events of the first day that has any (ending after now,
    or for "before" starting after now, unless a day was said), in the order
    of their start."""
    before = a.get("relation") == "before"
    items = [i for i in d.workspace.events(start, end, ctx.actor, ctx.actor)
             if i.start is not None and not i.all_day and (not future or (i.start if before else _end(d, i)) > ctx.now)]
    items = sorted(iw.matching(items, iw.stems(a["ref"])), key=lambda i: i.start)
    if not items:
        return []
    first = items[0].start.astimezone(ctx.now.tzinfo).date()
    return [i for i in items if i.start.astimezone(ctx.now.tzinfo).date() == first]


def place(d, ctx, p: Pending, item: Item) -> None:
    """`p`'s time from `item`'s end: an event starts there, a task is due
    then; "before": from its start, an event ending there."""
    a = p.anchor
    offset = timedelta(seconds=a.get("offset") or 0)
    length = timedelta(seconds=a.get("length") or d.settings.event_default_minutes * 60)
    span = p.spec.when == WhenKind.SPAN
    if a.get("relation") == "before":
        at = (item.start - offset).astimezone(ctx.now.tzinfo)
        start, end = (at - length, at) if span else (at, None)
    else:
        start = (_end(d, item) + offset).astimezone(ctx.now.tzinfo)
        end = start + length if span else None
    p.when = When(start, end, False)
    a.pop("choices", None)
    a["at"], a["title"] = start.isoformat(), item.title


def picked(d, ctx, p: Pending, text: str) -> Reply:
    """The answer to «После какой: 1) …; 2) …?»: a number, words of a title,
    the item's time; a time of its own instead; or a new command."""
    a, iw = p.anchor, item_words(ctx.lang)
    try:
        if not _valid(a):
            raise ValueError("a forged anchor")
        choices = [Item.from_json(x) for x in a["choices"]]
        if any(c.start is None for c in choices):
            raise ValueError("an item without a time")
    except (KeyError, TypeError, ValueError):
        p.anchor = None
        return d._advance(ctx, p, TurnOutcome.ASKED)
    cmd = d._parse(ctx, text)
    if cmd.intent is not None:
        return d._command(ctx, cmd)
    n = ctx.lex.ordinal(text)
    item = None
    if n is not None and -len(choices) <= n <= len(choices) and n != 0:
        item = choices[n - 1 if n > 0 else n]
    if item is None:
        stems = iw.stems(text)
        hits = [c for c in choices if stems and iw.matches(c, stems) == len(stems)]
        item = hits[0] if len(hits) == 1 else None
    when = d._parse(ctx, text, "when").when if item is None else None
    if item is None and when is not None and when.has_time:
        hits = [c for c in choices if c.start.astimezone(ctx.now.tzinfo).strftime("%H:%M") == when.start.strftime("%H:%M")]
        item = hits[0] if len(hits) == 1 else None
        if item is None:  # a time of its own: "нет, давай в 16"
            p.anchor = None
            p.when = fit_when(p.intent, None, when, d.settings.task_default_hour)
            return d._advance(ctx, p, TurnOutcome.ASKED)
    if item is None:
        return _ask_pick(d, ctx, p, choices, iw, again=True)
    place(d, ctx, p, item)
    a["picked"] = True  # the confirmation names the one picked: «после «Планёрка проекта»»
    return d._advance(ctx, p, TurnOutcome.ASKED)


def note(p: Pending, lang: str) -> str:
    """", после планёрки": said after the time the anchor gave (not once the
    time was corrected to another)."""
    a = p.anchor
    if not a or not a.get("at") or p.start is None or p.start.isoformat() != a["at"]:
        return ""
    said, ref, title = str(a.get("said") or ""), str(a.get("ref") or ""), a.get("title")
    if a.get("picked") and isinstance(title, str) and ref and ref in said:
        quoted = f"«{title}»" if lang == "ru" else f"“{title}”"
        said = said.replace(ref, quoted, 1)
    return f", {said}" if said else ""


__all__ = ["take", "resolve", "picked", "place", "note"]
