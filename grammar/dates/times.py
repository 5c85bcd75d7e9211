"""Times of day as said: "13:15", "в 9 вечера", "в девять часов тридцать
одну минуту", "в тринадцать пятнадцать", "в половине третьего", "без
четверти пять", "at one fifteen pm", "half past two". A mixin of `Scanner`
(grammar/dates/scan.py), which provides the tokens, numbers and word tables."""
from __future__ import annotations

from dataclasses import replace

from sekretar.grammar.dates.piece import ANY, MINUTES, STRICT, Piece, _clock, apply_meridiem
from sekretar.grammar.numbers import parse_number


class TimeReader:
    def _dotted_time(self, i: int) -> Piece | None:
        norm = self.norm(i)
        suffix = norm[-2:] if norm[-2:] in ("am", "pm") and len(norm) > 4 else None  # "10.30am"
        h_s, sep, m_s = (norm[:-2] if suffix else norm).partition(".")
        if not (sep and h_s.isdigit() and m_s.isdigit() and len(h_s) <= 2 and len(m_s) == 2
                and h_s.isascii() and m_s.isascii() and int(h_s) <= 23 and int(m_s) <= 59):
            return None
        end, mer = i + 1, suffix
        mm = self.lex.meridiem.match(self.w, end) if not suffix else None
        if mm:
            end, mer = mm
        h = int(h_s)
        p = self._clock_piece(i, end, h, int(m_s), mer, len(h_s) == 2 or h == 0 or h > 12)
        if p:
            p.grain = "minute"
        return p

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

    def _time(self, i: int, marked: bool) -> Piece | None:
        lex, norm, level = self.lex, self.norm(i), self.level
        u = self._unit_hour(i)
        if u:
            return u
        c = _clock(norm)
        if c:
            h, m, mer, explicit = c
            end = i + 1
            if mer is None:
                mm = lex.meridiem.match(self.w, end)
                if mm:
                    end, mer = mm
            p = self._clock_piece(i, end, h, m, mer, explicit)
            if p:
                p.grain = "minute" if (":" in norm or m) else "hour"
            return p
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
        m, has_min, clock_like = 0, False, False
        mins = self._minutes(end)
        ah = None if mins or self.lang != "ru" else lex.and_half.match(self.w, end)
        if ah and not lex.units.match(self.w, ah[0]) and (level != STRICT or hour_word):
            end, m, has_min = ah[0], 30, True  # "в три с половиной": 3:30 ("два с половиной часа" is a length)
        elif mins:
            # "тринадцать ноль ноль", "шестнадцать тридцать": a clock read aloud
            first = self.number(end)
            clock_like = h > 12 or (first is not None and first.value == 0 and not first.digits)
            end, m = mins
            has_min = True
            mw = lex.minute_words.match(self.w, end)
            if mw and not (lex.duration_markers.match(self.w, mw[0]) and self.number(mw[0] + 1)):
                end = mw[0]  # ("... ноль ноль минут на сорок": "минут на сорок" is a length)
        mer = None
        mm = lex.meridiem.match(self.w, end)
        if mm:
            end, mer = mm
        oclock = hour_word and self.lang == "en" and self.norm(end - 1) in ("clock", "oclock")
        day_hour = hour_word and not has_min and 13 <= h <= 23 and self.lang == "ru"  # "23 часа": a clock
        if level == STRICT and not (mer or (hour_word and has_min) or clock_like or oclock or day_hour
                                    or self._en_hour_said(i, end, h, has_min and m)):
            return None  # ("8 o'clock" says it is a time; "10 часов" alone may count hours)
        if level == MINUTES and not (mer or hour_word or has_min):
            return None
        if not (hour_word or mer) and self.norm(end) in lex.not_after_hour and (
                not has_min or (clock_like and level == STRICT)):
            return None  # "в 2 раза", "на пятнадцать двадцать страниц": counting, not a time
        p = self._clock_piece(i, end, h, m, mer, h == 0 or h > 12)
        if p and not (hour_word or has_min or mer):
            p.lone = h
        if p:
            p.grain = "minute" if has_min else "hour"
        return p

    def _en_hour_said(self, i: int, end: int, h: int, minutes: int) -> bool:
        """English: a bare hour that says it is one without a marker: a part
        of the day after it ("7 in the evening", "8 tonight", "two in the
        morning"), or a clock read aloud in words ("ten thirty", "eleven
        forty-five") with nothing but the end, punctuation or a date word after."""
        if self.lang != "en" or not 1 <= h <= 12 or (i > 0 and self.norm(i - 1) in self.lex.not_after_hour):
            return False  # ("read chapter 3 in the morning": a counted thing)
        ph = self.lex.phrases.match(self.w, end) if self.norm(end) in self.lex.phrases.heads else None
        if ph and "daypart" in ph[1] and not minutes:
            return True
        first = self.number(i)
        return bool(minutes >= 10 and first is not None and not first.digits and not self.norm(end - 1)[:1].isdigit()
                    and self._free(end) and self.norm(end) not in self.lex.not_after_hour)

    def _unit_hour(self, i: int) -> Piece | None:
        """"16ч", "16ч30", "9h", "1600 hours" (a 24-hour clock, so no
        working-hours rule), "half six" (British: 6:30, working-hours rule)."""
        norm, lex = self.norm(i), self.lex
        if norm[:1].isdigit() and norm.isascii() is False or (norm[:1].isdigit() and "h" in norm):
            k = len(norm) - len(norm.lstrip("0123456789"))
            h_s, unit, m_s = norm[:k], norm[k:k + 1], norm[k + 1:]
            if (1 <= len(h_s) <= 2 and unit in ("ч", "h") and (m_s == "" or (len(m_s) == 2 and m_s.isdigit()))
                    and int(h_s) <= 24 and int(m_s or 0) < 60):
                h, m = int(h_s), int(m_s or 0)
                end = i + 1 + (self.norm(i + 1) == ".")
                mer = None
                mm = lex.meridiem.match(self.w, end)
                if mm:
                    end, mer = mm
                p = self._clock_piece(i, end, h, m, mer, h == 0 or h > 12)
                if p:
                    p.grain = "minute" if m else "hour"
                return p
        if self.lang == "en" and norm.endswith("ish") and norm[:1].isdigit():  # "3ish", "5-ish", "3pm-ish"
            core = norm[:-3].rstrip("-")
            c = _clock(core) or (_clock(core + ":00") if core.isdigit() and len(core) <= 2 else None)
            if c:
                p = self._clock_piece(i, i + 1, c[0], c[1], c[2], c[3])
                if p:
                    p.grain = "minute" if c[1] else "hour"
                return p
        hours_said = self.norm(i + 1) in ("hours", "hrs", "h")
        if len(norm) == 4 and norm.isdigit() and norm.isascii() and (hours_said or (
                self.level == ANY and self.lang == "en" and (norm[0] in "01" or norm[2:] == "00"))):
            h, m = int(norm[:2]), int(norm[2:])  # "1600 hours", "at 0930"
            if h <= 23 and m <= 59:
                p = self._clock_piece(i, i + 1 + hours_said, h, m, None, True)
                if p:
                    p.grain = "minute" if m else "hour"
                return p
        if self.lang == "en" and norm == "half":
            num = self.number(i + 1)
            if (num is not None and not num.ordinal and 1 <= num.value <= 12
                    and not lex.units.match(self.w, num.end) and not lex.past_to.match(self.w, i + 1)):
                end, mer = num.end, None
                mm = lex.meridiem.match(self.w, end)
                if mm:
                    end, mer = mm
                return self._clock_piece(i, end, num.value, 30, mer, False)
        return None

    def _clock_piece(self, i, end, h, m, mer, explicit) -> Piece | None:
        if mer:
            if h > 12 or (h == 0 and mer != "am"):
                mer = None
            else:
                h = apply_meridiem(h, mer)
        if h > 24 or (h == 24 and m):
            return None
        return Piece(i, end, hm=(h, m), bare=not (mer or explicit), meridiem=mer, grain="minute")

    def _fraction(self, i: int, level: int) -> Piece | None:
        lex, w = self.lex, self.w
        norm = self.norm(i)
        # Russian: половине/четверть + ordinal hour ("третьего" = the 3rd hour = 2:xx)
        minutes, j = None, i
        hp = lex.half_past.match(w, i) if norm in lex.half_past.heads else None
        if hp:
            minutes, j = 30, hp[0]
        else:
            q = lex.quarter.match(w, i) if norm in lex.quarter.heads else None
            if q:
                minutes, j = 15, q[0]
        if minutes is None and self.lang == "ru" and norm.startswith("пол") and len(norm) > 4:
            nw = self.nums.get(norm[3:].lstrip("-"))
            if nw and nw.ordinal and 1 <= nw.value <= 12:
                end, mer = i + 1, None
                mm = lex.meridiem.match(w, end)   # "полдевятого вечера"
                if mm:
                    end, mer = mm
                return self._clock_piece(i, end, nw.value - 1 or 12, 30, mer, False)
        if minutes is not None:
            num = self.number(j)
            if num and num.ordinal and 1 <= num.value <= 12 and not num.digits:
                end, mer = num.end, None
                mm = lex.meridiem.match(w, end)
                if mm:
                    end, mer = mm
                return self._clock_piece(i, end, num.value - 1 or 12, minutes, mer, False)
        if self.lang == "ru" and norm in self.nums and minutes is None:
            p = self._minutes_of_hour(i)  # "пятнадцать минут третьего" = 2:15
            if p:
                return p
        # "без четверти пять", "без пятнадцати пять"
        tm = lex.to_minus.match(w, i) if norm in lex.to_minus.heads else None
        if tm:
            j = tm[0]
            q = lex.quarter.match(w, j)
            if q:
                before, j = 15, q[0]
            else:
                num = self.number(j)
                if num is not None and num.end > j + 1 and self.number(num.end) is None:
                    num = self._first_word_number(j)  # "без двадцати семь": 20 minutes to 7, not 27
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
            else:  # "20 past 4", "ten minutes to five" need no marker; "at ten past five"
                heads = lex.past_to.heads
                if not (w[i + 1:i + 2] and w[i + 1] in heads or w[i + 2:i + 3] and w[i + 2] in heads
                        or w[i + 3:i + 4] and w[i + 3] in heads):
                    return None  # (the cheap test: no "past"/"to" within reach)
                num = self.number(i)
                if num is None or num.ordinal or not 1 <= num.value < 60:
                    return None
                j, minutes = num.end, num.value
                mw = lex.minute_words.match(w, j)
                said_minutes = bool(mw)
                if mw:
                    j = mw[0]
            pt = lex.past_to.match(w, j)
            if not pt or (pt[1] < 0 and not said_minutes and not (fr is None and minutes in (20, 25))):
                return None  # "ten to five" may be a range; "twenty to six" may not
            hour = self.number(pt[0])
            named = {"noon": 12, "midday": 12, "midnight": 24}.get(self.norm(pt[0]))  # "quarter to noon"
            if named is None and (hour is None or hour.ordinal or not 1 <= hour.value <= 12):
                return None
            hv, hend = (named, pt[0] + 1) if named is not None else (hour.value, hour.end)
            if named is not None:
                hm = (hv, minutes) if pt[1] > 0 else (hv - 1, 60 - minutes)
                if hm[0] >= 24:
                    hm = (hm[0] - 24, hm[1])
                return self._clock_piece(i, hend, hm[0], hm[1], None, True)
            h, m = (hv, minutes) if pt[1] > 0 else (hv - 1 or 12, 60 - minutes)
            end, mer = hend, None
            mm = lex.meridiem.match(w, end)
            if mm:
                end, mer = mm
            return self._clock_piece(i, end, h, m, mer, False)
        return None

    def _first_word_number(self, j: int):
        """The number said by the word at j alone ("двадцати" of "двадцати семь")."""
        num = parse_number(self.t[j:j + 1], 0, self.lang)
        return None if num is None else replace(num, start=j, end=j + 1)

    def _minutes_of_hour(self, i: int) -> Piece | None:
        """"пятнадцать минут третьего", "20 минут пятого": N minutes into the
        n-th hour (the hour before the ordinal said), like "в половине третьего"."""
        num = self.number(i)
        if num is None or num.ordinal or not 1 <= num.value < 60:
            return None
        mw = self.lex.minute_words.match(self.w, num.end)
        if not mw:
            return None
        hour = self.number(mw[0])
        if hour is None or not hour.ordinal or hour.digits or not 1 <= hour.value <= 12:
            return None
        end, mer = hour.end, None
        mm = self.lex.meridiem.match(self.w, end)
        if mm:
            end, mer = mm
        return self._clock_piece(i, end, hour.value - 1 or 12, num.value, mer, False)
