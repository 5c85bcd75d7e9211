"""A voice platform's own understanding of an utterance, as hints.

Yandex Alice sends named entities with each request (nlu.entities,
https://yandex.ru/dev/dialogs/alice/doc/ru/naming-entities): YANDEX.FIO (a
name, already in the nominative, lower case) and YANDEX.DATETIME (date and
time parts, absolute or relative to now). sekretar's grammar decides; a hint
fills only what the grammar did not find (a task's or message's recipient,
a time), and every disagreement between the two is reported to the
listeners (the server counts them in sekretar_platform_hint_disagreements_total).

    hints = {"fio": [{"first": "дмитрий", "last": "орлов"}],
             "datetime": [{"day": 1, "day_is_relative": True, "hour": 15}]}
    cmd = apply(cmd, hints, now)
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Callable

from sekretar.grammar.command import Command, Recipient, When, missing_slots

log = logging.getLogger(__name__)

LISTENERS: list[Callable[[str], None]] = []   # called with "fio" or "datetime" on a disagreement


def _disagree(kind: str) -> None:
    for listener in list(LISTENERS):
        try:
            listener(kind)
        except Exception:  # a metrics problem must not break a turn
            log.exception("hint listener failed")


def _cap(word) -> str | None:
    return word.strip().capitalize() if isinstance(word, str) and word.strip() else None


def recipient_of(fio: dict) -> Recipient | None:
    first, last, middle = (_cap(fio.get(k)) for k in ("first", "last", "middle"))
    if not (first or last):
        return None
    return Recipient(first=first, last=last, middle=middle, span=" ".join(x for x in (first, middle, last) if x))


def when_of(parts: dict, now: datetime) -> When | None:
    """YANDEX.DATETIME parts in `now`'s zone; None when nothing usable.
    Relative parts count from now ("завтра": day +1; "через 2 часа": hour +2)."""
    def val(name):
        v = parts.get(name)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    def rel(name):
        return parts.get(f"{name}_is_relative") is True
    try:
        if val("hour") is not None and rel("hour") or val("minute") is not None and rel("minute"):
            start = now.replace(second=0, microsecond=0) + timedelta(hours=val("hour") or 0,
                                                                     minutes=val("minute") or 0)
            return When(start=start, grain="minute")
        year, month = now.year, now.month
        if val("year") is not None:
            year = now.year + val("year") if rel("year") else val("year")
        if val("month") is not None:
            if rel("month"):
                year, month0 = divmod(year * 12 + month - 1 + val("month"), 12)
                month = month0 + 1
            else:
                month = val("month")
        day = now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
        if val("day") is not None:
            day = (now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=val("day"))) \
                if rel("day") else day.replace(day=val("day"))
        elif (year, month) == (now.year, now.month):
            day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        has_date = any(val(k) is not None for k in ("year", "month", "day"))
        if val("hour") is None:
            if not has_date:
                return None
            return When(start=day, end=day + timedelta(days=1), all_day=True, has_time=False, grain="day")
        start = day.replace(hour=val("hour"), minute=val("minute") or 0)
        return When(start=start, has_date=has_date, grain="minute" if val("minute") is not None else "hour")
    except (ValueError, OverflowError, TypeError):
        return None


def _same_person(a: Recipient, b: Recipient) -> bool:
    def fold(x):
        return (x or "").casefold().replace("ё", "е")
    return all(not fold(x) or not fold(y) or fold(x) == fold(y)
               for x, y in ((a.first, b.first), (a.last, b.last)))


def _same_time(a: When, b: When) -> bool:
    if b.all_day or not b.has_time:
        return a.start.date() == b.start.date()
    return a.start.replace(second=0, microsecond=0) == b.start


def apply(cmd: Command, hints: dict | None, now: datetime) -> Command:
    if not hints or cmd.intent is None:
        return cmd
    fios = [r for r in (recipient_of(f) for f in hints.get("fio") or () if isinstance(f, dict)) if r]
    times = [w for w in (when_of(d, now) for d in hints.get("datetime") or () if isinstance(d, dict)) if w]
    recipient, when = cmd.recipient, cmd.when
    if fios and cmd.intent in ("task", "message"):
        if recipient is None:
            recipient = fios[0]
        elif not recipient.self and not any(_same_person(recipient, f) for f in fios):
            _disagree("fio")
    if times:
        if when is None:
            when = times[0]
        elif not any(_same_time(when, t) for t in times):
            _disagree("datetime")
    if recipient is cmd.recipient and when is cmd.when:
        return cmd
    return replace(cmd, recipient=recipient, when=when,
                   missing=missing_slots(cmd.intent, recipient, cmd.title, cmd.message, when))
