"""Optional dependencies of voice/ (the `[voice]` extra), imported on demand.

`import voice` never needs them; using a feature that does raises VoiceError
with the command that installs them, instead of an ImportError.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from sekretar.core.errors import AudioDeviceError, VoiceError

INSTALL_HINT = "install the voice extra: pip install 'sekretar[voice]'"


def _require(module: str, what: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise VoiceError(f"{what} needs the Python package '{module}' ({exc}); {INSTALL_HINT}") from None


def vosk() -> ModuleType:
    mod = _require("vosk", "speech recognition")
    mod.SetLogLevel(-1)  # Kaldi's LOG/WARNING lines are noise for a user
    return mod


def numpy() -> ModuleType:
    return _require("numpy", "audio processing")


def soxr() -> ModuleType:
    return _require("soxr", "sample-rate conversion")


def soundfile() -> ModuleType:
    return _require("soundfile", "reading audio files")


def sounddevice() -> ModuleType:
    """sounddevice raises OSError at import when the PortAudio library is missing."""
    try:
        return importlib.import_module("sounddevice")
    except ImportError as exc:
        raise VoiceError(f"the microphone needs the Python package 'sounddevice' ({exc}); "
                         f"{INSTALL_HINT}") from None
    except OSError as exc:
        raise AudioDeviceError(
            f"the PortAudio library is not installed ({exc}); install it "
            "(Debian/Ubuntu: apt-get install libportaudio2, macOS: brew install portaudio)"
        ) from None
