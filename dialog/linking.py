"""Account linking by a spoken one-time code.

A voice user who is not linked says the code their workspace shows them
("пять пять два девять один четыре", "552 914", with fillers). Guessing is
bounded per voice user (5 wrong in 15 minutes, then a cool-down) and for
everyone together (wrong tries per minute).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sekretar.dialog.lexicon import DialogLexicon
from sekretar.dialog.settings import DialogSettings
from sekretar.store.base import Store

from sekretar.core.types import Workspace

MIN_DIGITS, MAX_DIGITS = 4, 12  # what may be a code at all (`link-code --length` varies it)


def spoken_code(text: str) -> str | None:
    """The digits said, in any way a person says them; None if none."""
    from sekretar.grammar.numbers import spoken_digits

    digits = spoken_digits(text)
    return digits or None


@dataclass(frozen=True)
class LinkResult:
    outcome: str        # linked | link_failed | link_blocked | link_busy | link_asked
    text: str
    tts: str | None = None
    person_id: str | None = None
    name: str | None = None


class Linker:
    def __init__(self, store: Store, workspace: Workspace, settings: DialogSettings,
                 code_length: int = 6):
        self.store = store
        self.workspace = workspace
        self.settings = settings
        self.code_length = code_length

    def _wait_minutes(self, user: str, now: datetime) -> int:
        """Whole minutes until the user's wrong tries in the window drop below
        the limit: the window minus the longest recent span still under it."""
        s = self.settings
        lo, hi = 0, s.link_window_seconds  # failed_tries(now, lo) < max <= failed_tries(now, hi)
        if self.store.failed_tries(now, 1, user) >= s.link_max_tries:
            return max(1, math.ceil(s.link_window_seconds / 60))
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.store.failed_tries(now, mid, user) < s.link_max_tries:
                lo = mid
            else:
                hi = mid
        return max(1, math.ceil((s.link_window_seconds - lo) / 60))

    def try_link(self, user: str, text: str, now: datetime, lex: DialogLexicon, name_of) -> LinkResult:
        code = spoken_code(text)
        if code is None:
            return LinkResult("link_asked", lex.say("link_ask"), lex.say("link_ask_tts"))
        s = self.settings
        if self.store.failed_tries(now, s.link_window_seconds, user) >= s.link_max_tries:
            return LinkResult("link_blocked", lex.say("link_cooldown", minutes=self._wait_minutes(user, now)))
        if self.store.failed_tries(now, 60) >= s.link_global_per_minute:
            return LinkResult("link_busy", lex.say("link_busy"))
        if not MIN_DIGITS <= len(code) <= MAX_DIGITS:
            # not a code at all (a stray number): answered, not counted
            return LinkResult("link_failed", lex.say("link_wrong_length", length=self.code_length,
                                                     got=len(code)))
        found = self.store.redeem_code(code, now)
        if found is None:
            self.store.record_failed_try(user, now)
            left = s.link_max_tries - self.store.failed_tries(now, s.link_window_seconds, user)
            if left <= 0:
                return LinkResult("link_failed", lex.say("link_wrong_last") + " "
                                  + lex.say("link_cooldown", minutes=self._wait_minutes(user, now)))
            if len(code) != self.code_length:  # a code of another length may exist (link-code --length)
                return LinkResult("link_failed", lex.say("link_wrong_heard", length=self.code_length,
                                                         got=len(code), left=left))
            return LinkResult("link_failed", lex.say("link_wrong", left=left))
        person_id, workspace = found
        self.store.set_link(user, person_id, workspace, now)
        person = self.workspace.get_person(person_id)
        name = name_of(person) if person else person_id
        return LinkResult("linked", lex.say("linked", name=name), person_id=person_id, name=name)
