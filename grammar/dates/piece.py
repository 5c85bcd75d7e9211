"""A piece of a date expression (a day, a time, a part of the day, the
all-day marker) and the small helpers the readers share."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sekretar.grammar.dates.repeat import Repeat

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
    monday: date | None = None         # a week said as an anchor ("на следующей неделе"): its Monday
    month_first: date | None = None    # a month said as an anchor ("следующего месяца"): its 1st
    # the typed value beyond a point (docs/dates.md "The time value")
    grain: str | None = None           # minute | hour | day | week | month | quarter | year
    period: tuple[date, date] | None = None        # a span of whole days [first, after last)
    hours: tuple[int, int] | None = None           # a part of the day as a period [h1, h2) of its day
    kind: str | None = None            # before | after: an open bound ("до пятницы", "не раньше 16")
    duration: timedelta | None = None  # a length said ("на два часа")
    repeat: "Repeat | None" = None     # a repetition said ("каждую среду")
    zone: str | None = None            # the time was said in this IANA zone ("по Москве")
    lead: timedelta | None = None      # a reminder ahead of the item ("за 15 минут")
    about: bool = False                # "за прошлый месяц": a period a title is about (find.py)
    hours_own: bool = False            # hm is the point of the part of the day said ("после обеда")
    spanning: bool = False             # the period is what was said, bound or not ("в течение месяца")
    after_midnight: bool = False       # a night's day already moved past its midnight ("сегодня ночью в 2")
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def extra_only(self) -> bool:
        """Only a length, a zone or a bound: it qualifies another piece."""
        return not (self.day or self.hm or self.daypart or self.daypart_hm or self.moment or self.period or self.repeat
                    or self.all_day or self.monday or self.month_first)

    def _week_pair(self, q: "Piece") -> bool:
        return bool((self.weekday is not None and q.monday) or (self.monday and q.weekday is not None))

    def _month_pair(self, q: "Piece") -> bool:
        """"3-го числа следующего месяца", "the first Monday of next month"."""
        return bool((self.partial_day and q.month_first and not self.month_first)
                    or (self.month_first and q.partial_day and not q.month_first))

    def _repeat_pair(self, q: "Piece") -> bool:
        """"раз в две недели по вторникам": an interval and the days of one weekly rule."""
        a, b = self.repeat, q.repeat
        return bool(a and b and a.freq == b.freq == "WEEKLY" and bool(a.byday) != bool(b.byday)
                    and (a.interval == 1 or b.interval == 1))

    def _repeat_day(self, q: "Piece") -> bool:
        """"ежемесячно 1-го числа": a monthly repetition takes the day of the month."""
        r = self.repeat or q.repeat
        other = q if self.repeat else self
        return bool(r and not (self.repeat and q.repeat) and other.partial_day and r.freq == "MONTHLY"
                    and not r.bymonthday)

    def _apposition(self, q: "Piece") -> bool:
        """"в среду, 27 марта": a weekday name next to a full date."""
        return bool(self.day and q.day and ((self.named and (q.month_said or q.partial_day) and not q.named)
                                            or (q.named and (self.month_said or self.partial_day)
                                                and not self.named)))

    def compatible(self, q: "Piece") -> bool:
        if q.extra_only or self.extra_only:  # a length, a zone, a bound: once each
            return not ((q.duration and self.duration) or (q.zone and self.zone) or (q.kind and self.kind)
                        or (q.lead and self.lead))
        if q.moment or self.moment:
            return False
        if self._month_pair(q) or self._repeat_day(q) or self._repeat_pair(q):
            return not (q.hm and self.hm)
        if (q.repeat and self.repeat) or (q.period and self.period and (q.day or self.day)):
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
            monday = self.monday or q.monday
            self.day = monday + timedelta(days=wd)
            self.period, self.grain = None, (self.grain if self.hm else None)  # "at 3pm Wednesday next week"
            self.weekday, self.next_week, self.monday = None, False, None
            q = replace(q, day=None, weekday=None, next_week=False, monday=None, period=None, grain=None)
        if self._month_pair(q):
            first = self.month_first or q.month_first
            num = self.partial_day or q.partial_day
            self.day = first.replace(day=min(num, _month_days(first)))
            self.partial_day, self.month_first, self.period, self.grain = None, None, None, None
            q = replace(q, day=None, partial_day=None, month_first=None, period=None, grain=None)
        if self._repeat_pair(q):
            a, b = self.repeat, q.repeat
            byday = a.byday or b.byday
            self.repeat = replace(a, byday=byday, interval=max(a.interval, b.interval))
            self.day = self.day if a.byday else q.day
            q = replace(q, day=None, repeat=None)
        if self._repeat_day(q):
            r = self.repeat or q.repeat
            other = q if self.repeat else self
            self.repeat = replace(r, bymonthday=other.partial_day)
            self.day, self.partial_day = other.day, None
            q = replace(q, day=None, partial_day=None, repeat=None)
        if self._apposition(q):  # the date wins over the weekday name
            named = self if self.named else q
            dated = q if self.named else self
            if dated.partial_day and not dated.month_said:  # "Wed the 9th": the next 9th that is a Wednesday
                self.day = _day_on_weekday(dated.day, dated.partial_day, named.day.weekday())
                self.named = False
                self.partial_day = None
            elif q.month_said:
                self.day, self.named = q.day, False
            q = replace(q, day=None, named=False, partial_day=None)
        if self.day is None and q.day is not None:  # "at 7:30 pm on Fri, Sep 20", "at 3pm Wednesday next week":
            self.named, self.weekday = q.named, q.weekday  # the weekday still meets its date or its week
        mine, theirs = self.__dict__, q.__dict__  # the fields not said yet come from q
        for name in _MERGED:
            if mine[name] is None and theirs[name] is not None:
                mine[name] = theirs[name]
        if q.hm:
            self.bare = q.bare
            self.hours_own = q.hours_own
            if self.grain in (None, "day", "hour") or q.grain == "minute":
                self.grain = q.grain
        if self.hours and self.period and (self.period[1] - self.period[0]).days <= 1:
            self.period = None  # "Christmas morning": the part of the day said is the period
        self.month_said = self.month_said or q.month_said
        self.all_day = self.all_day or q.all_day
        if (self.hours == (22, 30) and self.day is not None and self.hm is not None and not self.after_midnight
                and (apply_meridiem(self.hm[0], self.daypart) if self.bare and self.daypart else self.hm[0]) < 12):
            # "сегодня ночью в 2": 02:00 after tonight's midnight ("last night at 11" is 23:00, before it)
            self.day += timedelta(days=1)
            self.after_midnight = True
        self.spans.extend(q.spans or [(q.start, q.end)])
        self.end = max(self.end, q.end)


_MERGED = ("day", "partial_day", "hm", "daypart", "daypart_hm", "meridiem", "lone", "hours", "kind",
           "duration", "repeat", "zone", "lead", "monday", "month_first", "period", "grain", "moment")


def _day_on_weekday(first: date, day: int, weekday: int) -> date:
    """The first day numbered `day` on `weekday` from `first` on (within a
    year and a half), else `first`."""
    m = first.replace(day=1)
    for k in range(18):
        try:
            d = _add_months(m, k).replace(day=day)
        except ValueError:
            continue
        if d >= first and d.weekday() == weekday:
            return d
    return first


def _month_days(first: date) -> int:
    return (_add_months(first, 1) - first).days


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
    if norm[-3:-2] == ":" and norm.count(":") == 2 and norm[-2:].isdigit() and norm[-2:].isascii() \
            and int(norm[-2:]) < 60:
        norm = norm[:-3]  # "15:30:00": the seconds are below the contract's grain
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
    return h, m, mer, h_s[0] == "0" or h == 0 or h > 12  # "11:30 tonight" takes its part of the day


def apply_meridiem(h: int, mer: str | None) -> int:
    if mer == "am":
        return 0 if h == 12 else h
    if mer == "pm":
        return h + 12 if h < 12 else h
    if mer == "night":
        return 0 if h == 12 else (h + 12 if 6 <= h < 12 else h)
    return h


