"""Holidays and named days ("на Новый год", "к 23 февраля" is a date
already, "на майские", "Thanksgiving", "Easter Monday"): a day or a period of
days, the next to come (today included) unless a year is said. Easter from
python-dateutil (Orthodox for Russian, Western for English). A mixin of
`Scanner`; the days in data/<lang>.yaml `holidays`."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

from sekretar.grammar.dates.calendar import nth_weekday
from sekretar.grammar.dates.piece import Piece


def holiday_days(spec: dict, year: int) -> tuple[date, date] | None:
    """[first, after last) of a holiday in a year."""
    if "date" in spec:
        mo, d = (int(x) for x in spec["date"].split("-"))
        first = date(year, mo, d)
        return first, first + timedelta(days=1)
    if "easter" in spec:
        e = easter(year, EASTER_WESTERN if spec.get("western") else EASTER_ORTHODOX)
        first = e + timedelta(days=int(spec["easter"]))
        return first, first + timedelta(days=int(spec.get("span", 1)))  # "масленица": a week
    if "nth" in spec:
        mo, wd, n = spec["nth"]
        first = nth_weekday(year, mo, wd, n)
        if first is None:
            return None
        first += timedelta(days=int(spec.get("plus", 0)))
        return first, first + timedelta(days=int(spec.get("length", 1)))  # "Labor Day weekend": 3 days
    if "days" in spec:
        (m1, d1), (m2, d2) = ((int(x) for x in s.split("-")) for s in spec["days"])
        first = date(year, m1, d1)
        after = date(year + (m2 < m1), m2, d2)
        return first, after
    return None


class HolidayReader:
    def _holiday(self, i: int, marked: bool) -> Piece | None:
        heads = self.lex.holidays.heads
        if self.w[i] not in heads and self.norm(i + 1) not in heads and self.norm(i + 2) not in heads:
            return None  # (the cheap test: no holiday word at or just after a modifier)
        o = self._offset(i) if self.w[i] not in heads else None
        m = self.lex.holidays.match(self.w, o[0] if o else i)
        if not m or (o and o[1] < -1):
            return None
        end, spec = m
        end, year = self._year_after(end)
        if year is None and i > 0 and self.norm(i - 1) in self.lex.since:  # "since Christmas": the latest
            o = (i, -1) if not o else o
        if o and year is None:  # "last Christmas": the latest before today; "this/next Christmas": the next
            years = [self.today.year, self.today.year - 1] if o[1] < 0 else [self.today.year, self.today.year + 1]
            for y in years:
                span = holiday_days(spec, y)
                if span and ((span[1] <= self.today) if o[1] < 0 else (o[1] == 0 or span[0] > self.today)):
                    year = y
                    break
        years = [year] if year is not None else [self.today.year - 1, self.today.year, self.today.year + 1]
        for y in years:
            span = holiday_days(spec, y)
            if span and (year is not None or span[1] > self.today):
                first, after = span
                p = Piece(i, end, day=max(first, self.today) if year is None and first < self.today else first,
                          grain="day", month_said=True)
                p.period = (first, after)  # "после Нового года": from the day after
                return p
        return None


__all__ = ["HolidayReader", "holiday_days"]
