"""Pieces of a date expression found at one token: a day (dates/days.py),
a time (dates/times.py), a fixed phrase ("после обеда", "утром", "на весь
день"), each with its markers ("на", "в", "со сроком"). `Scanner.point` joins adjacent pieces ("на завтра в 9
вечера"), `Scanner.range` reads "с ... до/по ...". Resolution to datetimes
and the conventions live in grammar/dates/find.py; the words in dates/data/*.yaml.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sekretar.grammar.dates import calendar as cal
from sekretar.grammar.dates.days import DayReader
from sekretar.grammar.dates.extent import ExtentReader
from sekretar.grammar.dates.holidays import HolidayReader
from sekretar.grammar.dates.lex import DateLexicon
from sekretar.grammar.dates.months import MonthReader
from sekretar.grammar.dates.periods import PeriodReader
from sekretar.grammar.dates.ranges import RangeReader
from sekretar.grammar.dates.piece import ANY, MINUTES, STRICT, Piece, _add_months, _hm, apply_meridiem
from sekretar.grammar.dates.repeat import RepeatReader
from sekretar.grammar.dates.times import TimeReader
from sekretar.grammar.numbers import Number, parse_number
from sekretar.grammar.numbers import lexicon as number_lexicon
from sekretar.grammar.tokens import Token

__all__ = ["ANY", "MINUTES", "STRICT", "Piece", "Scanner", "apply_meridiem"]


_TRIED = ("_duration", "_lead")
_DURATION_UNITS = frozenset({"minute", "min", "hour", "hr", "day", "week", "long"})


class Scanner(DayReader, TimeReader, PeriodReader, MonthReader, RepeatReader, ExtentReader, HolidayReader,
              RangeReader):
    """Reads pieces, points and ranges at token positions (one per find_when)."""

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
        self.date_first = False   # after "к"/"до"/"by": "к 12.03" is a date, not a time
        self.length_spans: list[tuple[int, int]] = []  # where a length was read ("на неделю")
        self.level = STRICT
        self._numbers: dict[int, Number | None] = {}
        self._dashes: list[int] | None = None  # RangeReader._dash_range, on first need
        self._nesting = 0         # how deep nested_piece is
        self.alone_read = False   # a reader took a word said alone ("April"): DateSpan.alone

    # --- helpers -----------------------------------------------------------
    def norm(self, i: int) -> str:
        return self.w[i] if i < self.n else ""

    def may_start(self, i: int) -> bool:
        """Cheap test: can anything of ours start at token i? (per word, cached in the lexicon)"""
        norm = self.w[i]
        got = self.lex.starts.get(norm)
        if got is None:
            got = self._may_start(norm)
            if len(self.lex.starts) < 100_000:
                self.lex.starts[norm] = got
        return got

    def _may_start(self, norm: str) -> bool:
        if norm in self.lex.starters or norm[:1].isdigit() or norm.startswith("пол"):
            return True
        if "-" in norm:
            left, _, right = norm.partition("-")
            return left in self.lex.starters or right.partition("-")[0] in _DURATION_UNITS
        return norm[:1] == "q" and norm[1:] in ("1", "2", "3", "4") or (
            bool(self.lex.duration_stems) and norm.startswith(self.lex.stem_prefixes))

    def nth(self, i: int, digits: bool = True) -> tuple[int, int] | None:
        """An ordinal 1-5 ("первый", "second", "2nd"; `digits`: written with
        digits too) or "последний"/"last" (-1) at i: (n, the index after it)."""
        last = self.lex.last_word.match(self.w, i)
        if last:
            return -1, last[0]
        num = self.number(i)
        if num is None or not num.ordinal or not 1 <= num.value <= 5 or (num.digits and not digits):
            return None
        return num.value, num.end

    def nested_piece(self, j: int, level: int) -> Piece | None:
        """A piece read inside another reader ("a week from <Friday>", "the
        week of <Christmas>"): two levels at most, so nesting stays bounded in
        time and depth ("a day after a day after ..." ×400)."""
        if self._nesting >= 2:
            return None
        self._nesting += 1
        try:
            return self.piece(j, level)
        finally:
            self._nesting -= 1

    def number(self, i: int) -> Number | None:
        if i >= self.n:
            return None
        memo = self._numbers
        if i not in memo:
            memo[i] = parse_number(self.t, i, self.lang)
        return memo[i]

    # --- pieces ------------------------------------------------------------
    def piece(self, i: int, level: int, stop_to: bool = False) -> Piece | None:
        """One piece at token i, with its markers ("на", "в", "со сроком")."""
        if i >= self.n or (self.w[i] not in self.lex.piece_firsts and not self.may_start(i)):
            self.date_first = False  # nothing below can read here (the cheap test of the hot path)
            return None
        p = self._phrase(i)
        if p:
            return p
        norm = self.norm(i)
        tried = ()
        if norm in self.lex.gates["extent"] or norm[:1].isdigit():
            names = self.lex.readers_at(norm)  # each only where its own gate holds, as in _core
            p = (self._duration(i, False) if "_duration" in names else None) or (
                self._lead(i, False) if "_lead" in names else None)
            if p:
                return p
            tried = _TRIED  # both read nothing at i: the fallback below need not ask them again
        j, marked, kind, level0 = i, False, None, level
        self.date_first = False
        mark_firsts = self.lex.mark_firsts
        for _ in range(3):
            if j >= self.n or self.w[j] not in mark_firsts:
                break  # no marker nor bound can start here
            if stop_to and self.lex.range_to.match(self.w, j):
                break
            norm = self.w[j]
            b = self.lex.bounds.match(self.w, j) if norm in self.lex.bounds.heads else None
            m = self.lex.markers.match(self.w, j) if norm in self.lex.markers.heads else None
            if b and (not m or b[0] > m[0]):
                m = (b[0], True)
            if not m:
                break
            if b:
                kind = b[1]
                self.date_first = self.date_first or b[1] == "before"
            j, allow_bare = m
            marked = True
            if allow_bare is True:      # "в 5", "к 5"
                level = ANY
            elif allow_bare is False:   # "на 2 часа" is a duration: explicit times only
                level = STRICT
            p = self._phrase(j)
            if p:
                p.start = i
                if kind and p.kind is None:
                    p.kind = kind
                return p
        # in a range ("с двенадцатого по пятнадцатое", "с понедельника по
        # среду") each side counts as marked
        marked = marked or level == ANY
        p = self._core(j, level, marked, tried if j == i and not marked else ())
        self.date_first = False
        if p is None and j != i:  # "after 2 days": the marker word starts a reader itself
            p = self._core(i, level0, False, tried)
            kind = None
        if p and p.period is not None and self.lang == "ru" and self.norm(i - 1) == "за" and not p.spanning:
            p.about = True  # "отчёт за третий квартал": what a task is about; a question's period
        if p:
            p.start = i
            if kind and p.kind is None and not p.repeat:
                p.kind = kind
        return p

    def _phrase(self, i: int) -> Piece | None:
        if i >= self.n or self.w[i] not in self.lex.phrases.heads:
            return None
        m = self.lex.phrases.match(self.w, i)
        if not m:
            return None
        end, spec = m
        p = Piece(i, end)
        if "days" in spec:
            p.day = self.today + timedelta(days=spec["days"])
        if "week" in spec:
            p.day = self.today + timedelta(days=7 * spec["week"] - self.today.weekday())
            if "plus" not in spec:
                p.monday = p.day
            p.day += timedelta(days=spec.get("plus", 0))
        if "weekday" in spec:  # the nearest such day, today included
            p.day = self.today + timedelta(days=(spec["weekday"] - self.today.weekday()) % 7)
        if "month_end" in spec:
            p.day = _add_months(self.today.replace(day=1), spec["month_end"] + 1) - timedelta(days=1)
        if "month" in spec:
            p.day = p.month_first = _add_months(self.today.replace(day=1), spec["month"])
        if "month_start" in spec:
            p.day = max(self.today, _add_months(self.today.replace(day=1), spec["month_start"]))
        if "month_mid" in spec:
            p.day = max(self.today, _add_months(self.today.replace(day=15), spec["month_mid"]))
        if "end_of" in spec:
            unit, off = spec["end_of"]
            p.day = cal.period(unit, self.today, off)[1] - timedelta(days=1)
        if "period" in spec:
            unit, off = spec["period"]
            first, after = cal.period(unit, self.today, off)
            p.period, p.grain = (first, after), cal.GRAINS[unit]
            if p.day is None:
                p.day = cal.point_of(first, after, self.today, unit)
            if unit == "week":
                p.monday = first
            elif unit == "month":
                p.month_first = first
        if "hours" in spec:
            p.hours = tuple(spec["hours"])
        if "business_days" in spec:  # "в следующий рабочий день": Monday-Friday
            d, left = self.today, int(spec["business_days"])
            while left:
                d += timedelta(days=1)
                left -= d.weekday() < 5
            p.day, p.grain = d, "day"
        if spec.get("now"):
            p.moment = self.now.replace(second=0, microsecond=0)
            p.grain = "minute"
        if spec.get("same_time"):
            p.hm, p.grain = (self.now.hour, self.now.minute), "minute"
        if "year" in spec:
            p.day = date(self.today.year + spec["year"], 1, 1)
        if "daypart" in spec:
            p.daypart, p.daypart_hm = spec["daypart"], _hm(spec["time"])
        elif "time" in spec:
            p.hm = _hm(spec["time"])
            p.grain = "minute" if p.hm[1] else "hour"  # "noon", "midnight": a whole hour
        p.all_day = bool(spec.get("all_day"))
        p.hours_own = bool(p.hours and p.hm is not None)  # "после обеда": a period with its point
        kind = spec.get("kind")
        if kind is None:
            b = self.lex.bounds.match(self.w, i)
            kind = b[1] if b else None
        p.kind = None if kind == "none" else kind
        if p.day and not p.grain:
            p.grain = "day"
        p.grain = spec.get("grain", p.grain)  # "в полдень": a whole hour
        if "span" in spec:  # "на выходных": the days from the one said, as a period
            p.period = (p.day, p.day + timedelta(days=spec["span"]))
        return p

    def _core(self, i: int, level: int, marked: bool, tried: tuple[str, ...] = ()) -> Piece | None:
        """The first reader of the table (grammar/dates/readers.py) whose gate
        holds at token i and that reads something there (`tried`: readers
        already asked at i with marked=False that read nothing; they are pure)."""
        if i >= self.n or not self.may_start(i):
            return None
        norm = self.w[i]
        digit = norm[:1].isdigit()
        if digit and ((level == ANY and not self.date_first) or norm[-2:] in ("am", "pm")):
            # "в 13.15" after a time marker is a time, and so is "10.30am"
            p = self._dotted_time(i)
            if p:
                return p
        self.level = level
        for name in self.lex.readers_at(norm):
            if name in tried:
                continue
            p = getattr(self, name)(i, marked)
            if p:
                return p
        if level == ANY and digit and self.date_first:
            return self._dotted_time(i)
        return None

    # --- points and ranges ---------------------------------------------------
    def point(self, i: int, level: int, stop_to: bool = False) -> Piece | None:
        """Adjacent pieces joined: "на следующий вторник в 13:15"."""
        p = self.piece(i, level, stop_to)
        if p is None:
            return None
        if p.extra_only and p.duration is not None:
            self.length_spans.append((p.start, p.end))
        p.spans = [(p.start, p.end)]
        while p.end < self.n:
            z = self._zone_at(p.end) if (p.hm or p.daypart_hm) and not p.zone else None
            if z:
                p.spans.append((p.end, z[0]))
                p.end, p.zone = z[0], z[1]
                continue
            q = self.piece(p.end, max(level, MINUTES), stop_to)
            if q is None and p.day and not p.hm:
                q = self._hour_after_day(p.end)
            if q is None or not p.compatible(q):
                break
            if q.extra_only and q.duration is not None:
                self.length_spans.append((q.start, q.end))
            p.merge(q)
        return p

    def _hour_after_day(self, i: int) -> Piece | None:
        """"на завтра на 12": after a day, "на" + a lone hour is its time (not
        "на 2 часа", a duration, nor "на 10 человек", a count)."""
        m = self.lex.markers.match(self.w, i)
        if not m or m[1] is not False:
            return None
        q = self._core(m[0], ANY, True)
        if q is None or q.lone is None or not 7 <= q.lone <= 23:
            return None
        q.start = i
        return q
