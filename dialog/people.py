"""Who the user means: the recipient said → people of the workspace
(`integrations.people.Directory` does the matching: nominative, diminutives,
last name only, fuzzy), and picking one of several ("Петрова", "второго",
"Сергея Петрова")."""
from __future__ import annotations

from sekretar.dialog.lexicon import DialogLexicon
from sekretar.grammar.command import Recipient

from sekretar.core.text import fold, norm_words
from sekretar.core.types import Person, Workspace


class People:
    """The workspace's directory, rebuilt when the workspace's list changes.
    `morph` is the shared pymorphy3 analyzer."""

    def __init__(self, workspace: Workspace, morph=None):
        self.workspace = workspace
        self.morph = morph
        self._people: list[Person] | None = None
        self._directory = None

    def directory(self, people: list[Person] | None = None):
        from sekretar.integrations.people import Directory

        if people is not None:
            return Directory(people, self.morph)
        current = list(self.workspace.people())
        if self._directory is None or current != self._people:
            self._people, self._directory = current, Directory(current, self.morph)
        return self._directory

    def get(self, person_id: str) -> Person | None:
        return self.workspace.get_person(person_id)

    def match(self, recipient: Recipient) -> list[Person]:
        return list(self.directory().match(recipient))

    def pick(self, choices: list[Person], text: str, recipient: Recipient | None,
             lex: DialogLexicon) -> Person | None:
        """One of `choices` by what the user answered, or None."""
        n = lex.ordinal(text)
        if n is not None and -len(choices) <= (n - 1 if n > 0 else n) < len(choices):
            return choices[n - 1 if n > 0 else n]
        if recipient is not None and (recipient.first or recipient.last):
            found = [p for p in self.directory(choices).match(recipient) if p in choices]
            if len(found) == 1:
                return found[0]
        # the words said against each choice's names, in any case form
        said = {self._lemma(w) for w in norm_words(text)}
        scores = [len(said & self._lemmas(p)) for p in choices]
        best = max(scores, default=0)
        if best > 0 and scores.count(best) == 1:
            return choices[scores.index(best)]
        return None

    def _lemmas(self, p: Person) -> set[str]:
        return {self._lemma(x) for x in norm_words(f"{p.first or ''} {p.last or ''}")}

    def _lemma(self, word: str) -> str:
        if self.morph is None:
            return word
        parses = self.morph.parse(word)
        for p in parses:
            if {"Name", "Surn"} & set(p.tag.grammemes):
                return fold(p.normal_form)
        return fold(parses[0].normal_form) if parses else word
