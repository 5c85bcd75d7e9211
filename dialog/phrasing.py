"""How the dialog says things: dates in words, people's names inflected for
the sentence ("Сергею Иванову", "Какого Сергея"), and the speech variant of
a reply (no «» quotes, no ids or links read aloud)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sekretar.dialog.lexicon import DialogLexicon

from sekretar.core.text import has_cyrillic, like
from sekretar.core.types import Person

MAX_OPTIONS = 4  # more namesakes than this are not read out
_QUOTES = re.compile(r"[«»“”„\"]")
_URL = re.compile(r"\s*https?://\S+")


def translit(text: str) -> str:
    """A Russian name in Latin letters for English replies ("Сергей" →
    "Sergey"), by the Wikipedia scheme (iuliia)."""
    import iuliia

    return iuliia.WIKIPEDIA.translate(text)


def for_speech(text: str) -> str:
    """The same sentence as it should be spoken: quotes and links dropped."""
    text = _URL.sub("", text)
    text = _QUOTES.sub("", text)
    return re.sub(r"\s+([.,?!:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()


class Phrasing:
    """Builds the pieces of a reply in one language. `morph` is the shared
    pymorphy3 analyzer (None: names stay in the nominative)."""

    def __init__(self, lex: DialogLexicon, morph=None):
        self.lex = lex
        self.morph = morph

    # --- names -----------------------------------------------------------
    def name(self, person: Person, case: str = "nomn") -> str:
        """The person's first and last name in `case` (pymorphy3 grammemes:
        nomn, gent, datv, accs, ablt, loct)."""
        if self.lex.lang == "en":
            return " ".join(translit(p) if has_cyrillic(p) else p
                            for p in (person.first, person.last) if p) or person.id
        gender = person.gender or self._gender(person.first)
        parts = []
        if person.first:
            parts.append(self.inflect(person.first, case, "Name", gender))
        if person.last:
            parts.append(self.inflect(person.last, case, "Surn", gender))
        return " ".join(parts) or person.id

    def first_name(self, person: Person, case: str = "nomn") -> str:
        if self.lex.lang == "en":
            return translit(person.first or "") or self.name(person)
        gender = person.gender or self._gender(person.first)
        return self.inflect(person.first, case, "Name", gender) if person.first else self.name(person, case)

    def gender(self, person: Person) -> str | None:
        return person.gender or self._gender(person.first)

    def _gender(self, first: str | None) -> str | None:
        if not first or self.morph is None:
            return None
        for p in self.morph.parse(first):
            if "Name" in p.tag and "nomn" in p.tag and "sing" in p.tag:
                return {"masc": "m", "femn": "f"}.get(p.tag.gender)
        return None

    def inflect(self, word: str, case: str, kind: str, gender: str | None) -> str:
        if case == "nomn" or self.morph is None or "-" in word:
            return word
        want = {"m": "masc", "f": "femn"}.get(gender)
        best = None
        for p in self.morph.parse(word):
            if kind not in p.tag or "nomn" not in p.tag or "sing" not in p.tag:
                continue
            if want and p.tag.gender not in (want, None) and "Ms-f" not in p.tag:
                continue
            best = p
            break
        if best is None:
            return word
        grammemes = {case} | ({want} if want and kind == "Surn" else set())
        form = best.inflect(grammemes) or best.inflect({case})
        if form is None:
            return word
        return like(form.word, word)

    def who(self, person: Person | None, actor: str | None, case: str) -> str:
        """A person in a sentence; the linked person themself is "себе"."""
        if person is None or (actor is not None and person.id == actor):
            return self.lex.say("self")
        return self.name(person, case)

    # --- dates -----------------------------------------------------------
    def date(self, d: datetime, now: datetime | None = None) -> str:
        month = self.lex.months[d.month - 1]
        if now is not None and d.year != now.year:
            return self.lex.say("date/day_year", day=d.day, month=month, year=d.year)
        return self.lex.say("date/day", day=d.day, month=month)

    def time(self, d: datetime) -> str:
        h12 = d.hour % 12 or 12
        return self.lex.say("date/time", h=d.hour, mm=f"{d.minute:02d}", h12=h12,
                            ampm="AM" if d.hour < 12 else "PM")

    def at(self, d: datetime, now: datetime | None = None) -> str:
        """"2 апреля 13:15" / "April 2 at 1:15 PM"."""
        return self.lex.say("date/at", date=self.date(d, now), time=self.time(d))

    def span(self, start: datetime, end: datetime | None, all_day: bool,
             now: datetime | None = None) -> str:
        """An event's time with its preposition: "на 2 апреля с 13:15 до 14:15"."""
        if all_day:
            last = (end - timedelta(days=1)) if end else start
            if last.date() <= start.date():
                return self.lex.say("date/all_day", date=self.date(start, now))
            return self.lex.say("date/all_days", d1=self.date(start, now), d2=self.date(last, now))
        if end is None:
            return self.lex.say("date/no_end", date=self.date(start, now), time=self.time(start))
        if end.date() == start.date():
            return self.lex.say("date/range_same_day", date=self.date(start, now),
                                t1=self.time(start), t2=self.time(end))
        return self.lex.say("date/range", d1=self.at(start, now), d2=self.at(end, now))

    def options(self, people: list[Person], case: str) -> str:
        names = [self.name(p, case) for p in people]
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + f" {self.lex.say('or')} " + names[-1]

    def pick_question(self, found: list[Person]) -> str:
        """"Какого Сергея: Сергея Иванова или Сергея Петрова?"; with more
        than MAX_OPTIONS people, the last name is asked for instead."""
        if len(found) > MAX_OPTIONS:
            return self.lex.say("pick_many", n=len(found))
        options = self.options(found, "accs")
        firsts = {x.first for x in found}
        genders = {self.gender(x) for x in found}
        if len(firsts) == 1 and None not in firsts and len(genders) == 1:
            key = "pick_f" if genders == {"f"} else "pick"
            return self.lex.say(key, first=self.first_name(found[0], "accs"), options=options)
        return self.lex.say("pick_any", options=options)
