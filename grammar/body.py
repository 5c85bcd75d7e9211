"""Title and message in an utterance: the body marker, what is left once
everything else is labelled, the event noun as a title, and a bare answer
to the dialog's question (`expect`). A mixin of `grammar.utterance.Sentence`."""
from __future__ import annotations

from datetime import datetime

from sekretar.grammar.command import Command, Recipient
from sekretar.grammar.intents import IntentHit
from sekretar.core.text import capitalise, fold, like
from sekretar.grammar.slots import cut, pin_past, runs, shape_when, tidy, trim


class BodyFinder:
    def find_body(self, hit: IntentHit, recipient: Recipient | None):
        lex, norms, label = self.lex, self.norms, self.label
        if hit.intent == "message":
            self._drop_channels()
        marker = None
        if self.stop < self.n:
            marker = (self.stop, lex.body_markers.match(norms, self.stop).end - self.stop)
        for k in range(self.stop):
            if label[k] is None:
                prev = self._prev(k)
                if prev is None or label[prev] is not None:
                    m = lex.body_markers_head.match(norms, k)
                    if not m and hit.intent == "message" and prev is not None:
                        m = lex.message_markers.match(norms, k)
                    if m:
                        marker = (k, m.end - k)
                        break
        if marker is None and hit.intent == "message" and recipient is None and self.morph is None:
            marker = self._group_then_that()  # "inform the team that …": the body after "that"
        about = self._prev(hit.noun_at) if hit.noun_at is not None and hit.verb else None
        if about is not None and label[about] is None and norms[about] in lex.noun_about:
            label[about] = "wrap"   # "напомни про встречу": the command's, not the title's
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
        if hit.intent != "message":
            self._drop_trailing(lex.trailing_title)
        if hit.intent == "message":
            return None, self._message(start)
        head = self._modified_noun(hit) if hit.intent == "event" and marker is None else None
        title = self._title(start, hit, recipient)
        if head is not None:  # "квартальное совещание", "a sales review": the words in their order
            return capitalise(" ".join(filter(None, (head, self.with_span, title)))), None
        if title is None and hit.intent == "event" and self.with_span and hit.noun:
            title = f"{self._noun_display(hit)} {self.with_span}"  # "Встреча с Сергеем"
        elif title is None and hit.intent == "event" and hit.titled:
            title = self._noun_display(hit)
        elif title and hit.noun and not hit.titled and marker is None:
            first_word = fold(title.split(None, 1)[0])
            if hit.intent == "event" and first_word in lex.place_preps:
                # "встречу с Сергеем в кафе" → "Встреча с Сергеем в кафе", not "В кафе"
                title = " ".join(filter(None, (self._noun_display(hit), self.with_span, title)))
            elif first_word in lex.complements:
                title = f"{self._noun_display(hit)} {title}"
        elif title and hit.titled and marker is None and hit.intent == "event":
            title = f"{self._noun_display(hit)} {title}"
        elif title and hit.intent == "event" and hit.noun is None and marker is None and self.morph is not None:
            title = self._nominative_head(title)
        return capitalise(title), None

    def _group_then_that(self) -> tuple[int, int] | None:
        """"inform the team that the office is closed": a message marker after
        up to three free words that are no person (the dialog asks who)."""
        free = 0
        for k in range(self.stop):
            if self.label[k] is not None:
                if free:
                    return None
                continue
            m = self.lex.message_markers.match(self.norms, k)
            if m and 0 < free <= 3:
                return k, m.end - k
            free += 1
            if free > 3:
                return None
        return None

    def _modified_noun(self, hit: IntentHit) -> str | None:
        """Words said right before the event noun that qualify it
        ("квартальное совещание", "team lunch", "quarterly meeting"): the
        noun phrase as said (Russian: in the nominative), those words taken."""
        k = hit.noun_at
        if k is None or not hit.noun:
            return None
        pre = []
        j = k - 1
        while j >= 0 and self.label[j] is None and len(pre) < 3:
            w = self.norms[j]
            if self.morph is not None:
                parses = self.p.morph.parse(w) if w.isalpha() else []
                if not parses or parses[0].tag.POS not in ("ADJF", "PRTF"):
                    break
            elif not w.isalpha() or w in self.lex.edge_words or w in ("my", "our", "new", "the", "a", "an"):
                break
            pre.insert(0, j)
            j -= 1
        if not pre:
            return None
        for j in pre:
            self.label[j] = "wrap"
        said = cut(self.text, self.toks, self.ws[pre[0]], self.ws[k])
        return self._nominative_head(said) if self.morph is not None else said

    def _nominative_head(self, title: str) -> str:
        """An event named by its verb's object: "забронируй переговорную" →
        "Переговорная", "организуй корпоративную вечеринку" → "Корпоративная
        вечеринка" (the accusative words up to the first noun)."""
        words = title.split(" ")
        out = []
        for i, w in enumerate(words[:4]):
            parses = self.p.morph.parse(w.lower()) if w.isalpha() else []
            top = parses[0] if parses else None
            if top is None or top.tag.POS not in ("NOUN", "ADJF") or top.tag.case != "accs" \
                    or "Name" in top.tag or "Surn" in top.tag:
                # adjectives used as a noun: "переговорную на час" → "Переговорная на час"
                return " ".join(out + words[i:]) if out else title
            nom = top.inflect({"nomn"})
            if nom is None:
                return title
            word = nom.word.replace("ё", "е") if "ё" not in w.lower() else nom.word
            out.append(like(word, w))
            if top.tag.POS == "NOUN":
                return " ".join(out + words[i + 1:])
        return " ".join(out + words[len(out):])

    def _drop_channels(self) -> None:
        """"напиши Сергею в телеграм, что ...": the channel said next to the
        command words is not the message."""
        for k in range(self.stop):
            if self.label[k] is not None:
                continue
            prev = self._prev(k)
            m = self.lex.message_channels.match(self.norms, k)
            if m and (prev is None or self.label[prev] is not None):
                for j in range(k, m.end):
                    self.label[j] = "wrap"
            return

    def _drop_trailing(self, phrases) -> None:
        """Words said to the assistant at the very end ("..., Алиса", "спасибо")."""
        heads = phrases.heads
        for length in (3, 2, 1):
            k = self.n - length
            if k > 0 and self.norms[k] in heads and all(self.label[j] is None for j in range(k, self.n)):
                m = phrases.match(self.norms, k)
                if m and m.end == self.n:
                    for j in range(k, self.n):
                        self.label[j] = "wrap"
                    return

    def _noun_display(self, hit: IntentHit) -> str:
        if self.morph is None:
            return self.norms[hit.noun_at]
        said = self.toks[self.ws[hit.noun_at]].text.lower()
        if "ё" not in said:
            return hit.noun
        # the lemma is folded (ё → е); the "ё" said in its stem is put back ("планёрку" → "планёрка")
        return "".join("ё" if c == "е" and said[k:k + 1] == "ё" else c for k, c in enumerate(hit.noun))

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
            if not m or expect == "message" and m.end - k == self.n:
                break
            for j in range(k, m.end):
                self.label[j] = "wrap"
            k = m.end
        if span is not None and span.alone and expect != "when":  # "April" answers "who?": a name
            span, self.label = None, [None if lb == "date" else lb for lb in self.label]
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

