"""The names the conversation is made of, as str-valued enums (the JSON
state and the metric labels keep the very same strings):

`Step`: where a conversation stands (state["step"]); `TurnOutcome`: what
a turn did (Reply.outcome, counted by sekretar.web.metrics); `Said`: what
an utterance is to the dialog before it is a command (yes, no, cancel...).
docs/dialog.md draws them as a state diagram.
"""
from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    """What the last reply asked. No step (None): waiting for a command."""

    SLOT = "slot"         # a question about a missing slot (state["ask"] names it)
    PICK = "pick"         # which of several people
    CONFIRM = "confirm"   # the confirmation (state["key"]: the action's idempotency key)
    # a change of an existing item (dialog/change.py; state["change"] holds it)
    CHANGE_PICK = "change_pick"        # which of several items
    CHANGE_ASK = "change_ask"          # the new time / title / person
    CHANGE_CONFIRM = "change_confirm"  # its confirmation (state["key"])


class TurnOutcome(StrEnum):
    GREETING = "greeting"
    HELP = "help"
    BYE = "bye"
    UNLINKED = "unlinked"
    NOTHING = "nothing"                  # "да" with nothing to confirm
    CANCELLED = "cancelled"
    NOT_UNDERSTOOD = "not_understood"
    ASKED = "asked"                      # a slot question
    AMBIGUOUS = "ambiguous"              # which of several people
    CONFIRM_ASKED = "confirm_asked"
    CORRECTED = "corrected"              # the confirmation asked again after a correction
    DONE = "done"
    QUEUED = "queued"                    # accepted, the workspace will be retried
    FAILED = "failed"
    UNAVAILABLE = "unavailable"          # the workspace's directory could not be read
    LINK_ASKED = "link_asked"
    LINKED = "linked"
    RETRIED = "retried"                  # «повтори» after a failure was told (dialog.notices)
    ANSWERED = "answered"                # a question answered (dialog/query.py), nothing changed
    REPEATED = "repeated"                # «повтори» / YANDEX.REPEAT: the last reply again
    NOT_FOUND = "not_found"              # no item / person a question or a change names
    # dialog.linking also answers link_failed, link_blocked, link_retired (passed through as said)


class Said(StrEnum):
    """An utterance that is a word to the dialog, not a command."""

    YES = "yes"
    NO = "no"
    CANCEL = "cancel"
    HELP = "help"
    UNLINK = "unlink"
    BYE = "bye"


__all__ = ["Step", "TurnOutcome", "Said"]
