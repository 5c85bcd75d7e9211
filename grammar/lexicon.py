"""The parser's language data, loaded once from `grammar/data/*.yaml|txt`
into dicts and sets (no per-call parsing of data files)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"


class Phrases:
    """Multi-word phrases keyed by their first word, longest first, so a
    match at a position costs one dict lookup plus a few tuple compares."""

    def __init__(self, items):
        self._by_first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        for phrase, value in items:
            words = tuple(_norm(phrase).split())
            if words:
                self._by_first.setdefault(words[0], []).append((words, value))
        for lst in self._by_first.values():
            lst.sort(key=lambda wv: -len(wv[0]))

    def match(self, norms: list[str], k: int):
        """(length, value) of the longest phrase starting at norms[k], or None."""
        cands = self._by_first.get(norms[k])
        if not cands:
            return None
        for words, value in cands:
            n = len(words)
            if n == 1 or tuple(norms[k:k + n]) == words:
                return n, value
        return None

    def __contains__(self, word: str) -> bool:
        return word in self._by_first


def _norm(s: str) -> str:
    return str(s).lower().replace("ё", "е")


@dataclass
class Lexicon:
    lang: str
    verbs: Phrases
    verb_intent: dict[str, str | None]
    noun_intent: dict[str, str]          # lemma/form → intent
    titled_nouns: frozenset[str]
    new_adjectives: frozenset[str]
    calendar: Phrases
    wrappers: Phrases
    polite: frozenset[str]
    trailing: Phrases
    trailing_title: Phrases
    body_markers: Phrases
    body_markers_head: Phrases
    message_markers: Phrases
    recipient_markers: Phrases
    self_phrases: Phrases
    date_leads: Phrases
    edge_words: frozenset[str]
    complements: frozenset[str]
    given_names: frozenset[str] = field(default_factory=frozenset)
    verb_cases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    noun_about: frozenset[str] = field(default_factory=frozenset)
    place_preps: frozenset[str] = field(default_factory=frozenset)
    message_channels: Phrases = field(default_factory=lambda: Phrases(()))
    past_question_words: frozenset[str] = field(default_factory=frozenset)  # "has", "did": a question


@lru_cache(maxsize=None)
def load(lang: str) -> Lexicon:
    raw = yaml.load((DATA / f"lexicon_{lang}.yaml").read_text(encoding="utf-8"),
                    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # C loader: cold start
    nouns = raw["nouns"]
    noun_intent: dict[str, str] = {}
    for key, words in nouns.items():
        intent = "event" if key == "event_titled" else key
        for w in words:
            noun_intent[_norm(w)] = intent
    given: frozenset[str] = frozenset()
    if lang == "en":
        lines = (DATA / "names_en.txt").read_text(encoding="utf-8").splitlines()
        given = frozenset(l.strip() for l in lines if l.strip() and not l.startswith("#"))
    return Lexicon(
        lang=lang,
        verbs=Phrases(raw["verbs"].items()),
        verb_intent={_norm(k): v for k, v in raw["verbs"].items()},
        noun_intent=noun_intent,
        titled_nouns=frozenset(_norm(w) for w in nouns.get("event_titled", ())),
        new_adjectives=frozenset(_norm(w) for w in raw["new_adjectives"]),
        calendar=Phrases((p, True) for p in raw["calendar_phrases"]),
        wrappers=Phrases((p, True) for p in raw["wrappers"]),
        polite=frozenset(_norm(w) for w in raw["polite"]),
        trailing=Phrases((p, True) for p in raw["trailing"]),
        trailing_title=Phrases((p, True) for p in raw["trailing_title"]),
        body_markers=Phrases((p, True) for p in raw["body_markers"]),
        body_markers_head=Phrases((p, True) for p in raw["body_markers_head"]),
        message_markers=Phrases((p, True) for p in raw["message_markers"]),
        recipient_markers=Phrases((p, tuple(c)) for p, c in raw["recipient_markers"].items()),
        self_phrases=Phrases((p, True) for p in raw["self_phrases"]),
        date_leads=Phrases((p, True) for p in raw["date_leads"]),
        edge_words=frozenset(_norm(w) for w in raw["edge_words"]),
        complements=frozenset(_norm(w) for w in raw["noun_complements"]),
        given_names=given,
        message_channels=Phrases((p, True) for p in raw.get("message_channels", ())),
        place_preps=frozenset(_norm(w) for w in raw.get("place_preps", ())),
        noun_about=frozenset(_norm(w) for w in raw.get("noun_about", ())),
        verb_cases={_norm(k): tuple(v) for k, v in (raw.get("verb_cases") or {}).items()},
        past_question_words=frozenset(_norm(w) for w in raw.get("past_question_words", ())),
    )
