"""voice/ without the [voice] extra: importing it works, using it is a
VoiceError saying what to install (never an ImportError)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from sekretar.core.errors import VoiceError

WITHOUT = """
import sys
for name in ("vosk", "numpy", "soxr", "soundfile", "sounddevice"):
    sys.modules[name] = None          # as if not installed
import sekretar.voice.model, sekretar.voice.recognizer, sekretar.voice.listen, sekretar.voice.microphone, sekretar.voice.audio
from sekretar import voice
from sekretar import cli
from sekretar.core.errors import VoiceError
cli.build_parser()                    # the CLI still assembles
try:
    voice.transcribe_file(sys.argv[1], model_dir=sys.argv[2])
except VoiceError as exc:
    print("VoiceError:", exc)
"""


def test_import_without_the_extra_and_a_clear_error_on_use(tmp_path, ko_16k, ko_model_dir):
    done = subprocess.run([sys.executable, "-c", WITHOUT, str(ko_16k), str(ko_model_dir)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("VoiceError:") and "sekretar[voice]" in done.stdout


@pytest.mark.parametrize("name", ["vosk", "numpy", "soxr", "soundfile"])
def test_each_missing_package_is_named(monkeypatch, name):
    from sekretar.voice import deps

    monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(VoiceError, match=f"'{name}'"):
        getattr(deps, name)()


def test_cli_without_vosk_is_one_message(tmp_path, ko_16k):
    code = ("import sys; sys.modules['vosk'] = None; from sekretar.cli import main; "
            f"sys.exit(main(['transcribe', {str(ko_16k)!r}, '--lang', 'ru']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("sekretar: ")
