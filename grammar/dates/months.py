"""Months: a month alone or with a year ("в апреле", "май 2027", "2027-04"),
a part of a month ("в начале мая", "mid-April"), its first or last day, and
the n-th or last weekday of a month ("в последнюю пятницу месяца"). A mixin
of `Scanner` (with PeriodReader's helpers)."""
from __future__ import annotations

from datetime import date, timedelta

from sekretar.grammar.dates import calendar as cal
from sekretar.grammar.dates.parts import PartReader
from sekretar.grammar.dates.piece import Piece, _add_months
from sekretar.grammar.dates.slices import SliceReader


# the words after which four digits are a year: "in 2014", "from 2019 to 2021", "since 2015"
_YEAR_AFTER = frozenset({"in", "during", "of", "by", "until", "till", "from", "to", "through", "between", "and",
                         "since", "before", "after"})


class MonthReader(PartReader, SliceReader):
    def _month_period(self, i: int, marked: bool) -> Piece | None:
        """"в апреле", "май 2027", "in April 2027", "2027-04": a month, the one
        under way or the next to come when no year is said."""
        norm = self.norm(i)
        if len(norm) == 7 and norm[4] == "-" and norm[:4].isdigit() and norm[5:].isdigit() and norm.isascii():
            y, mo = int(norm[:4]), int(norm[5:])
            if 1900 <= y <= 2199 and 1 <= mo <= 12:
                first, after = cal.month_period(mo, y, self.today)
                return self._period_piece(i, i + 1, "month", first, after, point=first)
            return None
        m = self.lex.months.match(self.w, i)
        if not m:
            return None
        k = m[0] + (self.norm(m[0]) in ("the", "."))
        num = self.number(k)
        if num is not None and 1 <= num.value <= 31 and not (num.digits and len(num.text) == 4):
            return None  # "March 3", "December the twelfth": a day, the date reader's
        end, year = self._year_after(m[0])
        if year is None:
            rel = self._year_offset(m[0])  # "March of next year", "in April last year"
            if rel:
                end, year = rel
        if year is None and not marked and not (self.lang == "en" and self._alone(i, end)):
            return None  # "April" may be a name; said alone it is the month
        first, after = cal.month_period(m[1], year, self.today)
        point = first if (year is not None or first > self.today) else None
        return self._period_piece(i, end, "month", first, after, point=point)

    def _edge_day(self, i: int, marked: bool) -> Piece | None:
        """"в последний день месяца", "the last day of March", "first day of
        next month", "в первый день следующего месяца"."""
        lex = self.lex
        if lex.month_parts.match(self.w, i):
            return None  # "первые числа апреля": a part of the month
        last = lex.last_word.match(self.w, i)
        if last:
            j, first_day = last[0], False
        else:
            num = self.number(i)
            if num is None or not num.ordinal or num.value != 1 or num.digits:
                return None
            j, first_day = num.end, True
        d = lex.day_word.match(self.w, j)
        if not d:
            return None
        k = d[0] + (self.norm(d[0]) == "of")
        k += self.norm(k) == "the"
        mo = lex.months.match(self.w, k)
        of = lex.of_month.match(self.w, d[0])
        anchor = self._offset(k)
        yr = self._edge_year(k)
        if yr:  # "the last day of the year", "the first day of next year"
            end, y = yr
            return Piece(i, end, day=date(y, 1, 1) if first_day else date(y, 12, 31), grain="day", month_said=True)
        if mo:
            end, year = self._year_after(mo[0])
            month_first = cal.month_period(mo[1], year, self.today)[0]
        elif of:
            end, month_first = of[0], self.today.replace(day=1)
            if first_day and month_first < self.today and self.norm(d[0] + 1) == "the":
                month_first = _add_months(month_first, 1)  # "the first day of the month": the next to come
        elif anchor and lex.period_units.match(self.w, anchor[0]) and \
                lex.period_units.match(self.w, anchor[0])[1] == "month":
            end = lex.period_units.match(self.w, anchor[0])[0]
            month_first = cal.period("month", self.today, anchor[1])[0]
        elif self.norm(k) == "month" or self.norm(k) == "месяца":
            end, month_first = k + 1, self.today.replace(day=1)
        else:
            return None
        day = month_first if first_day else _add_months(month_first, 1) - timedelta(days=1)
        return Piece(i, end, day=day, grain="day", month_said=True)

    def _month_part(self, i: int, marked: bool) -> Piece | None:
        """"в начале мая" [1, 11), "в середине апреля" [11, 21), "в конце апреля"
        [21, the end), "mid-April", "the end of May": a task takes the 1st, the
        15th or the last day."""
        mu = self.lex.mid_units.match(self.w, i) if self.w[i] in self.lex.mid_units.heads else None
        if mu:  # "midweek", "midyear": the one under way or next
            return self._part_of_unit(i, mu[0], "mid", mu[1])
        m = self.lex.month_parts.match(self.w, i)
        j = m[0] if m else i
        if not m:
            norm = self.norm(i)
            if not norm.startswith("mid-"):
                return None
            u = self.lex.period_units.match([norm[4:]], 0)
            if u and u[1] in ("week", "month", "year"):  # "mid-month", "mid-year": the one under way or next
                return self._part_of_unit(i, i + 1, "mid", u[1])
        mo = self.lex.months.match(self.w, j) if m else self.lex.months.match(["" + self.norm(i)[4:]], 0)
        if not mo:
            if not m:
                return None
            # a part of a unit, not of a month by name: "в начале месяца", "в конце 2019 года"
            # (slices.py); "the end of the month", "early next week" (parts.py)
            return self._unit_part(i, j, m[1], j) if self.lang == "ru" else self._part_of_unit(i, j, m[1])
        part = m[1] if m else "mid"
        end = mo[0] if m else i + 1
        end, year = self._year_after(end)
        first, after = cal.month_period(mo[1], year, self.today)
        if part == "early":
            span, point = (first, first + timedelta(days=10)), first
        elif part == "mid":
            span, point = (first + timedelta(days=10), first + timedelta(days=20)), first + timedelta(days=14)
        else:
            span, point = (first + timedelta(days=20), after), after - timedelta(days=1)
        if year is None and span[1] <= self.today:  # the part is over this year: next year's
            return self._month_part_next(i, end, part, mo[1])
        p = Piece(i, end, day=max(point, self.today) if span[0] <= self.today else point, period=span,
                  grain="day", month_said=True)
        return p

    def _month_part_next(self, i, end, part, month) -> Piece:
        first = date(self.today.year + 1, month, 1)
        after = _add_months(first, 1)
        spans = {"early": ((first, first + timedelta(days=10)), first),
                 "mid": ((first + timedelta(days=10), first + timedelta(days=20)), first + timedelta(days=14)),
                 "late": ((first + timedelta(days=20), after), after - timedelta(days=1))}
        span, point = spans[part]
        return Piece(i, end, day=point, period=span, grain="day", month_said=True)

    def _year_period(self, i: int, marked: bool) -> Piece | None:
        """"в 2019 году", "в 2020-м", "к 2021 году", "2019 год", "в две тысячи
        двадцатом году" (Russian: with a year word, or an ordinal "2020-м" after
        a marker); English: `_year_period_en`. A whole year."""
        if self.lang == "en":
            return self._year_period_en(i, marked)
        num = self.number(i)
        if num is None or not 1900 <= num.value <= 2199 or (num.digits and len(num.text) != 4):
            return None
        end = num.end
        y = self.lex.year_words.match(self.w, end)
        if y:
            if not marked and self.norm(end) not in ("год", "г"):
                return None  # "отчёт 2019 года": a title's year; "2019 год" alone is the year
            end = y[0] + (self.norm(y[0]) == "." and self.norm(end) == "г")
        elif not (marked and num.ordinal and num.digits):
            return None  # a bare "2019" may be anything; "в 2020-м" is the year
        first = date(num.value, 1, 1)  # like "в марте": no point, the year under way ends
        return self._period_piece(i, end, "year", first, date(num.value + 1, 1, 1), point=None)

    def _year_period_en(self, i: int, marked: bool) -> Piece | None:
        """"in 2014", "during 2020", "the year 2020", "in twenty twenty": after
        a marker, or four digits said alone."""
        start = i
        if self.norm(i) == "year":  # "the year 2020"
            i += 1
        elif not marked and self.norm(i)[:1].isdigit() and i + 1 < self.n and self.t[i + 1].is_word:
            return None  # (the cheap test: neither said alone nor after a marker)
        num = self.number(i)
        if num is None:
            return None
        if num.digits:
            if len(num.text) != 4 or not 1900 <= num.value <= 2199:
                return None
            end, year = num.end, num.value
        else:  # "in twenty twenty", "two thousand nineteen"
            y = self._year(i)
            if y is None:
                return None
            end, year = y
        if start == i and not ((marked and i > 0 and self.norm(i - 1) in _YEAR_AFTER)
                               or (num.digits and self._alone(i, end))):
            return None  # ("twenty twenty" alone may be 20:20)
        first = date(year, 1, 1)
        return self._period_piece(start, end, "year", first, date(year + 1, 1, 1), point=first)

    def _nth_weekday(self, i: int, marked: bool, every: bool = False) -> Piece | None:
        """"в первый понедельник апреля", "в последнюю пятницу месяца", "the
        second Tuesday of next month"; with `every` a monthly repetition."""
        lex = self.lex
        got = self.nth(i, digits=every or self.lang == "en")  # "2nd Wednesday of May"
        if got is None:
            return None
        n, j = got
        wd = lex.weekdays.match(self.w, j)
        weekend = not wd and not every and lex.weekend.match(self.w, j)
        if weekend:  # "the first weekend of April": its Saturday, the weekend as the period
            wd = (weekend[0], 5)
        if not wd:
            return None
        k = wd[0] + (self.norm(wd[0]) in ("of", "in"))
        months: list[date] = []
        end = k
        of = lex.of_month.match(self.w, wd[0])
        mo = lex.months.match(self.w, k)
        anchor = self._offset(k + (self.norm(k) == "the"))
        if of:
            end = of[0]
            first = self.today.replace(day=1)
            months = [first, _add_months(first, 1)]
        elif mo:
            end, year = self._year_after(mo[0])
            first = cal.month_period(mo[1], year, self.today)[0]
            months = [first] if year is not None else [first, date(first.year + 1, first.month, 1)]
        elif anchor and lex.period_units.match(self.w, anchor[0]) and \
                lex.period_units.match(self.w, anchor[0])[1] == "month":
            end = lex.period_units.match(self.w, anchor[0])[0]
            months = [cal.period("month", self.today, anchor[1])[0]]
        elif not every:
            return None
        if every:
            from sekretar.grammar.dates.repeat import Repeat
            r = Repeat("MONTHLY", byday=(wd[1],), nth=n)
            return self._repeat_piece(i, end, r)
        for first in months:
            d = cal.nth_weekday(first.year, first.month, wd[1], n)
            if d and (d >= self.today or first == months[-1]):
                p = Piece(i, end, day=d, grain="day", month_said=True)
                if weekend:
                    p.period = (d, d + timedelta(days=2))
                return p
        return None


__all__ = ["MonthReader"]
