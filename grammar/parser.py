"""`Parser`: one utterance → one `Command` (intent, recipient, title,
message, when, missing). Pure: `now` and `tz` are given; text never raises.

The pipeline labels every word once: date words (grammar.dates), command
words (grammar.intents), wrappers, the recipient (grammar.names), the
marker of a title or message body; what is left is the title or message
(grammar.slots). Conventions are in docs/grammar.md.
"""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from sekretar.errors import GrammarError

from grammar import dates as _dates
from grammar.command import Command, Recipient, missing_slots
from grammar.intents import IntentHit, find_intent
from grammar.lang import LANGS, resolve
from grammar.lexicon import load
from grammar.morph import Morph
from grammar.names import Person, cap, read_en, read_ru
from grammar.slots import capitalise, cut, pin_past, runs, shape_when, tidy, trim
from grammar.tokens import clean, tokenize

log = logging.getLogger(__name__)

EXPECTS = ("recipient", "title", "message", "when")
_ARTICLES = frozenset({"a", "an", "the", "my", "new"})
_ADJACENT_VERBS_EN = frozenset({"message", "text", "tell", "remind", "ping", "email", "assign",
                                "write", "send", "drop", "shoot"})
_SENTENCE_END = frozenset(".!?;…")
_SELF_ADJ = frozenset({"мне", "себе", "me", "myself"})


class Parser:
    """Build once (it loads the morphology), call `parse` per utterance."""

    strict = False  # tests set it: a bug raises instead of answering intent null
    use_ner = True  # natasha for capitalised names morphology cannot read (lazy, rare)

    def __init__(self, morph=None, *, task_default_hour: int = 12,
                 default_tz: str = "Europe/Moscow", default_lang: str | None = None):
        if morph is None:
            import pymorphy3

            morph = pymorphy3.MorphAnalyzer()
        self.morph = morph
        self._morph = Morph(morph)
        self.task_default_hour = int(task_default_hour)
        self.default_tz = default_tz
        self.default_lang = default_lang
        self._zones: dict[str, ZoneInfo] = {}
        self._zone(default_tz)
        self._lex = {lang: load(lang) for lang in LANGS}
        self._ner = None  # grammar.ner.Ner, built on first need

    def ner(self):
        if self._ner is None:
            from grammar.ner import Ner

            self._ner = Ner()
        return self._ner

    # -- arguments ---------------------------------------------------------
    def _zone(self, tz: str | None) -> ZoneInfo:
        name = tz or self.default_tz
        zone = self._zones.get(name)
        if zone is None:
            try:
                zone = ZoneInfo(str(name))
            except Exception:
                raise GrammarError(f"unknown time zone {name!r} (expected an IANA name like Europe/Moscow)") from None
            self._zones[name] = zone
        return zone

    @staticmethod
    def _now(now, zone: ZoneInfo) -> datetime:
        if now is None or now == "":
            return datetime.now(zone)
        if isinstance(now, str):
            try:
                now = datetime.fromisoformat(now.strip().replace("Z", "+00:00"))
            except ValueError:
                raise GrammarError(f"bad 'now' {now!r}: expected ISO-8601 like 2019-03-25T12:28:00+03:00") from None
        if not isinstance(now, datetime):
            raise GrammarError(f"bad 'now' {now!r}: expected an ISO-8601 string or a datetime")
        if now.tzinfo is None:
            return now.replace(tzinfo=zone)
        return now.astimezone(zone)

    # -- the pipeline --------------------------------------------------------
    def parse(self, text, now=None, tz=None, lang=None, expect=None) -> Command:
        zone = self._zone(tz)
        now = self._now(now, zone)
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        try:
            return self._parse(text, now, lang, expect if expect in EXPECTS else None)
        except Exception:
            if self.strict:
                raise
            log.exception("parser failed on %r", text[:200])
            return Command(intent=None, lang=resolve(lang, text, self.default_lang), text=text)

    def _parse(self, text: str, now: datetime, lang, expect) -> Command:
        cleaned = clean(text)
        lang = resolve(lang, cleaned, self.default_lang)
        u = _Utterance(self, cleaned, lang)
        span = u.mark_dates(now)
        hit = u.find_intent()
        if expect and not hit.verb:
            return u.answer(expect, span, text, now)
        recipient = u.find_recipient(hit)
        if hit.weak and recipient is None:
            hit.intent = None
        title, message = u.find_body(hit, recipient)
        when = pin_past(shape_when(span, hit.intent, self.task_default_hour), now)
        return Command(hit.intent, recipient, title, message, when,
                       missing_slots(hit.intent, recipient, title, message, when), lang, text)


class _Utterance:
    """One utterance's words and their labels while it is being parsed."""

    def __init__(self, parser: Parser, text: str, lang: str):
        self.p = parser
        self.text = text
        self.lang = lang
        self.lex = parser._lex[lang]
        self.morph = parser._morph if lang == "ru" else None
        self.toks = tokenize(text)
        self.ws = [i for i, t in enumerate(self.toks) if t.is_word or t.norm == ":"]
        self.norms = [self.toks[i].norm for i in self.ws]
        self.n = len(self.ws)
        self.label: list[str | None] = [None] * self.n
        self.stop = self.n  # the first body marker
        self.with_span: str | None = None  # "с Сергеем": an event's participant as said

    # dates ----------------------------------------------------------------
    def mark_dates(self, now: datetime):
        try:
            span = _dates.find_when(self.toks, now, self.lang)
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
        return span

    def _absorb_date_lead(self, k0: int) -> None:
        for length in (3, 2, 1):
            k = k0 - length
            if k >= 0 and all(self.label[j] is None for j in range(k, k0)):
                m = self.lex.date_leads.match(self.norms, k)
                if m and m[0] == length:
                    for j in range(k, k0):
                        self.label[j] = "date"
                    return

    # command words -----------------------------------------------------------
    def find_intent(self) -> IntentHit:
        lex, norms, label = self.lex, self.norms, self.label
        for k in range(self.n):
            if label[k] is None and lex.body_markers.match(norms, k):
                self.stop = k
                break
        calendar = None
        for k in range(self.stop):
            if label[k] is None:
                m = lex.calendar.match(norms, k)
                if m and all(label[j] is None for j in range(k, k + m[0])):
                    calendar = range(k, k + m[0])
                    for j in calendar:
                        label[j] = "intent"
                    break
        free = [l is None for l in label]
        breaks = [False] * self.n
        for k in range(1, self.n):
            breaks[k] = any(self.toks[i].norm in _SENTENCE_END for i in range(self.ws[k - 1] + 1, self.ws[k]))
        hit = find_intent(lex, self.morph, norms, free, self.stop, breaks)
        if calendar is not None:
            if hit.intent is None and hit.verb:
                hit.intent = "event"
            if hit.intent is None:
                for j in calendar:
                    label[j] = None
        for k in hit.used:
            label[k] = "intent"
        if hit.intent is not None:
            first = min(k for k in range(self.n) if label[k] == "intent")
            k = 0
            while k < first:  # wrappers before the first command word
                if label[k] is None:
                    m = lex.wrappers.match(norms, k)
                    if not m:
                        break
                    for j in range(k, min(k + m[0], first)):
                        label[j] = "wrap"
                    k += m[0]
                else:
                    k += 1
            for k in range(self.stop):
                if label[k] is None and (norms[k] in lex.polite or
                                         (norms[k] in _ARTICLES and self._next_is(k, "intent"))):
                    label[k] = "wrap"
        return hit

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
    def _person(self, at: list[int], cases) -> Person | None:
        if not at:
            return None
        words = [self.norms[k] for k in at]
        if self.morph is not None:
            return read_ru(self.morph, words, cases)
        said = [self.toks[self.ws[k]].text for k in at]
        cased = self.text != self.text.lower() and self.text != self.text.upper()
        stop = {w for w in words if self.lex.body_markers.match([w], 0) or w in self.lex.edge_words}
        return read_en(words, said, self.lex.given_names, cased, frozenset(stop))

    def _take(self, first: int, count: int, person: Person | None, marker: int | None = None) -> Recipient:
        for j in range(marker if marker is not None else first, first + count):
            self.label[j] = "recip"
        span = cut(self.text, self.toks, self.ws[first], self.ws[first + count - 1])
        if person is None:
            return Recipient(self=True, span=span)
        return Recipient(person.first, person.last, person.middle, False, span)

    def find_recipient(self, hit: IntentHit) -> Recipient | None:
        lex, norms, label = self.lex, self.norms, self.label
        for k in range(self.stop):
            if label[k] is not None:
                continue
            m = lex.self_phrases.match(norms, k)
            if m and all(label[j] is None for j in range(k, k + m[0])) and not hit.weak:
                single = m[0] == 1 and norms[k] in _SELF_ADJ
                prev = self._prev(k)
                if not single or (prev is not None and label[prev] == "intent") or self._next_is(k + m[0] - 1, "intent"):
                    return self._take(k, m[0], None)
            m = lex.recipient_markers.match(norms, k)
            if m and (norms[k] not in ("с", "with") or hit.intent == "event"):
                length, cases = m
                at = self._free_run(k + length)
                person = self._person(at, None if "any" in cases else cases)
                if person:
                    if norms[k] in ("с", "with"):
                        said = [self.toks[self.ws[j]].text for j in range(k + length, k + length + person.words)]
                        self.with_span = " ".join([self.toks[self.ws[k]].text] + [cap(w) for w in said])
                    return self._take(k + length, person.words, person, marker=k)
            prev = self._prev(k)
            adjacent = prev is not None and label[prev] == "intent"
            if self.morph is None:
                adjacent = adjacent and norms[prev] in _ADJACENT_VERBS_EN and hit.intent == "message" \
                    and prev not in ([hit.noun_at] if hit.noun_at is not None else [])
            if adjacent or (self.morph is not None and self._next_is(k, "intent")):
                at = self._free_run(k)
                person = self._person(at, ("datv",) if self.morph is not None else None)
                if person is None and self.morph is not None:
                    person = self._person(at, ("nomn",))
                    person = person if person and person.first and person.last else None
                if person:
                    return self._take(k, person.words, person)
        if hit.intent == "message" and self.morph is not None:
            found = self._trailing_recipient()
            if found:
                return found
        if hit.intent in ("task", "message") and self.morph is not None and self.p.use_ner:
            return self._ner_recipient()
        return None

    def _ner_recipient(self) -> Recipient | None:
        """A capitalised word where a recipient goes, confirmed by natasha."""
        if self.text == self.text.lower() or self.text == self.text.upper():
            return None  # recogniser output or shouting: no capitals to go by
        for k in range(1, self.stop):
            said = self.toks[self.ws[k]].text
            if self.label[k] is not None or not said[:1].isupper() or not said.isalpha():
                continue
            if not ("\u0400" <= said[0] <= "\u04ff"):
                continue  # natasha reads Russian names only
            if self.p.morph.word_is_known(self.norms[k]) and not self.morph.names(self.norms[k]):
                continue  # a common word ("Привет") capitalised
            prev = self._prev(k)
            if prev is None or self.label[prev] != "intent" and not (
                    self.label[prev] is None and self.norms[prev] in ("на", "для")):
                continue
            run = [j for j in self._free_run(k) if self.toks[self.ws[j]].text[:1].isupper()]
            run = run[:next((i for i, j in enumerate(run) if j != k + i), len(run))]
            start = self.toks[self.ws[k]].start
            spans = self.p.ner().persons(self.text)
            if not any(a <= start < b for a, b in spans):
                return None
            end = max(b for a, b in spans if a <= start < b)
            run = [j for j in run if self.toks[self.ws[j]].start < end]
            words = [self._nominative(self.toks[self.ws[j]].text) for j in run]
            marker = prev if self.label[prev] is None else None
            person = Person(words[0], words[1] if len(words) > 1 else None, None, len(words))
            if len(words) == 1 and any(r.role == "Surn" for r in self.morph.names(self.norms[k])):
                person = Person(None, words[0], None, 1)
            return self._take(k, len(run), person, marker=marker)
        return None

    def _nominative(self, said: str) -> str:
        """A name morphology does not know, in the nominative if it can guess."""
        for p in self.p.morph.parse(said.lower()):
            if p.tag.POS == "NOUN" and "anim" in p.tag and p.tag.case != "nomn":
                inflected = p.inflect({"nomn", "sing"})
                if inflected:
                    return cap(inflected.word)
        return cap(said.lower()) if said.isupper() or said.islower() else said

    def _trailing_recipient(self) -> Recipient | None:
        """A message's recipient said last: "напиши сообщение привет Насте"."""
        free = [k for k in range(self.stop) if self.label[k] is None]
        for size in (3, 2, 1):
            tail = free[-size:]
            if len(free) > size and tail[-1] - tail[0] == size - 1 and tail[-1] == self.n - 1:
                person = read_ru(self.morph, [self.norms[k] for k in tail], ("datv",))
                if person and person.words == size:
                    return self._take(tail[0], size, person)
        return None

    # title and message ------------------------------------------------------------
    def find_body(self, hit: IntentHit, recipient: Recipient | None):
        lex, norms, label = self.lex, self.norms, self.label
        marker = None
        if self.stop < self.n:
            marker = (self.stop, lex.body_markers.match(norms, self.stop)[0])
        for k in range(self.stop):
            if label[k] is None:
                prev = self._prev(k)
                if prev is None or label[prev] is not None:
                    m = lex.body_markers_head.match(norms, k)
                    if not m and hit.intent == "message" and prev is not None:
                        m = lex.message_markers.match(norms, k)
                    if m:
                        marker = (k, m[0])
                        break
        start = None
        if marker is not None:
            k, length = marker
            for j in range(k, k + length):
                label[j] = "marker"
            if k > 0 and label[k - 1] is None and norms[k - 1] in lex.edge_words:
                label[k - 1] = "marker"
            start = k + length
        if hit.intent is None:
            return None, None
        self._drop_trailing(lex.trailing)
        if hit.intent != "message":
            self._drop_trailing(lex.trailing_title)
        if hit.intent == "message":
            return None, self._message(start)
        title = self._title(start, hit, recipient)
        if title is None and hit.intent == "event" and self.with_span and hit.noun:
            title = f"{self._noun_display(hit)} {self.with_span}"  # "Встреча с Сергеем"
        elif title is None and hit.intent == "event" and hit.titled:
            title = self._noun_display(hit)
        elif title and hit.noun and not hit.titled and marker is None:
            first_word = title.split(None, 1)[0].lower()
            if first_word in lex.complements:
                title = f"{self._noun_display(hit)} {title}"
        elif title and hit.titled and marker is None and hit.intent == "event":
            title = f"{self._noun_display(hit)} {title}"
        return capitalise(title), None

    def _drop_trailing(self, phrases) -> None:
        """Words said to the assistant at the very end ("..., Алиса", "спасибо")."""
        for length in (3, 2, 1):
            k = self.n - length
            if k > 0 and all(self.label[j] is None for j in range(k, self.n)):
                m = phrases.match(self.norms, k)
                if m and m[0] == length:
                    for j in range(k, self.n):
                        self.label[j] = "wrap"
                    return

    def _noun_display(self, hit: IntentHit) -> str:
        if self.morph is None:
            return self.norms[hit.noun_at]
        return hit.noun

    def _message(self, start: int | None) -> str | None:
        if start is None:
            start = next((k for k in range(self.n) if self.label[k] is None), None)
        if start is None or start >= self.n:
            return None
        while start < self.n and self.label[start] in ("wrap", "marker"):
            start += 1
        if start >= self.n:
            return None
        last = self.n - 1
        while last > start and self.label[last] in ("recip", "wrap"):
            last -= 1
        end = len(self.text) if last == self.n - 1 else self.toks[self.ws[last]].end
        return tidy(self.text[self.toks[self.ws[start]].start:end])

    def _title(self, start: int | None, hit: IntentHit, recipient) -> str | None:
        if start is not None:
            words = []
            k = start
            while k < self.n and self.label[k] is None:
                words.append(k)
                k += 1
        else:
            words = [k for k in range(self.n) if self.label[k] is None]
        words = trim(words, self.norms, self.lex.edge_words)
        if not words:
            return None
        parts = [cut(self.text, self.toks, self.ws[a], self.ws[b]) for a, b in runs(words)]
        return tidy(" ".join(parts))

    # a bare answer to the dialog's question --------------------------------------
    def answer(self, expect: str, span, text: str, now: datetime) -> Command:
        for k in range(self.n):
            if self.label[k] == "intent":
                self.label[k] = None
        k = 0
        while k < self.n and self.label[k] is None:
            m = self.lex.wrappers.match(self.norms, k)
            if not m or expect == "message" and m[0] == self.n:
                break
            for j in range(k, k + m[0]):
                self.label[j] = "wrap"
            k += m[0]
        recipient = title = message = None
        free = [k for k in range(self.n) if self.label[k] is None]
        if expect == "recipient" and free:
            recipient = self._answer_person(free)
        elif expect == "title":
            title = capitalise(self._title(None, IntentHit(), None))
        elif expect == "message":
            message = self._message(None)
        when = pin_past(shape_when(span, None, self.p.task_default_hour), now)
        return Command(None, recipient, title, message, when, (), self.lang, text)

    def _answer_person(self, free: list[int]) -> Recipient | None:
        norms = self.norms
        k = free[0]
        m = self.lex.self_phrases.match(norms, k)
        if m or norms[k] in ("я", "i"):
            return self._take(k, m[0] if m else 1, None)
        m = self.lex.recipient_markers.match(norms, k)
        if m and k + m[0] < self.n:
            length, cases = m
            person = self._person(self._free_run(k + length), None if "any" in cases else cases)
            if person:
                return self._take(k + length, person.words, person, marker=k)
        person = self._person(self._free_run(k), None)
        if person:
            return self._take(k, person.words, person)
        # a name morphology does not know, taken as said ("Шмидт"); never common
        # words ("не знаю")
        run = self._free_run(k, 2)
        if self.morph is None or not run or any(
                not self.norms[j].isalpha() or self.p.morph.word_is_known(self.norms[j]) for j in run):
            return None
        said = [cap(self.toks[self.ws[j]].text) for j in run]
        person = Person(said[0], said[1] if len(said) > 1 else None, None, len(said))
        return self._take(k, len(said), person)
