"""Spoken and written numbers, Russian and English.

    parse_number(tokens, i, lang) -> Number | None   # the number starting at token i
    spoken_digits(text) -> str | None                 # a one-time code as said

Number words come from data files built once on first use
(`data/numbers_ru.txt`, generated with every case and gender by
`data/gen_numbers_ru.py`; `data/numbers_en.yaml`), so a lookup is one dict
access on `Token.norm`. Words compose the usual way, largest part first:
"две тысячи двенадцатого" is 2012, "тридцать одну" is 31, "one hundred and
five" is 105; a word that cannot continue the number starts a new one, so
"тринадцать пятнадцать" is 13 then 15 and "двадцать ноль пять" is 20, 0, 5.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from sekretar.grammar.tokens import Token, clean, tokenize
from sekretar.core.values import value

# rank of a word in a compound number: each next word must have a lower rank
_ZERO, _UNIT, _TENS, _HUNDREDS, _THOUSAND = 0, 1, 2, 3, 4


@value
class NumWord:
    value: int
    ordinal: bool
    rank: int
    teen: bool = False
    mult: bool = False  # English "hundred": multiplies the unit before it


@value
class Number:
    value: int
    start: int          # token index of the first word
    end: int            # token index after the last word
    ordinal: bool       # "двенадцатого", "12-го", "12th"
    digits: bool        # written with digits
    text: str = ""      # the digits as said/written, leading zeros kept ("07")


def _rank(value: int) -> tuple[int, bool]:
    if value == 0:
        return _ZERO, False
    if value < 10:
        return _UNIT, False
    if value < 20:
        return _TENS, True
    if value < 100:
        return _TENS, False
    if value < 1000:
        return _HUNDREDS, False
    return _THOUSAND, False


def _word(value: int, ordinal: bool) -> NumWord:
    rank, teen = _rank(value)
    if value == 2000:  # "двухтысячного": a whole thousands part in one word
        rank = _THOUSAND
    return NumWord(value, ordinal, rank, teen)


def _data(name: str) -> str:
    return resources.files("sekretar.grammar").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def lexicon(lang: str) -> dict[str, NumWord]:
    """norm → NumWord for one language ("ru", "en"), built once."""
    out: dict[str, NumWord] = {}
    if lang == "ru":
        for line in _data("numbers_ru.txt").splitlines():
            if not line or line.startswith("#"):
                continue
            form, value, kind = line.split("\t")
            out[form] = _word(int(value), kind == "o")
    else:
        data = yaml.load(_data("numbers_en.yaml"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for form, value in data["cardinal"].items():
            out[form] = _word(int(value), False)
        for form, value in data["ordinal"].items():
            out[form] = _word(int(value), True)
        for form in data["multipliers"]:
            w = out[form]
            out[form] = NumWord(w.value, w.ordinal, w.rank, w.teen, True)
    return out


@lru_cache(maxsize=None)
def _en_meta() -> tuple[frozenset[str], tuple[str, ...]]:
    data = yaml.load(_data("numbers_en.yaml"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return frozenset(data["joiners"]), tuple(data["ordinal_suffixes"])


# "12-го", "12-е", "1-ое": Russian written ordinal endings after a hyphen
_RU_ORD_SUFFIX = frozenset(("го", "ого", "е", "ое", "й", "ый", "ий", "я", "ая", "му", "ому", "м", "ом", "ю", "ую"))


def digits_value(norm: str) -> tuple[int, bool] | None:
    """"12" → (12, False); "12-го", "12th", "1st" → (12, True); else None."""
    if norm.isdigit() and norm.isascii():
        return int(norm), False
    head, sep, tail = norm.partition("-")
    if sep and head.isdigit() and head.isascii() and tail in _RU_ORD_SUFFIX:
        return int(head), True
    if len(norm) > 2 and norm[-2:] in _en_meta()[1] and norm[:-2].isdigit() and norm[:-2].isascii():
        return int(norm[:-2]), True
    return None


def _atoms(norm: str, lex: dict[str, NumWord]) -> list[NumWord] | None:
    w = lex.get(norm)
    if w is not None:
        return [w]
    if "-" in norm:  # "twenty-one", "двадцать-один"
        parts = [lex.get(p) for p in norm.split("-")]
        if len(parts) <= 4 and all(parts):
            return parts  # type: ignore[return-value]
    return None


class _State:
    __slots__ = ("total", "group", "last", "ordinal", "done", "count")

    def __init__(self) -> None:
        self.total = 0
        self.group = 0
        self.last = _THOUSAND + 1
        self.ordinal = False
        self.done = False
        self.count = 0

    def copy(self) -> "_State":
        s = _State()
        s.total, s.group, s.last, s.ordinal, s.done, s.count = (
            self.total, self.group, self.last, self.ordinal, self.done, self.count)
        return s

    def step(self, w: NumWord) -> bool:
        if self.done:
            return False
        if w.rank == _ZERO:
            if self.count:
                return False
            self.done = True
        elif w.rank == _THOUSAND:
            if self.total:
                return False
            self.total = max(self.group, 1) * w.value if w.value == 1000 else w.value
            self.group = 0
            self.last = _THOUSAND
        elif w.mult and self.last == _UNIT and 0 < self.group < 10:
            self.group *= w.value  # "two hundred"
            self.last = w.rank
        else:
            if w.rank >= self.last:
                return False
            self.group += w.value
            self.last = _UNIT if w.teen else w.rank
        self.count += 1
        if w.ordinal:
            self.ordinal = True
            self.done = True
        return True


def parse_number(tokens: list[Token], i: int, lang: str = "ru") -> Number | None:
    """The number (digits or words) that starts at token `i`, or None."""
    if i >= len(tokens):
        return None
    norm = tokens[i].norm
    if norm[:1].isdigit():
        dv = digits_value(norm)
        if dv is None:
            return None
        return Number(dv[0], i, i + 1, dv[1], True, norm.split("-")[0].rstrip("stndrh"))
    lex = lexicon(lang)
    if norm not in lex and "-" not in norm:
        return None  # no number word starts here (what the loop below finds at once, cheaper)
    state = _State()
    j, n = i, len(tokens)
    joiners = _en_meta()[0] if lang == "en" else frozenset()
    while j < n:
        atoms = _atoms(tokens[j].norm, lex)
        if atoms is None:
            # "one hundred and five": "and" only between hundreds and the rest
            if (tokens[j].norm in joiners and state.last == _HUNDREDS and j + 1 < n
                    and (nxt := _atoms(tokens[j + 1].norm, lex)) and nxt[0].rank < _HUNDREDS
                    and nxt[0].rank != _ZERO):
                j += 1
                continue
            break
        trial = state.copy()
        if not all(trial.step(a) for a in atoms):
            break
        state = trial
        j += 1
    if state.count == 0:
        return None
    value = state.total + state.group
    return Number(value, i, j, state.ordinal, False, str(value))


@lru_cache(maxsize=None)
def _fillers() -> frozenset[str]:
    data = yaml.load(_data("numbers_codes.yaml"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return frozenset(w for words in data["fillers"].values() for w in words)


def spoken_digits(text: str) -> str | None:
    """The digits a person said for a one-time code, or None.

    "пять пять два девять один четыре", "пятьсот пятьдесят два девятьсот
    четырнадцать", "552 914", "код пять пять два, девять один четыре" all
    give "552914"; "ноль семь" gives "07". Fillers ("ну", "мой код") and
    punctuation are skipped; any other word is skipped too, so a stray word
    from the recogniser does not lose the code.
    """
    tokens = tokenize(clean(text))
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        norm = tokens[i].norm
        if norm[:1].isdigit():
            # "552", "552-914", "55.29": keep the digits, drop the separators
            if all(c.isdigit() or c in "-.:" for c in norm) and norm.isascii():
                out.append("".join(c for c in norm if c.isdigit()))
            i += 1
            continue
        num = None
        for lang in ("ru", "en"):
            num = parse_number(tokens, i, lang)
            if num is not None:
                break
        if num is not None:
            out.append(num.text)
            i = num.end
            continue
        i += 1  # filler, punctuation or a stray word
    return "".join(out) or None


__all__ = ["Number", "NumWord", "parse_number", "spoken_digits", "digits_value", "lexicon"]
