"""A new command said at a confirmation is told from a correction of the
pending one (issue 9, item 9): one row per utterance in
tests/data/dialog_switch.yaml, through the real parser."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from sekretar.dialog.confirm import is_new_command, without_no
from sekretar.dialog.lexicon import lexicon

ROWS = yaml.safe_load((Path(__file__).parent / "data" / "dialog_switch.yaml").read_text("utf-8"))
NOW = datetime(2019, 3, 25, 12, 28, tzinfo=timezone(timedelta(hours=3)))


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['intent']}: {r['say']}" for r in ROWS])
def test_new_command_or_correction(dialog_parser, row):
    lang = row.get("lang", "ru")
    text = without_no(row["say"], lexicon(lang))
    cmd = dialog_parser.parse(text, now=NOW, tz="Europe/Moscow", lang=lang)
    got = "new" if is_new_command(cmd, row["intent"]) else "correction"
    assert got == row["is"], f"{row['say']!r} at a {row['intent']} confirmation: {got} ({cmd.intent}, " \
                             f"missing {cmd.missing}), want {row['is']}"
