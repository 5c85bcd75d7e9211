"""Dates and times as people say them (Russian, English).

`find_when(tokens, now, lang)` → `DateSpan | None`: the time said, as a
typed value (a point and, where one was said, a period with its grain, an
open bound, a duration, a repetition, a zone converted to `now`'s), with the
token ranges it consumed so the parser can cut them from a title.

Layout: small named readers over typed pieces (readers.py: the table, one
row per form with example phrases), the piece and its value (piece.py), the
scanner that joins pieces into points and ranges (scan.py), resolution to
datetimes (find.py), the words in data/<lang>.yaml. How to add a form and
the conventions: docs/dates.md.
"""
from sekretar.grammar.dates.find import PM_BARE_HOURS, DateSpan, find_when

__all__ = ["DateSpan", "find_when", "PM_BARE_HOURS"]
