"""Days as said: "12 декабря", "12.12.2019", "двенадцатое апреля две тысячи
двенадцатого года", "в следующий вторник", "через 3 дня", "December 12th",
"the 12th". A mixin of `Scanner` (grammar/dates/scan.py), which provides the
tokens, numbers, word tables and `today`."""
from __future__ import annotations

from datetime import date, timedelta, timezone

from sekretar.grammar.dates.piece import Piece, _add_months


class DayReader:
    def _future(self, day: int, month: int | None, year: int | None) -> date | None:
        """A day said without a year: this year's, or next year's if it is past."""
        today = self.today
        if month is None:  # a day of month alone: this month's, else the next month that has it
            first = today.replace(day=1)
            for k in range(3):
                m = _add_months(first, k)
                try:
                    d = m.replace(day=day)
                except ValueError:
                    continue
                if d >= today:
                    return d
            return None
        try:
            if year is not None:
                return date(year, month, day)
        except ValueError:
            return None
        for y in range(today.year, today.year + 5):  # 29 февраля: the next leap year
            try:
                d = date(y, month, day)
            except ValueError:
                continue
            if d >= today:
                return d
        return None

    def _weekday(self, i: int, marked: bool) -> Piece | None:
        lex, j, mode = self.lex, i, "plain"
        m = lex.next.match(self.w, j)
        if m:
            j, mode = m[0], "next"
        else:
            m = lex.this.match(self.w, j)
            if m:
                j, mode = m[0], "this"
        w = lex.weekdays.match(self.w, j)
        if not w:
            return None
        if mode == "plain" and not marked and self.norm(j) in lex.need_marker:
            return None
        today, wd = self.today, w[1]
        if mode == "next":
            delta = 7 - today.weekday() + wd
        else:
            delta = (wd - today.weekday()) % 7
            if delta == 0 and mode == "plain":
                delta = 7
        return Piece(i, w[0], day=today + timedelta(days=delta), weekday=wd if mode == "plain" else None, named=True)

    def _after(self, i: int, marked: bool) -> Piece | None:
        lex = self.lex
        m = lex.after.match(self.w, i)
        if not m:
            return None
        j, count = m[0], 1
        half = lex.half_units.match(self.w, j)
        if half:
            end, (unit, count) = half[0], half[1]
        else:
            c = lex.count_words.match(self.w, j)
            if c:
                j, count = c
            else:
                num = self.number(j)
                if num is not None and not num.ordinal:
                    j, count = num.end, num.value
            u = lex.units.match(self.w, j)
            if not u:
                return None
            end, unit = u
        if count > 1000:  # "через 5000 лет": not a plan
            return None
        p = Piece(i, end)
        if unit in ("hours", "minutes"):
            delta = timedelta(hours=count) if unit == "hours" else timedelta(minutes=count)
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
        elif unit == "months":
            p.day = _add_months(self.today, count)
        else:
            p.day = _add_months(self.today, 12 * count)
        return p

    def _month(self, i: int, marked: bool) -> Piece | None:
        """"в мае", "к декабрю": the 1st of that month (the next one to come)."""
        if not marked or self.lang != "ru":
            return None
        m = self.lex.months.match(self.w, i)
        if not m:
            return None
        today = self.today
        if m[1] == today.month:
            return None  # "в марте" said in March: no day to pick
        year = today.year + (m[1] < today.month)
        return Piece(i, m[0], day=date(year, m[1], 1), month_said=True)

    def _year(self, i: int) -> tuple[int, int] | None:
        num = self.number(i)
        if num is None or not 1900 <= num.value <= 2199:
            return None
        if num.digits and len(num.text) != 4:
            return None
        end = num.end
        y = self.lex.year_words.match(self.w, end)
        if y:
            end = y[0]
        return end, num.value

    def _date(self, i: int, marked: bool) -> Piece | None:
        lex, norm = self.lex, self.norm(i)
        # 12.12, 12.12.2019, 2019-12-12
        if norm[:1].isdigit() and ("." in norm or norm.count("-") == 2):
            parts = norm.replace("-", ".").split(".")
            if all(p.isdigit() and p.isascii() for p in parts) and len(parts) in (2, 3):
                nums = [int(p) for p in parts]
                if len(parts) == 3 and len(parts[0]) == 4:
                    nums = [nums[2], nums[1], nums[0]]
                year = None
                if len(nums) == 3:
                    year = nums[2] + 2000 if nums[2] < 100 else nums[2]
                if 1 <= nums[0] <= 31 and 1 <= nums[1] <= 12:
                    d = self._future(nums[0], nums[1], year)
                    if d:
                        return Piece(i, i + 1, day=d, month_said=True)
            return None
        # month first (English): "December 12", "Dec 12th, 2019"
        m = lex.months.match(self.w, i)
        if m and self.lang == "en":
            j = m[0] + (self.norm(m[0]) == ".")  # "Dec. 12"
            j += self.norm(j) == "the"
            num = self.number(j)
            if num and 1 <= num.value <= 31:
                end, year = num.end, None
                k = end + (self.norm(end) in (",", "."))
                y = self._year(k)
                if y:
                    end, year = y
                d = self._future(num.value, m[1], year)
                if d:
                    return Piece(i, end, day=d, month_said=True)
            return None
        num = self.number(i)
        if num is None or not 1 <= num.value <= 31:
            return None
        j = num.end
        if self.lang == "en" and self.norm(j) == "of":
            j += 1
        m = lex.months.match(self.w, j)
        if m:
            end, year = m[0], None
            k = end + (self.norm(end) in (",", "."))
            y = self._year(k)
            if y:
                end, year = y
            d = self._future(num.value, m[1], year)
            return Piece(i, end, day=d, month_said=True) if d else None
        # a day of month alone: "12-го", "12th", "12 числа", "на двенадцатое"
        # (a word only when nothing else follows it: "на первое место" is no date),
        # or a range's start "с 28 по 3 апреля"
        dw = lex.day_words.match(self.w, j)
        if (dw or (num.ordinal and (num.digits or (marked and self._free(j))))
                or (self.lone_day_ok and num.value > 24 and not num.ordinal)):
            end = dw[0] if dw else j
            d = self._future(num.value, None, None)
            if d:
                return Piece(i, end, day=d, partial_day=num.value)
        return None

    def _free(self, j: int) -> bool:
        """Nothing but punctuation, a conjunction or another date word at j."""
        if j >= self.n:
            return True
        norm = self.t[j].norm
        return (not self.t[j].is_word or norm in self.lex.starters or norm in ("и", "and")
                or self.lex.range_to.match(self.w, j) is not None)
