"""Questions and changes: "что у меня в четверг?", "перенеси планёрку на 15:00".

Read before the create pipeline, on an utterance whose dates are marked.
A question opens with a question word, a "show me" verb or the speaker
("я свободен...", "мои задачи"); its topic (meetings, tasks, free time),
its period (`when`), whose items (`recipient`, `participants`) and filters
go to `Command` (intent "query", `about`; the rest in `detail`). A change
opens with a change verb (перенеси, отмени, закрой, переименуй, передай
задачу...); what it names (`ref`), the new time, title or person fill the
contract's keys. A question that is not about the calendar or the tasks is
no command at all ("какая сегодня погода"): never a create. Conventions:
docs/grammar.md, "Questions and changes".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sekretar.grammar.command import Command, Recipient
from sekretar.grammar.query_lex import QueryLex, Words, query_lex
from sekretar.grammar.slots import capitalise, midnight, pin_past, shape_when, tidy

# a sentence that opens with one of these and is not a query is no command
QUESTION_START = {"ru": frozenset({"что", "какой", "когда", "сколько", "кто", "где", "почему", "зачем", "ли",
                                   "разве", "неужели", "чем"}),
                  "en": frozenset({"what", "what's", "whats", "when", "when's", "which", "how", "who", "why",
                                   "where", "am", "is", "are", "do", "does", "did", "have", "has", "any"})}
_REF_PREPS = frozenset({"по", "про", "о", "об", "с", "со", "для", "насчет", "about", "with", "for", "on"})
NOT_A_COMMAND = "none"


@dataclass(frozen=True)
class Detail:
    """What a question or change says beyond the contract's keys."""

    scope: str = "own"                 # whose items: "own" | "given" (I gave them) | "from" (given to me by)
    overdue: bool = False
    free: bool = False                 # a free/busy question
    next: bool = False                 # "ближайшая": the first one from now on
    done: bool = False                 # closed tasks asked about
    shift: timedelta | None = None     # a move by an amount ("на час позже")
    it: bool = False                   # the item is "её" / "it": the one the conversation just had
    words: tuple[str, ...] = ()        # title words a question filters by


def read(u, span, now: datetime, task_hour: int = 12):
    """A query/change `Command`, NOT_A_COMMAND for another question, or None."""
    if u.n == 0:
        return None
    ql, w = query_lex(u.lang), Words(u)
    f = _first(u)
    if f is None:
        return None
    cmd = _change(u, ql, w, f, span, now, task_hour)
    if cmd is not None:
        return cmd
    if _is_create_verb(u, w, f):
        return None
    cmd = _query(u, ql, w, f, span, now)
    if cmd is not None:
        return cmd
    if u.norms[f] in QUESTION_START[u.lang] or w.has(f, QUESTION_START[u.lang]) and u.lang == "ru" \
            and u.norms[f] not in ("чем",):
        return NOT_A_COMMAND
    return None


def is_statement(u) -> bool:
    """A bare noun said with a finite verb is about an item, not an order:
    "встреча с Козловым прошла хорошо", "совещание переносится"."""
    if u.morph is None:
        return False
    for k in range(u.n):
        if u.label[k] is None:
            parses = u.morph._parse(u.norms[k])
            if parses and parses[0].tag.POS == "VERB" and parses[0].tag.mood == "indc":
                return True
    return False


def _first(u) -> int | None:
    k = 0
    while k < u.n:
        if u.label[k] is not None:
            k += 1
            continue
        m = u.lex.wrappers.match(u.norms, k)
        if m and u.norms[k] not in ("i", "can", "could", "will", "would", "you"):
            k += m[0]
            continue
        if u.lang == "en" and u.norms[k] in ("can", "could", "will", "would") and k + 1 < u.n \
                and u.norms[k + 1] == "you":
            k += 2
            continue
        return k
    return None


def _is_create_verb(u, w: Words, k: int) -> bool:
    if u.lang == "ru":
        return any(v in u.lex.verb_intent for v in w.verbs(k))
    return u.lex.verbs.match(u.norms, k) is not None


# --- questions -------------------------------------------------------------------
def _query(u, ql: QueryLex, w: Words, f: int, span, now: datetime):
    norms, n = u.norms, u.n
    start = ql.ask.match(norms, f) or (u.lang == "ru" and any(w.has(f, {x}) for x in ("какой", "сколько")))
    listing = w.has(f, ql.list_verbs) or (u.lang == "ru" and not w.verbs(f).isdisjoint(ql.list_verbs))
    selfish = ql.self_words.match(norms, f)
    topic_first = w.has(f, ql.events | ql.tasks | ql.both | ql.free) and not _is_create_verb(u, w, f) \
        and not (u.lang == "ru" and any(l in u.lex.noun_intent for l in w.lemmas(f)) and norms[f] not in
                 ("задачи", "встречи", "события", "дела", "планы", "созвоны", "совещания"))
    asked = u.text.rstrip().endswith("?")
    if not (start or listing or selfish or topic_first or asked):
        return None
    used = [u.label[k] is not None for k in range(n)]
    topics: set[str] = set()
    det = dict(scope="own", overdue=False, free=False, next=False, done=False)
    whose = None
    withs: list[Recipient] = []
    rest: list[int] = []
    parts = None
    for k in range(n):  # a part of the day, even where the time rules read a point from it
        m = ql.day_parts.match(norms, k)
        if m:
            parts = m[1]
            _use(used, k, m[0])
        m = ql.periods.match(norms, k)
        if m:
            _use(used, k, m[0])
    k = f
    while k < n:
        if used[k]:
            k += 1
            continue
        m = ql.day_parts.match(norms, k)
        if m:
            parts = m[1]
            _use(used, k, m[0])
            k += m[0]
            continue
        m = ql.overdue.match(norms, k) or (w.has(k, ql.overdue_words) and (1, True))
        if m:
            det["overdue"] = True
            topics.add("tasks")
            _use(used, k, m[0])
            k += m[0]
            continue
        marker = ql.person_markers.get(norms[k])
        if marker is not None and k + 1 < n and not used[k + 1] and not ql.self_words.match(norms, k + 1) \
                and not ql.self_words.match(norms, k):
            person = u._person(_run(used, k + 1), marker[0])
            if person is not None and person.first is None and person.last is None:
                person = None
            if person is not None:
                r = Recipient(person.first, person.last, person.middle, False, None)
                if marker[1] == "with":
                    withs.append(r)
                else:
                    whose = r
                    det["scope"] = "from" if marker[1] == "from" else det["scope"]
                _use(used, k, 1 + person.words)
                k += 1 + person.words
                continue
        if w.has(k, ql.given_verbs) and k > f:
            # "какие задачи я поставил Насте"; "какие задачи мне поставил Петров": from him
            given_me = norms[k - 1] in ("мне", "me")
            det["scope"] = "from" if given_me else "given"
            topics.add("tasks")
            used[k] = True
            j = k + 1
            while j < n and (used[j] or norms[j] in ("я", "i", "to")):
                used[j] = True
                j += 1
            cases = ("nomn",) if given_me else ("datv",)
            person = u._person(_run(used, j), cases if u.morph is not None else None) if j < n else None
            if person is not None:
                whose = Recipient(person.first, person.last, person.middle, False, None)
                _use(used, j, person.words)
            k = j
            continue
        if w.has(k, ql.free):
            det["free"] = True
            topics.add("events")
        elif w.has(k, ql.next):
            det["next"] = True
        elif w.has(k, ql.done) and "tasks" in topics:
            det["done"] = True
        elif w.has(k, ql.events):
            topics.add("events")
        elif w.has(k, ql.tasks):
            topics.add("tasks")
        elif w.has(k, ql.both):
            topics.add("both")
        elif ql.self_words.match(norms, k):
            m = ql.self_words.match(norms, k)
            _use(used, k, m[0])
            k += m[0]
            continue
        elif ql.fillers.match(norms, k) or ql.ask.match(norms, k) or w.has(k, ql.list_verbs) \
                or u.lex.wrappers.match(norms, k):
            m = ql.fillers.match(norms, k) or ql.ask.match(norms, k) or (1, True)
            _use(used, k, m[0])
            k += m[0]
            continue
        elif whose is None and topics and u.morph is not None and (person := u._person(_run(used, k), ("gent",))):
            # "задачи Орлова"
            whose = Recipient(person.first, person.last, person.middle, False, None)
            _use(used, k, person.words)
            k += person.words
            continue
        elif whose is None and u.morph is None and norms[k].removesuffix("'s") in u.lex.given_names \
                and (person := u._person(_run(used, k), None)):
            # "what does Peter have", "Anna's calendar"
            whose = Recipient(person.first, person.last, person.middle, False, None)
            _use(used, k, person.words)
            k += person.words
            continue
        else:
            rest.append(k)
        used[k] = True
        k += 1
    when = _period(u, ql, span, parts, now)
    if not topics and (rest or not (when is not None or whose or selfish)):
        return None
    if not topics and not (start or listing or selfish):
        return None
    if topics and rest and len(rest) > 4:
        return None  # a sentence that only mentions a meeting
    about = None
    if topics - {"both"} == {"events"} and "both" not in topics:
        about = "events"
    elif topics - {"both"} == {"tasks"} and "both" not in topics:
        about = "tasks"
    words = tuple(norms[k] for k in rest if norms[k] not in _REF_PREPS)
    detail = Detail(words=words, **det)
    return Command("query", whose, None, None, when, (), u.lang, u.text, participants=tuple(withs),
                   about=about, detail=detail)


def _use(used: list[bool], k: int, length: int) -> None:
    for j in range(k, min(k + length, len(used))):
        used[j] = True


def _run(used: list[bool], k: int, limit: int = 3) -> list[int]:
    out = []
    while k < len(used) and not used[k] and len(out) < limit:
        out.append(k)
        k += 1
    return out


def _period(u, ql: QueryLex, span, parts, now: datetime):
    from sekretar.grammar.command import When

    when = pin_past(shape_when(span, None), now) if span is not None else None
    if when is None or when.grain not in ("week", "month"):
        for k in range(u.n):
            m = ql.periods.match(u.norms, k)
            if m:
                unit, off = m[1]
                day = midnight(now)
                if unit == "week":
                    a = day - timedelta(days=day.weekday()) + timedelta(weeks=int(off))
                    return When(a, a + timedelta(weeks=1), False, grain="week", has_time=False)
                if unit == "weekend":
                    a = day + timedelta(days=(5 - day.weekday()) % 7 if day.weekday() < 5 else -(day.weekday() - 5))
                    return When(a, a + timedelta(days=2) - timedelta(days=(a.weekday() - 5)), False, grain="day",
                                has_time=False)
                a = day.replace(day=1)
                for _ in range(int(off)):
                    a = (a + timedelta(days=32)).replace(day=1)
                return When(a, (a + timedelta(days=32)).replace(day=1), False, grain="month", has_time=False)
    if parts is not None:
        day = midnight(when.start if when is not None else now)
        h1, h2 = parts
        return When(day + timedelta(hours=h1), day + timedelta(hours=h2), False, grain="hour", has_time=True)
    return when


# --- changes ---------------------------------------------------------------------
def _change(u, ql: QueryLex, w: Words, f: int, span, now: datetime, task_hour: int):
    norms, n = u.norms, u.n
    action, vlen = None, 1
    if u.lang == "ru":
        action = next((ql.change_verbs.match([v], 0)[1] for v in w.verbs(f) if ql.change_verbs.match([v], 0)), None)
    else:
        m = ql.change_verbs.match(norms, f)
        if m:
            vlen, action = m
    if action is None:
        return None
    used = [u.label[k] is not None for k in range(n)]
    _use(used, f, vlen)
    for k in range(f + vlen):
        used[k] = True
    about = None
    if action == "by_object" or action == "move":
        for k in range(f + vlen, min(n, f + vlen + 4)):
            if not used[k] and w.has(k, frozenset(ql.change_objects)):
                obj = next(ql.change_objects[l] for l in w.lemmas(k) if l in ql.change_objects)
                action = obj if action == "by_object" or obj == "move" else action
                about = "tasks" if obj == "move" and norms[k] in ("срок", "сроки", "дедлайн", "deadline", "due") \
                    or obj == "reassign" else about
                used[k] = True
                break
        if action == "by_object":
            action = "move" if span is not None else None
    if action == "mark":
        done = [k for k in range(f + vlen, n) if not used[k] and (w.has(k, ql.done) or norms[k] in ql.done)]
        action = "complete" if done else None
        for k in done:
            used[k] = True
    if action is None:
        return None
    if u.lang == "ru" and any(v in ("продлить", "продлевать") for v in w.verbs(f)) or norms[f] == "extend":
        about = "tasks"
    ref_words = [k for k in range(f + vlen, n) if not used[k]]
    has_task = any(w.has(k, ql.tasks) for k in ref_words)
    has_event = any(w.has(k, ql.events) for k in ref_words)
    if action == "reassign_task":
        if not has_task:
            return None
        action = "reassign"
    if action == "cancel_event":
        if not has_event:
            return None
        action = "cancel"
    if action == "move" and span is None and u.lang == "en":
        span = _to_time(u, used, f + vlen, now)
    shift = _shift(u, ql, used, f + vlen, action) if action == "move" else None
    if shift is not None:
        span = None
    target, title = None, None
    if action == "reassign":
        target = _target(u, ql, used, f + vlen)
    if action == "rename":
        title = _new_title(u, ql, used, f + vlen)
    for k in range(f + vlen, n):
        if not used[k]:
            m = ql.drop.match(norms, k)
            if m and (m[0] > 1 or k == f + vlen or norms[k] not in ("the", "of")):
                _use(used, k, m[0])
    withs = []
    keep = [k for k in range(f + vlen, n) if not used[k]]
    while keep and (norms[keep[-1]] in u.lex.edge_words or u.lex.trailing.match(norms, keep[-1])
                    or norms[keep[-1]] in ("на", "to", "в", "by", "for", "до", "until")):
        keep.pop()
    while keep and (norms[keep[0]] in u.lex.edge_words or norms[keep[0]] in ("of", "for", "the", "my")
                    or norms[keep[0]] == "по" and len(keep) > 1 and w.has(keep[1], ql.tasks)):
        keep.pop(0)
    for i, k in enumerate(keep):
        if norms[k] in ("с", "со", "with") and i + 1 < len(keep):
            person = u._person([j for j in keep[i + 1:i + 4]], ("ablt",) if u.morph is not None else None)
            if person is not None and (person.first or person.last):
                withs.append(Recipient(person.first, person.last, person.middle, False, None))
    ref = " ".join(u.toks[u.ws[k]].text for k in keep) or None
    ref = tidy(ref) if ref else None
    it = bool(ref) and ql.it.match([x for x in ref.lower().replace("ё", "е").split()], 0) is not None \
        and ql.it.match(ref.lower().replace("ё", "е").split(), 0)[0] == len(ref.split())
    if about == "tasks":
        pass  # the deadline or a task-only verb said it
    elif has_task and not has_event:
        about = "tasks"
    elif has_event and not has_task:
        about = "events"
    elif about is None and action in ("complete", "reassign"):
        about = "tasks"
    elif about is None and action == "cancel" and not has_task:
        about = "events"
    intent = {"tasks": "task", "events": "event"}.get(about)
    when = pin_past(shape_when(span, intent if action == "move" else None, task_hour), now) if span else None
    detail = Detail(shift=shift, it=it)
    return Command("change", target, capitalise(title) if title else None, None, when, (), u.lang, u.text,
                   participants=tuple(withs), about=about, action=action, ref=ref, detail=detail)


def _shift(u, ql: QueryLex, used: list[bool], lo: int, action: str) -> timedelta | None:
    """"на час позже", "на 30 минут раньше", "an hour later", "by two days"."""
    from sekretar.grammar.numbers import parse_number

    norms = u.norms
    sign = None
    for k in range(lo, u.n):
        if norms[k] in ql.later or norms[k] in ql.earlier:
            sign = (k, 1 if norms[k] in ql.later else -1)
    units = [k for k in range(lo, u.n) if _unit(u, ql, k)]
    if not units:
        return None
    k = units[-1]
    if sign is None:
        if not (k > 0 and norms[k - 1] in ("by",) or any(norms[j] in ("отложи", "отложить", "postpone", "delay")
                                                       for j in range(lo - 1, lo))):
            return None
        sign = (None, 1)
    elif abs(sign[0] - k) > 3:
        return None
    count, first = 1, k
    tok = u.ws[k]
    # the number said before the unit ("на два часа", "by 30 minutes")
    for back in (1, 2, 3):
        if k - back < lo:
            break
        num = parse_number(u.toks, u.ws[k - back], u.lang)
        if num is not None and num.end == tok:
            count, first = num.value, k - back
            break
    if first > lo and norms[first - 1] in ("на", "by", "an", "a", "one"):
        first -= 1
    if first > lo and norms[first - 1] in ("на", "by"):
        first -= 1
    for j in range(first, k + 1):
        used[j] = True
    if sign[0] is not None:
        used[sign[0]] = True
    u.label = [None if (u.label[j] == "date" and first <= j <= k) else u.label[j] for j in range(u.n)]
    return timedelta(seconds=sign[1] * count * _unit(u, ql, k))


def _unit(u, ql: QueryLex, k: int) -> int | None:
    w = Words(u)
    for lemma in w.lemmas(k):
        if lemma in ql.shift_units:
            return ql.shift_units[lemma]
    return None


def _target(u, ql: QueryLex, used: list[bool], lo: int) -> Recipient | None:
    norms = u.norms
    found = None
    k = lo
    while k < u.n:
        if used[k]:
            k += 1
            continue
        m = ql.reassign_markers.match(norms, k)
        if m and k + m[0] < u.n:
            person = u._person(_run(used, k + m[0]), m[1])
            if person is not None and (person.first or person.last):
                found = (k, m[0] + person.words, person)
                k += m[0] + person.words
                continue
        if u.morph is not None and (k == lo or norms[k - 1] not in _REF_PREPS):
            person = u._person(_run(used, k), ("datv",))
            if person is not None and (person.first or person.last):
                found = (k, person.words, person)
                k += person.words
                continue
        k += 1
    if found is None:
        return None
    k, length, person = found
    _use(used, k, length)
    return Recipient(person.first, person.last, person.middle, False, None)


def _new_title(u, ql: QueryLex, used: list[bool], lo: int) -> str | None:
    norms = u.norms
    at = None
    for k in range(lo + 1, u.n):
        if not used[k] and ql.rename_markers.match(norms, k) and k + 1 < u.n:
            at = (k, ql.rename_markers.match(norms, k)[0])
    if at is None:
        return None
    k, length = at
    words = [j for j in range(k + length, u.n) if not used[j]]
    if not words:
        return None
    _use(used, k, u.n - k)
    return tidy(u.text[u.toks[u.ws[words[0]]].start:u.toks[u.ws[words[-1]]].end])


def _to_time(u, used: list[bool], lo: int, now: datetime):
    """"move the standup to 10": a clock after "to" is the new time (the time
    rules read "to 10" as the end of a range, here there is no range)."""
    from sekretar.grammar import dates as _dates
    from sekretar.grammar.tokens import tokenize

    for k in range(u.n - 1, lo, -1):
        if u.norms[k] == "to" and not used[k] and k + 1 < u.n and not used[k + 1]:
            toks = tokenize(u.text[:u.toks[u.ws[k]].start] + "at" + u.text[u.toks[u.ws[k]].end:])
            span = _dates.find_when(toks, now, u.lang)
            if span is None or not span.has_time:
                return None
            tok2word = {i: j for j, i in enumerate(u.ws)}
            for a, b in span.spans:
                for i in range(a, b):
                    if i in tok2word:
                        used[tok2word[i]] = True
                        u.label[tok2word[i]] = "date"
            used[k] = True
            return span
    return None
