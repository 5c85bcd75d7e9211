"""The one phrase table of the grammar: phrases of one or more words → a
value, matched against a sentence's token norms.

Phrases are tokenised exactly as sentences are (`grammar.tokens`) and kept
as a trie of dicts, word by word, so a match at a position costs one dict
lookup per word it reads and stops at the first word no phrase goes on
with; the longest phrase found wins. The lexicon (verbs, markers, wrappers)
and the date words (months, weekdays, units) are all such tables.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from sekretar.grammar.tokens import normalize, tokenize


class PhraseMatch(NamedTuple):
    """The longest phrase found at a position: the index just after it, and its value."""

    end: int
    value: Any


_new = tuple.__new__  # a PhraseMatch without NamedTuple's argument handling: matching is the hot path


_NONE = object()  # a trie node that ends no phrase


class PhraseTable:
    """Phrases → values. Built from a mapping or from (phrase, value) pairs;
    a phrase given twice keeps its first value."""

    __slots__ = ("_root", "heads")

    def __init__(self, items: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None):
        # word → [value or _NONE, {next word → node}]
        self._root: dict[str, list] = {}
        # the first norms, as a mapping (read-only for callers): `norm in table.heads`
        # is one dict lookup, a hot loop's test before `match`
        self.heads: Mapping[str, Any] = self._root
        pairs = items.items() if isinstance(items, Mapping) else (items or ())
        for phrase, value in pairs:
            self.add(str(phrase), value)

    def add(self, phrase: str, value: Any) -> None:
        norms = [t.norm for t in tokenize(normalize(phrase))]
        if not norms:
            return
        level = self._root
        for norm in norms[:-1]:
            level = level.setdefault(norm, [_NONE, {}])[1]
        node = level.setdefault(norms[-1], [_NONE, {}])
        if node[0] is _NONE:
            node[0] = value

    def match(self, norms: list[str], i: int) -> PhraseMatch | None:
        """The longest phrase starting at norms[i], or None (also past the end)."""
        try:
            node = self._root.get(norms[i])
        except IndexError:
            return None
        if node is None:
            return None
        value, nxt = node
        found = None if value is _NONE else _new(PhraseMatch, (i + 1, value))
        j = i + 1
        while nxt:
            try:
                node = nxt.get(norms[j])
            except IndexError:
                break
            if node is None:
                break
            value, nxt = node
            j += 1
            if value is not _NONE:
                found = _new(PhraseMatch, (j, value))
        return found

    def word(self, word: str, default: Any = None) -> Any:
        """The value of the one-word phrase `word` (`default` when there is none)."""
        node = self._root.get(word)
        return default if node is None or node[0] is _NONE else node[0]

    def items(self) -> Iterator[tuple[tuple[str, ...], Any]]:
        """Every (phrase as its norms, value)."""
        stack = [((w,), node) for w, node in self._root.items()]
        while stack:
            words, (value, nxt) = stack.pop()
            if value is not _NONE:
                yield words, value
            stack += [(words + (w,), node) for w, node in nxt.items()]

    def followers(self, word: str) -> set[str]:
        """The words that come second in the phrases starting with `word`."""
        node = self._root.get(word)
        return set(node[1]) if node else set()

    def firsts(self) -> set[str]:
        return set(self._root)

    def __contains__(self, word: str) -> bool:
        """`word` starts some phrase."""
        return word in self._root
