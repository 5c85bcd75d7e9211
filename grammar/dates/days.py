"""Days as said: "12 декабря", "12.12.2019", "двенадцатое апреля две тысячи
двенадцатого года", "в следующий вторник", "через 3 дня", "December 12th",
"the 12th". A mixin of `Scanner` (grammar/dates/scan.py), which provides the
tokens, numbers, word tables and `today`."""
from __future__ import annotations

from datetime import date, timedelta

from sekretar.grammar.dates.nights import NightReader
from sekretar.grammar.dates.relative import RelativeReader
from sekretar.grammar.dates.piece import Piece, _add_months


def _century(yy: int, this_year: int) -> int:
    """"12.12.19" → 2019, "01.02.97" → 1997: the century that puts it nearer today."""
    base = this_year - this_year % 100
    return min((base - 100 + yy, base + yy, base + 100 + yy), key=lambda y: abs(y - this_year))


class DayReader(RelativeReader, NightReader):
    def _slash_date(self, i: int, marked: bool) -> Piece | None:
        """"4/25", "4/25/2027" (English: month first), "25/04" (Russian: day first)."""
        if self.norm(i + 1) != "/":
            return None
        a, b = self.number(i), self.number(i + 2)
        if a is None or b is None or not a.digits or not b.digits or a.end != i + 1 or b.end != i + 3:
            return None
        end, year = i + 3, None
        if self.norm(end) == "/":
            y = self.number(end + 1)
            if y is None or not y.digits or y.end != end + 2:
                return None
            year = y.value if len(y.text) == 4 else _century(y.value, self.today.year)
            end = end + 2
        if self.lex.months.match(self.w, end):
            return None  # "3/5 марта": a range of days
        if year is None and b.digits and len(b.text) == 4 and 1 <= a.value <= 12 and 1900 <= b.value <= 2199:
            first = date(b.value, a.value, 1)  # "03/2020": a month of a year
            return self._period_piece(i, end, "month", first, _add_months(first, 1), point=first)
        mo, d = (a.value, b.value) if self.lang == "en" else (b.value, a.value)
        if self.lang == "en" and mo > 12 >= d:  # "29/03": day first when it can only be so
            mo, d = d, mo
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        day = self._future(d, mo, year)
        return Piece(i, end, day=day, month_said=True, grain="day") if day else None

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
        for name in ("next", "this", "prev", "prev2"):
            m = getattr(lex, name).match(self.w, j)
            if m:
                j, mode = m[0], name
                break
        w = lex.weekdays.match(self.w, j)
        if not w:
            return None
        if mode == "plain" and not marked and self.norm(j) in lex.need_marker and not (
                self.lang == "en" and self._alone(i, w[0])):
            nxt = self.norm(w[0] + (self.norm(w[0]) == ","))
            if not (nxt == "the" or nxt[:1].isdigit() or lex.months.match(self.w, w[0] + (self.norm(w[0]) == ","))):
                # "Wed the 9th", "пт, 12 апреля", "Mon, Feb 18": an apposition ("Mon" said alone: a day)
                return None
        today, wd = self.today, w[1]
        if mode == "plain" and i > 0 and self.norm(i - 1) in lex.since:  # "since Friday": the latest, today included
            return Piece(i, w[0], day=today - timedelta(days=(today.weekday() - wd) % 7), named=True, grain="day")
        an = lex.weekday_after.match(self.w, w[0]) if mode == "plain" and self.lang == "en" else None
        if an:  # "the Friday after next": the second one ahead; "the Friday before last": the second back
            if an[1] > 0:
                day = today + timedelta(days=((wd - today.weekday()) % 7 or 7) + 7)
            else:
                day = today - timedelta(days=((today.weekday() - wd) % 7 or 7) + 7)
            return Piece(i, an[0], day=day, named=True, grain="day")
        if mode in ("prev", "prev2"):  # the most recent such day before today (a week more: позапрошлый)
            back = (today.weekday() - wd) % 7 or 7
            back += 7 if mode == "prev2" else 0
            return Piece(i, w[0], day=today - timedelta(days=back), named=True, grain="day")
        if mode == "next":
            delta = 7 - today.weekday() + wd
        else:
            delta = (wd - today.weekday()) % 7
            if delta == 0 and mode == "plain":
                delta = 7
        return Piece(i, w[0], day=today + timedelta(days=delta), weekday=wd if mode == "plain" else None, named=True,
                     grain="day")

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
        if num is not None and self.lang == "en" and num.value in (19, 20) and not num.digits:
            low = self.number(num.end)  # "twenty twenty", "nineteen ninety-nine": a year read aloud
            if low is not None and not low.digits and not low.ordinal and 10 <= low.value <= 99:
                return low.end, num.value * 100 + low.value
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
                if len(parts) == 2 and len(parts[1]) == 4 and "." in norm and 1 <= nums[0] <= 12 \
                        and 1900 <= nums[1] <= 2199:  # "03.2020": a month of a year
                    first = date(nums[1], nums[0], 1)
                    return self._period_piece(i, i + 1, "month", first, _add_months(first, 1), point=first)
                if len(nums) == 3:
                    ylen = len(parts[0]) if len(parts[0]) == 4 else len(parts[2])
                    year = _century(nums[2], self.today.year) if ylen <= 2 else nums[2]
                if 1 <= nums[0] <= 31 and 1 <= nums[1] <= 12 and not (
                        len(parts) == 2 and self.lex.units.match(self.w, i + 1)):  # "2.5 hours" is a length
                    d = self._future(nums[0], nums[1], year)
                    if d:
                        return Piece(i, i + 1, day=d, month_said=True, grain="day")
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
                    return Piece(i, end, day=d, month_said=True, grain="day")
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
            return Piece(i, end, day=d, month_said=True, grain="day") if d else None
        # a day of month alone: "12-го", "12th", "12 числа", "на двенадцатое"
        # (a word only when nothing else follows it: "на первое место" is no date),
        # or a range's start "с 28 по 3 апреля"
        dw = lex.day_words.match(self.w, j)
        if not dw and self.norm(j) in lex.not_after_hour:
            return None  # "в 3-м кабинете", "на 2-м этаже": a counted thing, no day
        if (dw or (num.ordinal and (num.digits or (marked and self._free(j))))
                or (self.lone_day_ok and num.value > 24 and not num.ordinal)):
            end = dw[0] if dw else j
            d = self._future(num.value, None, None)
            if d:
                return Piece(i, end, day=d, partial_day=num.value, grain="day")
        return None

    def _alone(self, i: int, end: int) -> bool:
        """Tokens [i, end) are all that was said, bar punctuation and a leading
        "the"/"on"/"in": a reply to "when?" ("Mon", "April", "2020")."""
        t = self.t
        alone = (all(not t[k].is_word or t[k].norm in ("the", "on", "in") for k in range(i))
                 and all(not t[k].is_word for k in range(end, self.n)))
        if alone:
            self.alone_read = True  # DateSpan.alone: a reply to "who?"/"what?" is no date ("April")
        return alone

    def _free(self, j: int) -> bool:
        """Nothing but punctuation, a conjunction or another date word at j."""
        if j >= self.n:
            return True
        norm = self.t[j].norm
        return (not self.t[j].is_word or norm in self.lex.starters or norm in ("и", "and")
                or self.lex.range_to.match(self.w, j) is not None)

