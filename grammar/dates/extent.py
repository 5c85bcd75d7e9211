"""Lengths, reminders and zones: "на два с половиной часа", "минут на
сорок", "for 75 minutes", "a three-hour offsite", "двухчасовое совещание";
"за 15 минут" / "15 minutes before" (a reminder ahead of the item); "в 11 по
Москве", "3 pm London time" (the zone the time was said in). A mixin of
`Scanner`: each reader returns a piece that only qualifies another."""
from __future__ import annotations

from datetime import timedelta

from sekretar.grammar.dates.piece import STRICT, Piece

_UNIT = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1), "days": timedelta(days=1),
         "weeks": timedelta(days=7)}
_SINGULAR = {"minute": "minutes", "min": "minutes", "hour": "hours", "hr": "hours", "day": "days", "week": "weeks"}


class ExtentReader:
    def _length(self, j: int, inverted_ok: bool = True) -> tuple[int, timedelta] | None:
        """A length at j: "два с половиной часа", "полчаса", "час", "75 minutes",
        "an hour and a half", "2.5 hours"."""
        lex, w = self.lex, self.w
        norm = self.norm(j)  # each match below is tried only where its table has a phrase starting
        half = lex.half_units.match(w, j) if norm in lex.half_units.heads else None
        if half:
            unit, count = half[1]
            return (half[0], _UNIT[unit] * count) if unit in _UNIT else None
        count, k, said = 1.0, j, False
        c = lex.count_words.match(w, j) if norm in lex.count_words.heads else None
        if c:
            k, count, said = c[0], float(c[1]), True
        elif norm.replace(".", "", 1).isdigit() and norm.count(".") == 1 and norm.isascii():
            k, count, said = j + 1, float(norm), True   # "2.5 hours"
        else:
            num = self.number(j)
            if num is not None and not num.ordinal and num.value <= 1000:
                k, count, said = num.end, float(num.value), True
        ah = lex.and_half.match(w, k) if said and self.norm(k) in lex.and_half.heads else None
        if ah:
            k, count = ah[0], count + 0.5
        u = lex.units.match(w, k) if self.norm(k) in lex.units.heads else None
        if not u or u[1] not in _UNIT or count <= 0 or count > 1000:
            return None
        end = u[0]
        if not said and not self._free(end):
            return None  # "на день рождения": a noun, no length
        ah = lex.and_half.match(w, end) if self.norm(end) in lex.and_half.heads else None
        if ah:
            end, count = ah[0], count + 0.5
        return end, _UNIT[u[1]] * count

    def _duration(self, i: int, marked: bool) -> Piece | None:
        """"на два часа", "for 75 minutes", "минут на сорок", "часа на два"."""
        lex, w = self.lex, self.w
        m = lex.duration_markers.match(w, i)
        if m:
            ln = self._length(m[0])
            if ln is None:
                return None
            end, length = ln
            if lex.ago.match(w, end) or lex.lead_after.match(w, end):
                return None
            return Piece(i, end, duration=length)
        # inverted, an approximate length: "минут на сорок", "часа на два"
        u = lex.units.match(w, i)
        if u and u[1] in _UNIT and lex.duration_markers.match(w, u[0]):
            num = self.number(u[0] + 1)
            if num is not None and not num.ordinal and 0 < num.value <= 1000:
                return Piece(i, num.end, duration=_UNIT[u[1]] * num.value)
        return None

    def _duration_adjective(self, i: int, marked: bool) -> Piece | None:
        """"двухчасовое совещание", "a three-hour offsite", "30-minute call",
        "an hour-long meeting"."""
        norm = self.norm(i)
        for stem, minutes in self.lex.duration_stems:
            if norm.startswith(stem) and norm[len(stem):] in self.lex.adjective_endings:
                return Piece(i, i + 1, duration=timedelta(minutes=minutes))
        if "-" in norm:
            left, _, right = norm.partition("-")
            right = right.removesuffix("-long")
            unit = _SINGULAR.get(right)
            if unit:
                if left.isdigit() and left.isascii():
                    count = int(left)
                else:
                    nw = self.nums.get(left)
                    count = nw.value if nw and not nw.ordinal else (1 if left in ("one", "an", "a") else 0)
                if 0 < count <= 1000:
                    return Piece(i, i + 1, duration=_UNIT[unit] * count)
            if left in _SINGULAR and right == "long":   # "hour-long"
                return Piece(i, i + 1, duration=_UNIT[_SINGULAR[left]])
            if norm == "half-hour":
                return Piece(i, i + 1, duration=timedelta(minutes=30))
        return None

    def _lead(self, i: int, marked: bool) -> Piece | None:
        """A reminder ahead: "за 15 минут (до)", "за час", "15 minutes before"."""
        lex = self.lex
        m = lex.lead.match(self.w, i)
        if not m and self.lang != "en":
            return None  # Russian says "за": "11 часов до 13" is a range
        j = m[0] if m else i
        ln = self._length(j)
        if ln is None:
            return None
        end, length = ln
        after = lex.lead_after.match(self.w, end)
        if not m and not after:
            return None
        if after and self.lang == "en" and length >= timedelta(days=1) and self._day_at(after[0]):
            return None  # "two days before Christmas": a day (dates/periods.py _shift_from), no reminder
        if after:
            end = after[0]
        elif not self._reminding():  # "сделать отчёт за 2 дня": within two days, no reminder
            p = Piece(i, end, day=self.today + length if length >= timedelta(days=1) else None,
                      kind="before", grain="day")
            if p.day is None:
                p.moment, p.grain = (self.now + length).replace(second=0, microsecond=0), "minute"
            else:
                p.day = self.today + timedelta(days=length.days)
            return p
        return Piece(i, end, lead=length)

    def _day_at(self, j: int) -> bool:
        """A day (no time) is said at j."""
        if j >= self.n or not self.may_start(j):
            return False
        q = self.nested_piece(j, STRICT)
        return q is not None and q.day is not None and not (q.hm or q.moment or q.repeat)

    def _reminding(self) -> bool:
        got = getattr(self, "_remind_said", None)
        if got is None:
            stems = self.lex.remind_stems
            got = self._remind_said = bool(stems) and any(w.startswith(stems) for w in self.w)
        return got

    def _zone_at(self, j: int) -> tuple[int, str] | None:
        """A zone said after a time: "по Москве", "London time", "EST", "GMT+1", "UTC-5"."""
        norm = self.norm(j)
        if norm[:4] in ("utc+", "utc-", "gmt+", "gmt-"):  # one token: "utc-5"
            return _offset_zone(j + 1, norm[3], norm[4:])
        z = self.lex.zones.match(self.w, j)
        if z and z[1] == "UTC" and self.norm(z[0]) in ("+", "-"):  # "GMT + 1", "UTC + 03:00"
            return _offset_zone(z[0] + 2, self.norm(z[0]), self.norm(z[0] + 1)) or z
        return z


def _offset_zone(end: int, sign: str, hours: str) -> tuple[int, str] | None:
    """UTC+3 → the IANA fixed zone Etc/GMT-3 (its sign is the other way); whole hours only."""
    h_s, _, m_s = hours.partition(":")
    if not (h_s.isdigit() and h_s.isascii() and int(h_s) <= 14 and m_s in ("", "00")):
        return None
    h = int(h_s)
    return end, "UTC" if h == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{h}"


__all__ = ["ExtentReader"]
