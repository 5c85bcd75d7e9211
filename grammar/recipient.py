"""The recipient's place in an utterance: the self, a marker and the case it
governs, a name next to a command word, a message's name said last, and
natasha's NER as the last resort (grammar/ner.py). The words of a name are
read by grammar/names.py. A mixin of `grammar.utterance.Sentence`."""
from __future__ import annotations

from sekretar.grammar.command import Recipient
from sekretar.grammar.intents import IntentHit
from sekretar.grammar.names import SaidName, cap, read_en, read_ru
from sekretar.grammar.slots import cut

_ADJACENT_VERBS_EN = frozenset({"message", "text", "tell", "remind", "ping", "email", "assign",
                                "write", "send", "drop", "shoot", "ask", "let", "inform", "notify", "hand",
                                "give"})
_SELF_ADJ = frozenset({"мне", "себе", "me", "myself"})


class RecipientFinder:
    def _person(self, at: list[int], cases) -> SaidName | None:
        if not at:
            return None
        words = [self.norms[k] for k in at]
        if self.morph is not None:
            return read_ru(self.morph, words, cases)
        said = [self.toks[self.ws[k]].text for k in at]
        cased = self.text != self.text.lower() and self.text != self.text.upper()
        return read_en(words, said, self.lex.given_names, cased, self.lex.name_stops)

    def _take(self, first: int, count: int, person: SaidName | None, marker: int | None = None) -> Recipient:
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
            norm = norms[k]  # each table is matched only where a phrase of it starts
            m = lex.self_phrases.match(norms, k) if norm in lex.self_phrases.heads else None
            if m and all(label[j] is None for j in range(k, m.end)) and not hit.weak:
                single = m.end - k == 1 and norms[k] in _SELF_ADJ
                prev = self._prev(k)
                if not single or (prev is not None and label[prev] == "intent") or self._next_is(m.end - 1, "intent"):
                    return self._take(k, m.end - k, None)
            m = lex.recipient_markers.match(norms, k) if norm in lex.recipient_markers.heads else None
            if m and norms[k] in ("для", "for") and m.end - k == 1:
                before = self._prev(k)
                if before is not None and label[before] is None:
                    m = None  # "купить подарок для Анны": the title's, not the assignee
            if m and (norms[k] not in ("с", "with") or hit.intent == "event"):
                length, cases = m.end - k, m.value
                at = self._free_run(k + length)
                person = self._person(at, None if "any" in cases else cases)
                if person:
                    if norms[k] in ("с", "with"):
                        said = [self.toks[self.ws[j]].text for j in range(k + length, k + length + person.words)]
                        self.with_span = " ".join([self.toks[self.ws[k]].text] + [cap(w) for w in said])
                        taken = self._take(k + length, person.words, person, marker=k)
                        self.found_participants = [taken] + self._more_participants(
                            k + length + person.words, None if "any" in cases else cases)
                        if len(self.found_participants) > 1:
                            self.with_span = None  # "созвон с Козловым и Орловой": the people are no title
                        return taken
                    return self._take(k + length, person.words, person, marker=k)
            prev = self._prev(k)
            adjacent = prev is not None and label[prev] == "intent"
            if self.morph is None:
                adjacent = adjacent and norms[prev] in _ADJACENT_VERBS_EN \
                    and (hit.intent in ("message", "task") or hit.weak) \
                    and prev not in ([hit.noun_at] if hit.noun_at is not None else [])
            if adjacent or (self.morph is not None and self._next_is(k, "intent")):
                at = self._free_run(k)
                cases = (hit.verb_cases or ("datv",)) if prev is not None and label[prev] == "intent" else ("datv",)
                person = self._person(at, cases if self.morph is not None else None)
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

    def _more_participants(self, k: int, cases) -> list[Recipient]:
        """"с Козловым и Орловой", "with Rob and Lisa", "with Anna, Tom and Lee":
        the people after the first one an event is with."""
        out: list[Recipient] = []
        while k < self.stop and len(out) < 10:
            if self.label[k] is not None:
                break
            joined = self.norms[k] in ("и", "and", "&")
            comma = self.toks[self.ws[k] - 1].norm == "," if self.ws[k] > 0 else False
            if not joined and not (comma or self.morph is not None):
                break  # "с Ивановым, Петровой": a comma (Russian: the case) joins as well
            first = k + 1 if joined else k
            person = self._person(self._free_run(first), cases)
            if person is None:
                break
            if joined:
                self.label[k] = "recip"
            out.append(self._take(first, person.words, person))
            k = first + person.words
        return out

    def participants(self, hit: IntentHit) -> tuple[Recipient, ...]:
        """The people an event is with (contract v2 `participants`)."""
        if hit.intent != "event":
            return ()
        return tuple(getattr(self, "found_participants", ()) or ())

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
            person = SaidName(words[0], words[1] if len(words) > 1 else None, None, len(words))
            if len(words) == 1 and any(r.role == "Surn" for r in self.morph.names(self.norms[k])):
                person = SaidName(None, words[0], None, 1)
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
    def _answer_person(self, free: list[int]) -> Recipient | None:
        norms = self.norms
        k = free[0]
        m = self.lex.self_phrases.match(norms, k)
        if m or norms[k] in ("я", "i"):
            return self._take(k, m.end - k if m else 1, None)
        m = self.lex.recipient_markers.match(norms, k)
        if m and m.end < self.n:
            length, cases = m.end - k, m.value
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
        person = SaidName(said[0], said[1] if len(said) > 1 else None, None, len(said))
        return self._take(k, len(said), person)
