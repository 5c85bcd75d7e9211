"""The recipient: a person's name as said, in any case, → the nominative.

Russian works on morphology alone (pymorphy3's Name/Surn/Patr readings), so
lower-case unpunctuated recogniser output is read as well as typed text: the
words of a name must agree in case (the case the preceding preposition or
marker asks for) and gender, which picks "на иванова" = accusative of Иванов,
not the woman Иванова. English has no morphology: a list of given names,
surname endings, and capitals when the text has them.
"""
from __future__ import annotations

import re
from itertools import product

from sekretar.core.text import capitalise
from sekretar.grammar.morph import Morph, NameReading
from sekretar.core.values import value

# Name shapes a person is said in (roles in order).
_SHAPES = {
    ("Name",), ("Surn",), ("Name", "Surn"), ("Surn", "Name"), ("Name", "Patr"),
    ("Name", "Patr", "Surn"), ("Surn", "Name", "Patr"),
}
_SURNAME_EN = re.compile(
    r"(?:ov|ova|ev|eva|yov|yova|in|ina|yn|yna|sky|skiy|skii|skaya|ski|enko|uk|yuk|chuk|ich|vich|"
    r"ovich|evich|son|sen|man|stein|berg|ko|dze|shvili|yan|ian)$")


@value
class SaidName:
    first: str | None = None
    last: str | None = None
    middle: str | None = None
    words: int = 0        # how many words it took


def cap(word: str) -> str:
    """Capitalise a name, each part of a hyphenated one."""
    return "-".join(capitalise(p) for p in word.split("-"))


def _agree(readings: tuple[NameReading, ...]) -> bool:
    case = readings[0].case
    genders = {r.gender for r in readings if r.gender not in (None, "ms-f")}
    return all(r.case == case for r in readings) and len(genders) <= 1


def read_ru(morph: Morph, words: list[str], cases) -> SaidName | None:
    """The best person reading of the longest name group at the start of
    `words` (lower case) whose words agree with each other and take one of
    `cases` (None: any case, nominative preferred)."""
    memo = getattr(morph, "said", None)  # Morph's memo: the same names come back utterance after utterance
    if memo is None:
        return _read_ru(morph, words, cases)
    key = (tuple(words[:3]), cases if cases is None or isinstance(cases, (str, tuple)) else tuple(cases))
    got = memo.get(key, memo)
    if got is memo:
        got = _read_ru(morph, words, cases)
        if len(memo) < 100_000:
            memo[key] = got
    return got


def _read_ru(morph: Morph, words: list[str], cases) -> SaidName | None:
    options: list[list[NameReading]] = []
    for w in words[:3]:
        rs = [r for r in morph.names(w) if cases is None or r.case in cases]
        if not rs:
            break
        options.append(rs)
    for n in range(len(options), 0, -1):
        best, best_score = None, -1.0
        for combo in product(*options[:n]):
            if tuple(r.role for r in combo) not in _SHAPES or not _agree(combo):
                continue
            # declinable readings first; a given name over a surname on a tie ("на Романа")
            score = sum(r.score + (0 if r.fixed else 0.5) + (0.01 if r.role == "Name" else 0) for r in combo)
            if cases is None:
                score += {"nomn": 0.3, "datv": 0.2, "accs": 0.1}.get(combo[0].case, 0)
            if score > best_score:
                best, best_score = combo, score
        if best is not None:
            parts = {r.role: cap(r.nomn) for r in best}
            return SaidName(parts.get("Name"), parts.get("Surn"), parts.get("Patr"), n)
    return None


def name_like_en(word: str, said: str, given: frozenset[str], cased: bool) -> bool:
    if not word.isalpha() or len(word) < 2:
        return False
    # a surname by its ending only when longer than a short word ("in", "man", "son")
    return word in given or (len(word) > 3 and bool(_SURNAME_EN.search(word))) or (cased and said[:1].isupper())


# "Ms. Green", "Dr Patel", "Mr Smith": the word after is a surname
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "madam"})
# after a given name in lower-case text ("for tom baker to call"), the next
# word is a surname when it ends the name group or one of these follows it
_AFTER_SURNAME = frozenset({"to", "about", "that", "by", "on", "at", "regarding", "re", "saying", "and",
                            "tomorrow", "today", "tonight", "next", "this", "please"})
_NOT_SURNAME = frozenset({"the", "a", "an", "to", "about", "that", "and", "or", "is", "are", "was", "will",
                          "my", "your", "his", "her", "their", "our", "it", "this", "next", "at", "on", "in",
                          "for", "by", "with", "from", "please", "know", "a", "all", "be", "call", "review",
                          "check", "send", "buy", "get", "finish", "prepare", "update", "fix", "write", "read",
                          "pick", "bring", "book", "meet", "ask", "tell", "remind", "schedule", "add",
                          # auxiliaries and modals: "what tasks does peter have this week"
                          "have", "has", "had", "do", "does", "did", "got", "can", "could", "should", "would",
                          "must", "may", "might", "shall", "need", "needs", "want", "wants", "gave", "give"})


def read_en(words: list[str], said: list[str], given: frozenset[str], cased: bool,
            stop=frozenset()) -> SaidName | None:
    """A person at the start of `words` (lower case; `said` as written)."""
    if len(words) >= 2 and words[0] in HONORIFICS and words[1].isalpha() and words[1] not in stop \
            and words[1] not in _NOT_SURNAME:
        s = said[1]
        return SaidName(None, s if s[:1].isupper() and not s.isupper() else cap(words[1]), None, 2)
    took: list[tuple[str, str]] = []
    for w, s in zip(words[:3], said[:3]):
        if w in stop or not name_like_en(w, s, given, cased):
            break
        took.append((w, s))
    if not took:
        return None
    if len(took) == 1 and took[0][0] in given and not cased and len(words) >= 2:
        w2 = words[1]
        follower = words[2] if len(words) > 2 else None
        if (w2.isalpha() and len(w2) >= 3 and w2 not in stop and w2 not in _NOT_SURNAME and w2 not in given
                and (follower is None or follower in _AFTER_SURNAME)):
            took.append((w2, said[1]))   # "for tom baker", "anna brown"
    fmt = [s if s[:1].isupper() and not s.isupper() else cap(w) for w, s in took]
    if len(took) == 1:
        w, _ = took[0]
        if w not in given and _SURNAME_EN.search(w):
            return SaidName(None, fmt[0], None, 1)
        return SaidName(fmt[0], None, None, 1)
    (w1, _), (w2, _) = took[0], took[1]
    if w1 not in given and w2 in given and _SURNAME_EN.search(w1):
        return SaidName(fmt[1], fmt[0], None, 2)
    if len(took) == 3:
        return SaidName(fmt[0], fmt[2], fmt[1], 3)
    return SaidName(fmt[0], fmt[1], None, 2)
