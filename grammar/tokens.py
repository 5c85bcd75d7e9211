"""Tokenisation that keeps every token's place in the original text, so a
title or message can be cut out of what was said with its own casing and
punctuation ("привет, как дела?")."""
from __future__ import annotations

import re
from typing import NamedTuple

from sekretar.core.text import fold as normalize

MAX_CHARS = 4000  # longer input is cut: no spoken command is that long

# A token is a run of letters/digits (with inner ':' '.' '-' for 13:15,
# 12.12, 2-го), or a single other visible character. Linear: no nested
# quantifiers, so no catastrophic backtracking on any input.
_TOKEN = re.compile(r"\w++(?:[:.\-]\w++)*+|[^\w\s]", re.UNICODE)  # possessive: no backtracking
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")


class Token(NamedTuple):
    """One token: immutable, its fields read at C speed (a NamedTuple: a
    sentence's tokens are built and read on the parser's hottest path)."""

    text: str   # as written
    norm: str   # lower case, ё → е
    start: int  # character offsets in the cleaned text
    end: int

    @property
    def is_word(self) -> bool:
        return self.norm[:1].isalnum()


def clean(text: str) -> str:
    """Drop control characters, bound the length."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _CONTROL.sub(" ", text[:MAX_CHARS])


_folded: dict[str, str] = {}  # fold per token text: the same words come back utterance after utterance
_new = tuple.__new__  # a Token without NamedTuple's argument handling: the hot path


def tokenize(text: str) -> list[Token]:
    """`text` should already be `clean()`ed; offsets refer to it."""
    out = []
    add = out.append
    folded = _folded
    get = folded.get
    find = text.find
    split = _TOKEN.findall
    pos = 0
    # tokens never cross whitespace, and a piece of letters and digits only
    # (most of them) is one token as it is; each token is found from the
    # end of the one before (no Match objects)
    for piece in text.split():
        for word in (piece,) if piece.isalnum() else split(piece):
            norm = get(word)
            if norm is None:
                norm = normalize(word)
                if len(folded) < 200_000:
                    folded[word] = norm
            start = find(word, pos)
            pos = start + len(word)
            add(_new(Token, (word, norm, start, pos)))
    return out
