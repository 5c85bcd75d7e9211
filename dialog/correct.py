"""Applying a correction said at the confirmation to the pending command:
only what it names changes ("нет, на среду" → the day, "в 15:00" → the
time, "не Иванову, а Петрову" → the person, "назови её ..." → the title,
"текст другой: ..." → the message)."""
from __future__ import annotations

from typing import Callable

from sekretar.dialog.confirm import Correction
from sekretar.dialog.context import as_title
from sekretar.dialog.pending import Pending, fit_when, said
from sekretar.dialog.people import People


def apply_correction(p: Pending, corr: Correction, parse: Callable, people: People,
                     task_default_hour: int = 12) -> bool:
    """Change `p` by `corr`; True if something changed. `parse(text,
    expect=None)` is the grammar in this turn's context."""
    if corr.slot == "title":
        p.title = parse(corr.text, "title").title or as_title(corr.text)
        return True
    if corr.slot == "message":
        p.message = corr.text  # a message is what was said, dates and all
        return True
    cmd = parse(corr.text)
    changed = False
    has_person = p.spec.person_slot is not None
    if cmd.when is not None and p.spec.has("when"):
        p.when, changed = fit_when(p.intent, p.when, cmd.when, task_default_hour), True
    if said(cmd.recipient) and has_person:
        p.recipient, p.person, changed = said(cmd.recipient), None, True
    if not changed and has_person:
        # a bare name: "нет, Петрову" / "не Иванову, а Петрову"
        rec = said(parse(corr.text, "recipient").recipient)
        if rec is not None and (corr.old is not None or people.match(rec)):
            p.recipient, p.person, changed = rec, None, True
    return changed
