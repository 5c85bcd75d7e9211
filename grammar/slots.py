"""Title and message: cut from the original text by token offsets, so a
message keeps its casing and punctuation ("привет, как дела?")."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sekretar.core.intents import intent_spec
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


def shape_when(span, intent: str | None, task_default_hour: int = 12) -> When | None:
    """A `DateSpan` (or a `When`) → the `When` the intent's conventions give
    (its `when:` in sekretar/core/intents.yaml): a point intent's (a task's)
    day-only deadline at `task_default_hour`:00; any other's (an event's, a
    message's, a non-command's) day-only date all day."""
    spec = intent_spec(intent)
    return shape_day(span, spec is not None and spec.point, task_default_hour)


def shape_day(span, point: bool, task_default_hour: int = 12) -> When | None:
    """The day-only date rule, the one copy of it. `point`: a day said alone
    is a deadline at `task_default_hour`:00; else it is all day [day 00:00,
    day after the last day 00:00). A time said is kept as it is."""
    if span is None:
        return None
    if isinstance(span, When) and span.all_day:  # already shaped: [day, day after) all day
        if not point:
            return span
        start = midnight(span.start).replace(hour=task_default_hour)
        return When(start, None, False, has_date=True, has_time=False)
    start, end = span.start, span.end
    has_date, has_time = span.has_date, span.has_time
    end_has_time = getattr(span, "end_has_time", has_time)
    day_only = getattr(span, "all_day", False) or (has_date and not has_time)
    if point:
        if day_only:
            start = midnight(start).replace(hour=task_default_hour)
            if end is not None and not end_has_time:
                end = midnight(end).replace(hour=task_default_hour)
            return When(start, end, False, has_date=has_date, has_time=False)
        return When(start, end, False, has_date=has_date, has_time=has_time)
    if day_only and not (end is not None and end_has_time):
        last = end if end is not None else start
        return When(midnight(start), midnight(last) + timedelta(days=1), True,
                    has_date=has_date, has_time=False)
    return When(start, end, False, has_date=has_date, has_time=has_time)


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
    if when is None:
        return None
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
    return When(start, end, when.all_day, has_date=when.has_date, has_time=when.has_time)
