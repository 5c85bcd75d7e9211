"""Text helpers every part shares, written once: folding a word for
comparison (lower case, ё → е), the words of a text, capitalising, and
telling Russian from English.

The grammar compares tokens (`grammar.tokens`), the dialog compares whole
answers ("да", "отмена"), the phrase tables compare phrases: all by `fold`.
"""
from __future__ import annotations

import re

LANGS = ("ru", "en")
_WORD = re.compile(r"[\w']+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[\u0400-\u04ffA-Za-z]")


def fold(text: str) -> str:
    """The form words are compared in: lower case, ё written as е."""
    return text.lower().replace("ё", "е")


def norm_words(text: str | None) -> list[str]:
    """The folded words of `text`, punctuation dropped ("Да, конечно!" →
    ["да", "конечно"])."""
    return _WORD.findall(fold(text or ""))


def norm(text: str | None) -> str:
    """`norm_words` joined by single spaces: a phrase as the word lists hold it."""
    return " ".join(norm_words(text))


def capitalise(text: str | None) -> str | None:
    """The first letter upper case, the rest as it was ("купить хлеб" →
    "Купить хлеб", "iPhone" → "IPhone"); None and "" stay as they are."""
    return text[:1].upper() + text[1:] if text else text


def like(word: str, model: str) -> str:
    """`word` capitalised when `model` is (an inflected form keeps the case
    of the word it was made from: "Сергей" → "Сергею", "сергей" → "сергею")."""
    return capitalise(word) if model[:1].isupper() else word


def has_cyrillic(text: str | None) -> bool:
    return _CYRILLIC.search(text or "") is not None


def detect_lang(text: str | None, default: str | None = None) -> str | None:
    """ru when the text starts in Cyrillic ("Поставь задачу deploy the new
    release": Russian with English terms) or has at least as many Cyrillic
    letters as Latin ones ("Hello, Настя"); en otherwise ("Create a task for
    Настя": a Russian name in English text); `default` when it has no
    letters at all ("552 914", "🙂")."""
    text = text or ""
    first = _LETTER.search(text)
    if first is None:
        return default
    if _CYRILLIC.match(first.group()):
        return "ru"
    return "ru" if len(_CYRILLIC.findall(text)) >= len(_LATIN.findall(text)) else "en"


def resolve_lang(lang: str | None, text: str, default: str | None = None) -> str:
    """The given language when it is one we speak ("EN" → en), else detected
    from the text; text without letters ("...", "🙂") is in `default` (or ru)."""
    if isinstance(lang, str):
        lang = lang.strip().lower()[:2]
        if lang in LANGS:
            return lang
    return detect_lang(text, default if default in LANGS else "ru")
