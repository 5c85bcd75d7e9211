"""`sekretar model download ru|en`: vosk's own downloader, with one clear error.

vosk.Model(lang=...) looks for a model in vosk.MODEL_DIRS, else fetches the
model list, downloads the small model for the language with a tqdm progress
bar into the last of those folders (~/.cache/vosk) and unpacks it. We call
that search-and-download half without loading the model. Its failures are a
requests/urllib exception, a zip error, or even sys.exit() with a printed
line; all become one VoiceError here.
"""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

from sekretar.voice import deps
from sekretar.voice.model import language, looks_like_model

from sekretar.core.errors import VoiceError


def _leftovers(directory: Path) -> set[Path]:
    return set(directory.glob("vosk-model*.zip")) if directory.is_dir() else set()


def download_model(lang: str, directory: str | Path | None = None) -> Path:
    """Download the small Vosk model for `lang` (ru, en) and return its folder."""
    code = language(lang)["vosk"]
    vosk = deps.vosk()
    saved_dirs = list(vosk.MODEL_DIRS)
    target = Path(directory).expanduser() if directory else Path(saved_dirs[-1])
    before = _leftovers(target)
    if directory:
        vosk.MODEL_DIRS[:] = [target]   # search and download only there
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            path = Path(_finder(vosk)().get_model_path(None, code))
    except SystemExit:
        raise VoiceError(f"the Vosk model list has no model for '{code}' "
                         f"({printed.getvalue().strip()})") from None
    except Exception as exc:  # requests/urllib network errors, zip errors
        for stale in _leftovers(target) - before:
            stale.unlink(missing_ok=True)
        raise VoiceError(
            f"could not download the '{lang}' speech model: {_reason(exc)}. "
            "Check the network, or download a model by hand from "
            "https://alphacephei.com/vosk/models, unpack it and set SEKRETAR_VOSK_MODEL "
            "to its folder") from None
    finally:
        vosk.MODEL_DIRS[:] = saved_dirs
    if not looks_like_model(path):
        raise VoiceError(f"the download finished but {path} is not a Vosk model folder")
    return path


def _finder(vosk):
    """vosk.Model's search-and-download half, without loading the model
    (the caller loads it when it is used) and without a __del__ that fails
    on a model never created."""

    class Finder(vosk.Model):
        def __init__(self):
            pass

        def __del__(self):
            pass

    return Finder


def _reason(exc: Exception) -> str:
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & {"ConnectionError", "URLError", "Timeout", "NameResolutionError"}:
        return "cannot reach alphacephei.com (no network?)"
    text = str(exc).split("\n")[0][:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
