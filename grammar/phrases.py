"""The one phrase table of the grammar: phrases of one or more words → a
value, matched against a sentence's token norms.

Phrases are tokenised exactly as sentences are (`grammar.tokens`), keyed by
their first token, longest first, so a match at a position costs one dict
lookup plus one per phrase length. The lexicon (verbs, markers, wrappers)
and the date words (months, weekdays, units) are all such tables.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from sekretar.grammar.tokens import normalize, tokenize


class PhraseMatch(NamedTuple):
    """The longest phrase found at a position: the index just after it, and its value."""

    end: int
    value: Any


_new = tuple.__new__  # a PhraseMatch without NamedTuple's argument handling: matching is the hot path


class PhraseTable:
    """Phrases → values. Built from a mapping or from (phrase, value) pairs;
    a phrase given twice keeps its first value."""

    __slots__ = ("_first", "heads")

    def __init__(self, items: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None):
        # first norm → [(length, {norms tuple: value})], longest first
        self._first: dict[str, list[tuple[int, dict[tuple[str, ...], Any]]]] = {}
        # the first norms, as a mapping (read-only for callers): `norm in table.heads`
        # is one dict lookup, a hot loop's test before `match`
        self.heads: Mapping[str, Any] = self._first
        pairs = items.items() if isinstance(items, Mapping) else (items or ())
        for phrase, value in pairs:
            self.add(str(phrase), value)

    def add(self, phrase: str, value: Any) -> None:
        norms = tuple(t.norm for t in tokenize(normalize(phrase)))
        if not norms:
            return
        groups = self._first.setdefault(norms[0], [])
        for k, d in groups:
            if k == len(norms):
                d.setdefault(norms, value)
                break
        else:
            groups.append((len(norms), {norms: value}))
            groups.sort(key=lambda g: -g[0])

    def match(self, norms: list[str], i: int) -> PhraseMatch | None:
        """The longest phrase starting at norms[i], or None (also past the end)."""
        try:
            first = norms[i]
        except IndexError:
            return None
        groups = self._first.get(first)
        if not groups:
            return None
        for k, d in groups:
            if k == 1:
                return _new(PhraseMatch, (i + 1, d[(first,)]))
            key = tuple(norms[i:i + k])
            if key in d:
                return _new(PhraseMatch, (i + k, d[key]))
        return None

    def firsts(self) -> set[str]:
        return set(self._first)

    def __contains__(self, word: str) -> bool:
        """`word` starts some phrase."""
        return word in self._first
