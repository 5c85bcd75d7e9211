"""Calendar arithmetic on whole days: the period of a unit (week, month,
quarter, half-year, year, season) around a day, shifted by whole units, and
the point a task or an event takes from a period. Pure functions on dates."""
from __future__ import annotations

from datetime import date, timedelta

from sekretar.grammar.dates.piece import _add_months

# unit → (months per unit, the grain it reports); a week is 7 days
MONTHS = {"month": (1, "month"), "quarter": (3, "quarter"), "half": (6, "quarter"), "year": (12, "year")}
GRAINS = {"day": "day", "week": "week", **{u: g for u, (_, g) in MONTHS.items()}, "season": "month"}
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}  # first month


def unit_start(unit: str, day: date) -> date:
    """The first day of the unit that holds `day`."""
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    months = MONTHS[unit][0]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def shift(unit: str, first: date, n: int) -> date:
    """`first` moved by n whole units."""
    if unit == "day":
        return first + timedelta(days=n)
    if unit == "week":
        return first + timedelta(days=7 * n)
    return _add_months(first, MONTHS[unit][0] * n)


def period(unit: str, today: date, offset: int = 0, count: int = 1) -> tuple[date, date]:
    """[first day, day after the last) of `count` units starting `offset`
    units from the one that holds today ("на прошлой неделе": week, -1)."""
    first = shift(unit, unit_start(unit, today), offset)
    return first, shift(unit, first, count)


def nth_unit(unit: str, n: int, today: date, year: int | None) -> tuple[date, date] | None:
    """"во втором квартале", "в первом полугодии": the n-th unit of the year
    said, or of the year whose such unit has not ended yet."""
    per_year = 12 // MONTHS[unit][0]
    if not 1 <= n <= per_year:
        return None
    y = year if year is not None else today.year
    first = date(y, MONTHS[unit][0] * (n - 1) + 1, 1)
    after = _add_months(first, MONTHS[unit][0])
    if year is None and after <= today:
        first, after = date(y + 1, first.month, 1), date(y + 1 + (after.year - y - 1), after.month, 1)
    return first, after


def season(name: str, today: date, offset: int | None) -> tuple[date, date]:
    """A season as three whole months. offset None: the one under way or the
    next to come; 0 this year's (winter: the one that starts this December
    or is under way), ±1 a year later/earlier."""
    m = SEASONS[name]
    first = date(today.year, m, 1)
    if m == 12 and today.month <= 2:  # winter under way began last December
        first = date(today.year - 1, 12, 1)
    after = _add_months(first, 3)
    if offset is None:
        if after <= today:
            first, after = date(first.year + 1, m, 1), _add_months(date(first.year + 1, m, 1), 3)
        return first, after
    first = date(first.year + offset, m, 1)
    return first, _add_months(first, 3)


def month_period(month: int, year: int | None, today: date) -> tuple[date, date]:
    """"в апреле", "May 2027": the month said; without a year the one under
    way or the next to come."""
    if year is None:
        year = today.year + (month < today.month)
    first = date(year, month, 1)
    return first, _add_months(first, 1)


def point_of(first: date, after: date, today: date, unit: str) -> date:
    """The day a task's deadline or an event takes from a period: a period
    under way gives its last working day (a week's Friday, a month's last
    day), any other its first day ("на следующей неделе" is its Monday)."""
    if first <= today < after:
        last = after - timedelta(days=1)
        if unit == "week":
            return max(today, first + timedelta(days=4))
        return last
    return first


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The n-th (1..5, or -1 for the last) such weekday of a month."""
    first = date(year, month, 1)
    if n > 0:
        d = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
        return d if d.month == month else None
    last = _add_months(first, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


__all__ = ["GRAINS", "MONTHS", "SEASONS", "month_period", "nth_unit", "nth_weekday", "period",
           "point_of", "season", "shift", "unit_start"]


# the beginning, middle and end of a unit (one convention for every language):
# a week's Monday-Wednesday, Tuesday-Thursday, Friday-Sunday (days from its
# Monday); a year's January-April, May-August, September-December (months
# from January); a month's 1-10, 11-20, 21-end (days from the 1st)
_WEEK_PARTS = {"early": (0, 3), "mid": (1, 4), "late": (4, 7)}
_YEAR_PARTS = {"early": (0, 4), "mid": (4, 8), "late": (8, 12)}
_MONTH_PARTS = {"early": (0, 10), "mid": (10, 20), "late": (20, None)}


def part_of(unit: str, part: str, first: date) -> tuple[date, date] | None:
    """[first day, the day after) of the beginning ("early"), middle ("mid")
    or end ("late") of the week, month or year starting on `first`."""
    if unit == "week" and part in _WEEK_PARTS:
        a, b = _WEEK_PARTS[part]
        return first + timedelta(days=a), first + timedelta(days=b)
    if unit == "year" and part in _YEAR_PARTS:
        a, b = _YEAR_PARTS[part]
        return shift("month", first, a), shift("month", first, b)
    if unit == "month" and part in _MONTH_PARTS:
        a, b = _MONTH_PARTS[part]
        return first + timedelta(days=a), (first + timedelta(days=b) if b else shift("month", first, 1))
    return None
