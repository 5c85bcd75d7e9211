"""Changes of existing items: "перенеси планёрку на 15:00", "сдвинь созвон на
час позже", "передай задачу по отчёту Петрову", "переименуй планёрку в синк",
"отметь задачу про счёт выполненной", "отмени встречу с Антоном в среду".

A change opens with a change verb (grammar/data/lexicon_*.yaml `change`);
what names the item goes to `ref` as said, the new time / title / person to
`when` / `title` / `recipient`, a relative move to `detail.shift`. Called by
grammar/query.py; conventions in docs/grammar.md."""
from __future__ import annotations

from datetime import datetime, timedelta

from sekretar.grammar.command import Command, Recipient
from sekretar.grammar.query_lex import REF_PREPS, Detail, QueryLex, Words, _run, _use
from sekretar.grammar.slots import pin_past, shape_when, tidy

from sekretar.core.text import capitalise


def read_change(u, ql: QueryLex, w: Words, f: int, span, now: datetime, task_hour: int):
    norms, n = u.norms, u.n
    action, vlen = None, 1
    if u.lang == "ru":
        action = next((a for a in map(ql.change_verbs.word, w.verbs(f)) if a is not None), None)
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
    old = None
    if action == "move" and span is not None:
        span, old = _two_times(u, span, used, now)
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
    if old is not None:
        old = pin_past(shape_when(old, None, task_hour), now)
    detail = Detail(shift=shift, it=it, old=old)
    return Command("change", target, capitalise(title) if title else None, None, when, (), u.lang, u.text,
                   participants=tuple(withs), about=about, action=action, ref=ref, detail=detail)


def _two_times(u, span, used: list[bool], now: datetime):
    """A move that says the old time too: "со среды на четверг", "с 10 на 11",
    "в среду на пятницу", "from 10 to 11". Returns (new, old); the old one
    finds the item. The time rules read one span: the other is read from the
    words left."""
    from sekretar.grammar import dates as _dates
    from sekretar.grammar.command import When

    first_tok = span.spans[0][0] if span.spans else None
    tok2word = {i: k for k, i in enumerate(u.ws)}
    k0 = next((tok2word[i] for a, b in span.spans for i in range(a, b) if i in tok2word), None)
    lead = u.norms[k0 - 1] if k0 else None
    opens_from = k0 is not None and (lead in ("from", "с", "со") or u.norms[k0] in ("from", "с", "со"))
    if span.end is not None and first_tok is not None and opens_from:
        end_time = getattr(span, "end_has_time", span.has_time)
        return (When(span.end, None, False, has_date=span.has_date, has_time=end_time),
                When(span.start, None, False, has_date=span.has_date, has_time=span.has_time))
    taken = {i for a, b in span.spans for i in range(a, b)}
    keep = [i for i in range(len(u.toks)) if i not in taken]
    other = _dates.find_when([u.toks[i] for i in keep], now, u.lang)
    if other is None and span.has_time and opens_from:
        # "с 10 на 11": after a clock, a lone number is the other clock
        other = _dates.find_when([u.toks[i] for i in keep], now, u.lang, answer=True)
    if other is None or not other.spans:
        return span, None
    words = [tok2word[keep[i]] for a, b in other.spans for i in range(a, b) if keep[i] in tok2word]
    if not words or any(used[k] for k in words):
        return span, None
    for k in words:
        used[k] = True
        u.label[k] = "date"
    second_lead = u.norms[words[0] - 1] if words[0] else None
    if second_lead in ("с", "со", "from") and lead in ("на", "to"):
        return span, other  # "на четверг со среды"
    return other, span


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
        if u.morph is not None and (k == lo or norms[k - 1] not in REF_PREPS):
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
    title = tidy(u.text[u.toks[u.ws[words[0]]].start:u.toks[u.ws[words[-1]]].end])
    if title and u.morph is not None and u.norms[k] in ("в", "во"):
        title = u._nominative_head(title)  # "в летучку" → "Летучка"
    return title


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
