"""Repetitions: "каждую среду", "по будням", "ежемесячно 1-го числа", "раз в
две недели", "every other Thursday", "every Monday and Wednesday" as an
RFC 5545 RRULE, with the first occurrence as the piece's day. A mixin of
`Scanner` (grammar/dates/scan.py)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sekretar.grammar.dates.calendar import nth_weekday
from sekretar.grammar.dates.piece import Piece, _add_months

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Repeat:
    freq: str                        # DAILY | WEEKLY | MONTHLY | YEARLY | HOURLY | MINUTELY
    interval: int = 1
    byday: tuple[int, ...] = ()      # weekdays, 0 = Monday
    nth: int | None = None           # with one byday: the n-th (or -1: last) of the month
    bymonthday: int | None = None

    def rrule(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            pre = str(self.nth) if self.nth else ""
            parts.append("BYDAY=" + ",".join(pre + DAYS[d] for d in self.byday))
        if self.bymonthday:
            parts.append(f"BYMONTHDAY={self.bymonthday}")
        return ";".join(parts)

    def matches(self, d: date) -> bool:
        if self.nth and self.byday:
            return d == nth_weekday(d.year, d.month, self.byday[0], self.nth)
        if self.byday and d.weekday() not in self.byday:
            return False
        return not self.bymonthday or d.day == self.bymonthday

    def first_on_or_after(self, d: date) -> date:
        """The first day from `d` on that the rule holds (d itself when it has no day)."""
        for k in range(400):
            day = d + timedelta(days=k)
            if self.matches(day):
                return day
        return d


class RepeatReader:
    def _repeat_piece(self, i: int, end: int, r: Repeat) -> Piece:
        return Piece(i, end, day=r.first_on_or_after(self.today), repeat=r, grain="day")

    def _more_days(self, j: int, days: list[int]) -> int:
        """"по понедельникам и средам", "every Monday and Thursday": more days."""
        lex = self.lex
        while self.norm(j) in (",", "и", "and") and j + 1 < self.n:
            k = j + 1
            m = lex.weekday_plurals.match(self.w, k) or self._bare_plural(k)
            w = lex.weekdays.match(self.w, k)
            if m:
                days.extend(d for d in m[1] if d not in days)
                j = m[0]
            elif w and not lex.of_month.match(self.w, w[0]):
                if w[1] not in days:
                    days.append(w[1])
                j = w[0]
            else:
                break
        return j

    def _bare_plural(self, k: int):
        """"средам" after "по понедельникам и": the plural without its "по"."""
        for lead in ("по", "on"):
            m = self.lex.weekday_plurals.match([lead, self.norm(k)], 0)
            if m and m[0] == 2:
                return k + 1, m[1]
        return None

    def _repeat(self, i: int, marked: bool) -> Piece | None:
        lex, w = self.lex, self.w
        m = lex.weekday_plurals.match(w, i)
        if m:
            days = list(m[1])
            end = self._more_days(m[0], days)
            return self._repeat_piece(i, end, Repeat("WEEKLY", byday=tuple(sorted(days))))
        m = lex.freq_words.match(w, i)
        if m and self.lang == "en" and not self._free(m[0]):
            m = None  # "quarterly report", "a weekly sync": an adjective of the title
        if m:
            spec = m[1] if isinstance(m[1], list) else [m[1], 1]
            r, end = Repeat(spec[0], int(spec[1])), m[0]
            k = end + (self.norm(end) in ("в", "во", "on"))
            wd = lex.weekday_plurals.match(w, k) or lex.weekdays.match(w, k)
            if r.freq == "WEEKLY" and wd:
                days = list(wd[1]) if isinstance(wd[1], list) else [wd[1]]
                end = self._more_days(wd[0], days)
                r = replace(r, byday=tuple(sorted(days)))
            return self._repeat_piece(i, end, r)
        m = lex.once_in.match(w, i)
        if m:
            return self._every_unit(i, m[0])
        m = lex.every.match(w, i)
        if not m:
            return None
        j = m[0]
        interval = 1
        o = lex.every_other.match(w, j)
        if o and (lex.weekdays.match(w, o[0]) or lex.period_units.match(w, o[0])):
            nth_day = lex.weekdays.match(w, o[0])
            if not (nth_day and lex.of_month.match(w, nth_day[0])):  # "каждый второй вторник месяца"
                interval, j = 2, o[0]
        wd = lex.weekdays.match(w, j)
        if wd:
            days = [wd[1]]
            end = self._more_days(wd[0], days)
            return self._repeat_piece(i, end, Repeat("WEEKLY", interval, tuple(sorted(days))))
        dp = lex.dayparts_every.match(w, j)
        if dp:
            p = self._repeat_piece(i, dp[0], Repeat("DAILY", interval))
            p.hm, p.grain = (int(dp[1][:2]), int(dp[1][3:])), "hour"
            return p
        nth = self._nth_weekday(j, marked=True, every=True)
        if nth:
            nth.start = i
            return nth
        num = self.number(j)
        if num is not None and num.ordinal and 1 <= num.value <= 31:  # "каждое 15-е число"
            end = num.end
            dw = lex.day_words.match(w, end)
            end = dw[0] if dw else end
            of = lex.of_month.match(w, end)
            end = of[0] if of else end
            return self._repeat_piece(i, end, Repeat("MONTHLY", bymonthday=num.value))
        return self._every_unit(i, j, interval)

    def _every_unit(self, i: int, j: int, interval: int = 1) -> Piece | None:
        """"каждые две недели", "раз в месяц", "every 3 days", "every week"."""
        lex = self.lex
        c = lex.count_words.match(self.w, j)
        if c:
            j, interval = c[0], c[1]
        else:
            num = self.number(j)
            if num is not None and not num.ordinal and 1 < num.value <= 366:
                j, interval = num.end, num.value
        u = lex.period_units.match(self.w, j)
        unit = u[1] if u else None
        if not u:
            u = lex.hour_units.match(self.w, j)
            unit = "hour" if u else None
        if not u:
            u = lex.minute_units.match(self.w, j)
            unit = "minute" if u else None
        if not u:
            return None
        spec = lex.repeat_units.match([unit], 0)
        if not spec:
            return None
        freq, mult = spec[1]
        r = Repeat(freq, interval * int(mult))
        if freq in ("HOURLY", "MINUTELY"):
            p = Piece(i, u[0], repeat=r, grain=unit)
            p.moment = self._next_hour() if freq == "HOURLY" else self.now.replace(second=0, microsecond=0)
            return p
        return self._repeat_piece(i, u[0], r)

    def _next_hour(self):
        nxt = (self.now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        return nxt


__all__ = ["Repeat", "RepeatReader", "DAYS", "_add_months"]
