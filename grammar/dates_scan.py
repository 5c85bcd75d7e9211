"""Pieces of a date expression found at one token: a day ("12 декабря",
"в следующий вторник", "через 3 дня"), a time ("в 13:15", "в девять часов
тридцать одну минуту", "после обеда"), a part of the day ("утром"), or the
all-day marker. `Scanner.point` joins adjacent pieces ("на завтра в 9
вечера"), `Scanner.range` reads "с ... до/по ...". Resolution to datetimes
and the conventions live in grammar/dates.py; the words in data/dates_*.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone

from grammar.dates_lex import DateLexicon
from grammar.numbers import Number, digits_value, lexicon as number_lexicon, parse_number
from grammar.tokens import Token

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
    spans: list[tuple[int, int]] = field(default_factory=list)

    def _week_pair(self, q: "Piece") -> bool:
        return (self.weekday is not None and q.next_week) or (self.next_week and q.weekday is not None)

    def compatible(self, q: "Piece") -> bool:
        if q.moment or self.moment:
            return False
        if self._week_pair(q) and not (q.hm and self.hm):
            return True  # "в среду на следующей неделе"
        if q.day and self.day or q.hm and self.hm or q.daypart and self.daypart:
            return False
        return bool(q.day or q.hm or q.daypart or (q.all_day and not self.all_day))

    def merge(self, q: "Piece") -> None:
        if self._week_pair(q):
            wd = self.weekday if self.weekday is not None else q.weekday
            monday = self.day if self.next_week else q.day
            self.day = monday + timedelta(days=wd)
            self.weekday, self.next_week, q = None, False, replace(q, day=None, weekday=None, next_week=False)
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


class Scanner:
    def __init__(self, tokens: list[Token], now: datetime, lex: DateLexicon):
        self.t = tokens
        self.w = [t.norm for t in tokens]
        self.n = len(tokens)
        self.now = now
        self.today = now.date()
        self.lex = lex
        self.lang = lex.lang
        self.nums = number_lexicon(lex.lang)
        self.lone_day_ok = False  # while reading a range's start
        self._numbers: dict[int, Number | None] = {}

    # --- helpers -----------------------------------------------------------
    def norm(self, i: int) -> str:
        return self.w[i] if i < self.n else ""

    def may_start(self, i: int) -> bool:
        """Cheap test: can anything of ours start at token i?"""
        norm = self.w[i]
        return (norm in self.lex.starters or norm[:1].isdigit() or norm.startswith("пол")
                or ("-" in norm and norm.partition("-")[0] in self.lex.starters))

    def number(self, i: int) -> Number | None:
        if i >= self.n:
            return None
        memo = self._numbers
        if i not in memo:
            memo[i] = parse_number(self.t, i, self.lang)
        return memo[i]

    def _future(self, day: int, month: int | None, year: int | None) -> date | None:
        """A day said without a year: this year's, or next year's if it is past."""
        today = self.today
        try:
            if month is None:  # a day of month alone: this month's, else next month's
                d = date(today.year, today.month, day)
                return d if d >= today else _add_months(d, 1) if day <= 28 else None
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

    # --- pieces ------------------------------------------------------------
    def piece(self, i: int, level: int, stop_to: bool = False) -> Piece | None:
        """One piece at token i, with its markers ("на", "в", "со сроком")."""
        p = self._phrase(i)
        if p:
            return p
        j, marked = i, False
        for _ in range(3):
            if stop_to and self.lex.range_to.match(self.w, j):
                break
            m = self.lex.markers.match(self.w, j)
            if not m:
                break
            j, allow_bare = m
            marked = True
            if allow_bare:
                level = ANY
            p = self._phrase(j)
            if p:
                p.start = i
                return p
        # in a range ("с двенадцатого по пятнадцатое", "с понедельника по
        # среду") each side counts as marked
        p = self._core(j, level, marked or level == ANY)
        if p:
            p.start = i
        return p

    def _phrase(self, i: int) -> Piece | None:
        m = self.lex.phrases.match(self.w, i)
        if not m:
            return None
        end, spec = m
        p = Piece(i, end)
        if "days" in spec:
            p.day = self.today + timedelta(days=spec["days"])
        if "week" in spec:
            p.day = self.today + timedelta(days=7 * spec["week"] - self.today.weekday())
            p.next_week = spec["week"] == 1 and "plus" not in spec
            p.day += timedelta(days=spec.get("plus", 0))
        if "weekday" in spec:  # the nearest such day, today included
            p.day = self.today + timedelta(days=(spec["weekday"] - self.today.weekday()) % 7)
        if "month_end" in spec:
            p.day = _add_months(self.today.replace(day=1), spec["month_end"] + 1) - timedelta(days=1)
        if "month" in spec:
            p.day = _add_months(self.today.replace(day=1), spec["month"])
        if "year" in spec:
            p.day = date(self.today.year + spec["year"], 1, 1)
        if "daypart" in spec:
            p.daypart, p.daypart_hm = spec["daypart"], _hm(spec["time"])
        elif "time" in spec:
            p.hm = _hm(spec["time"])
        p.all_day = bool(spec.get("all_day"))
        return p

    def _core(self, i: int, level: int, marked: bool) -> Piece | None:
        if i >= self.n:
            return None
        if not self.may_start(i):
            return None
        if level == ANY:  # "в 13.15" after a time marker is a time, not a date
            p = self._dotted_time(i)
            if p:
                return p
        for f in (self._weekday, self._after, self._date, self._month):
            p = f(i, marked)
            if p:
                return p
        return self._time(i, level)

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
        return Piece(i, w[0], day=today + timedelta(days=delta), weekday=wd if mode == "plain" else None)

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
            p.moment = (self.now.astimezone(timezone.utc) + delta).astimezone(tz).replace(second=0, microsecond=0)
        elif unit == "days":
            p.day = self.today + timedelta(days=count)
        elif unit == "weeks":
            p.day = self.today + timedelta(days=7 * count)
        elif unit == "months":
            p.day = _add_months(self.today, count)
        else:
            p.day = _add_months(self.today, 12 * count)
        return p

    def _dotted_time(self, i: int) -> Piece | None:
        h_s, sep, m_s = self.norm(i).partition(".")
        if not (sep and h_s.isdigit() and m_s.isdigit() and len(h_s) <= 2 and len(m_s) == 2
                and h_s.isascii() and m_s.isascii() and int(h_s) <= 23 and int(m_s) <= 59):
            return None
        end, mer = i + 1, None
        mm = self.lex.meridiem.match(self.w, end)
        if mm:
            end, mer = mm
        h = int(h_s)
        return self._clock_piece(i, end, h, int(m_s), mer, len(h_s) == 2 or h == 0 or h > 12)

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
            j = m[0] + (self.norm(m[0]) == "the")
            num = self.number(j)
            if num and 1 <= num.value <= 31:
                end, year = num.end, None
                k = end + (self.norm(end) == ",")
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
            k = end + (self.norm(end) == ",")
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

    # --- times -------------------------------------------------------------
    def _minutes(self, i: int) -> tuple[int, int] | None:
        """Minutes after an hour: "15", "тридцать одну", "ноль ноль", "oh five"."""
        num = self.number(i)
        if num is None or num.ordinal:
            return None
        if num.digits and len(num.text) != 2:
            return None
        if num.value == 0 and not num.digits:
            nxt = self.number(num.end)
            if nxt is not None and not nxt.ordinal and nxt.value < 10 and not nxt.digits:
                return nxt.end, nxt.value
            return num.end, 0
        return (num.end, num.value) if num.value < 60 else None

    def _time(self, i: int, level: int) -> Piece | None:
        lex, norm = self.lex, self.norm(i)
        c = _clock(norm)
        if c:
            h, m, mer, explicit = c
            end = i + 1
            if mer is None:
                mm = lex.meridiem.match(self.w, end)
                if mm:
                    end, mer = mm
            return self._clock_piece(i, end, h, m, mer, explicit)
        # "в половине третьего", "полпятого", "в четверть третьего", "без четверти пять"
        p = self._fraction(i, level)
        if p:
            return p
        one = lex.one_oclock.match(self.w, i)
        if one and level == ANY:
            h, end, hour_word = 1, one[0], True
        else:
            num = self.number(i)
            if num is None or num.ordinal or num.value > 24 or (num.digits and len(num.text) > 2):
                return None
            h, end, hour_word = num.value, num.end, False
            hw = lex.hour_words.match(self.w, end)
            if hw:
                end, hour_word = hw[0], True
        m, has_min = 0, False
        mins = self._minutes(end)
        if mins:
            end, m = mins
            has_min = True
            mw = lex.minute_words.match(self.w, end)
            if mw:
                end = mw[0]
        mer = None
        mm = lex.meridiem.match(self.w, end)
        if mm:
            end, mer = mm
        if level == STRICT and not (mer or (hour_word and has_min)):
            return None
        if level == MINUTES and not (mer or hour_word or has_min):
            return None
        p = self._clock_piece(i, end, h, m, mer, h == 0 or h > 12)
        if p and not (hour_word or has_min or mer):
            p.lone = h
        return p

    def _clock_piece(self, i, end, h, m, mer, explicit) -> Piece | None:
        if mer:
            if h > 12 or (h == 0 and mer != "am"):
                mer = None
            else:
                h = apply_meridiem(h, mer)
        if h > 24 or (h == 24 and m):
            return None
        return Piece(i, end, hm=(h, m), bare=not (mer or explicit), meridiem=mer)

    def _fraction(self, i: int, level: int) -> Piece | None:
        lex, w = self.lex, self.w
        norm = self.norm(i)
        # Russian: половине/четверть + ordinal hour ("третьего" = the 3rd hour = 2:xx)
        minutes, j = None, i
        hp = lex.half_past.match(w, i)
        if hp:
            minutes, j = 30, hp[0]
        else:
            q = lex.quarter.match(w, i)
            if q:
                minutes, j = 15, q[0]
        if minutes is None and self.lang == "ru" and norm.startswith("пол") and len(norm) > 4:
            nw = self.nums.get(norm[3:].lstrip("-"))
            if nw and nw.ordinal and 1 <= nw.value <= 12:
                return self._clock_piece(i, i + 1, nw.value - 1 or 12, 30, None, False)
        if minutes is not None:
            num = self.number(j)
            if num and num.ordinal and 1 <= num.value <= 12 and not num.digits:
                end, mer = num.end, None
                mm = lex.meridiem.match(w, end)
                if mm:
                    end, mer = mm
                return self._clock_piece(i, end, num.value - 1 or 12, minutes, mer, False)
        # "без четверти пять", "без пятнадцати пять"
        tm = lex.to_minus.match(w, i)
        if tm:
            j = tm[0]
            q = lex.quarter.match(w, j)
            if q:
                before, j = 15, q[0]
            else:
                num = self.number(j)
                if num is None or num.ordinal or not 1 <= num.value < 60:
                    return None
                before, j = num.value, num.end
                mw = lex.minute_words.match(w, j)
                if mw:
                    j = mw[0]
            hour = self.number(j)
            if hour is None or hour.ordinal or not 1 <= hour.value <= 12:
                return None
            end, mer = hour.end, None
            mm = lex.meridiem.match(w, end)
            if mm:
                end, mer = mm
            return self._clock_piece(i, end, hour.value - 1 or 12, 60 - before, mer, False)
        # English: "half past two", "quarter to five", "ten past nine",
        # "ten minutes to five" (a lone "2 to 3" is a range, not 2:58)
        if self.lang == "en":
            fr = lex.fractions.match(w, i)
            said_minutes = True
            if fr:
                j, minutes = fr
            elif level == ANY:
                num = self.number(i)
                if num is None or num.ordinal or not 1 <= num.value < 60:
                    return None
                j, minutes = num.end, num.value
                mw = lex.minute_words.match(w, j)
                said_minutes = bool(mw)
                if mw:
                    j = mw[0]
            else:
                return None
            pt = lex.past_to.match(w, j)
            if not pt or (pt[1] < 0 and not said_minutes):
                return None
            hour = self.number(pt[0])
            if hour is None or hour.ordinal or not 1 <= hour.value <= 12:
                return None
            h, m = (hour.value, minutes) if pt[1] > 0 else (hour.value - 1 or 12, 60 - minutes)
            end, mer = hour.end, None
            mm = lex.meridiem.match(w, end)
            if mm:
                end, mer = mm
            return self._clock_piece(i, end, h, m, mer, False)
        return None

    # --- points and ranges ---------------------------------------------------
    def point(self, i: int, level: int, stop_to: bool = False) -> Piece | None:
        """Adjacent pieces joined: "на следующий вторник в 13:15"."""
        p = self.piece(i, level, stop_to)
        if p is None:
            return None
        p.spans = [(p.start, p.end)]
        while p.end < self.n:
            q = self.piece(p.end, max(level, MINUTES), stop_to)
            if q is None or not p.compatible(q):
                break
            p.merge(q)
        return p

    def range(self, i: int) -> tuple[Piece, Piece, int, int] | None:
        """"с 14 до 15", "с 12 декабря 10:00 по 15 декабря 15:00", "from 2 to 3 pm"."""
        lex = self.lex
        m = lex.range_from.match(self.w, i)
        if m and (r := self._hyphen_range(m[0])):
            a, b, _, e = r
            a.spans = [(i, e)]
            return a, b, i, e
        if m:
            self.lone_day_ok = True
            try:
                a = self.point(m[0], ANY, stop_to=True)
            finally:
                self.lone_day_ok = False
            if a is None:
                return None
            to = lex.range_to.match(self.w, a.end)
            if not to:
                return None
            b = self.point(to[0], ANY)
            if b is None:
                return None
            return a, b, i, b.end
        return self._hyphen_range(i)

    def _hyphen_range(self, i: int) -> tuple[Piece, Piece, int, int] | None:
        """"14:00-15:00" written as one token."""
        norm = self.norm(i)
        if "-" in norm and ":" in norm:
            left, _, right = norm.partition("-")
            c1, c2 = _clock(left), _clock(right)
            if c1 and c2:
                a = self._clock_piece(i, i + 1, c1[0], c1[1], c1[2], c1[3])
                b = self._clock_piece(i, i + 1, c2[0], c2[1], c2[2], c2[3])
                if a and b:
                    a.spans, b.spans = [(i, i + 1)], []
                    return a, b, i, i + 1
        return None
