"""Applying a correction said at the confirmation to the pending command:
only what it names changes ("нет, на среду" → the day, "в 15:00" → the
time, "не Иванову, а Петрову" → the person, "назови её ..." → the title,
"текст другой: ..." → the message)."""
from __future__ import annotations

from typing import Callable

from sekretar.dialog.confirm import Correction
from sekretar.dialog.context import capitalize
from sekretar.dialog.pending import Pending, fit_when, recipient_dict
from sekretar.dialog.people import People
from sekretar.grammar.command import Recipient


def apply_correction(p: Pending, corr: Correction, parse: Callable, people: People,
                     task_default_hour: int = 12) -> bool:
    """Change `p` by `corr`; True if something changed. `parse(text,
    expect=None)` is the grammar in this turn's context."""
    if corr.slot == "title":
        p.title = parse(corr.text, "title").title or capitalize(corr.text)
        return True
    if corr.slot == "message":
        p.message = corr.text  # a message is what was said, dates and all
        return True
    cmd = parse(corr.text)
    changed = False
    if cmd.when is not None and p.intent in ("task", "event"):
        p.when, changed = fit_when(p.intent, p.when, cmd.when, task_default_hour), True
        if p.intent == "event" and cmd.when.rrule:  # "нет, по четвергам": the repetition changes
            p.rrule = cmd.when.rrule
    if p.intent == "event" and cmd.remind is not None:  # "нет, напомни за час"
        p.remind, changed = max(1, int(cmd.remind.total_seconds() // 60)), True
    if recipient_dict(cmd.recipient) and p.intent in ("task", "message"):
        p.recipient, p.person, changed = recipient_dict(cmd.recipient), None, True
    if not changed and p.intent in ("task", "message"):
        # a bare name: "нет, Петрову" / "не Иванову, а Петрову"
        rec = recipient_dict(parse(corr.text, "recipient").recipient)
        if rec is not None and (corr.old is not None or people.match(Recipient(**rec))):
            p.recipient, p.person, changed = rec, None, True
    return changed
