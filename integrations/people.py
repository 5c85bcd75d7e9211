"""Who did the user mean? Matching a spoken name against a people directory.

`Directory(people).match(recipient)` returns the best candidates: [] for
nobody, one person, or several equally good ones (ambiguous: the dialog
asks). Tiers, best first; only the best non-empty tier is returned:

0. exact: the names as said (ё = е, й = и, ь dropped; Latin transliterated,
   so "Sergey Ivanov" is "Сергей Иванов" and the other way round), a surname
   in the form that fits the person's gender (Иванов: Сергей Иванов;
   Иванова: Мария Иванова);
1. near: a diminutive for the first name (Настя: Анастасия; Саша:
   Александр and Александра), or a surname in the other gender's form
   (Петров said, only Анна Петрова there);
2. fuzzy: recogniser misspellings (Иваноф, Смирнва), rapidfuzz ratio of at
   least `fuzzy_cutoff` on every part said; only the closest ones.

Every part said must match (Сергей Сидоров matches no Сергей). A single
word is tried as a first name and as a surname. Indexes are built once per
Directory; a match is a few dictionary look-ups plus, when nothing better
is found, one rapidfuzz scan over the distinct names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import yaml
from rapidfuzz import fuzz, process

from sekretar.core.types import Person

DATA = Path(__file__).parent / "data"
EXACT, NEAR, FUZZY = 0, 1, 2

_CANON = str.maketrans({"ё": "е", "э": "е", "й": "и", "ь": None, "ъ": None, "-": " "})
_SURNAME = re.compile(r"^(.*?(?:ов|ев|ин|ын))(?:а|у|ым|ой|ои|ом|е|ою|ых|ы)?$")
_SURNAME_SKI = re.compile(r"^(.*?)(ск|цк)(?:ий|ии|ого|ому|им|ом|ая|ой|ои|ую|ие|их)$")
_FEMININE_SPAN = ("овой", "евой", "иной", "ыной", "ской", "цкой")
_MASCULINE_SPAN = ("овым", "евым", "иным", "ским", "цким")


# --- language data, loaded once -------------------------------------------
@dataclass(frozen=True)
class NameData:
    fulls_of: dict        # canonical name or diminutive -> frozenset of canonical full names
    gender_of: dict       # canonical full name -> "m" | "f"
    word_end: tuple       # (latin, cyrillic), longest first
    letters: tuple


@lru_cache(maxsize=1)
def name_data() -> NameData:
    with open(DATA / "translit.yaml", encoding="utf-8") as fh:
        tr = yaml.safe_load(fh)
    word_end = tuple(sorted(((k, v.split()[0]) for k, v in tr["word_end"].items()), key=lambda kv: -len(kv[0])))
    letters = tuple(sorted(tr["letters"].items(), key=lambda kv: -len(kv[0])))
    with open(DATA / "diminutives.yaml", encoding="utf-8") as fh:
        dims = yaml.safe_load(fh)
    fulls_of: dict[str, set] = {}
    gender_of: dict[str, str] = {}
    for gender, key in (("m", "male"), ("f", "female")):
        for full, shorts in dims[key].items():
            f = _canon(full)
            gender_of[f] = gender
            for form in [full, *shorts]:
                fulls_of.setdefault(_canon(form), set()).add(f)
    return NameData({k: frozenset(v) for k, v in fulls_of.items()}, gender_of, word_end, letters)


def _canon(word: str) -> str:
    return word.lower().translate(_CANON).strip()


def transliterate(text: str) -> str:
    """Latin letters to Cyrillic (lower case); Cyrillic passes through."""
    text = text.lower()
    if not re.search(r"[a-z]", text):
        return text
    data = name_data()
    out = []
    for word in re.findall(r"[^\W\d_]+|[\W\d_]+", text):
        if not re.match(r"[a-z]", word):
            out.append(word)
            continue
        tail = ""
        for lat, cyr in data.word_end:
            if word.endswith(lat) and len(word) > len(lat):
                word, tail = word[: -len(lat)], cyr
                break
        i, res = 0, []
        while i < len(word):
            for lat, cyr in data.letters:
                if word.startswith(lat, i):
                    res.append(cyr)
                    i += len(lat)
                    break
            else:
                res.append(word[i])
                i += 1
        out.append("".join(res) + tail)
    return "".join(out)


def normalize(name: str | None) -> str:
    """The key a name is compared by: lower case, Cyrillic, ё=е, й=и, no ь/ъ."""
    if not name:
        return ""
    return " ".join(_canon(transliterate(name)).split())


def surname_stem(key: str) -> str:
    """Иванова, Иванову, Ивановой -> иванов; Соколовская -> соколовск."""
    m = _SURNAME_SKI.match(key)
    if m:
        return m.group(1) + m.group(2)
    m = _SURNAME.match(key)
    return m.group(1) if m and len(m.group(1)) >= 3 else key


def surname_gender(key: str) -> str | None:
    if re.search(r"(ова|ева|ина|ына|ская|цкая)$", key):
        return "f"
    if re.search(r"(ов|ев|ин|ын|ски|цки|скии|цкии)$", key):
        return "m"
    return None


# --- the directory ----------------------------------------------------------
@dataclass(frozen=True)
class _Entry:
    first: str
    last: str
    middle: str
    stem: str
    fulls: frozenset
    gender: str | None


class Directory:
    def __init__(self, people: list[Person], morph=None, fuzzy_cutoff: float = 82.0,
                 names: NameData | None = None):
        self.people = list(people)
        self.morph = morph
        self.cutoff = fuzzy_cutoff
        self.names = names or name_data()
        self._entries = [self._entry(p) for p in self.people]
        self._by_first: dict[str, list[int]] = {}
        self._by_full: dict[str, list[int]] = {}
        self._by_last: dict[str, list[int]] = {}
        self._by_stem: dict[str, list[int]] = {}
        for i, e in enumerate(self._entries):
            if e.first:
                self._by_first.setdefault(e.first, []).append(i)
                for full in e.fulls:
                    self._by_full.setdefault(full, []).append(i)
            if e.last:
                self._by_last.setdefault(e.last, []).append(i)
                self._by_stem.setdefault(e.stem, []).append(i)
        self._firsts = list(self._by_first)
        self._stems = list(self._by_stem)
        self._forms = list(self.names.fulls_of)

    def _entry(self, p: Person) -> _Entry:
        first, last = normalize(p.first), normalize(p.last)
        fulls = self.names.fulls_of.get(first, frozenset()) | {first} if first else frozenset()
        gender = p.gender or self._first_gender(first) or surname_gender(last)
        return _Entry(first, last, normalize(p.middle), surname_stem(last), frozenset(fulls), gender)

    def _first_gender(self, first_key: str) -> str | None:
        genders = {self.names.gender_of.get(f) for f in self.names.fulls_of.get(first_key, {first_key})}
        genders.discard(None)
        return genders.pop() if len(genders) == 1 else None

    def __len__(self) -> int:
        return len(self.people)

    # --- matching -----------------------------------------------------------
    def match(self, recipient) -> list[Person]:
        """The best candidates for a grammar.Recipient (first/last/middle in
        the nominative, `span` as said)."""
        if recipient is None or getattr(recipient, "self", False):
            return []
        first, last, middle = (normalize(getattr(recipient, k, None)) for k in ("first", "last", "middle"))
        span = getattr(recipient, "span", None) or ""
        if first or last:
            options = [(first, last, middle)]
            if first and last:
                options.append((last, first, middle))  # the roles the other way round
        else:
            options = self._span_options(span)
        best: tuple | None = None
        found: dict[int, float] = {}
        for f, l, m in options:
            tier, scored = self._match_parts(f, l, m, self._query_gender(f, l, span))
            if not scored:
                continue
            if best is None or tier < best:
                best, found = tier, scored
            elif tier == best:
                for i, s in scored.items():
                    found[i] = max(found.get(i, 0.0), s)
            if best == EXACT and len(options) > 1 and (f, l) == (first, last):
                break
        if best is None:
            return []
        if best == FUZZY:
            top = max(found.values())
            found = {i: s for i, s in found.items() if s >= top - 3.0}
        return [self.people[i] for i in sorted(found)]

    def match_text(self, text: str) -> list[Person]:
        """A name typed as text ("Сергей Иванов", "Иванов Сергей Петрович", "Настя")."""
        return self.match(SimpleNamespace(first=None, last=None, middle=None, self=False, span=text))

    def _span_options(self, span: str) -> list[tuple[str, str, str]]:
        words = [self._lemma(w) for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", span)]
        words = [normalize(w) for w in words if w]
        if len(words) == 1:
            return [(words[0], "", "")]
        if len(words) == 2:
            return [(words[0], words[1], ""), (words[1], words[0], "")]
        if len(words) >= 3:
            a, b, c = words[:3]
            return [(b, a, c), (a, c, b), (a, b, "")]  # Фамилия Имя Отчество, Имя Отчество Фамилия
        return []

    def _lemma(self, word: str) -> str:
        if self.morph is None or not re.search(r"[а-яё]", word.lower()):
            return word
        named = [p for p in self.morph.parse(word) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
        known = [p for p in named if _canon(p.normal_form) in self.names.fulls_of]
        declined = [p for p in named if "Fixd" not in p.tag.grammemes]
        for group in (known, declined, named):
            if group:
                return group[0].normal_form
        return word

    def _query_gender(self, first: str, last: str, span: str) -> str | None:
        if first:
            g = self._first_gender(first)
            if g:
                return g
        words = [w.lower() for w in re.findall(r"[^\W\d_]+", span)]
        if self.morph is not None:
            genders = set()
            for w in words:
                for parse in self.morph.parse(w):
                    if {"Surn", "Name"} & set(parse.tag.grammemes) and parse.tag.gender in ("masc", "femn"):
                        genders.add("m" if parse.tag.gender == "masc" else "f")
            if len(genders) == 1:
                return genders.pop()
        for w in words:
            if w.endswith(_FEMININE_SPAN):
                return "f"
            if w.endswith(_MASCULINE_SPAN):
                return "m"
        return surname_gender(last) if last else None

    def _match_parts(self, first: str, last: str, middle: str, gender: str | None):
        """(tier, {index: score}) for one reading of the name."""
        if first and last:
            fm, lm = self._first_matches(first), self._last_matches(last, gender)
            scored = {i: (max(fm[i][0], lm[i][0]), min(fm[i][1], lm[i][1])) for i in fm.keys() & lm.keys()}
        elif first or last:
            word = first or last
            scored = self._first_matches(word)
            for i, v in self._last_matches(word, gender).items():
                if i not in scored or v < scored[i]:
                    scored[i] = v
        else:
            return None, {}
        if middle:
            for i in list(scored):
                pm = self._entries[i].middle
                if pm and pm != middle:
                    ratio = fuzz.ratio(pm, middle)
                    if ratio < self.cutoff:
                        del scored[i]
                    else:
                        scored[i] = (max(scored[i][0], FUZZY), min(scored[i][1], ratio))
        if not scored:
            return None, {}
        tier = min(t for t, _ in scored.values())
        return tier, {i: s for i, (t, s) in scored.items() if t == tier}

    def _first_matches(self, key: str) -> dict[int, tuple[int, float]]:
        out: dict[int, tuple[int, float]] = {}
        for i in self._by_first.get(key, ()):
            out[i] = (EXACT, 100.0)
        for full in self.names.fulls_of.get(key, {key}):
            for i in self._by_full.get(full, ()):
                out.setdefault(i, (NEAR, 100.0))
        if not out:
            for name, score, _ in process.extract(key, self._firsts, scorer=fuzz.ratio,
                                                  score_cutoff=self.cutoff, limit=None):
                for i in self._by_first[name]:
                    out.setdefault(i, (FUZZY, score))
            # a misheard diminutive (Настья): close to a known form of a name
            for form, score, _ in process.extract(key, self._forms, scorer=fuzz.ratio,
                                                  score_cutoff=self.cutoff, limit=None):
                for full in self.names.fulls_of[form]:
                    for i in self._by_full.get(full, ()):
                        if i not in out or out[i][1] < score:
                            out[i] = (FUZZY, score)
        return out

    def _last_matches(self, key: str, gender: str | None) -> dict[int, tuple[int, float]]:
        out: dict[int, tuple[int, float]] = {}
        for i in self._by_last.get(key, ()):
            other = gender is not None and self._entries[i].gender not in (None, gender)
            out[i] = (NEAR if other else EXACT, 100.0)
        stem = surname_stem(key)
        for i in self._by_stem.get(stem, ()):
            if i not in out:
                same = gender is not None and self._entries[i].gender == gender
                out[i] = (EXACT if same else NEAR, 100.0)
        if not out:
            for name, score, _ in process.extract(stem, self._stems, scorer=fuzz.ratio,
                                                  score_cutoff=self.cutoff, limit=None):
                for i in self._by_stem[name]:
                    out.setdefault(i, (FUZZY, score))
        return out


__all__ = ["Directory", "normalize", "transliterate", "surname_stem", "name_data"]
