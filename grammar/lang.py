"""Which language an utterance is in: Cyrillic letters → ru, Latin → en."""
from __future__ import annotations

import re

LANGS = ("ru", "en")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect(text: str, default: str | None = None) -> str:
    """ru when the text has Cyrillic letters, en when it has Latin ones,
    else `default` (or ru): "..." or "🙂" carry no language."""
    if _CYRILLIC.search(text):
        return "ru"
    if _LATIN.search(text):
        return "en"
    return default if default in LANGS else "ru"


def resolve(lang: str | None, text: str, default: str | None = None) -> str:
    """The given language when it is one we speak, else detect."""
    if isinstance(lang, str):
        lang = lang.strip().lower()[:2]
        if lang in LANGS:
            return lang
    return detect(text, default)
