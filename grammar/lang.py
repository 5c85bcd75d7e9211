"""Which language an utterance is in: the one given when we speak it, else
by its letters (`sekretar.core.text.detect_lang`), else the default."""
from __future__ import annotations

from sekretar.core.text import LANGS, detect_lang


def resolve(lang: str | None, text: str, default: str | None = None) -> str:
    """The given language when it is one we speak, else detected from the
    text; text without letters ("...", "🙂") is in `default` (or ru)."""
    if isinstance(lang, str):
        lang = lang.strip().lower()[:2]
        if lang in LANGS:
            return lang
    return detect_lang(text, default if default in LANGS else "ru")


__all__ = ["LANGS", "resolve"]
