"""The language data of questions and changes (the `query` and `change`
sections of grammar/data/lexicon_*.yaml), loaded once, and the word tests
grammar/query.py reads an utterance with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import yaml

from sekretar.core.text import fold as _norm
from sekretar.grammar.lexicon import DATA
from sekretar.grammar.phrases import PhraseTable


class Phrases(PhraseTable):
    """The grammar's phrase table, matched as the question rules count:
    (how many words matched, value) rather than the index after them."""

    __slots__ = ()

    def match(self, norms: list[str], i: int):
        m = PhraseTable.match(self, norms, i)
        return None if m is None else (m.end - i, m.value)


REF_PREPS = frozenset({"по", "про", "о", "об", "с", "со", "для", "насчет", "about", "with", "for", "on"})


@dataclass(frozen=True)
class Detail:
    """What a question or change says beyond the contract's keys."""

    scope: str = "own"                 # whose items: "own" | "given" (I gave them) | "from" (given to me by)
    overdue: bool = False
    free: bool = False                 # a free/busy question
    next: bool = False                 # "ближайшая": the first one from now on
    done: bool = False                 # closed tasks asked about
    shift: timedelta | None = None     # a move by an amount ("на час позже")
    it: bool = False                   # the item is "её" / "it": the one the conversation just had
    old: object = None                 # a move's old time said too ("со среды на четверг"): a When
    words: tuple[str, ...] = ()        # title words a question filters by


def _set(items) -> frozenset[str]:
    return frozenset(_norm(w) for w in items or ())


@dataclass(frozen=True)
class QueryLex:
    ask: Phrases
    list_verbs: frozenset[str]
    free: frozenset[str]
    events: frozenset[str]
    tasks: frozenset[str]
    both: frozenset[str]
    overdue: Phrases
    overdue_words: frozenset[str]
    next: frozenset[str]
    done: frozenset[str]
    fillers: Phrases
    person_markers: dict[str, tuple[tuple[str, ...] | None, str]]
    given_verbs: frozenset[str]
    self_words: Phrases
    day_parts: Phrases          # phrase → (from hour, to hour)
    periods: Phrases            # phrase → (unit, offset)
    change_verbs: Phrases       # lemma / phrase → action
    change_objects: dict[str, str]
    rename_markers: Phrases
    reassign_markers: Phrases   # phrase → cases
    it: Phrases
    drop: Phrases
    shift_units: dict[str, int]
    later: frozenset[str]
    earlier: frozenset[str]


@lru_cache(maxsize=None)
def query_lex(lang: str) -> QueryLex:
    raw = yaml.safe_load((DATA / f"lexicon_{lang}.yaml").read_text(encoding="utf-8"))
    q, c = raw["query"], raw["change"]

    def cases(v):
        return None if not v or "any" in v else tuple(v)

    return QueryLex(
        ask=Phrases((w, True) for w in q["ask"]),
        list_verbs=_set(q["list_verbs"]),
        free=_set(q["free"]),
        events=_set(q["events"]),
        tasks=_set(q["tasks"]),
        both=_set(q["both"]),
        overdue=Phrases((w, True) for w in q["overdue"]),
        overdue_words=_set(w for w in q["overdue"] if " " not in w),
        next=_set(q["next"]),
        done=_set(q["done"]),
        fillers=Phrases((w, True) for w in q["fillers"]),
        person_markers={_norm(k): (cases(v[:-1]), v[-1]) for k, v in q["person_markers"].items()},
        given_verbs=_set(q["given_verbs"]),
        self_words=Phrases((w, True) for w in q["self"]),
        day_parts=Phrases((k, tuple(v)) for k, v in q["day_parts"].items()),
        periods=Phrases((k, tuple(v)) for k, v in q["periods"].items()),
        change_verbs=Phrases(c["verbs"].items()),
        change_objects={_norm(k): v for k, v in c["objects"].items()},
        rename_markers=Phrases((w, True) for w in c["rename_markers"]),
        reassign_markers=Phrases((k, cases(v)) for k, v in c["reassign_markers"].items()),
        it=Phrases((w, True) for w in c["it"]),
        drop=Phrases((w, True) for w in c["drop"]),
        shift_units={_norm(k): int(v) for k, v in c["shift_units"].items()},
        later=_set(c["later"]),
        earlier=_set(c["earlier"]),
    )


class Words:
    """Lemmas of an utterance's words (Russian: every pymorphy3 reading's
    normal form, past tenses included; English: the form itself)."""

    _cache: dict[str, frozenset[str]] = {}

    def __init__(self, u):
        self.u = u
        self.ru = u.morph is not None

    def lemmas(self, k: int) -> frozenset[str]:
        w = self.u.norms[k]
        if not self.ru:
            return frozenset((w,))
        got = self._cache.get(w)
        if got is None:
            base = w.rpartition("-")[0] if w.endswith(("-ка", "-то", "-нибудь")) else w
            got = frozenset({w} | {p.normal_form.replace("ё", "е") for p in self.u.morph._parse(base)})
            if len(self._cache) < 100_000:
                self._cache[w] = got
        return got

    def verbs(self, k: int) -> frozenset[str]:
        """Command-verb lemmas (imperative, infinitive, 'давай перенесём')."""
        if not self.ru:
            return frozenset((self.u.norms[k],))
        return self.u.morph.lemmas(self.u.norms[k])[0]

    def has(self, k: int, words: frozenset[str]) -> bool:
        return not self.lemmas(k).isdisjoint(words)


def _use(used: list[bool], k: int, length: int) -> None:
    for j in range(k, min(k + length, len(used))):
        used[j] = True


def _run(used: list[bool], k: int, limit: int = 3) -> list[int]:
    out = []
    while k < len(used) and not used[k] and len(out) < limit:
        out.append(k)
        k += 1
    return out
