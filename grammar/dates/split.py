"""Tokens with a dash inside ("3-5", "9am-noon", "10:15-12:00") are split
into both sides and the dash, so the range readers see them; spans found
over the split tokens map back to the original ones."""
from __future__ import annotations

from functools import lru_cache

from sekretar.grammar.tokens import Token

_SPLIT_WORDS = frozenset({"noon", "midnight", "полдень", "полночь", "am", "pm"})  # "5 pm-6:45pm"


def split_tokens(tokens: list[Token]) -> tuple[list[Token], list[int] | None]:
    """"3-5", "9am-noon", "10:15-12:00" are one token each: split at the dash
    into two (and the dash), so a range reader sees both sides. `back` maps
    the new indices to the original ones (None: nothing split)."""
    if "-" not in "".join([t.norm for t in tokens]):
        return tokens, None  # no dash anywhere: the common case, one pass in C
    out: list[Token] | None = None
    back: list[int] = []
    for k, t in enumerate(tokens):
        parts = _dash_parts(t.norm) if "-" in t.norm else None  # most words: no call
        if parts is None:
            if out is not None:
                out.append(t)
                back.append(k)
            continue
        if out is None:
            out, back = list(tokens[:k]), list(range(k))
        left, right = parts
        a = t.start + len(left)
        out += [Token(t.text[:len(left)], left, t.start, a), Token("-", "-", a, a + 1),
                Token(t.text[len(left) + 1:], right, a + 1, t.end)]
        back += [k, k, k]
    return (tokens, None) if out is None else (out, back)


def _dash_parts(norm: str) -> tuple[str, str] | None:
    if "-" not in norm or norm.count("-") > 1:
        return None
    left, _, right = norm.partition("-")
    if not left or not right:
        return None
    if left[:1].isdigit() and len(left) == 4 and left.isdigit():
        return None  # "2027-04", "2019-12-12": ISO
    if left in _weekdays() and right in _weekdays():
        return left, right  # "Mon-Wed", "Monday-Friday", "April-June", "Q1-Q2"
    lt = left[:1].isdigit() or left in _SPLIT_WORDS
    rt = right[:1].isdigit() or right in _SPLIT_WORDS
    if not (lt and rt) or not (left[:1].isdigit() or right[:1].isdigit()):
        return None
    return left, right


@lru_cache(maxsize=1)
def _weekdays() -> frozenset[str]:
    """Weekday names and abbreviations of every language, English months and
    quarters (dates/data/*.yaml): the words a dash may join into a range."""
    from sekretar.grammar.dates.lex import date_lexicon

    return frozenset(date_lexicon("en").weekdays.firsts() | date_lexicon("ru").weekdays.firsts()
                     | date_lexicon("en").months.firsts() | {"q1", "q2", "q3", "q4"})


def unsplit_spans(spans, back: list[int]) -> tuple[tuple[int, int], ...]:
    """Token ranges over the split tokens → over the original ones."""
    out: list[list[int]] = []
    for s, e in sorted((back[s], back[e - 1] + 1) for s, e in spans if e > s):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


__all__ = ["split_tokens", "unsplit_spans"]
