"""The sentences about a pending command: the confirmation question, what
was created, queued or failed. Dates in words, people inflected."""
from __future__ import annotations

from datetime import datetime

from sekretar.dialog import invite
from sekretar.dialog.pending import Pending
from sekretar.dialog.phrasing import Phrasing

from sekretar.core.types import Person

# the case a person takes in each sentence (Russian; English ignores it)
CASE = {"task": "datv", "message": "datv"}


class Render:
    def __init__(self, ph: Phrasing, now: datetime, people=None):
        self.ph = ph
        self.lex = ph.lex
        self.now = now
        self.people = people  # dialog.people.People: an event's invited people by name

    def who(self, p: Pending, person: Person | None, actor: str) -> str:
        return self.ph.who(person, actor, CASE.get(p.intent, "datv"))

    def when(self, p: Pending) -> str:
        if p.intent == "event":
            said = invite.repeat_words(self.ph, p, self.now) if p.rrule else \
                self.ph.span(p.start, p.end, p.all_day, self.now)
            return said + (invite.extras(self.ph, p, self.people, None) if self.people is not None else "")
        return self.ph.at(p.start, self.now)

    def confirm(self, p: Pending, person: Person | None, actor: str) -> str:
        who = self.who(p, person, actor)
        if p.intent == "task":
            if p.start is None:
                return self.lex.say("confirm/task_nodue", title=p.title, who=who)
            return self.lex.say("confirm/task", title=p.title, who=who, when=self.when(p))
        if p.intent == "event":
            question = self.lex.say("confirm/event", title=p.title, when=self.when(p))
            note = invite.unknown(self.ph, p)
            return f"{note} {question}" if note else question
        return self.lex.say("confirm/message", who=who, text=p.message)

    def past(self, p: Pending) -> str | None:
        """A warning when the deadline / start is already behind `now`."""
        if p.start is None:
            return None
        if p.intent == "event" and p.all_day:
            over = (p.end or p.start) <= self.now
        else:
            over = p.start < self.now
        return self.lex.say("past", when=self.when(p)) if over else None

    def done(self, p: Pending, person: Person | None, actor: str, url: str | None) -> str:
        ref = f" {url}" if url else ""
        who = self.who(p, person, actor)
        if p.intent == "task":
            due = self.lex.say("due", when=self.when(p)) if p.start else ""
            return self.lex.say("done/task", title=p.title, who=who, due=due, ref=ref)
        if p.intent == "event":
            return self.lex.say("done/event", title=p.title, when=self.when(p), ref=ref)
        return self.lex.say("done/message", who=who, ref=ref)

    def queued(self, p: Pending, person: Person | None, actor: str, workspace: str) -> str:
        who = self.ph.who(person, actor, "gent")
        return self.lex.say(f"queued/{p.intent}", title=p.title, who=who, workspace=workspace)

    def failed(self, error: str | None) -> str:
        return self.lex.say("failed", error=(error or "?").rstrip("."))
