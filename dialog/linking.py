"""Account linking by a spoken one-time code.

A voice user who is not linked says the code their workspace shows them
("пять пять два девять один четыре", "552 914", with fillers). The policy
(docs/security.md): a voice user has `link_max_tries` wrong codes per
`link_window_seconds`, then waits until the oldest leaves the window; no
limit is global (a flood of made-up user ids cannot lock a real user
out); instead every code accepts only its budget of evaluations (0.1 % of
its code space: 1,000 for six digits), so guessing from any number of ids
finds a live code with a chance of at most 0.1 % per code lifetime. The
SERVER's clock (`clock`) decides every window and expiry; a turn's `now`
never reaches here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sekretar.dialog.lexicon import DialogLexicon
from sekretar.dialog.settings import DialogSettings
from sekretar.store.base import Store

from sekretar.core.clock import Clock, utcnow
from sekretar.core.types import Workspace

MIN_DIGITS, MAX_DIGITS = 4, 12  # what may be a code at all (`link-code --length` varies it)


def spoken_code(text: str) -> str | None:
    """The digits said, in any way a person says them; None if none."""
    from sekretar.grammar.numbers import spoken_digits

    digits = spoken_digits(text)
    return digits or None


@dataclass(frozen=True)
class LinkResult:
    outcome: str        # linked | link_failed | link_blocked | link_retired | link_asked
    text: str
    tts: str | None = None
    person_id: str | None = None
    name: str | None = None


class Linker:
    def __init__(self, store: Store, workspace: Workspace, settings: DialogSettings,
                 code_length: int = 6, clock: Clock = utcnow):
        self.store = store
        self.workspace = workspace
        self.settings = settings
        self.code_length = code_length
        self.clock = clock

    def try_link(self, user: str, text: str, lex: DialogLexicon, name_of) -> LinkResult:
        code = spoken_code(text)
        if code is None:
            return LinkResult("link_asked", lex.say("link_ask"), lex.say("link_ask_tts"))
        if not MIN_DIGITS <= len(code) <= MAX_DIGITS:
            # not a code at all (a stray number): answered, not counted
            return LinkResult("link_failed", lex.say("link_wrong_length", length=self.code_length,
                                                     got=len(code)))
        s, now = self.settings, self.clock()
        tried = self.store.try_code(user, code, now, max_tries=s.link_max_tries,
                                    window_seconds=s.link_window_seconds)
        minutes = max(1, math.ceil(tried.wait_seconds / 60))
        if tried.status == "blocked":
            return LinkResult("link_blocked", lex.say("link_cooldown", minutes=minutes))
        if tried.status == "retired":
            return LinkResult("link_retired", lex.say("link_retired"))
        if tried.status != "linked":
            if tried.left <= 0:
                return LinkResult("link_failed", lex.say("link_wrong_last") + " "
                                  + lex.say("link_cooldown", minutes=minutes))
            if len(code) != self.code_length:  # a code of another length may exist (link-code --length)
                return LinkResult("link_failed", lex.say("link_wrong_heard", length=self.code_length,
                                                         got=len(code), left=tried.left))
            return LinkResult("link_failed", lex.say("link_wrong", left=tried.left))
        self.store.set_link(user, tried.person_id, tried.workspace, now)
        person = self.workspace.get_person(tried.person_id)
        name = name_of(person) if person else tried.person_id
        return LinkResult("linked", lex.say("linked", name=name), person_id=tried.person_id, name=name)
