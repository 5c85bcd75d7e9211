"""Dates and times as people say them (Russian, English): the seam between
the date rules and the parser. PLACEHOLDER: the date rules land here.

`find_when(tokens, now, lang)` finds the date/time expression(s) in the
tokens and returns a `DateSpan` with the token ranges it consumed
(prepositions and markers like "на", "в", "с ... до", "сроком" included),
so the parser can cut them out of the title or message. It does not know
the intent: the parser decides what a day without a time means (a task's
deadline at 12:00, an event all day).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from grammar.tokens import Token


@dataclass(frozen=True)
class DateSpan:
    start: datetime                 # aware, in now's zone; 00:00 when no time was said
    end: datetime | None = None     # a range's end; 00:00 of the last day when no time was said
    has_date: bool = True           # a day was said (otherwise: today / next occurrence of the time)
    has_time: bool = False          # a time of day was said for start
    end_has_time: bool = False
    all_day: bool = False           # "на весь день", "for the whole day"
    spans: tuple[tuple[int, int], ...] = ()  # token index ranges [i, j) consumed


def find_when(tokens: list[Token], now: datetime, lang: str = "ru") -> DateSpan | None:
    return None
