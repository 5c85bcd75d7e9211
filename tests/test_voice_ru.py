"""The Russian path: recogniser-shaped text (the fixtures' reference_words)
through the command parser, and, when SEKRETAR_VOSK_MODEL names a Russian
model, the fixture WAVs through Vosk and then the parser."""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.fixtures_voice import SAMPLES_DIR

EXPECT = yaml.safe_load((Path(__file__).parent / "data" / "voice" / "ru_commands.yaml")
                        .read_text(encoding="utf-8"))
NOW = datetime(2019, 3, 25, 12, 28, tzinfo=ZoneInfo("Europe/Moscow"))
TZ = "Europe/Moscow"


def rows():
    path = SAMPLES_DIR / "transcripts.tsv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def phrase_id(row) -> str:
    return row["file"].split("__")[0]


PHRASES = {phrase_id(r): r["reference_words"] for r in rows()}


@pytest.fixture(scope="module")
def parser():
    grammar = pytest.importorskip("grammar")
    if not hasattr(grammar, "Parser"):
        pytest.skip("grammar.Parser is not there yet")
    return grammar.Parser()


def check(command, expect: dict) -> None:
    data = command.to_json()
    assert data["intent"] == expect["intent"]
    if "recipient" in expect:
        assert data["recipient"] == expect["recipient"]
    for key in ("title", "message"):
        if key in expect:
            assert data[key] == expect[key]
    if "start" in expect:
        assert data["when"] and data["when"]["start"] == expect["start"]
    if "end" in expect:
        assert data["when"]["end"] == expect["end"]


@pytest.mark.parametrize("pid", sorted(EXPECT))
def test_recogniser_text_parses_to_the_command(parser, pid):
    if pid not in PHRASES:
        pytest.skip(f"{SAMPLES_DIR}/transcripts.tsv is not there")
    check(parser.parse(PHRASES[pid], now=NOW, tz=TZ, lang="ru"), EXPECT[pid])


# --- with a Russian model ----------------------------------------------------
def norm(text: str) -> list[str]:
    return text.lower().replace("ё", "е").split()


def word_errors(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


@pytest.fixture(scope="module")
def ru_transcripts(ru_model_dir, ru_samples):
    from sekretar.voice import Recognizer, load_model, read_audio

    rec = Recognizer(load_model(ru_model_dir))
    return {r["file"]: (r, rec.transcribe(read_audio(ru_samples / r["file"])).text) for r in rows()}


def test_russian_fixtures_are_recognised(ru_transcripts):
    errors = words = 0
    for row, text in ru_transcripts.values():
        assert text, f"{row['file']}: nothing recognised"
        ref = norm(row["reference_words"])
        errors += word_errors(ref, norm(text))
        words += len(ref)
    assert errors / words <= 0.5, f"WER {errors / words:.2f}"


def test_recognised_russian_commands_parse(ru_transcripts, parser):
    right = 0
    for row, text in ru_transcripts.values():
        command = parser.parse(text, now=NOW, tz=TZ, lang="ru")
        right += command.intent == EXPECT[phrase_id(row)]["intent"]
    assert right >= 2 * len(ru_transcripts) / 3, f"{right}/{len(ru_transcripts)} intents right"
