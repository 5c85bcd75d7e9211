"""Ranges: "с 14 до 15", "с 12 декабря 10:00 по 15 декабря 15:00", "from 2
to 3 pm", "between … and …", and without "с": "3–5 марта", "10:15 - 12:00",
"9am-noon", "Jan 3 through the 5th". A mixin of `Scanner`."""
from __future__ import annotations

from datetime import timedelta

from sekretar.grammar.dates.piece import ANY, Piece, _clock

_DASHES = frozenset({"-", "—", "–", "through", "thru", "/", "по", "to", "till", "until"})


class RangeReader:
    def range(self, i: int) -> tuple[Piece, Piece | None, int, int] | None:
        """"с 14 до 15", "с 12 декабря 10:00 по 15 декабря 15:00", "from 2 to 3 pm"."""
        lex = self.lex
        m = lex.range_from.match(self.w, i) if self.norm(i) in lex.range_from.heads else None
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
            if to and self.w[a.end] in ("и", "and") and self.w[i] not in ("между", "between"):
                to = None  # "и"/"and" ends only a "между"/"between" range
            if not to:
                return self._open_start(a, i)
            b = self.point(to[0], ANY)
            if b is None:  # "с 1 по 3 пункт": no range, and no start either
                return None
            if a.moment is not None:  # "from now until 5pm", "between now and 5 pm": now's clock today
                if not b.hm or b.day is not None or b.moment is not None:
                    return None
                m = a.moment
                a.moment, a.day, a.hm, a.bare = None, m.date(), (m.hour, m.minute), False
            _whole_end(a, b)
            _period_ends(a, b)
            _day_numbers(a, b)
            self._under_way(a, b)
            return a, b, i, self._week_of_range(a, b) or b.end
        return self._hyphen_range(i) or self._dash_range(i)

    def _dash_range(self, i: int) -> tuple[Piece, Piece, int, int] | None:
        """"3–5 марта", "10:15 - 12:00", "9am-noon", "Jan 3 through the 5th",
        "3/5 марта": two points joined by a dash (or "through") with no "с"
        before. A side must say what it is: a month, a clock, am/pm, or a
        marker before the first ("в 14-15"); "5 - 6 яблок" is no range."""
        lex = self.lex
        dashes = self._dashes
        if dashes is None:  # where a dash (or "through") stands, once per sentence
            dashes = self._dashes = [k for k, norm in enumerate(self.w) if norm in _DASHES]
        if not any(i < k < i + 9 for k in dashes):
            return None
        self.lone_day_ok = True
        try:
            a = self.point(i, ANY, stop_to=True)
        finally:
            self.lone_day_ok = False
        if a is None or a.repeat or (a.moment and self.norm(a.end) not in ("until", "till", "to")):
            return None
        k = a.end
        words = self.lang == "en" and self.norm(k) in ("to", "till", "until")  # "9am to noon"
        dash = words or self.norm(k) in ("-", "—", "–", "through", "thru", "/") or (
            self.norm(k) == "по" and a.partial_day is not None)
        if not dash:
            return None
        b = self.point(k + 1, ANY)
        if b is None or b.moment:
            return None
        if a.moment is not None:  # "now until 5pm"
            if not b.hm or b.day is not None:
                return None
            m = a.moment
            a.moment, a.day, a.hm, a.bare, a.grain = None, m.date(), (m.hour, m.minute), False, "minute"
            return a, b, i, b.end
        marked = self.w[i] in lex.markers.firsts() or self.w[i] in lex.gates.get("bounds", ())
        said = lambda p: (p.month_said or p.meridiem or (p.hm and not p.bare) or p.named or p.grain == "minute"
                          or (p.period is not None and p.grain in ("month", "quarter", "year")))
        if not (said(a) or said(b) or marked or _days(a, b)) or (
                words and not (said(a) and (said(b) or b.daypart_hm or (a.hm and b.lone is not None
                                                                         and self._free(b.end))))
                and not _days(a, b) and not (a.lone is not None and a.day and b.hm and said(b))):
            return None  # ("8am until 6"; "at 3pm to 5 clients" is no range)
        if self.norm(k) == "/" and not (b.month_said or (a.hm and b.hm)):
            return None
        _period_ends(a, b)
        return a, b, i, self._week_of_range(a, b) or b.end

    def _week_of_range(self, a: Piece, b: Piece) -> int | None:
        """"Tuesday to Thursday next week": a week said after a range of
        weekdays holds both ends; the index after it, or None."""
        if a.weekday is not None and b.named and b.weekday is None and b.day and a.day and \
                (b.day - a.day).days >= 7 and a.weekday <= b.day.weekday() and any(  # the week came with the end
                    (u := self.lex.period_units.match(self.w, k)) and u[1] == "week" for k in range(b.start, b.end)):
            a.day, a.weekday = b.day - timedelta(days=b.day.weekday() - a.weekday), None
            return None
        if a.weekday is None or b.weekday is None or b.end >= self.n or not self.may_start(b.end):
            return None
        q = self.nested_piece(b.end, ANY)
        if q is None or not q.monday or q.hm or q.weekday is not None or q.kind:
            return None
        a.day = q.monday + timedelta(days=a.weekday)
        b.day = q.monday + timedelta(days=b.weekday)
        a.weekday = b.weekday = None
        return q.end

    def _under_way(self, a: Piece, b: Piece) -> None:
        """"с 1 марта по 3 апреля" said on 25 March: a range under way, this
        year's (the start alone would be next March)."""
        if not (a.day and b.day and a.month_said and b.month_said and a.day > b.day and a.hm is None):
            return
        if any(self.w[k].isdigit() and len(self.w[k]) == 4 or self.w[k] in self.lex.year_words.heads
               for k in range(a.start, b.end)):
            return  # a year was said: as said
        try:
            back = a.day.replace(year=a.day.year - 1)
        except ValueError:
            return
        if back <= b.day:
            a.day = back

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


def _day_numbers(a: Piece, b: Piece) -> None:
    """"с 1 по 5 число": a lone number before a day of the month is a day of that month."""
    if (a.lone is not None and b.partial_day and not b.month_said and b.day and not a.daypart
            and 1 <= a.lone < b.partial_day):
        a.day, a.partial_day, a.hm, a.bare, a.lone, a.grain = b.day.replace(day=a.lone), a.lone, None, False, None, "day"


def _whole_end(a: Piece, b: Piece) -> None:
    """"с апреля по июнь", "с 2019 по 2021 год": a range of whole periods
    ends with the last day of the end's period."""
    if (a.period and b.period and a.grain == b.grain and b.grain in ("month", "quarter", "year")
            and b.hm is None and a.hm is None):
        b.day = b.period[1] - timedelta(days=1)


def _period_ends(a: Piece, b: Piece) -> None:
    """"from April to June", "Q1-Q2": a range of months, quarters or years runs
    from the first day of the first to the last day of the last."""
    if a.period and b.period and not (a.hm or b.hm) and b.grain in ("month", "quarter", "year", "week"):
        a.day, b.day = a.period[0], b.period[1] - timedelta(days=1)
        a.period = b.period = None


def _days(a: Piece, b: Piece) -> bool:
    """Both sides are days, one said as such: "March 1 to 10", "the 5th to the
    10th", "today to Friday" (a lone number after a dated start is a day)."""
    if a.hm or a.day is None:
        return False
    if a.month_said and not a.period and (b.lone is not None and b.lone <= 31 and not b.meridiem):
        return True
    if b.hm:
        return False
    if a.month_said and not a.period:
        return b.partial_day is not None or (b.day is not None and not b.period)
    return bool(b.day and not b.period and (a.partial_day and (b.partial_day or b.month_said) or a.named or b.named
                                            or a.grain == "day" and b.grain == "day" and not a.partial_day))


__all__ = ["RangeReader"]
