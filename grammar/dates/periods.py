"""Periods and the past: calendar units relative to today ("на прошлой
неделе", "в позапрошлом году", "this quarter"), the n-th unit of a year
("во втором квартале", "Q3 2027"), N units ahead or back ("ближайшие пять
дней", "the past three weeks"), within a span ("в течение месяца"), N units
ago ("пять дней назад", "a month ago"), seasons. Months are in months.py.
A mixin of `Scanner`."""
from __future__ import annotations

from datetime import date, timedelta, timezone

from sekretar.grammar.dates import calendar as cal
from sekretar.grammar.dates.piece import STRICT, Piece, _add_months

_TIME_UNITS = {"hours": timedelta(hours=1), "minutes": timedelta(minutes=1)}


class PeriodReader:
    # --- helpers -----------------------------------------------------------
    def _offset(self, j: int) -> tuple[int, int] | None:
        """A modifier at j: (index after it, units from the current one)."""
        return self.lex.offsets.match(self.w, j)  # (end, offset): lex.py OFFSETS

    def _count(self, j: int) -> tuple[int, int, bool]:
        """A count at j: (index after it, value, said); 1 when none is said."""
        c = self.lex.count_words.match(self.w, j)
        if c:
            return c[0], c[1], True
        num = self.number(j)
        if num is not None and not num.ordinal and 0 < num.value <= 1000:
            return num.end, num.value, True
        return j, 1, False

    def _period_piece(self, i: int, end: int, unit: str, first: date, after: date, point: date | None = None) -> Piece:
        p = Piece(i, end, day=point or cal.point_of(first, after, self.today, unit),
                  period=(first, after), grain=cal.GRAINS[unit])
        if unit == "week":
            p.monday = first
        elif unit == "month":
            p.month_first = first
        return p

    def _week_piece(self, i: int, end: int, day: date, shift: int = 0) -> Piece:
        """The week that holds `day` (`shift` weeks on), as a period said for
        itself ("the week of March 4th", "the first week of March"), not as
        an anchor for a weekday."""
        first = cal.unit_start("week", day) + timedelta(days=7 * shift)
        p = self._period_piece(i, end, "week", first, first + timedelta(days=7))
        p.monday = None
        return p

    def _year_after(self, j: int) -> tuple[int, int | None]:
        """A year after a month, a season, a quarter: "2027", "2027 года",
        or one relative to this: "прошлого года", "of next year"."""
        k = j + (self.norm(j) in (",", "of"))
        y = self._year(k)
        if y:
            return y[0], y[1]
        if self.w[k:k + 1] and self.w[k] in self.lex.gates["period_first"]:
            rel = self._relative_year(k + (self.norm(k) == "the"))
            if rel:
                return rel
        return j, None

    def _relative_year(self, k: int) -> tuple[int, int] | None:
        """A year said by a modifier at k: "next year", "прошлого года", "this year": (end, the year)."""
        o = self._offset(k)
        u = self.lex.period_units.match(self.w, o[0]) if o else None
        return (u[0], self.today.year + o[1]) if u and u[1] == "year" else None

    # --- readers -----------------------------------------------------------
    def _period(self, i: int, marked: bool) -> Piece | None:
        """"на прошлой неделе", "в этом квартале", "last year", "этой недели"."""
        o = self._offset(i)
        if not o:
            return None
        u = self.lex.period_units.match(self.w, o[0])
        if u and u[1] == "half" and self.lex.units.match(self.w, u[0]):
            return None  # "the next half hour"
        if u and self.lang == "en" and u[1] != "day" and self.w[u[0] - 1].endswith("s"):
            return None  # "in the coming weeks": how many is not said
        if not u or u[1] == "day":
            s = self.lex.seasons.match(self.w, o[0])
            return self._season_piece(i, s[0], s[1], o[1]) if s else None  # None: ambiguous, asked
        first, after = cal.period(u[1], self.today, o[1])
        return self._period_piece(i, u[0], u[1], first, after)

    def _season(self, i: int, marked: bool) -> Piece | None:
        s = self.lex.seasons.match(self.w, i)
        if not s or (i > 0 and self._offset(i - 1)):
            return None  # "этой зимой" left unread (see _season_piece): not read as a bare "зимой"
        end, year = self._year_after(s[0])
        if year is not None:
            first = cal.season(s[1], date(year, 6, 1), 0)[0]
            if s[1] == "winter":
                first = date(year, 12, 1)
            return self._period_piece(i, end, "season", first, _add_months(first, 3))
        return self._season_piece(i, s[0], s[1], None)

    def _season_piece(self, i: int, end: int, name: str, offset: int | None) -> Piece | None:
        if name == "winter" and offset == 0 and 3 <= self.today.month <= 11:
            return None  # "этой зимой" in spring: the winter just past or the coming one? the dialog asks
        if name == "winter" and offset == 1 and 3 <= self.today.month <= 11 and self.lang == "ru":
            offset = 0  # "следующей зимой" in spring: the coming winter (this December's)
        first, after = cal.season(name, self.today, offset)
        return self._period_piece(i, end, "season", first, after)

    def _nth_unit(self, i: int, marked: bool) -> Piece | None:
        """"во втором квартале 2027 года", "in the first half", "Q3"."""
        norm, unit, n, j = self.norm(i), None, None, i
        if len(norm) == 2 and norm[0] == "q" and norm[1] in "1234":
            unit, n, j = "quarter", int(norm[1]), i + 1
        elif norm in self.lex.half_names.heads and self.lex.half_names.match(self.w, i):
            unit, n, j = "half", self.lex.half_names.match(self.w, i)[1], i + 1  # "H2 2020"
        else:
            num = self.number(i)
            if num is None or not (num.ordinal or num.digits) or not 1 <= num.value <= 4:
                return None
            u = self.lex.period_units.match(self.w, num.end)
            if not u or u[1] not in ("quarter", "half"):
                return None
            if not num.ordinal and not marked and self._year_after(u[0])[1] is None:
                return None  # "в 3 квартале", "1 квартал 2020" are periods, "отчёт за 3 квартал" a title
            unit, n, j = u[1], num.value, u[0]
            if unit == "half" and n <= 2 and self.norm(j) in ("of", "in") and (got := self._month_anchor(j + 1)):
                return self._month_half(i, n, *got)  # "the second half of April"
        if self.norm(j) == "of" and self.norm(j + 1) in ("the", "this") and self.norm(j + 2) == "year":
            j += 3
        end, year = self._year_after(j)
        if year is None and (rel := self._year_offset(j)):  # "the first quarter of next year"
            end, year = rel
        span = cal.nth_unit(unit, n, self.today, year)
        if span is None:
            return None
        return self._period_piece(i, end, unit, *span)

    def _week_of(self, i: int, marked: bool) -> Piece | None:
        """"the week of March 4th", "the week of Christmas": the week that holds the day."""
        u = self.lex.period_units.match(self.w, i)
        if not u or u[1] != "week" or self.norm(u[0]) != "of":
            return None
        q = self.nested_piece(u[0] + 1, STRICT)
        if q is None or q.day is None or q.hm or q.moment or q.repeat or q.kind or q.monday:
            return None
        return self._week_piece(i, q.end, q.day)

    def _month_half(self, i: int, n: int, end: int, months: list[date]) -> Piece | None:
        """The first half of a month is its 1st-15th, the second the 16th to the end."""
        for first in months:
            after = _add_months(first, 1)
            a, b = (first, first.replace(day=16)) if n == 1 else (first.replace(day=16), after)
            if b > self.today or first == months[-1]:
                return Piece(i, end, day=max(a, self.today) if a <= self.today < b else a, period=(a, b),
                             grain="day", month_said=True)
        return None

    def _n_units(self, i: int, marked: bool) -> Piece | None:
        """"ближайшие пять дней", "последние три недели", "the past 3 weeks":
        days count from today (ahead: today and after; back: the days before
        today); longer units are whole units after / before the current one."""
        lex = self.lex
        m, ahead = lex.next_n.match(self.w, i), True
        if not m:
            m, ahead = lex.last_n.match(self.w, i), False
        one = lex.one_n.match(self.w, i)  # "за последнюю неделю", "в ближайший час": one unit
        if not m and not one:
            return None
        half = lex.half_units.match(self.w, m[0]) if m and ahead else None
        if half and half[1][0] == "minutes":  # "the next half hour": within it
            p = self._shifted(i, half[0], "minutes", half[1][1])
            p.kind = "before"
            return p
        j, count, said = self._count(m[0]) if m else (one[0], 1, False)
        if not said and one:
            j, count, said, ahead = one[0], 1, True, one[1] == "ahead"
        if not said:
            return None
        u = lex.period_units.match(self.w, j)
        if not u and ahead:  # "the next 2 hours": within that time
            t = lex.units.match(self.w, j)
            if t and t[1] in _TIME_UNITS and count <= 100:
                p = self._shifted(i, t[0], t[1], count)
                p.kind = "before"
                return p
        if not u or count > 100:
            return None
        unit = u[1]
        if unit == "day":
            first = self.today if ahead else self.today - timedelta(days=count)
            after = first + timedelta(days=count)
        else:
            cur = cal.unit_start(unit, self.today)
            first = cal.shift(unit, cur, 1) if ahead else cal.shift(unit, cur, -count)
            after = cal.shift(unit, first, count)
        p = self._period_piece(i, u[0], unit, first, after, point=(after - timedelta(days=1)) if ahead else first)
        p.monday = p.month_first = None
        p.kind = "before" if ahead else None
        p.spanning = True
        return p

    def _within(self, i: int, marked: bool) -> Piece | None:
        """"в течение месяца", "в течение двух недель", "within 3 days": an
        open bound at the end of the span (a task's deadline)."""
        lex = self.lex
        m = lex.within.match(self.w, i)
        if not m:
            return None
        half = lex.half_units.match(self.w, m[0])
        if half:
            end, (unit, count) = half[0], half[1]
        else:
            j, count, said = self._count(m[0])
            u = lex.units.match(self.w, j)
            if not u or count > 1000 or (not said and self.w[j].endswith("s") and self.lang == "en"):
                return None  # "in the coming days": how many is not said
            end, unit = u
        p = self._shifted(i, end, unit, count)
        if p is None:
            return None
        p.kind = "before"
        if p.day and p.moment is None:
            p.period, p.spanning = (self.today, p.day), True
        return p

    def _shifted(self, i: int, end: int, unit: str, count: int) -> Piece | None:
        """A piece `count` units from now (negative: back)."""
        p = Piece(i, end)
        if unit in _TIME_UNITS:
            delta = _TIME_UNITS[unit] * count
            tz = self.now.tzinfo
            base = self.now if tz is None else self.now.astimezone(timezone.utc)
            moment = base + delta
            p.moment = (moment if tz is None else moment.astimezone(tz)).replace(second=0, microsecond=0)
            p.grain = "minute"
        elif unit == "days":
            p.day, p.grain = self.today + timedelta(days=count), "day"
        elif unit == "weeks":
            p.day, p.grain = self.today + timedelta(days=7 * count), "day"
        elif unit == "months":
            p.day, p.grain = _add_months(self.today, count), "day"
        elif unit == "years":
            p.day, p.grain = _add_months(self.today, 12 * count), "day"
        else:
            return None
        return p

    def _ago(self, i: int, marked: bool) -> Piece | None:
        """"пять дней назад", "неделю назад", "a month ago", "2 hours ago"."""
        lex = self.lex
        half = lex.half_units.match(self.w, i)
        if half:
            end, (unit, count) = half[0], half[1]
        else:
            j, count, said = self._count(i)
            u = lex.units.match(self.w, j)
            if not u or count > 1000:
                return None
            if not said and self.lang == "ru" and self.w[j] not in lex.one_units:
                return None  # "несколько дней назад": a count not said is no one day
            end, unit = u
            if not said and unit == "weeks" and self.lang == "en" and self.norm(i - 1) == "the" and i > 0:
                return self._week_next_to(i, end)  # "the week after Christmas"
        a = lex.ago.match(self.w, end)
        if not a:
            f = lex.from_now.match(self.w, end)  # "3 days from now", "a week from tomorrow"
            if not f:
                return self._shift_from(i, end, unit, count)
            p = self._shifted(i, f[0], unit, count)
            if p is not None and f[1] and p.day:
                p.day += timedelta(days=f[1])
            return p
        return self._shifted(i, a[0], unit, -count)

    def _week_next_to(self, i: int, end: int) -> Piece | None:
        """"the week after Christmas", "the week before the 15th": the week after
        (before) the one that holds the day."""
        s = self.lex.shift_from.match(self.w, end) if self.norm(end) in self.lex.shift_from.heads else None
        if not s or self.norm(end) == "from":
            return None
        q = self.nested_piece(s[0], STRICT)
        if q is None or q.day is None or q.hm or q.moment or q.repeat or q.daypart or q.kind or q.monday:
            return None
        return self._week_piece(i, q.end, q.day, s[1])

    def _shift_from(self, i: int, end: int, unit: str, count: int) -> Piece | None:
        """"a week from Friday", "2 days after tomorrow", "the day after
        Christmas", "a day before New Year's Eve": whole days from a day said."""
        s = self.lex.shift_from.match(self.w, end) if self.norm(end) in self.lex.shift_from.heads else None
        if not s or unit not in ("days", "weeks", "months", "years"):
            return None
        q = self.nested_piece(s[0], STRICT)
        if q is None or q.day is None or q.hm or q.moment or q.repeat or q.daypart or q.kind:
            return None
        n = count * s[1]
        day = (q.day + timedelta(days=n * (7 if unit == "weeks" else 1)) if unit in ("days", "weeks")
               else _add_months(q.day, n * (12 if unit == "years" else 1)))
        return Piece(i, q.end, day=day, grain="day")



__all__ = ["PeriodReader"]
