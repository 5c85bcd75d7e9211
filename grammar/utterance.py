"""One utterance while it is parsed: its words, one label per word
("date", "intent", "wrap", "recip", "marker"; None = still free), and the
passes that set them (dates, command words here; the recipient and the body
in the mixins)."""
from __future__ import annotations

import logging
from datetime import datetime

from sekretar.grammar import dates as _dates
from sekretar.grammar.body import BodyFinder
from sekretar.grammar.intents import IntentHit, find_intent
from sekretar.grammar.recipient import RecipientFinder
from sekretar.grammar.tokens import tokenize

log = logging.getLogger(__name__)

_ARTICLES = frozenset({"a", "an", "the", "my", "new"})
_SENTENCE_END = frozenset(".!?;…")


class Sentence(RecipientFinder, BodyFinder):
    """One utterance's words and their labels while it is being parsed."""

    def __init__(self, parser, text: str, lang: str):
        self.p = parser
        self.text = text
        self.lang = lang
        self.lex = parser._lex[lang]
        self.morph = parser._morph if lang == "ru" else None
        self.toks = toks = tokenize(text)
        # the words (and ":"), their norms, and whether a sentence ends before each
        self.ws: list[int] = []
        self.norms: list[str] = []
        self.breaks: list[bool] = []
        add_w, add_n, add_b = self.ws.append, self.norms.append, self.breaks.append
        pending = False
        for i, t in enumerate(toks):
            norm = t.norm
            if norm[:1].isalnum() or norm == ":":
                add_w(i)
                add_n(norm)
                add_b(pending)
                pending = False
            elif norm in _SENTENCE_END:
                pending = True
        self.n = len(self.ws)
        self.label: list[str | None] = [None] * self.n
        self.stop = self.n  # the first body marker
        self.with_span: str | None = None  # "с Сергеем": an event's participant as said
        self.found_participants: list = []  # an event's people ("с Козловым и Орловой")

    # dates ----------------------------------------------------------------
    def mark_dates(self, now: datetime):
        try:
            span = _dates.find_when(self.toks, now, self.lang, lengths=True)
        except Exception:
            if self.p.strict:
                raise
            log.exception("date rules failed on %r", self.text[:200])
            return None
        if span is None:
            return None
        tok2word = {i: k for k, i in enumerate(self.ws)}
        for a, b in span.spans:
            first = None
            for i in range(a, b):
                k = tok2word.get(i)
                if k is not None:
                    self.label[k] = "date"
                    first = k if first is None else first
            if first is not None:
                self._absorb_date_lead(first)
                if span.lead is not None:
                    self._absorb_remind_clause(first)
        return span

    def release_about(self, span):
        """"подготовить отчёт за третий квартал": in a command the period is
        what the title is about, so its words stay there; None when it was
        the only time said."""
        tok2word = {i: k for k, i in enumerate(self.ws)}
        for a, b in span.about_spans:
            for i in range(a, b):
                k = tok2word.get(i)
                if k is not None and self.label[k] == "date":
                    self.label[k] = None
        return None if span.about else span

    def release_lengths(self, span):
        """The words of a length said on its own go back to the title or the
        message ("заказать воду на неделю"); the span keeps the rest, or is
        None when nothing else was said."""
        from dataclasses import replace

        tok2word = {i: k for k, i in enumerate(self.ws)}
        for a, b in span.length_spans:
            for i in range(a, b):
                k = tok2word.get(i)
                if k is not None and self.label[k] == "date":
                    self.label[k] = None
        if span.timeless and span.lead is None:
            return None
        return replace(span, duration=None, length_spans=())

    def _absorb_remind_clause(self, k0: int) -> None:
        """"…, и напомни за час": the reminder's own verb, said as a second clause."""
        from sekretar.grammar.dates.lex import date_lexicon

        stems = date_lexicon(self.lang).remind_stems
        k = k0 - 1
        if k >= 2 and self.label[k] is None and self.norms[k] in self.lex.remind_objects and stems \
                and self.label[k - 1] is None and self.norms[k - 1].startswith(stems):
            self.label[k] = "date"  # "remind him an hour before", «напомни мне за час»: whom it is for
            k -= 1
        if k >= 1 and self.label[k] is None and stems and self.norms[k].startswith(stems) \
                and self.norms[k - 1] in ("и", "and", "а"):
            self.label[k] = self.label[k - 1] = "date"
        elif k >= 1 and self.label[k] is None and stems and self.norms[k].startswith(stems) and (
                self.breaks[k] or self.toks[self.ws[k] - 1].norm == "," or self._verb_before(k)):
            self.label[k] = "date"  # "…, уведомить за 30 минут", "…. Напомни за час"

    def _verb_before(self, k: int) -> bool:
        """A command verb before word k ("запланируй созвон … уведомить за 30 минут")."""
        if self.morph is not None:
            return any(self.morph.lemmas(self.norms[j])[0] for j in range(k))
        return any(self.lex.verbs.match(self.norms, j) for j in range(k))

    def _absorb_date_lead(self, k0: int) -> None:
        heads = self.lex.date_leads.heads
        for length in (3, 2, 1):
            k = k0 - length
            if k >= 0 and self.norms[k] in heads and all(self.label[j] is None for j in range(k, k0)):
                m = self.lex.date_leads.match(self.norms, k)
                if m and m.end == k0:
                    for j in range(k, k0):
                        self.label[j] = "date"
                    return

    # command words -----------------------------------------------------------
    def find_intent(self) -> IntentHit:
        lex, norms, label = self.lex, self.norms, self.label
        heads = lex.body_markers.heads
        for k in range(self.n):
            if label[k] is None and norms[k] in heads and lex.body_markers.match(norms, k):
                self.stop = k
                break
        calendar = None
        heads = lex.calendar.heads
        for k in range(self.stop):
            if label[k] is None and norms[k] in heads:
                m = lex.calendar.match(norms, k)
                if m and all(label[j] is None for j in range(k, m.end)):
                    calendar = range(k, m.end)
                    for j in calendar:
                        label[j] = "intent"
                    break
        free = [l is None for l in label]
        hit = find_intent(lex, self.morph, norms, free, self.stop, self.breaks, self.p._word_info[self.lang])
        if calendar is not None:
            if hit.intent is None and hit.verb:
                hit.intent = "event"
            if hit.intent is None:
                for j in calendar:
                    label[j] = None
        for k in hit.used:
            label[k] = "intent"
        if hit.intent is not None:
            first = label.index("intent")
            k = 0
            while k < first:  # wrappers before the first command word
                if label[k] is None:
                    m = lex.wrappers.match(norms, k)
                    if not m:
                        break
                    for j in range(k, min(m.end, first)):
                        label[j] = "wrap"
                    k = m.end
                else:
                    k += 1
            self._drop_trailing(lex.trailing)  # "..., Алиса" is no recipient
            for k in range(self.stop):
                if label[k] is None and (norms[k] in lex.polite or
                                         (norms[k] in _ARTICLES and self._next_is(k, "intent"))):
                    label[k] = "wrap"
        return hit

    def asks_about_the_past(self) -> bool:
        """"has Anna answered?", "did Tom reply to my message?", "Анна ответила?":
        a question about what happened, not a request (grammar/data/lexicon_*.yaml
        `past_question_words`; a Russian past-tense verb before "?")."""
        if not self.n:
            return False
        if self.norms[0] in self.lex.past_question_words:
            return True
        if self.morph is None or not self.text.rstrip().endswith("?"):
            return False
        return any(self.label[k] is None and self.morph.is_past_verb(self.norms[k]) for k in range(min(self.n, 4)))

    def _prev(self, k: int) -> int | None:
        k -= 1
        while k >= 0 and self.label[k] in ("date", "wrap"):
            k -= 1
        return k if k >= 0 else None

    def _next_is(self, k: int, what: str) -> bool:
        k += 1
        while k < self.n and self.label[k] in ("date", "wrap"):
            k += 1
        return k < self.n and self.label[k] == what

    def _free_run(self, k: int, limit: int = 3) -> list[int]:
        out = []
        while k < self.stop and self.label[k] is None and len(out) < limit:
            out.append(k)
            k += 1
        return out

    # the recipient -------------------------------------------------------------
