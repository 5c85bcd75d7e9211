"""The language data of the dialog (dialog/data/<lang>.yaml): the words it
recognises (yes, no, cancel, help, unlink...) and the sentences it says.

Loaded once per language and shared; nothing here knows the conversation.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from sekretar.core.errors import ConfigError
from sekretar.core.text import LANGS, norm, norm_words



class DialogLexicon:
    def __init__(self, lang: str, data: dict):
        self.lang = lang
        self.data = data
        words = data["words"]
        self.sets = {k: {norm(str(w)) for w in v} for k, v in words.items() if isinstance(v, list)}
        self.ordinals = {norm(str(k)): int(v) for k, v in words.get("ordinals", {}).items()}
        self.fillers = self.sets.get("fillers", set())
        corr = data.get("corrections", {})
        self.no_prefix = sorted((norm(w) for w in corr.get("no_prefix", [])), key=len, reverse=True)
        self.swap = re.compile(corr["swap"], re.IGNORECASE) if corr.get("swap") else None
        self.slot_prefixes = [
            (norm(p), slot) for slot in ("title", "message") for p in corr.get(slot, [])
        ]
        self.slot_prefixes.sort(key=lambda ps: len(ps[0]), reverse=True)
        self.months = data["months"]

    # --- recognising -----------------------------------------------------
    def strip_fillers(self, text: str) -> str:
        return " ".join(w for w in norm_words(text) if w not in self.fillers)

    def is_(self, kind: str, text: str) -> bool:
        """The whole utterance (fillers aside) is one of the `kind` phrases."""
        phrases = self.sets.get(kind, set())
        n = norm(text)
        return n in phrases or self.strip_fillers(text) in phrases

    def ordinal(self, text: str) -> int | None:
        n = self.strip_fillers(text)
        if n in self.ordinals:
            return self.ordinals[n]
        for w in n.split():
            if w in self.ordinals:
                return self.ordinals[w]
        return None

    # --- saying ----------------------------------------------------------
    def say(self, path: str, **kw) -> str:
        node = self.data["say"]
        for part in path.split("/"):
            node = node[part]
        return node.format(**kw) if isinstance(node, str) else node


def plural(lang: str, n: int, forms: list[str]) -> str:
    """The form of a counted word for `n`: Russian one / few / many ("1 час",
    "2 часа", "5 часов"), English one / many."""
    if lang == "ru":
        i = 0 if n % 10 == 1 and n % 100 != 11 else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2
    else:
        i = 0 if n == 1 else 1
    return forms[min(i, len(forms) - 1)]


@lru_cache(maxsize=None)
def lexicon(lang: str) -> DialogLexicon:
    if lang not in LANGS:
        raise ConfigError(f"unsupported language {lang!r}: use one of {', '.join(LANGS)}")
    text = resources.files("sekretar.dialog").joinpath("data", f"{lang}.yaml").read_text("utf-8")
    return DialogLexicon(lang, yaml.safe_load(text))
