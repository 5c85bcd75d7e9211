"""Making reply text ready for a voice platform's speech synthesis.

The dialog writes replies for reading; a synthesiser stumbles on quotes,
emoji, markup and clock times with leading zeros. `spoken()` cleans the text
for speech (Alice `tts`, Google `speech`); `spell_digits()` says a one-time
code digit by digit. The language data is in `data/speech.yaml`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

_CLOCK = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_URL = re.compile(r"https?://\S+")
_SPACES = re.compile(r"[ \t]+")


@dataclass(frozen=True)
class SpeechData:
    strip: str
    replace: dict[str, list[tuple[re.Pattern, str]]]
    on_the_hour: dict[str, str]
    digits: dict[str, list[str]]
    limits: dict[str, int]
    phrases: dict[str, dict[str, str]]
    button_hints: dict[str, str]


@lru_cache(maxsize=1)
def data() -> SpeechData:
    raw = yaml.safe_load(resources.files("sekretar.integrations").joinpath("data/speech.yaml").read_text("utf-8"))
    replace = {lang: [(re.compile(k, re.IGNORECASE), v) for k, v in table.items()]
               for lang, table in raw["replace"].items()}
    return SpeechData(raw["strip"], replace, raw["on_the_hour"],
                      raw["digits"], raw["limits"], raw["phrases"], raw["button_hints"])


def _lang(lang: str | None) -> str:
    return "en" if (lang or "").lower().startswith("en") else "ru"


def _is_emoji(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("So", "Sk", "Cs", "Co") or ch in "\u200d\ufe0f"


def _clock(match: re.Match, lang: str) -> str:
    hour, minute = int(match.group(1)), match.group(2)
    if minute == "00":
        return f"{hour} {data().on_the_hour[lang]}"
    if minute.startswith("0"):
        return f"{hour} {data().digits[lang][0]} {int(minute)}"
    return f"{hour} {minute}"


def spoken(text: str, lang: str | None = None) -> str:
    """Text for a speech synthesiser: no quotes, emoji, markup or links;
    clock times said as the hour and the minutes ("13:05" → "13 ноль 5")."""
    lang = _lang(lang)
    d = data()
    out = _URL.sub("", text or "")
    for pattern, words in d.replace.get(lang, ()):
        out = pattern.sub(words, out)
    out = _CLOCK.sub(lambda m: _clock(m, lang), out)
    out = "".join(" " if ch in d.strip else ch for ch in out if not _is_emoji(ch))
    out = "\n".join(_SPACES.sub(" ", line).strip() for line in out.splitlines())
    return out.strip()


def spell_digits(code: str, lang: str | None = None) -> str:
    """"552914" → "пять пять два девять один четыре"."""
    words = data().digits[_lang(lang)]
    return " ".join(words[int(ch)] for ch in code if ch.isdigit())


def phrase(name: str, lang: str | None = None) -> str:
    """One of the server's own phrases ("sorry", "busy", "broken", "pong")."""
    return data().phrases[name][_lang(lang)]


def clip(text: str, limit: int) -> str:
    """Cut at a word boundary to at most `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"
