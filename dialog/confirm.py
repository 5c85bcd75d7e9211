"""What an utterance is to the dialog before it is a command: yes, no,
cancel, help, unlink, goodbye, or a correction of the pending confirmation
("нет, на среду", "не Иванову, а Петрову", "назови её отчёт")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sekretar.dialog.lexicon import DialogLexicon
from sekretar.dialog.steps import Said

from sekretar.core.intents import SlotKind, intent_spec
from sekretar.core.text import norm, norm_words

HINTS = {"confirm": Said.YES, "reject": Said.NO, "help": Said.HELP, "cancel": Said.CANCEL}
# the order the word lists are tried in: "нет, не надо" is a cancel before it is a no
ORDER = (Said.YES, Said.CANCEL, Said.NO, Said.HELP, Said.UNLINK, Said.BYE)


def classify(text: str, lex: DialogLexicon, hint: str | None = None) -> Said | None:
    """What the utterance is as a word to the dialog, or None (anything else).
    A platform's hint (Alice's YANDEX.CONFIRM...) counts like the words."""
    if hint in HINTS:
        return HINTS[hint]
    for kind in ORDER:
        if lex.is_(kind, text):
            return kind
    return None


@dataclass(frozen=True)
class Correction:
    """What a correction names: `slot` when the words say it ("назови её" →
    title), `old` for "не X, а Y", and `text`: the new value as said."""

    text: str
    slot: str | None = None
    old: str | None = None


def split_correction(text: str, lex: DialogLexicon) -> Correction | None:
    """The correction inside `text`, or None when nothing is left once a
    leading "нет" is dropped."""
    raw = text.strip()
    if lex.swap is not None:
        m = lex.swap.match(raw)
        if m:
            return Correction(m.group("new").strip(" ,.!"), old=m.group("old").strip(" ,.!"))
    rest = _drop_prefix(raw, lex.no_prefix)
    if rest is None:
        rest = raw
    if not norm_words(rest):
        return None
    for prefix, slot in lex.slot_prefixes:
        value = _drop_prefix(rest, [prefix])
        if value is not None and norm_words(value):
            return Correction(value.strip(" ,.:;-—«»\"'"), slot=slot)
    return Correction(rest)


def without_no(text: str, lex: DialogLexicon) -> str:
    """`text` without a leading "нет" ("нет, напиши Дмитрию ..." → "напиши Дмитрию ...")."""
    rest = _drop_prefix(text.strip(), lex.no_prefix)
    return text.strip() if rest is None or not norm_words(rest) else rest


def is_new_command(cmd, pending_intent: str) -> bool:
    """A full new command said at a confirmation, not a correction of it:
    a different intent with its own content (one of its required slots said:
    "напиши Дмитрию, что созвон переносится" at a task), or the same intent
    said whole (nothing missing: "поставь задачу Насте купить молоко"). A
    date, a name or "назови её ..." alone parse to no intent and stay
    corrections; "поставь Петрову" (a task with no title) stays one too."""
    spec = intent_spec(cmd.intent) if cmd is not None else None
    if spec is None:
        return False
    if cmd.intent != pending_intent:
        return any(getattr(cmd, name, None) for name in spec.required)
    return not cmd.missing


def only_a_reminder(cmd) -> bool:
    """"напомни за час" alone: the grammar reads it as a task with nothing but
    a reminder; said at a confirmation it changes the pending one's reminder."""
    return (cmd is not None and cmd.remind is not None and not cmd.title and not cmd.message
            and said_nobody(cmd) and cmd.when is None)


def said_nobody(cmd) -> bool:
    r = cmd.recipient
    return not (r and (r.first or r.last or r.middle)) and not cmd.participants


def restates(cmd, p) -> bool:
    """The new command is the pending one `p` said again (the same title or text)."""
    if cmd.intent != p.intent:
        return False
    named = [s.name for s in p.spec.slots if s.kind in (SlotKind.TITLE, SlotKind.TEXT)]
    return all((getattr(cmd, n) or "").strip().lower() == (p.value(n) or "").strip().lower() for n in named)


def strip_slot_words(text: str, slot: str, lex: DialogLexicon) -> str:
    """An answer without the words that name its slot: "назови её планёрка"
    answering "Как назвать встречу?" is "планёрка"."""
    for prefix, named in lex.slot_prefixes:
        if named == slot:
            value = _drop_prefix(text, [prefix])
            if value is not None and norm_words(value):
                return value.strip(" ,.:;-—«»\"'")
    return text


def _drop_prefix(text: str, prefixes) -> str | None:
    """`text` without a leading phrase from `prefixes` (compared as
    normalised words), keeping the rest as it was written; None if none."""
    words = list(re.finditer(r"[\w']+", text))
    normed = [norm(w.group()) for w in words]
    for p in prefixes:
        pw = p.split()
        if pw and normed[:len(pw)] == pw:
            if len(words) == len(pw):
                return ""
            return text[words[len(pw)].start():] if len(pw) < len(words) else ""
    return None
