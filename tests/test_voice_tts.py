"""Spoken replies through a text-to-speech command line."""
from __future__ import annotations

import shutil
import sys

import pytest
from sekretar.voice.tts import CommandSpeaker, find_speaker


def which_of(*installed):
    return lambda exe: f"/usr/bin/{exe}" if exe in installed else None


@pytest.mark.parametrize("installed, lang, argv", [
    (("RHVoice-test", "espeak-ng"), "ru", ["/usr/bin/RHVoice-test", "-p", "aleksandr"]),
    (("rhvoice.test",), "en", ["/usr/bin/rhvoice.test", "-p", "slt"]),
    (("espeak-ng",), "ru", ["/usr/bin/espeak-ng", "-v", "ru", "--stdin"]),
    (("RHVoice-test", "espeak-ng"), "ko", ["/usr/bin/espeak-ng", "-v", "ko", "--stdin"]),
    (("espeak",), "en", ["/usr/bin/espeak", "-v", "en-us", "--stdin"]),
], ids=["rhvoice-first", "rhvoice-snap", "espeak-ng", "no-rhvoice-voice", "old-espeak"])
def test_the_installed_tts_is_chosen(installed, lang, argv):
    assert find_speaker(lang, which=which_of(*installed)).argv == argv


def test_nothing_installed_means_text_only():
    assert find_speaker("ru", which=which_of()) is None


def test_the_text_goes_to_the_command_in_utf8(tmp_path):
    out = tmp_path / "said.txt"
    speaker = CommandSpeaker("cat", [sys.executable, "-c",
                                     f"import sys; open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())"])
    speaker.speak("Задача поставлена на вторник.")
    assert out.read_text(encoding="utf-8") == "Задача поставлена на вторник."
    assert speaker.failed is None


@pytest.mark.parametrize("code, needle", [
    ("import sys; sys.exit(3)", "exited with 3"),
    ("import sys; print('error: No such file or directory', file=sys.stderr)", "no audio output"),
], ids=["exit-status", "espeak-no-audio"])
def test_a_failing_tts_is_reported_not_raised(code, needle):
    speaker = CommandSpeaker("tts", [sys.executable, "-c", code])
    speaker.speak("привет")
    assert needle in speaker.failed


def test_a_missing_tts_program_is_reported_not_raised():
    speaker = CommandSpeaker("gone", ["/nonexistent/tts"])
    speaker.speak("привет")
    assert speaker.failed


def test_espeak_ng_on_this_machine_speaks_the_text(tmp_path):
    """The speaker chosen here really turns the text into speech: the same
    command line, told to write a WAV instead of playing it, gives audio
    that is not silence and grows with the text; played, it reports
    success or a missing sound card in words, never an exception."""
    if not shutil.which("espeak-ng") or shutil.which("RHVoice-test") or shutil.which("rhvoice.test"):
        pytest.skip("needs espeak-ng (and no RHVoice, which would be chosen first)")
    from sekretar.voice.audio import read_audio

    speaker = find_speaker("ru")
    assert speaker.argv[:3] == [shutil.which("espeak-ng"), "-v", "ru"] and "--stdin" in speaker.argv
    seconds = {}
    for text in ("проверка", "Задача поставлена Сергею Иванову на вторник, на десять утра."):
        wav = tmp_path / f"{len(text)}.wav"
        to_file = CommandSpeaker(speaker.name, speaker.argv + ["-w", str(wav)])
        to_file.speak(text)
        assert to_file.failed is None, to_file.failed
        audio = read_audio(wav)
        loud = float((audio.samples ** 2).mean()) ** 0.5
        assert loud > 0.01, f"{text!r}: silence (RMS {loud:.4f})"
        seconds[text] = audio.seconds
    short, long = seconds.values()
    assert 0.2 < short < 3 and long > 2 * short, seconds
    speaker.speak("проверка")
    assert speaker.failed is None or "no audio output" in speaker.failed or "exited" in speaker.failed
