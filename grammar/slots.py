"""Title and message: cut from the original text by token offsets, so a
message keeps its casing and punctuation ("привет, как дела?")."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from sekretar.core.intents import WhenKind, intent_spec
from sekretar.grammar.command import When
from sekretar.grammar.tokens import Token

_TRAIL = " \t\r\n.,;-—–"
_LEAD = " \t\r\n,;:-—–"


def cut(text: str, toks: list[Token], first: int, last: int) -> str:
    """The original text from token `first` to token `last` inclusive."""
    return text[toks[first].start:toks[last].end]


def runs(positions: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs [(a, b)] of sorted word positions."""
    out: list[tuple[int, int]] = []
    for p in positions:
        if out and out[-1][1] == p - 1:
            out[-1] = (out[-1][0], p)
        else:
            out.append((p, p))
    return out


def trim(words: list[int], norms: list[str], edge: frozenset[str]) -> list[int]:
    """Drop connecting words at both ends ("и", "пожалуйста", "and")."""
    a, b = 0, len(words)
    while a < b and norms[words[a]] in edge:
        a += 1
    while b > a and norms[words[b - 1]] in edge:
        b -= 1
    return words[a:b]


def tidy(s: str) -> str | None:
    s = " ".join(s.split()).strip(_LEAD).rstrip(_TRAIL).strip()
    if s[-2:] in ("?.", "!."):
        s = s[:-1]
    return s or None


def midnight(d: datetime) -> datetime:
    return d.replace(hour=0, minute=0, second=0, microsecond=0)


def shape_when(span, intent: str | None, task_default_hour: int = 12, *, periods: bool = False) -> When | None:
    """A `DateSpan` (or a `When`) → the `When` the intent's conventions give
    (its `when:` in sekretar/core/intents.yaml): a point intent's (a task's)
    day-only deadline at `task_default_hour`:00; any other's (an event's, a
    message's, a non-command's) day-only date all day; a span intent's (an
    event's) end from a length said ("на два часа"). `periods`: where nothing
    decides (no intent, a query), a period said is the answer."""
    spec = intent_spec(intent)
    return shape_day(span, spec is not None and spec.point, task_default_hour,  # said alone, a length ends it too
                     length=(spec.when == WhenKind.SPAN) if spec is not None else periods, periods=periods)


def shape_day(span, point: bool, task_default_hour: int = 12, *, length: bool = False,
              periods: bool = False) -> When | None:
    """The day-only date rule, the one copy of it. `point`: a day said alone
    is a deadline at `task_default_hour`:00; else it is all day [day 00:00,
    day after the last day 00:00). A time said is kept as it is. `length`:
    a length said ends the span ("в 10 на два часа": 10:00-12:00, "отпуск на
    три дня": three whole days). `periods`: a period said is the answer
    ("на прошлой неделе": that week, "в четверг под вечер": 17:00-24:00)
    rather than the point a task or an event takes from it."""
    if span is None:
        return None
    if isinstance(span, When):  # already shaped once (the dialog's agreed time)
        period, end_has_time, all_day = None, span.has_time, span.all_day
    else:  # a grammar.dates.DateSpan
        if span.timeless:
            return None
        period, end_has_time, all_day = span.period, span.end_has_time, span.all_day
    kind, grain, said_length, rrule = span.kind, span.grain, span.duration, span.rrule
    start, end = span.start, span.end
    has_date, has_time = span.has_date, span.has_time
    if isinstance(span, When) and all_day:  # already shaped: [day, day after) all day
        if not point:
            return span
        start = midnight(start).replace(hour=task_default_hour)
        return When(start, None, False, True, False, None, grain, said_length, rrule)
    if periods and period is not None and not point and not rrule:
        first, after = period
        whole = first.hour == 0 and first.minute == 0 and after.hour == 0 and after.minute == 0
        return When(first, after, whole, has_date, not whole, "interval", grain, said_length, rrule)
    day_only = all_day or (has_date and not has_time)
    if end is not None:
        kind = "interval"
    if point:
        if day_only:
            start = midnight(start).replace(hour=task_default_hour)
            if end is not None and not end_has_time:
                end = midnight(end).replace(hour=task_default_hour)
            return When(start, end, False, has_date, False, kind, grain, said_length, rrule)
        return When(start, end, False, has_date, has_time, kind, grain, said_length, rrule)
    if day_only and not (end is not None and end_has_time):
        last = end if end is not None else start
        after = midnight(last) + timedelta(days=1)
        if end is None and length and said_length is not None and said_length >= timedelta(days=1):
            after = midnight(start) + timedelta(days=max(1, said_length.days))  # "отпуск на три дня"
        return When(midnight(start), after, True, has_date, False, "interval" if kind is None else kind,
                    grain, said_length, rrule)
    if length and end is None and said_length is not None and has_time:
        end = start + said_length
        kind = "interval"
    return When(start, end, False, has_date, has_time, kind, grain, said_length, rrule)


def _standard(d: datetime) -> timedelta | None:
    off, dst = d.utcoffset(), d.dst()
    return None if off is None else off - (dst or timedelta(0))


def pin_past(when: When | None, now: datetime) -> When | None:
    """A date before `now`, in a zone whose standard offset has changed since,
    is read at today's standard offset (plus its own daylight saving): the
    wall-clock time said keeps today's meaning. "12 апреля 2012 года в 12:00"
    said in Moscow today is 12:00+03:00, though Moscow was UTC+4 in
    2011-2014. Daylight saving alone never moves a date; dates from now on
    keep the zone's rules as they are."""
    if when is None or (when.start >= now and (when.end is None or when.end >= now)):
        return when  # nothing before now: the common case, no offsets to look up
    now_std = _standard(now)

    def pin(d: datetime | None) -> datetime | None:
        if d is None or d >= now or now_std is None:
            return d
        std = _standard(d)
        if std is None or std == now_std:
            return d
        return d.replace(tzinfo=timezone(now_std + (d.dst() or timedelta(0))))

    start, end = pin(when.start), pin(when.end)
    if start is when.start and end is when.end:
        return when
    return replace(when, start=start, end=end)
