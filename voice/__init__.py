"""voice: speech to text with Vosk (files, streams, the microphone) and the
local spoken assistant loop.

Importing this package needs nothing beyond the core install; vosk, numpy,
soxr, soundfile and sounddevice (the `[voice]` extra) are imported when a
feature needs them, and their absence is a VoiceError saying what to install.

    from sekretar.voice import open_model, Recognizer, read_audio
    model = open_model("ru")                      # or open_model(model_dir="...")
    rec = Recognizer(model)                       # build once, reuse
    print(rec.transcribe(read_audio("a.wav")).text)

    from sekretar.voice import transcribe_file
    transcribe_file("a.wav")                      # → "поставь задачу ..."
"""
from __future__ import annotations

from pathlib import Path

from sekretar.voice.model import Model, find_model, load_model, open_model

__all__ = [
    "Model", "find_model", "load_model", "open_model", "download_model",
    "Audio", "read_audio", "StreamConverter",
    "Recognizer", "Transcript", "Utterance", "Partial", "Word",
    "AudioSource", "Microphone", "FileSource",
    "listen", "find_speaker",
    "transcribe", "transcribe_file",
]

_LAZY = {
    "download_model": "sekretar.voice.download",
    "Audio": "sekretar.voice.audio", "read_audio": "sekretar.voice.audio", "StreamConverter": "sekretar.voice.audio",
    "Recognizer": "sekretar.voice.recognizer", "Transcript": "sekretar.voice.recognizer",
    "Utterance": "sekretar.voice.recognizer", "Partial": "sekretar.voice.recognizer", "Word": "sekretar.voice.recognizer",
    "AudioSource": "sekretar.voice.microphone", "Microphone": "sekretar.voice.microphone",
    "FileSource": "sekretar.voice.microphone",
    "listen": "sekretar.voice.listen", "find_speaker": "sekretar.voice.tts",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'voice' has no attribute {name!r}")


def transcribe(path: str | Path, model_dir: str | Path | None = None, lang: str | None = None):
    """A file's Transcript (text, words with times and confidence)."""
    from sekretar.voice.audio import read_audio
    from sekretar.voice.recognizer import Recognizer

    from sekretar.core.config import Settings

    audio = read_audio(path)   # a bad file fails before the slow model load
    model = open_model(lang or Settings.from_env().lang, model_dir)
    return Recognizer(model).transcribe(audio)


def transcribe_file(path: str | Path, model_dir: str | Path | None = None,
                    lang: str | None = None) -> str:
    """The text said in an audio file (for `sekretar chat --audio FILE.wav`).
    Raises ModelNotFound, AudioFormatError or VoiceError with a clear message."""
    return transcribe(path, model_dir, lang).text
