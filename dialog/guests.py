"""Changing an event's people at its confirmation: «и ещё с Козловым», «без
Попова», «не Попова, а Козлова»; "also invite Tom", "without Anna". The
people added are found like the rest (dialog/invite.py: one match is invited,
namesakes get the pick question, nobody found is said), the people removed are
taken out of the invited, and the confirmation is asked again. The words are
the lexicon's `corrections/people_add`, `people_remove`, `people_tail`,
`people_joins` (dialog/data/<lang>.yaml). Hooked into Acting._correct with one
call; anything that is not only names after those words is left to the other
corrections."""
from __future__ import annotations

import re
from functools import lru_cache

from sekretar.dialog import invite
from sekretar.dialog.confirm import _drop_prefix
from sekretar.dialog.pending import Pending, said
from sekretar.dialog.steps import TurnOutcome

from sekretar.core.text import norm, norm_words
from sekretar.core.types import Person, Reply


MAX_NAMES = 12  # people named in one correction, at most
KEYS = ("people_add", "people_remove", "people_tail", "people_joins")


@lru_cache(maxsize=None)
def _words(lang: str, corr: tuple) -> dict:
    return {k: sorted((norm(str(w)) for w in v), key=lambda w: len(w.split()), reverse=True) for k, v in corr}


def words(lex) -> dict:
    """The lexicon's people-correction phrases, normalised, longest first."""
    corr = lex.data.get("corrections", {})
    return _words(lex.lang, tuple((k, tuple(corr.get(k, ()))) for k in KEYS))


def split(text: str, lex) -> tuple[str, str] | None:
    """("add" | "remove", the names as said) when `text` starts with one of
    the people words; None otherwise."""
    w = words(lex)
    raw = _drop_prefix(text.strip(), lex.no_prefix)  # "нет, без Попова"
    raw = text.strip() if raw is None or not norm_words(raw) else raw
    for op, key in (("remove", "people_remove"), ("add", "people_add")):
        rest = _drop_prefix(raw, w[key])
        if rest is not None and norm_words(rest):
            return op, _drop_tail(rest, w["people_tail"])
    return None


def _drop_tail(text: str, tails: list[str]) -> str:
    """"Тома тоже" → "Тома"; "Tom as well" → "Tom"."""
    for tail in tails:
        pattern = r"[\s,]+" + r"\s+".join(map(re.escape, tail.split())) + r"[\s.!?]*$"
        text = re.sub(pattern, "", text, flags=re.IGNORECASE)
    return text.strip(" ,.!?")


def names(dialog, ctx, text: str) -> list | None:
    """The people named in `text` ("Козловым и Орловой", "with Tom and Anna"),
    as Recipients; None when it says anything else (a date, a title...)."""
    joins = words(ctx.lex)["people_joins"]
    pieces = re.split(r"\s*,\s*|\s+(?:" + "|".join(map(re.escape, joins)) + r")\s+", text, flags=re.IGNORECASE) \
        if joins else [text]
    if len(pieces) > MAX_NAMES:
        return None  # not a correction anybody says: left to the others, each name not parsed
    out = []
    for piece in (x.strip() for x in pieces):
        if not piece:
            continue
        lead = _drop_prefix(piece, joins + ["с", "со", "with"])
        piece = lead if lead else piece
        cmd = dialog._parse(ctx, piece, "recipient")
        rec = said(cmd.recipient)
        if cmd.intent is not None or cmd.when is not None or cmd.remind is not None or rec is None or rec.self:
            return None
        if len(norm_words(piece)) > len(norm_words(rec.span or piece)):
            return None  # more than the name was said ("Козлова на среду")
        out.append(rec)
    return out or None


def correct(dialog, ctx, p: Pending, text: str) -> Reply | None:
    """The reply to a change of `p`'s people, or None when `text` is not one."""
    if not p.spec.carries("participants"):
        return None
    swap = ctx.lex.swap.match(text.strip()) if ctx.lex.swap is not None else None
    if swap:  # «не Попова, а Козлова»
        old, new = names(dialog, ctx, swap.group("old")), names(dialog, ctx, swap.group("new"))
        if old is None or new is None:
            return None
        return _apply(dialog, ctx, p, old, new)
    found = split(text, ctx.lex)
    if found is None:
        return None
    people = names(dialog, ctx, found[1])
    if people is None:
        return None
    return _apply(dialog, ctx, p, people if found[0] == "remove" else [], people if found[0] == "add" else [])


def _apply(dialog, ctx, p: Pending, remove: list, add: list) -> Reply:
    ph, notes, removed = ctx.ph, [], []
    for rec in remove:
        invited = [x for x in (dialog.people.get(i) for i in p.invited) if x is not None]
        match = [x for x in dialog.people.directory(invited).match(rec) if x in invited]
        if len(match) == 1:
            p.invited.remove(match[0].id)
            p.title = _untitled(p.title, match[0])
            removed.append(ph.name(match[0], "gent"))
        elif match:
            notes.append(ph.lex.say("people/several", names=", ".join(ph.name(x) for x in match)))
        else:
            said_as = rec.span or ph.name(Person("?", rec.first, rec.last), "gent")  # «без Орлова»: as said
            notes.append(ph.lex.say("people/not_invited", name=said_as[:1].upper() + said_as[1:]))
    if removed:
        notes.insert(0, ph.lex.say("people/removed", names=invite._join(removed, ph.lex.say("extras/and"))))
    p.participants.extend(add)
    note = " ".join(notes) or None
    changed = bool(removed or add)
    if p.participants:
        # the confirmation comes once the people added are found (namesakes asked)
        reply = dialog._advance(ctx, p, TurnOutcome.CORRECTED, note)
        return reply if not note or reply.text.startswith(note) else dialog._say(
            ctx, f"{note} {reply.text}", reply.outcome, buttons=reply.buttons)
    return dialog._confirm(ctx, p, TurnOutcome.CORRECTED if changed else TurnOutcome.NOT_UNDERSTOOD, note)


# the title's last "с …" / "with …" ("Встреча с Сергеем Ивановым", "Sync with Anna Petrova")
_TITLE_WITH = re.compile(r"^(?P<head>.+?)\s+(?:с|со|with)\s+(?P<tail>[^\s]+(?:\s+[^\s]+)?)$", re.IGNORECASE)


def _untitled(title: str | None, person: Person) -> str | None:
    """The title without the person taken out of the event, when it ends
    naming them (the grammar keeps one "с Сергеем" there): "Встреча с Сергеем
    Ивановым" → "Встреча"; any other title is kept as said."""
    m = _TITLE_WITH.match(title or "")
    if m is None or not all(invite._in_title(person, w) for w in m.group("tail").split()):
        return title
    return m.group("head")


__all__ = ["correct", "names", "split"]
