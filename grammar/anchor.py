"""A time said by an item of the calendar: "созвон после планёрки",
«задачу проверить договор после совещания с Орловым», "set up a review
right after the sales meeting", «встреча через час после планёрки».

Read on an utterance whose dates are marked, before the command words: a
free "после" / "after" (where the time rules read a time there, «после
обеда», «после 15:00», "after 5 pm", it is theirs and labelled already)
followed by the name of a calendar item: up to two determiners, up to three
modifiers (Russian: adjectives; English: any plain words), an event noun
(grammar/data/lexicon_*.yaml `nouns` event and event_titled), then one
complement (с/with + a name, по/about + a word or two, a genitive noun
«отдела продаж»). Its words are labelled "anchor", out of the title. An
offset said right before it («через час», "30 minutes") is read by the time
rules as if said alone ("in 30 minutes") and measured from `now`.

The check is gated on the head words: one set test over the sentence's
norms before anything else, so a sentence without one costs nothing more.
The words are data: lexicon_*.yaml `anchor`; conventions in docs/grammar.md.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sekretar.grammar import dates as _dates
from sekretar.grammar.command import Anchor
from sekretar.grammar.slots import cut, tidy
from sekretar.grammar.tokens import tokenize

MAX_OFFSET = timedelta(days=1)
_FUNCTION = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "ADVB", "PRED", "INFN", "VERB"})


def find_anchor(u, span, now: datetime):
    """(Anchor or None, the date span left): the anchor's words are labelled
    "anchor"; a span that was only its offset («через час», «за час») is dropped."""
    aw = u.lex.anchor
    norms, label = u.norms, u.label
    if aw["all_heads"].isdisjoint(norms):  # the gate: most sentences stop here
        return None, span
    for relation, key in (("after", "heads"), ("before", "before_heads")):
        if relation == "before" and span is not None and span.has_time:
            continue  # "remind me 15 minutes before the meeting tomorrow at 10": a reminder of a time said
        for head in aw.get(key, ()):
            if head not in norms:
                continue
            k = -1
            while True:
                try:
                    k = norms.index(head, k + 1)
                except ValueError:
                    break
                lead = relation == "before" and span is not None and span.lead is not None \
                    and (label[k] == "date" or k > 0 and label[k - 1] == "date")
                if label[k] is not None and not lead:
                    continue
                got = _item(u, aw, k + 1)
                if got is None:
                    continue
                if lead:  # «за час до планёрки», "an hour before the standup": the time rules' reminder lead
                    return _take_lead(u, aw, span, k, *got)
                return _take(u, aw, span, now, k, *got, relation)
    return None, span


def _take_lead(u, aw, span, k: int, first: int, end: int):
    """The offset of a "before" read by the time rules as a reminder lead:
    the lead is the offset, not a reminder; a day said with it stays."""
    label, norms = u.label, u.norms
    leads = aw.get("before_offset_leads", ())
    o = k
    while o > 0 and k - o < 5 and label[o - 1] == "date":
        o -= 1
        if norms[o] in leads:
            break
    offset = span.lead
    span = None if span.timeless else replace(span, lead=None)
    return _anchor(u, first, end, o, offset, "before"), span


def _take(u, aw, span, now, k: int, first: int, end: int, relation: str = "after"):
    label, norms = u.label, u.norms
    a = k
    while a > 0 and k - a < 2 and label[a - 1] in (None, "date") and norms[a - 1] in aw.get("intensifiers", ()):
        a -= 1  # "сразу после", "right after"
    if any(label[j] == "date" for j in range(a, k)):  # "immediately" read as a time of its own
        if span is not None and _only(u, span, a, k):
            span = None
        else:
            a = k
    offset, o = _offset(u, aw, a, now) if relation == "after" else (None, a)
    if offset is not None:
        if span is not None and _only(u, span, o, a):
            span = None  # the time said was the offset: "через час после планёрки"
        elif span is not None:
            offset, o = None, a  # other time words too: the time said stands, no offset
    return _anchor(u, first, end, o, offset, relation), span


def _anchor(u, first: int, end: int, o: int, offset, relation: str) -> Anchor:
    for j in range(o, end):
        if u.label[j] is None:
            u.label[j] = "anchor"
    ref = tidy(cut(u.text, u.toks, u.ws[first], u.ws[end - 1]))
    said = tidy(cut(u.text, u.toks, u.ws[o], u.ws[end - 1]))
    return Anchor(ref or "", said or "", offset, relation)


def _item(u, aw, j: int) -> tuple[int, int] | None:
    """(first, end) of the item's words from word j (determiners skipped), or None."""
    n, label, norms = u.n, u.label, u.norms
    dets = aw.get("determiners", ())
    d = 0
    while j < n and d < 2 and label[j] is None and _lemma_in(u, norms[j], dets):
        j, d = j + 1, d + 1
    first, mods = j, 0
    while j < n and label[j] is None and not _event_noun(u, norms[j]):
        if mods == 3 or not _modifier(u, j):
            return None
        j, mods = j + 1, mods + 1
    if j >= n or label[j] is not None:
        return None
    noun = j
    end = _complement(u, aw, j + 1)
    if mods == 0 and end == noun + 1 and _lemma_in(u, norms[noun], aw.get("not_alone", ())):
        return None  # «после обеда», "after lunch": a part of the day, the time rules' (or nothing)
    return first, end


def _complement(u, aw, j: int) -> int:
    """The end of the item's name after its noun: «с Орловым», «по бюджету»,
    «отдела продаж», "with Anna", "about the budget"."""
    n, label, norms = u.n, u.label, u.norms
    if j >= n or label[j] is not None:
        return j
    if norms[j] in aw.get("complements", ()):
        m, took = j + 1, 0
        if m < n and label[m] is None and norms[m] in ("the", "a", "an", "our", "my"):
            m += 1
        while m < n and took < 3 and label[m] is None and _plain(u, norms[m]):
            m, took = m + 1, took + 1
            if m + 1 < n and norms[m] in ("и", "and") and label[m + 1] is None and _plain(u, norms[m + 1]):
                m += 1  # "с Орловым и Козловой"
        return m if took else j
    m = j
    while u.morph is not None and m < n and m - j < 2 and label[m] is None and _genitive(u, norms[m]):
        m += 1  # «планёрки отдела продаж»
    return m


def _offset(u, aw, a: int, now: datetime) -> tuple[timedelta | None, int]:
    """An offset said right before the anchor: («через час», "30 minutes",
    "an hour"), read by the time rules as "in …"; (offset, its first word)."""
    leads = aw.get("offset_leads", ())
    label, norms = u.label, u.norms
    now = now.replace(second=0, microsecond=0)  # the time rules drop seconds: "in 30 minutes" is 30:00, not 29:xx
    for length in (5, 4, 3, 2, 1):
        o = a - length
        if o < 0 or not all(label[j] in (None, "date") for j in range(o, a)):
            continue
        if leads and norms[o] not in leads:
            continue
        if not leads and (length < 2 or norms[o] in aw.get("determiners", ())):
            continue  # "30 minutes", "an hour"; not "the minutes after the board meeting"
        said = u.text[u.toks[u.ws[o]].start:u.toks[u.ws[a - 1]].end]
        toks = tokenize(said if leads else f"in {said}")
        try:
            got = _dates.find_when(toks, now, u.lang)
        except Exception:  # the time rules failing on a fragment: no offset, never a crash
            if u.p.strict:
                raise
            continue
        if got is None or got.spans != ((0, len(toks)),) or got.rrule or not got.has_time:
            continue
        offset = got.start - now
        if timedelta(0) < offset <= MAX_OFFSET:
            return offset, o
    return None, a


def _only(u, span, o: int, a: int) -> bool:
    """The date span is nothing but words o..a-1."""
    lo, hi = u.ws[o], u.ws[a - 1]
    spans = tuple(span.spans) + tuple(span.length_spans)
    return bool(spans) and all(lo <= x and y - 1 <= hi for x, y in spans)


# --- what a word is ----------------------------------------------------------------
def _event_noun(u, w: str) -> bool:
    lex = u.lex
    if u.morph is None:
        return lex.noun_intent.get(w) == "event"
    return any(lex.noun_intent.get(lemma) == "event" for lemma in u.morph.lemmas(w)[1])


def _lemma_in(u, w: str, words) -> bool:
    if not words:
        return False
    if w in words or u.morph is None:
        return w in words
    return not words.isdisjoint(u.morph.lemmas(w)[1])


def _parses(u, w: str):
    return u.morph._parse(w) if w.isalpha() else []  # only with Russian morphology (callers check)


def _modifier(u, j: int) -> bool:
    """Word j qualifies the item's noun: «утренней», «еженедельного»; "sales", "weekly"."""
    w = u.norms[j]
    if u.morph is not None:
        parses = _parses(u, w)
        return bool(parses) and parses[0].tag.POS in ("ADJF", "PRTF")
    aw = u.lex.anchor
    return w.isalpha() and w not in u.lex.edge_words and w not in aw.get("heads", ()) \
        and w not in aw.get("complements", ()) and not u.lex.verbs.match(u.norms, j)


def _plain(u, w: str) -> bool:
    """A word of a complement: a name or a noun, not a verb or a function word."""
    if not w.isalpha() or w in u.lex.edge_words:
        return False
    if u.morph is not None:
        parses = _parses(u, w)
        return bool(parses) and parses[0].tag.POS not in _FUNCTION
    return w not in u.lex.verb_intent and w not in u.lex.anchor.get("heads", ())


def _genitive(u, w: str) -> bool:
    parses = _parses(u, w)
    return bool(parses) and parses[0].tag.POS in ("NOUN", "ADJF") and parses[0].tag.case == "gent" \
        and "Name" not in parses[0].tag and "Surn" not in parses[0].tag


__all__ = ["find_anchor"]
