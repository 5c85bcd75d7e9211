"""yes / no / cancel / help / unlink and corrections, as data
(tests/data/dialog_words.yaml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialog.confirm import classify, split_correction
from dialog.lexicon import detect_lang, lexicon

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
    from sekretar.errors import ConfigError

    with pytest.raises(ConfigError):
        lexicon("de")
