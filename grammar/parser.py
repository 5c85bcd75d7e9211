"""`Parser`: one utterance → one `Command` (intent, recipient, title,
message, when, missing). Pure: `now` and `tz` are given; text never raises.

The pipeline labels every word once: date words (grammar.dates), command
words (grammar.intents), wrappers, the recipient (grammar.names), the
marker of a title or message body; what is left is the title or message
(grammar.slots). The passes are in grammar/utterance.py, grammar/recipient.py
and grammar/body.py; conventions in docs/grammar.md.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sekretar.grammar import query
from sekretar.grammar.anchor import find_anchor
from sekretar.grammar.command import Command, missing_slots
from sekretar.grammar.lexicon import load
from sekretar.grammar.morph import Morph, make_analyzer
from sekretar.grammar.slots import pin_past, shape_when
from sekretar.grammar.tokens import clean
from sekretar.grammar.utterance import Sentence

from sekretar.core.clock import BadMoment, anchor_now
from sekretar.core.config import zone
from sekretar.core.errors import GrammarError
from sekretar.core.text import LANGS
from sekretar.core.text import resolve_lang as resolve

log = logging.getLogger(__name__)

EXPECTS = ("recipient", "title", "message", "when")


class Parser:
    """Build once (it loads the morphology), call `parse` per utterance."""

    strict = False  # tests set it: a bug raises instead of answering intent null
    use_ner = True  # natasha for capitalised names morphology cannot read (lazy, rare)

    def __init__(self, morph=None, *, task_default_hour: int = 12,
                 default_tz: str = "Europe/Moscow", default_lang: str | None = None):
        if morph is None:
            morph = make_analyzer()
        self.morph = morph
        self._morph = Morph(morph)
        self.task_default_hour = int(task_default_hour)
        self.default_tz = default_tz
        self.default_lang = default_lang
        self._zone(default_tz)
        self._lex = {lang: load(lang) for lang in LANGS}
        self._word_info: dict[str, dict] = {lang: {} for lang in LANGS}  # grammar.intents, per word
        self._ner = None  # grammar.ner.Ner, built on first need

    def ner(self):
        if self._ner is None:
            from sekretar.grammar.ner import Ner

            self._ner = Ner()
        return self._ner

    # -- arguments ---------------------------------------------------------
    def _zone(self, tz: str | None) -> ZoneInfo:
        name = tz or self.default_tz
        return zone(name)

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
        try:  # years 1900-2199: date arithmetic cannot overflow (core/clock.py)
            return anchor_now(now, zone)
        except BadMoment as exc:
            raise GrammarError(f"bad 'now' {now.isoformat()}: {exc}") from None

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
        u = Sentence(self, cleaned, lang)
        span = u.mark_dates(now)
        if not expect:
            asked = query.read(u, span, now, self.task_default_hour)  # questions and changes first
            if asked == query.NOT_A_COMMAND:
                return Command(None, when=pin_past(shape_when(span, None, periods=True), now), lang=lang, text=text)
            if asked is not None:
                return replace(asked, text=text)
        said_span = span
        anchor, span = find_anchor(u, span, now) if not expect or expect == "when" else (None, span)
        hit = u.find_intent()
        if anchor is not None and hit.intent not in ("task", "event") and hit.verb:
            # a message's "после планёрки" is its words; only a task or an event starts after an item
            anchor, span, u.label = None, said_span, [None if lb == "anchor" else lb for lb in u.label]
        if expect and not hit.verb:
            return replace(u.answer(expect, span, text, now), anchor=anchor)
        if hit.intent is not None and u.asks_about_the_past():
            hit.intent = None  # "has Anna answered?": a question, no command
        if span is not None and span.about_spans and hit.intent in ("task", "event", "message"):
            span = u.release_about(span)
        if span is not None and span.length_spans and hit.intent in ("task", "message"):
            span = u.release_lengths(span)  # "заказать воду на неделю": a length is an event's only
        recipient = u.find_recipient(hit)
        if hit.weak and (recipient is None or recipient.self):
            hit.intent = None
        timed = (span is not None and not span.timeless) or anchor is not None
        if hit.bare and not timed and recipient is None and u.stop == u.n:
            hit.intent = None  # "встреча была хорошей" is no command; "совещание завтра в 10" is
        if hit.bare and query.is_statement(u):
            hit.intent = None  # "встреча с Козловым прошла хорошо": said about an item
        if expect and hit.intent is None:  # a weak verb that made no command: still an answer
            u = Sentence(self, cleaned, lang)
            span = u.mark_dates(now)
            anchor, span = find_anchor(u, span, now) if expect == "when" else (None, span)
            u.find_intent()
            return replace(u.answer(expect, span, text, now), anchor=anchor)
        title, message = u.find_body(hit, recipient)
        when = pin_past(shape_when(span, hit.intent, self.task_default_hour,
                                   periods=hit.intent in (None, "query")), now)
        remind = span.lead if span is not None and hit.intent in ("task", "event") else None
        if hit.intent not in ("task", "event"):
            anchor = None
        elif anchor is not None and hit.intent == "event" and span is not None and span.duration:
            anchor = replace(anchor, length=span.duration)  # "созвон на полчаса после планёрки"
        return Command(hit.intent, recipient, title, message, when,
                       missing_slots(hit.intent, recipient, title, message, when), lang, text,
                       participants=u.participants(hit), remind=remind, anchor=anchor)
