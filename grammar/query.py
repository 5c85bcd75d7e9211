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

from datetime import datetime, timedelta

from sekretar.grammar.change import read_change
from sekretar.grammar.command import Command, Recipient
from sekretar.grammar.query_lex import REF_PREPS, Detail, QueryLex, Words, _run, _use, query_lex
from sekretar.grammar.slots import midnight, pin_past, shape_when

# a sentence that opens with one of these and is not a query is no command
QUESTION_START = {"ru": frozenset({"что", "какой", "когда", "сколько", "кто", "где", "почему", "зачем", "ли",
                                   "разве", "неужели", "чем"}),
                  "en": frozenset({"what", "what's", "whats", "when", "when's", "which", "how", "who", "why",
                                   "where", "am", "is", "are", "do", "does", "did", "have", "has", "any"})}
NOT_A_COMMAND = "none"


def read(u, span, now: datetime, task_hour: int = 12):
    """A query/change `Command`, NOT_A_COMMAND for another question, or None."""
    if u.n == 0:
        return None
    ql, w = query_lex(u.lang), Words(u)
    f = _first(u)
    if f is None:
        return None
    cmd = read_change(u, ql, w, f, span, now, task_hour)
    if cmd is not None:
        return cmd
    told = _is_create_verb(u, w, f)
    if told:
        f = _asked_after(u, w, f)  # "напомни, что у меня завтра", "tell me what's on"
        if f is None:
            return None
    if _about_oneself(u, f):
        return NOT_A_COMMAND  # "я не успеваю сделать задачу", "я опаздываю на встречу"
    cmd = _query(u, ql, w, f, span, now)
    if cmd is not None or told:
        return cmd  # "напомни, что нужно купить хлеб": the order's, not a question
    asks = u.norms[f] in QUESTION_START[u.lang] or u.lang == "ru" and w.has(f, QUESTION_START["ru"])
    if asks and not _orders(u, w, f):
        return NOT_A_COMMAND  # "почему планёрку отменили?"; not "когда будет время, напомни …"
    return None


_TELL = frozenset({"напомнить", "сказать", "remind", "tell"})


def _asked_after(u, w: Words, f: int) -> int | None:
    """The question word right after "напомни" / "скажи" / "remind me" /
    "tell me": the question starts there."""
    if not (w.verbs(f) & _TELL or u.norms[f] in _TELL):
        return None
    k = f + 1
    while k < u.n and u.norms[k] in ("мне", "нам", "me", "us", "пожалуйста", "please"):
        k += 1
    if k < u.n and u.label[k] is None and (u.norms[k] in QUESTION_START[u.lang]
                                            or u.lang == "ru" and w.has(k, QUESTION_START["ru"])):
        return k
    return None


_MODALS = frozenset({"быть", "хотеть", "мочь", "собираться", "просить", "попросить", "планировать", "думать"})


def _about_oneself(u, f: int) -> bool:
    """"я" / "мы" and a finite verb (not "хочу", "могу"): a statement."""
    if u.morph is None or u.norms[f] not in ("я", "мы") or u.text.rstrip().endswith("?"):
        return False
    k = f + 1
    while k < u.n and u.norms[k] in ("не", "уже", "ещё", "еще", "сейчас", "тоже", "опять"):
        k += 1
    parses = u.morph._parse(u.norms[k]) if k < u.n else []
    if not parses or parses[0].tag.POS != "VERB" or parses[0].tag.mood != "indc":
        return False
    return parses[0].normal_form not in _MODALS


_DETERMINERS = frozenset({"my", "the", "a", "an", "your", "our", "this", "that", "i", "you", "we", "did"})


def _orders(u, w: Words, f: int) -> bool:
    """A command verb later in the sentence: "когда будет время, напомни …",
    "when you can, remind me …" (not "what's my plan": a noun there)."""
    return any(u.label[k] is None and _is_create_verb(u, w, k)
               and not (u.lang == "en" and u.norms[k - 1] in _DETERMINERS) for k in range(f + 1, u.n))


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
            k = m.end
            continue
        if u.lang == "en" and u.norms[k] in ("can", "could", "will", "would") and k + 1 < u.n \
                and u.norms[k + 1] == "you":
            k += 2
            continue
        return k
    return None


def _is_create_verb(u, w: Words, k: int) -> bool:
    if u.lang == "ru":
        intents = u.lex.verb_intent
        for v in w.verbs(k):
            if v in intents:
                return True
        return False
    return u.lex.verbs.match(u.norms, k) is not None


# --- questions -------------------------------------------------------------------
def _query(u, ql: QueryLex, w: Words, f: int, span, now: datetime):
    norms, n = u.norms, u.n
    if _orders(u, w, f):
        return None
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
    words = tuple(norms[k] for k in rest if norms[k] not in REF_PREPS)
    detail = Detail(words=words, **det)
    return Command("query", whose, None, None, when, (), u.lang, u.text, participants=tuple(withs),
                   about=about, detail=detail)


def _period(u, ql: QueryLex, span, parts, now: datetime):
    from sekretar.grammar.command import When

    when = pin_past(shape_when(span, None, periods=True), now) if span is not None else None
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
