"""Nights named by the day they end on: "в ночь на субботу", "в ночь с
пятницы на субботу", "в ночь на 1 апреля", with an hour after their
midnight ("в ночь на субботу в два часа"). A mixin of `Scanner` (through
DayReader)."""
from __future__ import annotations

from datetime import timedelta

from sekretar.grammar.dates.piece import Piece


class NightReader:
    def _day_only(self, k: int) -> Piece | None:
        """A day said at k ("субботу", "1 апреля", "завтра"), no time with it."""
        p = self._phrase(k) or self._core(k, 0, True)
        return p if p is not None and p.day is not None and p.hm is None and not p.period else None

    def _night_of(self, i: int, marked: bool) -> Piece | None:
        """"в ночь на субботу", "в ночь с пятницы на субботу", "в ночь на 1
        апреля": the night that ends on the day said after "на" (22:00 the
        evening before to 06:00, like "ночью")."""
        m = self.lex.night_of.match(self.w, i)
        if not m:
            return None
        j = m[0]
        if self.norm(j) in ("с", "со"):  # "с пятницы": the evening it starts on
            a = self._day_only(j + 1)
            if a is None:
                return None
            j = a.end
        if self.norm(j) != "на":
            return None
        b = self._day_only(j + 1)
        if b is None:
            return None
        p = Piece(i, b.end, day=b.day - timedelta(days=1), daypart="night", daypart_hm=(23, 0), hours=(22, 30))
        p.grain = "hour"
        t = self.piece(b.end, 1)  # "в ночь на субботу в 2 часа": after midnight, on Saturday
        if t is not None and t.hm is not None and t.day is None and t.hm[0] < 12 and not t.extra_only:
            p.day, p.hm, p.bare, p.meridiem, p.grain, p.end = b.day, t.hm, t.bare, t.meridiem, t.grain, t.end
            p.bare, p.after_midnight = False, True  # the night says it: 2 is 02:00, on the day after it
        return p


__all__ = ["NightReader"]
