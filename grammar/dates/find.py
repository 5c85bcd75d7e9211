"""Dates and times as people say them (Russian, English): the seam between
the date rules and the parser.

`find_when(tokens, now, lang)` finds the date/time expression(s) in the
tokens and returns a `DateSpan` with the token ranges it consumed
(prepositions and markers like "на", "в", "с ... до", "сроком" included),
so the parser can cut them out of the title or message. It does not know
the intent: the parser decides what a day without a time means (a task's
deadline at 12:00, an event all day).

Conventions (a bare "в 5" is 17:00, "в пятницу" said on a Friday is a week
later, ...) are listed in docs/dates.md; the words in dates/data/<lang>.yaml;
the piece readers in dates/scan.py.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sekretar.grammar.dates.lex import date_lexicon
from sekretar.grammar.dates.split import split_tokens, unsplit_spans
from sekretar.grammar.dates.scan import ANY, STRICT, Piece, Scanner, apply_meridiem
from sekretar.grammar.tokens import Token
from sekretar.core.values import value

# a bare hour 1..7 ("в 5", "с 2 до 3") is in the afternoon: working hours
PM_BARE_HOURS = range(1, 8)


@value
class DateSpan:
    start: datetime                 # aware, in now's zone; 00:00 when no time was said
    end: datetime | None = None     # a range's end; 00:00 of the last day when no time was said
    has_date: bool = True           # a day was said (otherwise: today / next occurrence of the time)
    has_time: bool = False          # a time of day was said for start
    end_has_time: bool = False
    all_day: bool = False           # "на весь день", "for the whole day"
    spans: tuple[tuple[int, int], ...] = ()  # token index ranges [i, j) consumed
    # the time value (docs/dates.md "The time value")
    kind: str | None = None         # before | after (an open bound at start); None: a point or a range
    grain: str | None = None        # minute | hour | day | week | month | quarter | year
    period: tuple[datetime, datetime] | None = None  # the period said, when a point is not what was said
    duration: timedelta | None = None
    rrule: str | None = None        # RFC 5545; start is the first occurrence
    lead: timedelta | None = None   # a reminder ahead ("за 15 минут")
    timeless: bool = False          # only a length or a reminder was said: no time at all
    length_spans: tuple[tuple[int, int], ...] = ()  # the tokens of a length said on its own ("на неделю")
    about_spans: tuple[tuple[int, int], ...] = ()   # "за прошлый месяц": a period a title may be about
    about: bool = False             # the time said is only such a period
    alone: bool = False             # read only because it was all that was said ("April", "Mon", "2020")


def _at(day: date, hm: tuple[int, int] | None, tz) -> datetime:
    h, m = hm or (0, 0)
    if h >= 24:
        day, h = day + timedelta(days=1), h - 24
    if hasattr(tz, "localize"):  # pytz
        return tz.localize(datetime(day.year, day.month, day.day, h, m))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=tz)


def _hour(p: Piece) -> tuple[int, int] | None:
    """The piece's time with the part of the day and the working-hours rule applied."""
    if p.hm is None:
        return p.daypart_hm
    h, m = p.hm
    if p.bare:
        if p.daypart:
            h = apply_meridiem(h, p.daypart)
        elif h in PM_BARE_HOURS:
            h += 12
    return h, m


def _fix_range_hours(a: Piece, b: Piece) -> None:
    """"from 2 to 3 pm": the end's am/pm carries to a bare start; a bare end
    before the start moves to the afternoon ("с 11 до 1")."""
    same_day = a.day == b.day
    if same_day and a.hm and b.hm and a.bare and not a.daypart and b.meridiem and a.hm[0] <= 12:
        h = apply_meridiem(a.hm[0], b.meridiem)
        if h <= b.hm[0]:
            a.hm, a.bare = (h, a.hm[1]), False
    if same_day and a.hm and b.hm and b.bare and not b.daypart:
        # the first of (as said, +12h) after the start; else as said (next day)
        ah, bh = _hour(a), b.hm
        later = [c for c in (bh, (bh[0] + 12, bh[1])) if c[0] < 24 and c > ah]
        b.hm, b.bare = (later[0] if later else bh), False


def _fix_range_days(a: Piece, b: Piece) -> None:
    """"с 12 по 15 декабря": a lone number or a day without a month takes the
    end's month; a time-only side takes the other side's day."""
    if b.day and b.month_said and not a.day and a.lone is not None and not b.hm and not a.daypart:
        a.partial_day, a.hm, a.bare, a.lone, a.grain = a.lone, None, False, None, "day"
    if a.partial_day and b.day and b.month_said and not a.month_said:
        try:
            d = b.day.replace(day=a.partial_day)
        except ValueError:
            d = None
        if d and d > b.day:  # "с 28 по 3 апреля": the month before
            prev = b.day.replace(day=1) - timedelta(days=1)
            d = prev.replace(day=a.partial_day) if a.partial_day <= prev.day else None
        a.day = d or a.day
    if a.day and a.month_said and b.lone is not None and not b.day and b.lone <= 31:
        try:  # "Jan 3-5": the end's day number in the start's month
            b.day, b.hm, b.lone, b.bare, b.grain = a.day.replace(day=b.lone), None, None, False, "day"
        except ValueError:
            pass
    if a.day and a.month_said and b.partial_day and not b.month_said:
        try:  # "Jan 3 through the 5th"
            b.day = a.day.replace(day=b.partial_day)
        except ValueError:
            pass
    if a.day and b.day and b.day < a.day and (a.day - b.day).days < 7 and not b.month_said:
        b.day += timedelta(days=7)  # "с пятницы по вторник": the Tuesday after
    if a.day and not b.day:
        b.day = a.day
    elif b.day and not a.day and a.hm:
        a.day = b.day


def _repeat_from(a: Piece, bound: Piece) -> None:
    """A repetition's first occurrence from a day on: the first day the rule
    holds from the bound's first day ("начиная со следующей недели": its
    Monday; "starting May 3": that day)."""
    first = bound.period[0] if bound.period else bound.day
    a.day = a.repeat.first_on_or_after(first)
    a.spans = list(a.spans) + list(bound.spans or [(bound.start, bound.end)])
    a.end = max(a.end, bound.end)


def _merge_spans(spans) -> tuple[tuple[int, int], ...]:
    if len(spans) == 1:  # most times said are one run of words
        (s, e), = spans
        return ((s, e),)
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def find_when(tokens: list[Token], now: datetime, lang: str = "ru", *,
              answer: bool = False, lengths: bool = False) -> DateSpan | None:
    """The date/time said in `tokens`, or None.

    `lengths=True` also returns a span when only a length or a reminder
    was said ("встреча на 5 минут": `timeless`, so the parser can cut it
    from the title); without it that is no time (None).

    `answer=True` reads a reply to the dialog's question ("Во сколько?" →
    "пять", "На какое число?" → "двенадцатое"): a lone number is an hour and
    a lone ordinal a day of the month, as if "в"/"на" had been said.
    """
    lex = date_lexicon(lang)
    tokens, back = split_tokens(tokens)
    sc = Scanner(tokens, now, lex)
    level = ANY if answer else STRICT
    start: Piece | None = None
    end: Piece | None = None
    about: list[tuple[int, int]] = []
    i, n = 0, len(tokens)
    starts, w = lex.starts, sc.w  # may_start's per-word memo, read inline on the hot path
    leads = lex.lead_pairs
    while i < n:
        if not (starts.get(w[i]) or sc.may_start(i)):
            i += 1
            continue
        if w[i] in leads and not (i + 1 < n and (sc.may_start(i + 1) or w[i + 1] in leads[w[i]])):
            i += 1  # "a task", "the report", "new task": an article reads nothing with a word like that
            continue
        r = sc.range(i) if end is None else None
        if r:
            a, b, s, e = r
            if start is None or (start.compatible(a) and not start.hm and not start.moment):
                if start is not None:
                    start.merge(a)
                    a = start
                a.spans = list(a.spans) + [(s, e)]
                start, end = a, b
                i = e
                continue
        p = sc.point(i, level)
        if p is None:
            i += 1
            continue
        if p.about and start is not None:  # a command's other time wins over "за прошлый месяц"
            about.extend(p.spans)
        elif start is not None and start.about and not p.extra_only and end is None:
            about.extend(start.spans)
            start = p
        elif start is None:
            start = p
        elif end is None and start.kind == "after" and p.kind == "before" and not p.extra_only:
            end = p  # "не раньше 10 и не позже 12", "no earlier than 10 and no later than noon"
            start.kind = p.kind = None
            start.spans = list(start.spans) + [(start.end, p.start)]
        elif start.repeat and p.kind in ("after", "from") and p.hm is None and (p.period or p.day) and not p.repeat:
            _repeat_from(start, p)  # "каждую среду начиная со следующей недели", "every Monday starting May"
        elif start.compatible(p):
            start.merge(p)
        elif end is not None and end.compatible(p) and p.extra_only:
            end.merge(p)
        i = p.end
    if start is None:
        return None
    span = _resolve(start, end, now)
    if span.timeless and not lengths:
        return None
    if start.about or about:
        span = replace(span, about=start.about,
                       about_spans=_merge_spans(about + (list(start.spans) if start.about else [])))
    used = [(a, b) for a, b in sc.length_spans if any(s <= a and b <= e for s, e in span.spans)]
    if used:
        span = replace(span, length_spans=_merge_spans(used))
    if sc.alone_read:
        span = replace(span, alone=True)
    if back is not None:
        span = replace(span, **{k: unsplit_spans(getattr(span, k), back)
                                for k in ("spans", "length_spans", "about_spans")})
    return span


@lru_cache(maxsize=64)
def _zone(name: str):
    return ZoneInfo(name)


def _grain(a: Piece, has_time: bool) -> str:
    if a.moment is not None:
        return a.grain or "minute"
    if has_time and a.hm is None:
        return "hour"  # a part of the day
    if has_time:
        return a.grain if a.grain in ("minute", "hour") else "minute"
    return a.grain or "day"


def _resolve(a: Piece, b: Piece | None, now: datetime) -> DateSpan:
    tz = now.tzinfo
    inclusive = a.kind == "from"  # "starting next week", "since Monday": from its start on (an after bound)
    a.kind = "after" if inclusive else a.kind
    if b is not None:
        _fix_range_days(a, b)
        _fix_range_hours(a, b)
    spans = _merge_spans(a.spans + (b.spans if b else []))
    extra = dict(kind=a.kind if b is None else None, duration=a.duration or (b.duration if b else None),
                 rrule=a.repeat.rrule() if a.repeat else None, lead=a.lead)
    if a.moment is not None:
        return DateSpan(a.moment, None, True, True, False, a.all_day, spans, grain=_grain(a, True), **extra)
    if a.extra_only:  # only a length or a reminder: no time (the parser still cuts it: lengths=True)
        return DateSpan(now, None, False, False, False, False, spans, timeless=True, **extra)
    hm = _hour(a)
    has_time = hm is not None and not (a.all_day and a.hm is None and a.daypart is None)
    zone = _zone(a.zone) if a.zone and has_time else None
    day = a.day
    if day is None:
        day = (now.astimezone(zone) if zone else now).date()
        if hm is not None and _at(day, hm, zone or tz) <= now:
            day += timedelta(days=1)
    start = _at(day, hm if has_time else None, zone or tz)
    if zone is not None:
        start = start.astimezone(tz)
    if a.repeat and has_time and start <= now and a.day is not None:  # the first occurrence still ahead
        nxt = a.repeat.first_on_or_after(day + timedelta(days=1))
        start = _at(nxt, hm if has_time else None, tz)
    end_dt, end_has_time = None, False
    if b is not None:
        bhm = _hour(b)
        end_has_time = bhm is not None
        bday = b.day or day
        end_dt = _at(bday, bhm, zone or tz)
        if zone is not None:
            end_dt = end_dt.astimezone(tz)
        if end_dt <= start and b.day is None and end_has_time:
            end_dt = _at(bday + timedelta(days=1), bhm, tz)
    if a.kind == "after" and a.period is not None and a.hm is None and not inclusive:  # "после майских": from the day after
        start = _at(a.period[1], None, tz)
    period = None
    if b is None and (a.hm is None or a.hours_own) and not a.repeat and (a.kind is None or a.spanning):
        if a.period is not None:
            period = (_at(a.period[0], None, tz), _at(a.period[1], None, tz))
        elif a.hours is not None and a.day is not None or a.hours is not None:
            h1, h2 = a.hours
            period = (_at(day, (h1, 0), tz), _at(day, (h2, 0), tz) if h2 <= 24 else
                      _at(day + timedelta(days=1), (h2 - 24, 0), tz))
    grain = _grain(a, has_time)
    if period is not None and a.period is None:
        grain = "hour"
    return DateSpan(start, end_dt, a.day is not None, has_time, end_has_time, a.all_day, spans,
                    grain=grain, period=period, **extra)


__all__ = ["DateSpan", "find_when", "PM_BARE_HOURS"]
