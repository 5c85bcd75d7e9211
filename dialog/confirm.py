"""What an utterance is to the dialog before it is a command: yes, no,
cancel, help, unlink, goodbye, or a correction of the pending confirmation
("нет, на среду", "не Иванову, а Петрову", "назови её отчёт")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sekretar.dialog.lexicon import DialogLexicon
from sekretar.dialog.steps import Said

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
