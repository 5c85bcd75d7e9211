"""Slices of a calendar unit: the n-th week or half of a month ("первая
неделя марта", "во второй половине апреля", "на последней неделе месяца"),
the half of a year ("в первой половине года"), and the beginning, middle or
end of a month, a year or a week said without a month name ("в начале
месяца", "в конце следующего года", "в начале 2020 года", "в конце недели").
A mixin of `Scanner` (with PeriodReader's and MonthReader's helpers).

Conventions (docs/dates.md "Slices of a unit"): a month's n-th week is the
Monday-first week that holds its n-th Thursday (ISO 8601's rule, applied to
months: a week belongs to the month that holds most of it); a month's halves
are [1, 16) and [16, end); a year's beginning is January-April, its middle
May-August, its end September-December; a week's beginning is Monday-
Wednesday, its middle Tuesday-Thursday, its end Friday-Sunday. Said without
an anchor ("месяца", "недели", "года") the slice is this unit's, or the next
unit's when this one's is over; with one ("следующего месяца", "2020 года")
it is that unit's."""
from __future__ import annotations

from datetime import date, timedelta

from sekretar.grammar.dates import calendar as cal
from sekretar.grammar.dates.piece import Piece, _add_months



class SliceReader:
    def _unit_of(self, k: int) -> tuple[int, str, date | None, bool] | None:
        """The unit a slice is of, at k: (end, unit, its first day, anchored).
        "марта" / "мая 2020 года" / "месяца" / "следующего месяца" / "года" /
        "2020 года" / "прошлого года" / "недели" / "следующей недели"."""
        mo = self.lex.months.match(self.w, k)
        if mo:
            end, year = self._year_after(mo[0])
            return end, "month", cal.month_period(mo[1], year, self.today)[0], year is not None
        u = self.lex.period_units.match(self.w, k)
        if u and u[1] in ("week", "month", "year") and self.norm(k) in ("недели", "месяца", "года"):
            return u[0], u[1], None, False
        y = self._year(k)
        if y and self.norm(y[0] - 1) in ("года", "году", "год", "г"):
            return y[0], "year", date(y[1], 1, 1), True
        o = self._offset(k) if self.norm(k) in self.lex.gates["period_first"] else None
        if o:
            u = self.lex.period_units.match(self.w, o[0])
            if u and u[1] in ("week", "month", "year"):
                return u[0], u[1], cal.period(u[1], self.today, o[1])[0], True
        return None

    def _slice_piece(self, i: int, end: int, unit: str, spans: list[tuple[date, date]], point_of,
                     grain: str) -> Piece:
        """The first span not over yet (else the last), as a period with the point a task takes."""
        first, after = next((s for s in spans if s[1] > self.today), spans[-1])
        point = point_of(first, after)
        if first <= self.today < after:
            point = max(point, self.today)
        return Piece(i, end, day=point, period=(first, after), grain=grain, month_said=unit == "month")

    def _month_slice(self, i: int, marked: bool) -> Piece | None:
        """"первая неделя марта", "на последней неделе месяца", "вторая
        половина апреля", "в первой половине года"."""
        lex = self.lex
        got = self.nth(i, digits=False)
        if got is None:
            return None
        n, j = got
        s = lex.slice_units.match(self.w, j)
        if not s:
            return None
        of = self._unit_of(s[0])
        if of is None:
            return None
        end, unit, first, anchored = of
        firsts = self._unit_firsts(unit, first, anchored)
        if s[1] == "week" and unit == "month":
            spans = [w for w in (_nth_week(f, n) for f in firsts) if w]
            return self._slice_piece(i, end, unit, spans, _week_point, "week") if spans else None
        if s[1] == "half" and unit == "month" and n in (1, 2, -1):
            return self._month_half(i, n, end, firsts)  # [1, 16), [16, the end): as "the second half of April"
        if s[1] == "half" and unit == "year" and n in (1, 2, -1):
            spans = [(_add_months(f, 0 if n == 1 else 6), _add_months(f, 6 if n == 1 else 12)) for f in firsts]
            return self._slice_piece(i, end, unit, spans, lambda a, b: a, "quarter")
        return None

    def _unit_part(self, i: int, end: int, part: str, k: int) -> Piece | None:
        """"в начале месяца", "в конце следующего года", "в начале 2020 года",
        "в конце недели" (k: the word after the part)."""
        of = self._unit_of(k)
        if of is None or (of[1] == "month" and of[2] is not None and not of[3]):
            return None  # a month by name: _month_part's
        end, unit, first, anchored = of
        spans = [cal.part_of(unit, part, f) for f in self._unit_firsts(unit, first, anchored)]
        if None in spans:
            return None
        if unit == "week":
            return self._slice_piece(i, end, unit, spans, lambda x, y: x, "day")
        if unit == "year":
            return self._slice_piece(i, end, unit, spans, _last_if_late(part), "month")
        pt = {"early": lambda a, b: a, "mid": lambda a, b: a + timedelta(days=4), "late": lambda a, b: b - timedelta(days=1)}
        return self._slice_piece(i, end, unit, spans, pt[part], "day")

    def _unit_firsts(self, unit: str, first: date | None, anchored: bool) -> list[date]:
        if first is not None and anchored:
            return [first]
        if first is not None:  # a month by name, no year: this year's, else next year's
            return [first, date(first.year + 1, first.month, 1)] if first.month == self.today.month else [first]
        this = cal.unit_start(unit, self.today)
        return [this, cal.shift(unit, this, 1)]


def _last_if_late(part: str):
    return (lambda a, b: b - timedelta(days=1)) if part == "late" else (lambda a, b: a)


def _nth_week(first: date, n: int) -> tuple[date, date] | None:
    thursday = cal.nth_weekday(first.year, first.month, 3, n)
    if thursday is None:
        return None
    monday = thursday - timedelta(days=3)
    return monday, monday + timedelta(days=7)


def _week_point(first: date, after: date) -> date:
    return first  # under way: _slice_piece takes today


__all__ = ["SliceReader"]
