"""yes / no / cancel / help / unlink and corrections, as data
(tests/data/dialog_words.yaml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sekretar.dialog.confirm import classify, split_correction
from sekretar.dialog.lexicon import lexicon

from sekretar.core.text import detect_lang

DATA = yaml.safe_load((Path(__file__).parent / "data" / "dialog_words.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", DATA["classify"],
                         ids=[f"{c['lang']}:{c['text']}{':' + c['hint'] if c.get('hint') else ''}"
                              for c in DATA["classify"]])
def test_classify(case):
    assert classify(case["text"], lexicon(case["lang"]), case.get("hint")) == case["kind"]


@pytest.mark.parametrize("case", DATA["corrections"], ids=[f"{c['lang']}:{c['text']}" for c in DATA["corrections"]])
def test_correction(case):
    corr = split_correction(case["text"], lexicon(case["lang"]))
    if case["value"] is None:
        assert corr is None
        return
    assert (corr.text, corr.slot, corr.old) == (case["value"], case.get("slot"), case.get("old"))


@pytest.mark.parametrize("text,lang", [("Поставь задачу", "ru"), ("Create a task", "en"),
                                       ("552 914", None), ("", None)])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_unknown_language_is_a_clear_error():
    from sekretar.core.errors import ConfigError

    with pytest.raises(ConfigError):
        lexicon("de")


def _leaves(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{path}/{k}" if path else str(k))
    else:
        yield path, node


def test_every_sentence_exists_in_every_language_with_the_same_blanks():
    import string

    def blanks(text):
        return sorted({f for _, f, _, _ in string.Formatter().parse(text) if f}) if isinstance(text, str) else None

    ru = dict(_leaves(lexicon("ru").data["say"]))
    en = dict(_leaves(lexicon("en").data["say"]))
    assert sorted(ru) == sorted(en)
    # date formats differ by nature (24-hour vs AM/PM); every other sentence fills the same blanks
    same = [k for k in ru if not k.startswith("date/")]
    assert {k: blanks(ru[k]) for k in same} == {k: blanks(en[k]) for k in same}
