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

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sekretar.grammar.dates.lex import date_lexicon
from sekretar.grammar.dates.scan import ANY, STRICT, Piece, Scanner, apply_meridiem
from sekretar.grammar.tokens import Token

# a bare hour 1..7 ("в 5", "с 2 до 3") is in the afternoon: working hours
PM_BARE_HOURS = range(1, 8)


@dataclass(frozen=True)
class DateSpan:
    start: datetime                 # aware, in now's zone; 00:00 when no time was said
    end: datetime | None = None     # a range's end; 00:00 of the last day when no time was said
    has_date: bool = True           # a day was said (otherwise: today / next occurrence of the time)
    has_time: bool = False          # a time of day was said for start
    end_has_time: bool = False
    all_day: bool = False           # "на весь день", "for the whole day"
    spans: tuple[tuple[int, int], ...] = ()  # token index ranges [i, j) consumed


def _at(day: date, hm: tuple[int, int] | None, tz) -> datetime:
    h, m = hm or (0, 0)
    if h >= 24:
        day, h = day + timedelta(days=1), h - 24
    naive = datetime(day.year, day.month, day.day, h, m)
    if hasattr(tz, "localize"):  # pytz
        return tz.localize(naive)
    return naive.replace(tzinfo=tz)


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
        a.partial_day, a.hm, a.bare, a.lone = a.lone, None, False, None
    if a.partial_day and b.day and b.month_said and not a.month_said:
        try:
            d = b.day.replace(day=a.partial_day)
        except ValueError:
            d = None
        if d and d > b.day:  # "с 28 по 3 апреля": the month before
            prev = b.day.replace(day=1) - timedelta(days=1)
            d = prev.replace(day=a.partial_day) if a.partial_day <= prev.day else None
        a.day = d or a.day
    if a.day and b.day and b.day < a.day and (a.day - b.day).days < 7 and not b.month_said:
        b.day += timedelta(days=7)  # "с пятницы по вторник": the Tuesday after
    if a.day and not b.day:
        b.day = a.day
    elif b.day and not a.day and a.hm:
        a.day = b.day


def _merge_spans(spans) -> tuple[tuple[int, int], ...]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def find_when(tokens: list[Token], now: datetime, lang: str = "ru", *,
              answer: bool = False) -> DateSpan | None:
    """The date/time said in `tokens`, or None.

    `answer=True` reads a reply to the dialog's question ("Во сколько?" →
    "пять", "На какое число?" → "двенадцатое"): a lone number is an hour and
    a lone ordinal a day of the month, as if "в"/"на" had been said.
    """
    lex = date_lexicon(lang)
    sc = Scanner(tokens, now, lex)
    level = ANY if answer else STRICT
    start: Piece | None = None
    end: Piece | None = None
    i, n = 0, len(tokens)
    while i < n:
        if not sc.may_start(i):
            i += 1
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
        if start is None:
            start = p
        elif start.compatible(p):
            start.merge(p)
        i = p.end
    if start is None:
        return None
    return _resolve(start, end, now)


def _resolve(a: Piece, b: Piece | None, now: datetime) -> DateSpan:
    tz = now.tzinfo
    if b is not None:
        _fix_range_days(a, b)
        _fix_range_hours(a, b)
    spans = _merge_spans(a.spans + (b.spans if b else []))
    if a.moment is not None:
        return DateSpan(a.moment, None, True, True, False, a.all_day, spans)
    hm = _hour(a)
    has_time = hm is not None and not (a.all_day and a.hm is None and a.daypart is None)
    day = a.day
    if day is None:
        day = now.date()
        if hm is not None and _at(day, hm, tz) <= now:
            day += timedelta(days=1)
    start = _at(day, hm if has_time else None, tz)
    end_dt, end_has_time = None, False
    if b is not None:
        bhm = _hour(b)
        end_has_time = bhm is not None
        bday = b.day or day
        end_dt = _at(bday, bhm, tz)
        if end_dt <= start and b.day is None and end_has_time:
            end_dt = _at(bday + timedelta(days=1), bhm, tz)
    return DateSpan(start, end_dt, a.day is not None, has_time, end_has_time, a.all_day, spans)


__all__ = ["DateSpan", "find_when", "PM_BARE_HOURS"]
