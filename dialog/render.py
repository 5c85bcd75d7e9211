"""The sentences about a pending command: the question for a missing slot,
the confirmation, what was created, queued or failed. The templates are
the intent's (sekretar/core/intents.yaml); dates in words, people
inflected in the case the intent (or the sentence: "{who:gent}") takes."""
from __future__ import annotations

from datetime import datetime

from sekretar.dialog import anchor, invite
from sekretar.dialog.pending import Pending
from sekretar.dialog.phrasing import Phrasing

from sekretar.core.intents import WhenKind
from sekretar.core.types import Person


class Who:
    """A person in a sentence, inflected when it is formatted: "{who}" in
    the intent's case, "{who:gent}" in the genitive. The speaker is "себе"."""

    def __init__(self, ph: Phrasing, person: Person | None, actor: str | None, case: str, blank: bool = False):
        self.ph, self.person, self.actor, self.case, self.blank = ph, person, actor, case, blank

    def __format__(self, spec: str) -> str:
        if self.blank:
            return ""
        return self.ph.who(self.person, self.actor, spec or self.case)


class Render:
    def __init__(self, ph: Phrasing, now: datetime, people=None, carries=None, workspace: str = ""):
        self.ph = ph
        self.lex = ph.lex
        self.now = now
        self.people = people  # dialog.people.People: an event's invited people by name
        self.carries = carries  # carries(kind, extra): what the workspace keeps (None: everything)
        self.workspace = workspace  # its name in words ("Битрикс24")

    def when(self, p: Pending) -> str:
        """When, in words: a repetition ("каждую среду в 9:00, начиная с 27
        марта"), a span or a point; then the people it is with and its
        reminder, where the intent carries them (dialog/invite.py)."""
        if invite.repeats(p, self.carries):  # a repetition the workspace cannot make is not claimed
            said = invite.repeat_words(self.ph, p, self.now)
        elif p.spec.when == WhenKind.SPAN:
            said = self.ph.span(p.start, p.end, p.all_day, self.now)
        else:
            said = self.ph.at(p.start, self.now)
        said += anchor.note(p, self.lex.lang)  # ", после планёрки": where the time came from (dialog/anchor.py)
        return said + (invite.extras(self.ph, p, self.people, self.carries) if self.people is not None else "")

    def _say(self, p: Pending, name: str, person: Person | None, actor: str | None, **extra) -> str:
        spec = p.spec
        empty = {s.name for s in spec.slots if s.optional and p.value(s.name) in (None, "")}
        fields = {"title": p.title, "text": p.message, "when": self.when(p) if p.start else "",
                  "who": Who(self.ph, person, actor, spec.person_case), **extra}
        return spec.sentence(self.lex.lang, name, empty).format(**fields)

    def ask(self, p: Pending, slot: str, person: Person | None, actor: str | None) -> str:
        """The question for `slot`; {who} is the person already known, or nothing."""
        who = Who(self.ph, person, actor, "datv", blank=person is None)
        lead = invite.lead(self.lex, p.remind) if p.remind else ""  # a task's deadline asked for its reminder
        return p.spec.sentence(self.lex.lang, f"ask.{slot}").format(who=who, title=p.title, text=p.message,
                                                                    lead=lead)

    def confirm(self, p: Pending, person: Person | None, actor: str) -> str:
        question = self._say(p, "confirm", person, actor)
        notes = [invite.unknown(self.ph, p),  # "Не нашла среди сотрудников: Петров."
                 invite.cannot(self.ph, p, self.carries, self.workspace, self.now)]  # "Напоминание … не даёт."
        return " ".join([n for n in notes if n] + [question])

    def past(self, p: Pending) -> str | None:
        """A warning when the deadline / start is already behind `now`."""
        if p.start is None:
            return None
        if p.spec.when == WhenKind.SPAN and p.all_day:
            over = (p.end or p.start) <= self.now
        else:
            over = p.start < self.now
        return self.lex.say("past", when=self.when(p)) if over else None

    def done(self, p: Pending, person: Person | None, actor: str, url: str | None) -> str:
        return self._say(p, "done", person, actor, ref=f" {url}" if url else "")

    def queued(self, p: Pending, person: Person | None, actor: str, workspace: str) -> str:
        return self._say(p, "queued", person, actor, workspace=workspace)

    def dropped(self, p: Pending, person: Person | None, actor: str | None) -> str:
        """The pending command given up for a new one ("Хорошо, задачу «Отчёт» не ставлю.")."""
        who = Who(self.ph, person, actor, p.spec.person_case, blank=person is None)
        text = p.spec.sentence(self.lex.lang, "dropped").format(title=p.title or "…", text=p.message or "…", who=who)
        return " ".join(text.split())

    def failed(self, error: str | None) -> str:
        return self.lex.say("failed", error=(error or "?").rstrip("."))
