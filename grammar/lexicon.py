"""The parser's language data, loaded once from `grammar/data/*.yaml|txt`
into dicts and sets (no per-call parsing of data files)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from sekretar.core.text import fold
from sekretar.grammar.phrases import PhraseTable

DATA = Path(__file__).resolve().parent / "data"


class Verb(NamedTuple):
    """What a command verb says: its intent (None: only "create", the noun
    decides), and whether it is weak (a command only with a recipient)."""

    intent: str | None
    weak: bool = False


@dataclass
class Lexicon:
    lang: str
    verbs: PhraseTable
    verb_intent: dict[str, Verb]
    noun_intent: dict[str, str]          # lemma/form → intent
    titled_nouns: frozenset[str]
    new_adjectives: frozenset[str]
    calendar: PhraseTable
    wrappers: PhraseTable
    polite: frozenset[str]
    trailing: PhraseTable
    trailing_title: PhraseTable
    body_markers: PhraseTable
    body_markers_head: PhraseTable
    message_markers: PhraseTable
    recipient_markers: PhraseTable
    self_phrases: PhraseTable
    date_leads: PhraseTable
    edge_words: frozenset[str]
    complements: frozenset[str]
    given_names: frozenset[str] = field(default_factory=frozenset)
    verb_cases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    noun_about: frozenset[str] = field(default_factory=frozenset)
    place_preps: frozenset[str] = field(default_factory=frozenset)
    message_channels: PhraseTable = field(default_factory=lambda: PhraseTable(()))
    past_question_words: frozenset[str] = field(default_factory=frozenset)  # "has", "did": a question
    remind_objects: frozenset[str] = field(default_factory=frozenset)  # "remind me an hour before"
    # a time said by an item of the calendar (grammar/anchor.py): its word lists by role
    anchor: dict[str, frozenset[str]] = field(default_factory=dict)
    # a name stops before these: one-word body markers and edge words (grammar/recipient.py)
    name_stops: frozenset[str] = field(default_factory=frozenset)


@lru_cache(maxsize=None)
def load(lang: str) -> Lexicon:
    raw = yaml.load((DATA / f"lexicon_{lang}.yaml").read_text(encoding="utf-8"),
                    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # C loader: cold start
    nouns = raw["nouns"]
    noun_intent: dict[str, str] = {}
    for key, words in nouns.items():
        intent = "event" if key == "event_titled" else key
        for w in words:
            noun_intent[fold(str(w))] = intent
    weak = {fold(str(w)) for w in raw.get("weak_verbs", ())}
    given: frozenset[str] = frozenset()
    if lang == "en":
        lines = (DATA / "names_en.txt").read_text(encoding="utf-8").splitlines()
        given = frozenset(l.strip() for l in lines if l.strip() and not l.startswith("#"))
    lex = Lexicon(
        lang=lang,
        verbs=PhraseTable(raw["verbs"].items()),
        verb_intent={fold(str(k)): Verb(v, fold(str(k)) in weak) for k, v in raw["verbs"].items()},
        noun_intent=noun_intent,
        titled_nouns=frozenset(fold(str(w)) for w in nouns.get("event_titled", ())),
        new_adjectives=frozenset(fold(str(w)) for w in raw["new_adjectives"]),
        calendar=PhraseTable((p, True) for p in raw["calendar_phrases"]),
        wrappers=PhraseTable((p, True) for p in raw["wrappers"]),
        polite=frozenset(fold(str(w)) for w in raw["polite"]),
        trailing=PhraseTable((p, True) for p in raw["trailing"]),
        trailing_title=PhraseTable((p, True) for p in raw["trailing_title"]),
        body_markers=PhraseTable((p, True) for p in raw["body_markers"]),
        body_markers_head=PhraseTable((p, True) for p in raw["body_markers_head"]),
        message_markers=PhraseTable((p, True) for p in raw["message_markers"]),
        recipient_markers=PhraseTable((p, tuple(c)) for p, c in raw["recipient_markers"].items()),
        self_phrases=PhraseTable((p, True) for p in raw["self_phrases"]),
        date_leads=PhraseTable((p, True) for p in raw["date_leads"]),
        edge_words=frozenset(fold(str(w)) for w in raw["edge_words"]),
        complements=frozenset(fold(str(w)) for w in raw["noun_complements"]),
        given_names=given,
        message_channels=PhraseTable((p, True) for p in raw.get("message_channels", ())),
        place_preps=frozenset(fold(str(w)) for w in raw.get("place_preps", ())),
        noun_about=frozenset(fold(str(w)) for w in raw.get("noun_about", ())),
        verb_cases={fold(str(k)): tuple(v) for k, v in (raw.get("verb_cases") or {}).items()},
        past_question_words=frozenset(fold(str(w)) for w in raw.get("past_question_words", ())),
        remind_objects=frozenset(fold(str(w)) for w in raw.get("remind_objects", ())),
        anchor={k: frozenset(fold(str(w)) for w in v or ()) for k, v in (raw.get("anchor") or {}).items()},
    )
    lex.anchor["all_heads"] = lex.anchor.get("heads", frozenset()) | lex.anchor.get("before_heads", frozenset())
    lex.name_stops = frozenset({words[0] for words, _ in lex.body_markers.items() if len(words) == 1}
                               | lex.edge_words)
    return lex
