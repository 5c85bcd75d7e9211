"""A piece of a date expression (a day, a time, a part of the day, the
all-day marker) and the small helpers the readers share."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

# how freely a lone number may be read as an hour
STRICT, MINUTES, ANY = 0, 1, 2


@dataclass
class Piece:
    start: int
    end: int
    day: date | None = None
    partial_day: int | None = None     # a day of month said without a month ("на двенадцатое")
    month_said: bool = False           # the day came with its month (a range start may borrow it)
    hm: tuple[int, int] | None = None  # (24, 0) is the midnight that ends the day
    bare: bool = False                 # hour said without am/pm/24h form: working-hours rule applies
    meridiem: str | None = None        # am | pm | night said with the hour
    lone: int | None = None            # the time was one plain number ("с 12 по 15 декабря")
    daypart: str | None = None         # "утром": am | pm | night
    daypart_hm: tuple[int, int] | None = None
    moment: datetime | None = None     # "через 2 часа"
    all_day: bool = False
    weekday: int | None = None         # the day came from a weekday name ("в среду")
    next_week: bool = False            # the day came from "на следующей неделе"
    named: bool = False                # the day came from any weekday name ("в следующую среду")
    spans: list[tuple[int, int]] = field(default_factory=list)

    def _week_pair(self, q: "Piece") -> bool:
        return (self.weekday is not None and q.next_week) or (self.next_week and q.weekday is not None)

    def _apposition(self, q: "Piece") -> bool:
        """"в среду, 27 марта": a weekday name next to a full date."""
        return bool(self.day and q.day and ((self.named and q.month_said and not q.named)
                                            or (q.named and self.month_said and not self.named)))

    def compatible(self, q: "Piece") -> bool:
        if q.moment or self.moment:
            return False
        if self._week_pair(q) and not (q.hm and self.hm):
            return True  # "в среду на следующей неделе"
        if self._apposition(q) and not (q.hm and self.hm):
            return True
        if q.day and self.day or q.hm and self.hm or q.daypart and self.daypart:
            return False
        return bool(q.day or q.hm or q.daypart or (q.all_day and not self.all_day))

    def merge(self, q: "Piece") -> None:
        if self._week_pair(q):
            wd = self.weekday if self.weekday is not None else q.weekday
            monday = self.day if self.next_week else q.day
            self.day = monday + timedelta(days=wd)
            self.weekday, self.next_week, q = None, False, replace(q, day=None, weekday=None, next_week=False)
        if self._apposition(q):  # the date wins over the weekday name
            if q.month_said:
                self.day, self.named = q.day, False
            q = replace(q, day=None, named=False)
        for name in ("day", "partial_day", "hm", "daypart", "daypart_hm", "meridiem", "lone"):
            if getattr(self, name) is None and getattr(q, name) is not None:
                setattr(self, name, getattr(q, name))
        if q.hm:
            self.bare = q.bare
        self.month_said = self.month_said or q.month_said
        self.all_day = self.all_day or q.all_day
        self.spans.extend(q.spans or [(q.start, q.end)])
        self.end = max(self.end, q.end)


def _hm(text: str) -> tuple[int, int]:
    h, m = text.split(":")
    return int(h), int(m)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    return date(y, m, 28)


def _clock(norm: str) -> tuple[int, int, str | None, bool] | None:
    """"13:15", "9:30", "7pm", "1:15pm", "24:00" → (h, m, meridiem, zero-padded/24h)."""
    mer = None
    if len(norm) > 2 and norm[-2:] in ("am", "pm") and norm[-3].isdigit():
        mer, norm = norm[-2:], norm[:-2]
    h_s, sep, m_s = norm.partition(":")
    if not (h_s.isdigit() and h_s.isascii() and len(h_s) <= 2):
        return None
    if sep and not (m_s.isdigit() and m_s.isascii() and len(m_s) == 2):
        return None
    if not sep and mer is None:
        return None
    h, m = int(h_s), int(m_s) if sep else 0
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return h, m, mer, len(h_s) == 2 or h == 0 or h > 12


def apply_meridiem(h: int, mer: str | None) -> int:
    if mer == "am":
        return 0 if h == 12 else h
    if mer == "pm":
        return h + 12 if h < 12 else h
    if mer == "night":
        return 0 if h == 12 else (h + 12 if 6 <= h < 12 else h)
    return h


