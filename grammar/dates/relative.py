"""Counts from now: "через 3 дня", "через полтора часа", "через 2 часа 30
минут", "in 1.5 hours", "in about an hour", "минут через десять", "дня три
назад" (the unit first, about that many). A mixin of `Scanner` (DayReader's
base); "N units ago" is periods.py's."""
from __future__ import annotations

from datetime import timedelta, timezone

from sekretar.grammar.dates.piece import Piece, _add_months


class RelativeReader:
    def _after(self, i: int, marked: bool) -> Piece | None:
        lex = self.lex
        m = lex.after.match(self.w, i)
        if not m:
            return None
        j, count, and_half = m[0], 1, False
        ap = lex.approx.match(self.w, j) if self.norm(j) in lex.approx.heads else None
        if ap:  # "in about an hour"
            j = ap[0]
        j0 = j
        half = lex.half_units.match(self.w, j)
        if half:
            end, (unit, count) = half[0], half[1]
        else:
            c = lex.count_words.match(self.w, j)
            dec = None if c else self._decimal(j)
            if dec:  # "через 1,5 часа", "через 2.5 часа": hours and a half
                j, count, and_half = dec
            elif c:
                j, count = c
            else:
                num = self.number(j)
                if num is not None and not num.ordinal:
                    j, count = num.end, num.value
                    ah = lex.and_half.match(self.w, j)  # "через два с половиной часа"
                    if ah:
                        j, and_half = ah[0], True
            u = lex.units.match(self.w, j)
            if not u:
                return self._after_length(i, j0)
            if and_half and u[1] != "hours":
                return None
            end, unit = u
        if count > 1000:  # "через 5000 лет": not a plan
            return None
        if unit == "days" and self.norm(end - 1) in ("сутки", "суток"):  # "через сутки": 24 hours from now
            unit, count = "hours", 24 * count
        p = Piece(i, end)
        if unit in ("hours", "minutes"):
            end, extra = self._after_minutes(end, unit, and_half)
            p.end = end
            delta = (timedelta(hours=count) if unit == "hours" else timedelta(minutes=count)) + extra
            tz = self.now.tzinfo
            if tz is None:  # a naive now (not the contract): naive arithmetic
                p.moment = (self.now + delta).replace(second=0, microsecond=0)
            else:  # real elapsed time, across a DST change too
                p.moment = (self.now.astimezone(timezone.utc) + delta).astimezone(tz).replace(
                    second=0, microsecond=0)
        elif unit == "days":
            p.day = self.today + timedelta(days=count)
        elif unit == "weeks":
            p.day = self.today + timedelta(days=7 * count)
            p.monday = p.day - timedelta(days=p.day.weekday())  # "в пятницу через неделю": that week's Friday
        elif unit == "months":
            p.day = _add_months(self.today, count)
        else:
            p.day = _add_months(self.today, 12 * count)
        p.grain = "minute" if p.moment else "day"
        if self.lang == "en" and self.norm(i) == "after":
            p.kind = "after"  # "after 5 days": from then on
        return p

    def _about_after(self, i: int, marked: bool) -> Piece | None:
        """"минут через десять", "часа через два", "дней через пять" (about
        that many units from now, read as "через N"); "дня три назад"."""
        if self.lang != "ru":
            return None
        u = self.lex.units.match(self.w, i)
        if not u:
            return None
        a = self.lex.after.match(self.w, u[0])
        num = self.number(a[0] if a else u[0])
        if num is None or num.ordinal or not 0 < num.value <= 1000:
            return None
        if a:
            return self._shifted(i, num.end, u[1], num.value)
        ago = self.lex.ago.match(self.w, num.end)
        return self._shifted(i, ago[0], u[1], -num.value) if ago else None

    def _decimal(self, j: int) -> tuple[int, int, bool] | None:
        """"1,5" / "1.5" / "2,5" before a unit: (end, whole part, and a half)."""
        norm = self.norm(j)
        if "." in norm:
            a, _, b = norm.partition(".")
            end = j + 1
        elif norm.isdigit() and self.norm(j + 1) == "," and self.norm(j + 2).isdigit():
            a, b, end = norm, self.norm(j + 2), j + 3
        else:
            return None
        if not (a.isdigit() and a.isascii() and b == "5" and len(a) <= 3):
            return None
        return end, int(a), True

    def _after_minutes(self, end: int, unit: str, and_half: bool) -> tuple[int, timedelta]:
        """The rest of a length after its hours: "с половиной", "(и) 30 минут"."""
        extra = timedelta(minutes=30) if and_half else timedelta(0)
        if unit != "hours" or and_half:
            return end, extra
        ah = self.lex.and_half.match(self.w, end)
        if ah:  # "через час с половиной"
            return ah[0], timedelta(minutes=30)
        k = end + (self.norm(end) in ("и", "and"))
        num = self.number(k)
        if num is not None and not num.ordinal and 0 < num.value < 60:
            u = self.lex.units.match(self.w, num.end)
            if u and u[1] == "minutes":  # "через 2 часа 30 минут", "через час и 15 минут"
                return u[0], timedelta(minutes=num.value)
        return end, extra

    def _after_length(self, i: int, j: int) -> Piece | None:
        """"in 1.5 hours", "in one and a half hours": a length in real time."""
        ln = self._length(j) if self.lang == "en" else None
        if not ln or not ln[1] % timedelta(days=1):
            return None
        p = Piece(i, ln[0], grain="minute")
        tz = self.now.tzinfo
        p.moment = ((self.now + ln[1]) if tz is None else
                    (self.now.astimezone(timezone.utc) + ln[1]).astimezone(tz)).replace(second=0, microsecond=0)
        return p


__all__ = ["RelativeReader"]
