"""Phrase hints for a runtime vocabulary: the command words of a language
(data/hints_<lang>.txt) and the workspace's people names in every case
("Иванов" → иванов, иванова, иванову, ивановым, иванове), so a small model
hears "поставь задачу иванову" right.

A Vosk runtime vocabulary is closed (anything else is "[unk]" or a near
word), so this suits commands; free dictation of titles is better without.
The morphology analyser (pymorphy3) is built once by the caller and passed in.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

NAME_TAGS = {"Name", "Surn", "Patr"}


def command_words(lang: str) -> list[str]:
    path = Path(__file__).with_name("data") / f"hints_{lang}.txt"
    if not path.is_file():
        return []
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words += [w.lower() for w in line.split()]
    return list(dict.fromkeys(words))


def name_forms(word: str, morph=None) -> list[str]:
    """The singular case forms of a first name, surname or patronymic
    (its nominative alone when the analyser does not know it as one)."""
    word = word.strip().lower()
    if not word or morph is None:
        return [word] if word else []
    for parse in morph.parse(word):
        if NAME_TAGS & set(parse.tag.grammemes):
            forms = [f.word for f in parse.lexeme if "sing" in f.tag.grammemes or "Sgtm" in f.tag.grammemes]
            return list(dict.fromkeys([word] + forms))
    return [word]


def people_words(people: Iterable, morph=None) -> list[str]:
    """Every word of every person's first, middle and last name, inflected."""
    words: list[str] = []
    for person in people:
        for part in (getattr(person, "first", None), getattr(person, "middle", None),
                     getattr(person, "last", None)):
            for token in (part or "").replace("-", " ").split():
                words += name_forms(token, morph)
    return list(dict.fromkeys(words))


def vocabulary(lang: str, people: Iterable = (), morph=None, extra: Iterable[str] = ()) -> list[str]:
    return list(dict.fromkeys(command_words(lang) + people_words(people, morph)
                              + [w.lower() for w in extra]))
