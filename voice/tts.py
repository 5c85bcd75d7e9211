"""Speaking replies with a local text-to-speech command line, where installed:
RHVoice (`RHVoice-test -p VOICE`, text on stdin; `rhvoice.test` on snap) for
the languages it has a voice for, else espeak-ng (`espeak-ng -v VOICE`).
Nothing installed → None: the reply is only printed.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import Protocol

from sekretar.voice.model import language


class Speaker(Protocol):
    name: str

    def speak(self, text: str) -> None: ...


@dataclass
class CommandSpeaker:
    """Runs `argv` with the text on stdin; waits until it has been spoken."""

    name: str
    argv: list[str]
    timeout: float = 60.0
    failed: str | None = None   # the last failure, for the caller to show once

    def speak(self, text: str) -> None:
        if not text.strip():
            return
        try:
            done = subprocess.run(self.argv, input=text.encode("utf-8"), capture_output=True,
                                  timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.failed = f"{self.name}: {exc}"
            return
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if done.returncode != 0:
            self.failed = f"{self.name} exited with {done.returncode}: {err[-1] if err else ''}"
        elif any(line.startswith("error:") for line in err):
            # espeak-ng exits 0 when it cannot open the audio output
            self.failed = f"{self.name}: no audio output ({err[-1]})"


def find_speaker(lang: str = "ru", which=shutil.which) -> CommandSpeaker | None:
    info = language(lang)
    rhvoice = info.get("rhvoice")
    if rhvoice:
        for exe in ("RHVoice-test", "rhvoice.test"):
            path = which(exe)
            if path:
                return CommandSpeaker(f"RHVoice ({rhvoice})", [path, "-p", rhvoice])
    espeak_voice = info.get("espeak")
    if espeak_voice:
        for exe in ("espeak-ng", "espeak"):
            path = which(exe)
            if path:
                # --stdin: read the text from standard input, like RHVoice-test
                return CommandSpeaker(f"{exe} ({espeak_voice})", [path, "-v", espeak_voice, "--stdin"])
    return None
