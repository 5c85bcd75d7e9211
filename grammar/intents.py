"""Which command was said: the command verb, the intent noun ("задачу",
"встречу", "сообщение"), "новая ...", "в календарь" — in any form and order.

The noun decides (поставь встречу → event); a verb alone implies its own
intent (напиши Насте → message, запланируй → event, поставь Сергею → task);
a noun alone counts at the start ("совещание завтра в 10") or after "новая".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sekretar.grammar.lexicon import Lexicon, Verb
from sekretar.grammar.morph import Morph

NOUN_WINDOW = 4      # words between a verb and its noun
BLOCKERS_RU = frozenset({"что", "чтобы", "если", "когда", "как", ":"})
BLOCKERS_EN = frozenset({"that", "if", "when", ":", "saying"})


@dataclass
class IntentHit:
    intent: str | None = None
    used: set[int] = field(default_factory=set)   # word positions of the command words
    verb: bool = False                             # a command verb (or "новая") was said
    noun: str | None = None                        # the noun's lemma
    noun_at: int | None = None
    titled: bool = False                           # the noun is an event's name (совещание)
    weak: bool = False                             # a command only with a recipient ("скажи Сергею")
    bare: bool = False                             # only a noun: a command with a date, person or marker
    verb_cases: tuple[str, ...] | None = None      # the case of a person right after the verb (попроси Настю: accs)


class WordInfo(NamedTuple):
    """What one word can be to the command (cached per word form)."""

    verb: Verb | None           # a command verb, or None
    noun: str | None            # an intent noun's lemma, or None
    new: bool                   # "новая", "new"
    blocks: bool                # a noun past it is not the verb's (another verb, "что", ":")
    infinitive: bool
    cases: tuple[str, ...] | None = None   # the case of a person right after the verb


NO_WORD = WordInfo(None, None, False, False, False, None)


def _word_info(lex: Lexicon, morph: Morph | None, w: str) -> WordInfo:
    if morph is None:  # English: forms are listed
        verb = lex.verb_intent.get(w)
        noun = w if w in lex.noun_intent else None
        return WordInfo(verb, noun, w in lex.new_adjectives, (w in BLOCKERS_EN or verb is not None), True, None)
    verbs, other, top_verb, infinitive = morph.lemmas(w)
    verb, cases = None, None
    for lemma in verbs:
        if lemma in lex.verb_intent:
            verb = lex.verb_intent[lemma]
            cases = lex.verb_cases.get(lemma)
            break
    noun = next((l for l in other if l in lex.noun_intent), None)
    new = any(l in lex.new_adjectives for l in other)
    return WordInfo(verb, noun, new, (w in BLOCKERS_RU or top_verb), infinitive, cases)


def find_intent(lex: Lexicon, morph: Morph | None, norms: list[str], free: list[bool],
                stop: int, breaks: list[bool] | None = None, cache: dict | None = None) -> IntentHit:
    """Look at words [0, stop) that are `free` (not part of a date);
    `breaks[k]`: a sentence ends before word k (a noun past it is not linked)."""
    verb_at = verb_intent = None
    verb_len = 1
    nouns: list[tuple[int, str]] = []
    news: list[int] = []
    infos = {}
    english = morph is None
    skip = 0
    for k in range(stop):
        if not free[k] or skip > k:
            continue
        if english and verb_at is not None and k > 0 and norms[k - 1] == "to" and free[k - 1]:
            infos[k] = WordInfo(None, None, False, True, True, None)  # "remind me to call": an infinitive
            continue
        w = norms[k]
        info = cache.get(w) if cache is not None else None
        if info is None:
            info = _word_info(lex, morph, w)
            if cache is not None and len(cache) < 200_000:
                cache[w] = info
        infos[k] = info
        verb, noun, new, _, infinitive, _cases = info
        if verb is not None and nouns and (infinitive or news):
            # after the noun an infinitive is the title's: "новая задача написать письмо"
            verb = None
        if verb is not None and verb_at is None and not (noun and nouns):
            verb_at, verb_intent = k, verb
            m = lex.verbs.match(norms, k) if english else None
            if m and m.end - k > 1:  # a phrasal verb: "set up"
                verb_len = m.end - k
                skip = m.end
        elif noun:
            nouns.append((k, noun))
        elif new:
            news.append(k)
    hit = IntentHit()
    noun_at = None
    if verb_at is not None:
        hit.verb = True
        hit.verb_cases = infos[verb_at].cases
        hit.used.update(range(verb_at, verb_at + verb_len))
        for k, noun in nouns:
            if verb_intent.intent == "message" and lex.noun_intent[noun] != "message" \
                    and abs(k - verb_at) > verb_len:
                continue  # "напиши Сергею встреча переносится": the noun is the message's
            if _linked(infos, verb_at + verb_len - 1, k, free, english, breaks):
                noun_at = k
                # "создай новую задачу": the adjective is the command's too
                hit.used.update(j for j in news if 0 < k - j <= 2)
                break
    if noun_at is None and nouns:
        k, noun = nouns[0]
        before = [j for j in range(k) if free[j]]
        if any(j in news and k - j <= 2 for j in before):
            noun_at = k
            hit.verb = True
            hit.used.update(j for j in before if j in news and k - j <= 2)
        elif verb_at is None and _first_content(infos, before, lex, norms):
            noun_at = k
            hit.bare = True
    if noun_at is not None:
        hit.noun = dict(nouns)[noun_at]
        hit.noun_at = noun_at
        hit.used.add(noun_at)
        hit.intent = lex.noun_intent[hit.noun]
        hit.titled = hit.noun in lex.titled_nouns
        # "text message", "calendar event": the next intent noun of the same kind
        nxt = noun_at + 1
        nxt_noun = infos.get(nxt, NO_WORD).noun if nxt < stop and free[nxt] else None
        if nxt_noun is not None and lex.noun_intent[nxt_noun] == hit.intent:
            hit.used.add(nxt)
            if not hit.titled:
                # "событие обед с партнёрами", "событие встреча": the second noun names it
                hit.noun, hit.noun_at, hit.titled = nxt_noun, nxt, nxt_noun in lex.titled_nouns
    elif verb_at is not None and verb_intent.intent:
        hit.weak = verb_intent.weak
        hit.intent = verb_intent.intent
    return hit


def _linked(infos, a: int, b: int, free: list[bool], english: bool, breaks) -> bool:
    """A noun belongs to the verb when it is near it with no other verb or
    conjunction in between ("поставь на Сергея задачу", "задачу поставь";
    English: right after it, "create a new task")."""
    lo, hi = (a, b) if a < b else (b, a)
    if b < a and (english or a - b > 2):
        return False
    if breaks and any(breaks[lo + 1:hi + 1]):
        return False
    between = [k for k in range(lo + 1, hi) if free[k]]
    if len(between) > (2 if english else NOUN_WINDOW):
        return False
    return not any(infos.get(k, NO_WORD).blocks for k in between)


def _first_content(infos, before: list[int], lex: Lexicon, norms: list[str]) -> bool:
    """Everything before the noun is a wrapper ("Алиса, совещание завтра")."""
    k = 0
    while k < len(before):
        j = before[k]
        m = lex.wrappers.match(norms, j)
        if not m:
            return False
        k += m.end - j
    return True
