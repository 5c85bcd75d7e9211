"""What an utterance is to the dialog before it is a command: yes, no,
cancel, help, unlink, goodbye, or a correction of the pending confirmation
("нет, на среду", "не Иванову, а Петрову", "назови её отчёт")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sekretar.dialog.lexicon import Lexicon, norm, norm_words

HINTS = {"confirm": "yes", "reject": "no", "help": "help", "cancel": "cancel"}


def classify(text: str, lex: Lexicon, hint: str | None = None) -> str | None:
    """"yes" | "no" | "cancel" | "help" | "unlink" | "bye" | None (anything else).
    A platform's hint (Alice's YANDEX.CONFIRM...) counts like the words."""
    if hint in HINTS:
        return HINTS[hint]
    for kind in ("yes", "cancel", "no", "help", "unlink", "bye"):
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


def split_correction(text: str, lex: Lexicon) -> Correction | None:
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


COMMAND_INTENTS = ("task", "event", "message")


def without_no(text: str, lex: Lexicon) -> str:
    """`text` without a leading "нет" ("нет, напиши Дмитрию ..." → "напиши Дмитрию ...")."""
    rest = _drop_prefix(text.strip(), lex.no_prefix)
    return text.strip() if rest is None or not norm_words(rest) else rest


def is_new_command(cmd, pending_intent: str) -> bool:
    """A full new command said at a confirmation, not a correction of it:
    a different intent with its own content ("напиши Дмитрию, что созвон
    переносится" at a task: the message is new), or the same intent, said
    whole (nothing missing: "поставь задачу Насте купить молоко"). A date,
    a name or "назови её ..." alone parse to no intent and stay corrections;
    "поставь Петрову" (a task with no title) stays one too."""
    if cmd is None or cmd.intent not in COMMAND_INTENTS:
        return False
    if cmd.intent != pending_intent:
        content = {"message": cmd.message or cmd.recipient, "task": cmd.title,
                   "event": cmd.title or cmd.when}[cmd.intent]
        return bool(content)
    return not cmd.missing


def restates(cmd, p) -> bool:
    """The new command is the pending one said again (same title or text)."""
    if cmd.intent != p.intent:
        return False
    if p.intent == "message":
        return (cmd.message or "").strip().lower() == (p.message or "").strip().lower()
    return (cmd.title or "").strip().lower() == (p.title or "").strip().lower()


def strip_slot_words(text: str, slot: str, lex: Lexicon) -> str:
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
