"""pymorphy3 behind per-word caches: every question the parser asks about a
word (its lemmas, its readings as a name) is answered once per word form and
then costs a dict lookup."""
from __future__ import annotations


from sekretar.core.text import fold
from sekretar.core.values import value

NAME_ROLES = ("Name", "Surn", "Patr")
_VERBISH = frozenset({"VERB", "INFN"})
_PARTICLES = frozenset({"ка", "то", "либо", "нибудь"})
_FUNCTION = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "ADVB", "PRED", "NUMR"})


@value
class NameReading:
    role: str            # Name | Surn | Patr
    case: str            # nomn, gent, datv, accs, ablt, loct (voct, gen2... kept as is)
    gender: str | None   # masc | femn | ms-f | None
    nomn: str            # nominative singular, lower case, same gender ("петровой" → "петрова")
    score: float
    fixed: bool          # indeclinable reading ("анне" as a name of its own)


class Morph:
    """Cached views over a `pymorphy3.MorphAnalyzer` (built once, shared)."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self._lemmas: dict[str, tuple[frozenset[str], frozenset[str], bool, bool]] = {}
        self._names: dict[str, tuple[NameReading, ...]] = {}
        self.said: dict = {}  # grammar.names.read_ru per (first three words, cases)

    def lemmas(self, word: str):
        """(lemmas as a command verb, other lemmas, top reading is a verb, the
        command readings are all infinitives) of a lower-case word."""
        got = self._lemmas.get(word)
        if got is None:
            base, _, particle = word.rpartition("-")
            if base and particle in _PARTICLES:  # "поставь-ка"
                got = self.lemmas(base)
                self._lemmas[word] = got
                return got
            verbs, other = set(), set()
            bare = True  # every command reading is an infinitive ("написать", not "напиши")
            parses = self._parse(word)
            for p in parses:
                lemma = fold(p.normal_form)
                tag = p.tag
                if tag.POS in _VERBISH:
                    # a command: "поставь", "поставить", "поставим" (not "поставил")
                    if tag.POS == "INFN" or tag.mood == "impr" or (tag.person == "1per" and tag.number == "plur"):
                        verbs.add(lemma)
                        bare = bare and tag.POS == "INFN"
                else:
                    other.add(lemma)
            top_verb = bool(parses) and parses[0].tag.POS in _VERBISH
            got = (frozenset(verbs), frozenset(other), top_verb, bare and bool(verbs))
            if len(self._lemmas) < 200_000:
                self._lemmas[word] = got
        return got

    def is_past_verb(self, word: str) -> bool:
        """"ответила", "прислал": the most likely reading is a past-tense verb."""
        parses = self._parse(word)
        return bool(parses) and parses[0].tag.POS == "VERB" and parses[0].tag.tense == "past"

    def _parse(self, word: str):
        try:
            return self.analyzer.parse(word)
        except (KeyError, ValueError):  # pymorphy3 on characters without a Unicode name
            return []

    def names(self, word: str) -> tuple[NameReading, ...]:
        """The readings of a word as a given name, surname or patronymic."""
        got = self._names.get(word)
        if got is None:
            got = tuple(self._name_readings(word)) if word.isalpha() else ()
            if len(self._names) < 200_000:
                self._names[word] = got
        return got

    def _name_readings(self, word: str):
        parses = self._parse(word)
        if len(word) < 2 or (parses and parses[0].tag.POS in _FUNCTION):
            return  # "по", "с", "мне": never a name
        for p in parses:
            tag = p.tag
            role = next((r for r in NAME_ROLES if r in tag), None)
            if role is None or tag.number == "plur" or tag.case is None:
                continue
            fixed = "Fixd" in tag
            if fixed:
                nomn = word
            else:
                inflected = p.inflect({"nomn", "sing"})
                nomn = inflected.word if inflected else p.normal_form
            gender = str(tag.gender) if tag.gender else ("ms-f" if "ms-f" in tag else None)
            yield NameReading(role, str(tag.case), gender, nomn, float(p.score), fixed)


def make_analyzer():
    """The one pymorphy3 analyzer of a process, safe on any text: pymorphy3
    raises on characters without a Unicode name (unassigned code points such
    as '𗤯' reach it from fuzzed or garbled input); such a word has no reading."""
    import pymorphy3

    class SafeAnalyzer(pymorphy3.MorphAnalyzer):
        def parse(self, word):
            try:
                return super().parse(word)
            except (KeyError, ValueError):
                return []

    return SafeAnalyzer()
