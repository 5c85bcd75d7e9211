"""Pieces of a date expression found at one token: a day (dates/days.py),
a time (dates/times.py), a fixed phrase ("после обеда", "утром", "на весь
день"), each with its markers ("на", "в", "со сроком"). `Scanner.point` joins adjacent pieces ("на завтра в 9
вечера"), `Scanner.range` reads "с ... до/по ...". Resolution to datetimes
and the conventions live in grammar/dates/find.py; the words in dates/data/*.yaml.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sekretar.grammar.dates.days import DayReader
from sekretar.grammar.dates.lex import DateLexicon
from sekretar.grammar.dates.piece import ANY, MINUTES, STRICT, Piece, _add_months, _clock, _hm, apply_meridiem
from sekretar.grammar.dates.times import TimeReader
from sekretar.grammar.numbers import Number, parse_number
from sekretar.grammar.numbers import lexicon as number_lexicon
from sekretar.grammar.tokens import Token

__all__ = ["ANY", "MINUTES", "STRICT", "Piece", "Scanner", "apply_meridiem"]


class Scanner(DayReader, TimeReader):
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
            if allow_bare is True:      # "в 5", "к 5"
                level = ANY
            elif allow_bare is False:   # "на 2 часа" is a duration: explicit times only
                level = STRICT
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
        lex, norm = self.lex, self.w[i]
        digit = norm[:1].isdigit()
        if level == ANY and digit:  # "в 13.15" after a time marker is a time, not a date
            p = self._dotted_time(i)
            if p:
                return p
        # each reader only where its first word can be (cheap set tests)
        if norm in lex.weekday_firsts:
            p = self._weekday(i, marked)
            if p:
                return p
        if lex.after.match(self.w, i):
            p = self._after(i, marked)
            if p:
                return p
        word_number = norm in lex.number_firsts or ("-" in norm and norm.partition("-")[0] in lex.number_firsts)
        if digit or word_number or lex.months.match(self.w, i):
            p = self._date(i, marked) or self._month(i, marked)
            if p:
                return p
        if digit or word_number or norm in lex.fraction_firsts or norm.startswith("пол"):
            return self._time(i, level)
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
            if q is None and p.day and not p.hm:
                q = self._hour_after_day(p.end)
            if q is None or not p.compatible(q):
                break
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

    def range(self, i: int) -> tuple[Piece, Piece | None, int, int] | None:
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
                return self._open_start(a, i)
            b = self.point(to[0], ANY)
            if b is None:  # "с 1 по 3 пункт": no range, and no start either
                return None
            return a, b, i, b.end
        return self._hyphen_range(i)

    def _open_start(self, a: Piece, i: int) -> tuple[Piece, None, int, int] | None:
        """"встреча завтра с 10", "с понедельника", "from 10 am": a start
        without an end. A lone number counts only at the end of what was said
        or before another date word ("с 5 коллегами" is no time)."""
        if a.partial_day is not None and not a.month_said:
            return None
        if a.lone is not None and not self._free(a.end):
            return None
        a.spans = [(i, a.end)]
        return a, None, i, a.end

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
