"""Parts and edges of calendar units, read in English first: the weekend
("this/next/last weekend": [Saturday, Monday)), a month with a modifier
("next March", "March of next year"), the n-th week of a month (its n-th
calendar row), parts of a week, a month or a year in thirds ("the end of
the month", "early next week", "the rest of the week"). A mixin of
`Scanner` through MonthReader; conventions in docs/dates.md."""
from __future__ import annotations

from datetime import date, timedelta

from sekretar.grammar.dates import calendar as cal
from sekretar.grammar.dates.piece import Piece, _add_months


class PartReader:
    def _weekend(self, i: int, marked: bool) -> Piece | None:
        """"this weekend", "the weekend", "next weekend", "last weekend", "this
        past weekend": Saturday (a task's point) and the weekend [Saturday,
        Monday) as the period; a weekend under way (said on Sunday) is this one."""
        lex, j, off = self.lex, i, 0
        heads, w = lex.weekend.heads, self.w
        if not (w[i] in heads or w[i + 1:i + 2] and w[i + 1] in heads or w[i + 2:i + 3] and w[i + 2] in heads
                or w[i + 3:i + 4] and w[i + 3] in heads):
            return None  # (the cheap test: no "weekend" within the modifier's reach)
        o = self._offset(i)
        if o:
            j, off = o
            if off == 0 and lex.prev.match(self.w, j):  # "this past weekend"
                j, off = lex.prev.match(self.w, j)[0], -1
        wk = lex.weekend.match(self.w, j)
        if not wk or off < -1:
            return None  # ("the weekend after next" is read below)
        today, end = self.today, wk[0]
        an = lex.weekday_after.match(self.w, end) if off == 0 and self.lang == "en" else None
        if an:  # "the weekend after next", "the weekend before last"
            end, off = an[0], 2 * an[1]
        if off == 0:
            sat = today - timedelta(days=1) if today.weekday() == 6 else today + timedelta(days=(5 - today.weekday()) % 7)
        else:
            sat = today - timedelta(days=today.weekday()) + timedelta(days=7 * off + 5)
        return Piece(i, end, day=max(sat, today) if sat <= today else sat, period=(sat, sat + timedelta(days=2)),
                     grain="day")

    def _month_offset(self, i: int, marked: bool) -> Piece | None:
        """"next March" (the first March after this month), "last April" (the
        latest before it), "this May" (this year's)."""
        heads = self.lex.months.heads
        if self.norm(i + 1) not in heads and self.norm(i + 2) not in heads:
            return None  # (the cheap test)
        o = self._offset(i)
        if not o:
            return None
        m = self.lex.months.match(self.w, o[0])
        if not m or (self.norm(o[0]) in self.lex.need_marker and not self._free(m[0])):
            return None  # "this may take a while"
        mo, y = m[1], self.today.year
        if o[1] > 0:
            y += mo <= self.today.month
        elif o[1] < 0:
            y -= mo >= self.today.month
        first = date(y, mo, 1)
        return self._period_piece(i, m[0], "month", first, _add_months(first, 1), point=first)

    def _year_offset(self, j: int) -> tuple[int, int] | None:
        """"of next year", "last year" after a month: (end, the year)."""
        return self._relative_year(j + (self.norm(j) == "of"))

    def _edge_year(self, k: int) -> tuple[int, int] | None:
        """"the year", "this/next/last year", "2020" at k (after "of"): (end, year)."""
        if self.lang != "en":
            return None
        if self.norm(k) == "year":
            return k + 1, self.today.year
        y = self._year(k)
        if y:
            return y
        rel = self._relative_year(k)
        return rel if rel and rel[1] >= self.today.year - 1 else None  # not "the year before last"

    def _month_anchor(self, k: int) -> tuple[int, list[date]] | None:
        """The month after "of"/"in" at k: "April (2027)", "the month", "this
        month", "next month": (end, the first days of the months it may be)."""
        lex = self.lex
        of = lex.of_month.match(self.w, k - 1) if self.norm(k - 1) in ("of", "in") else None
        if of:
            first = self.today.replace(day=1)
            return of[0], [first, _add_months(first, 1)]
        mo = lex.months.match(self.w, k)
        if mo:
            end, year = self._year_after(mo[0])
            first = cal.month_period(mo[1], year, self.today)[0]
            return end, [first] if year is not None else [first, date(first.year + 1, first.month, 1)]
        anchor = self._offset(k + (self.norm(k) == "the"))
        u = lex.period_units.match(self.w, anchor[0]) if anchor else None
        if u and u[1] == "month":
            return u[0], [cal.period("month", self.today, anchor[1])[0]]
        return None

    def _nth_week(self, i: int, marked: bool) -> Piece | None:
        """"the first week of March", "the last week of the month", "the second
        week of next month": the n-th row of the month's calendar (Monday-first
        weeks; the first holds the 1st, the last the last day), the first such
        week not over yet when no year is said."""
        lex = self.lex
        got = self.nth(i)
        if got is None:
            return None
        n, j = got
        u = lex.period_units.match(self.w, j)
        if not u or u[1] != "week" or self.norm(u[0]) not in ("of", "in"):
            return None
        got = self._month_anchor(u[0] + 1)
        if not got:
            return None
        end, months = got
        for first in months:
            after = _add_months(first, 1)
            if n > 0:
                monday = first - timedelta(days=first.weekday()) + timedelta(days=7 * (n - 1))
                if monday >= after:
                    return None
            else:
                lastday = after - timedelta(days=1)
                monday = lastday - timedelta(days=lastday.weekday())
            if monday + timedelta(days=7) > self.today or first == months[-1]:
                return self._week_piece(i, end, monday)
        return None

    def _part_of_unit(self, i: int, j: int, part: str, unit: str | None = None) -> Piece | None:
        """"the end of the month", "early next week", "the middle of the year",
        "the rest of the week", "later this month": a part of a week, a month
        or a year (calendar.part_of, the Russian readers' too: a month's
        1-10/11-20/21-end, a year's Jan-Apr/May-Aug/Sep-Dec, a week's
        Mon-Wed/Tue-Thu/Fri-Sun). "the month" whose part is over is next
        month's; "this month" stays this one's."""
        k, off, implicit = j, 0, False
        if unit is not None:
            end, implicit = j, True
        else:
            if self.norm(k) == "the" and self.norm(k + 1) != "next":
                k, implicit = k + 1, True
            elif self.norm(k) in self.lex.period_units.heads:  # "end of week", "end of month"
                implicit = True
            else:
                o = self._offset(k)
                if not o:
                    return None
                k, off = o
            u = self.lex.period_units.match(self.w, k)
            if not u or u[1] not in ("week", "month", "year") or (part in ("rest", "later") and off != 0):
                return None
            unit, end = u[1], u[0]
        for shift in (0, 1) if implicit and part not in ("rest", "later") else (0,):
            first, after = cal.period(unit, self.today, off + shift)
            span = _part_of(unit, part, first, after, self.today)
            if span and (span[1] > self.today or not implicit or shift):
                break
        if not span or span[0] >= span[1]:
            return None
        a, b = span
        point = b - timedelta(days=1) if part == "late" else a
        if part == "late" and unit == "week":
            point = a  # "the end of the week": its Friday
        elif part == "mid" and unit == "month":
            point = a + timedelta(days=4)  # the 15th, as for "mid-April"
        return Piece(i, end, day=max(point, self.today) if a <= self.today < b else point, period=span,
                     grain="day", month_said=unit == "month")


def _part_of(unit: str, part: str, first: date, after: date, today: date) -> tuple[date, date] | None:
    """[first, after) of a part of the unit [first, after): "the rest of" it
    from today, "later" from tomorrow; the beginning, middle and end as
    calendar.part_of (one convention for both languages)."""
    if part in ("rest", "later"):
        return (today if part == "rest" else today + timedelta(days=1)), after
    return cal.part_of(unit, part, first)


__all__ = ["PartReader"]
