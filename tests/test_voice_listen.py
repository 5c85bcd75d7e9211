"""The spoken assistant loop driven by sources other than a device (a file,
a fake PortAudio), with a stub conversation and a fake TTS; and the clear
errors when there is no microphone."""
from __future__ import annotations

import io
import sys
import threading
import types

import pytest

np = pytest.importorskip("numpy")

from sekretar.voice import deps  # noqa: E402
from sekretar.voice.audio import Audio  # noqa: E402
from sekretar.voice.listen import listen  # noqa: E402
from sekretar.voice.microphone import AudioSource, FileSource, Microphone  # noqa: E402

from sekretar.core.errors import AudioDeviceError, VoiceError, WorkspaceUnavailable  # noqa: E402


class FakeSpeaker:
    name = "fake"
    failed = None

    def __init__(self):
        self.spoken = []

    def speak(self, text):
        self.spoken.append(text)


class Conversation:
    def __init__(self, fail_on=None):
        self.heard, self.fail_on = [], fail_on

    def __call__(self, text):
        self.heard.append(text)
        if self.fail_on is not None and len(self.heard) == self.fail_on:
            raise WorkspaceUnavailable("the CRM is down")
        return f"reply {len(self.heard)}"


@pytest.fixture(scope="module")
def dialogue(ko_audio):
    """Two Korean sentences 1.5 s apart: what a user says to the microphone."""
    a, b = ko_audio
    gap = np.zeros(int(a.rate * 1.5), dtype=np.float32)
    return Audio(np.concatenate([gap[: a.rate // 3], a.samples, gap, b.samples]), a.rate)


def test_file_source_is_an_audio_source(dialogue):
    assert isinstance(FileSource(dialogue), AudioSource)


def test_each_utterance_goes_to_the_conversation_and_the_reply_is_spoken(ko_recognizer, dialogue):
    source = FileSource(dialogue, tail_silence=1.5)
    talk, speaker, out = Conversation(), FakeSpeaker(), io.StringIO()
    session = listen(source, ko_recognizer, talk, speaker=speaker, out=out)
    assert len(session.exchanges) == 2
    # ended by the silence after each, not by the end of the file
    assert all(h.utterance.reason in ("endpoint", "silence") for h in session.exchanges)
    assert talk.heard == [h.utterance.text for h in session.exchanges] and all(talk.heard)
    assert speaker.spoken == ["reply 1", "reply 2"]
    assert source.drained == 2  # audio heard while speaking is dropped
    printed = out.getvalue()
    assert f"> {talk.heard[0]}\n< reply 1\n" in printed and "< reply 2\n" in printed
    assert session.partials > 0 and "\r… " in printed  # partials on a rewritten line


def test_the_end_of_the_source_ends_the_last_utterance(ko_recognizer, ko_audio):
    talk = Conversation()
    session = listen(FileSource(ko_audio[0]), ko_recognizer, talk, out=io.StringIO())
    assert len(talk.heard) == 1 and session.exchanges[0].utterance.reason == "eof"


def test_a_dialog_reply_object_prints_text_and_speaks_tts(ko_recognizer, ko_audio):
    reply = types.SimpleNamespace(text="Задача поставлена.", tts="Задача поставлена", end=False)
    speaker, out = FakeSpeaker(), io.StringIO()
    listen(FileSource(ko_audio[0]), ko_recognizer, lambda text: reply, speaker=speaker, out=out,
           show_partial=False)
    assert speaker.spoken == ["Задача поставлена"]
    assert "< Задача поставлена.\n" in out.getvalue() and "\r" not in out.getvalue()


def test_a_conversation_error_is_shown_and_listening_goes_on(ko_recognizer, dialogue):
    talk, out = Conversation(fail_on=1), io.StringIO()
    session = listen(FileSource(dialogue, tail_silence=1.5), ko_recognizer, talk, out=out)
    assert session.exchanges[0].error == "the CRM is down"
    assert session.exchanges[1].reply == "reply 2"
    assert "! the CRM is down\n" in out.getvalue()


def test_a_broken_tts_falls_back_to_text(ko_recognizer, dialogue):
    from sekretar.voice.tts import CommandSpeaker

    speaker = CommandSpeaker("broken", [sys.executable, "-c", "import sys; sys.exit('no audio device')"])
    out = io.StringIO()
    session = listen(FileSource(dialogue, tail_silence=1.5), ko_recognizer, Conversation(),
                     speaker=speaker, out=out)
    assert len(session.exchanges) == 2
    assert out.getvalue().count("speech output failed") == 1


# --- the microphone through a fake PortAudio --------------------------------
class FakePortAudioError(Exception):
    pass


def fake_sounddevice(audio: Audio | None = None, devices: bool = True, opened: list | None = None):
    """A sounddevice module: InputStream calls back from its own thread with
    int16 blocks of `audio`, as PortAudio does."""

    class InputStream:
        def __init__(self, samplerate, device, channels, dtype, blocksize, callback):
            if not devices:
                raise FakePortAudioError("Error querying device -1")
            self.rate, self.blocksize, self.callback = samplerate, blocksize, callback
            self.active, self.closed, self._thread = False, False, None
            opened.append(self) if opened is not None else None

        def _run(self):
            pcm = (audio.samples * 32767).astype(np.int16).reshape(-1, 1)
            for i in range(0, len(pcm), self.blocksize):
                if not self.active:
                    return
                self.callback(pcm[i:i + self.blocksize], self.blocksize, None, None)
            self.active = False  # the "device" ran dry: the test's end

        def start(self):
            self.active = True
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

        def stop(self):
            self.active = False
            self._thread.join()

        def close(self):
            self.closed = True

    def query_devices(device=None, kind=None):
        if not devices:
            raise ValueError("No input device matching -1")
        return {"name": "fake", "default_samplerate": float(audio.rate)}

    return types.SimpleNamespace(InputStream=InputStream, query_devices=query_devices,
                                 PortAudioError=FakePortAudioError)


def test_the_microphone_feeds_the_loop_and_is_closed(monkeypatch, ko_recognizer, dialogue):
    opened = []
    tail = np.zeros(int(dialogue.rate * 1.5), dtype=np.float32)
    live = Audio(np.concatenate([dialogue.samples, tail]), dialogue.rate)
    monkeypatch.setattr(deps, "sounddevice", lambda: fake_sounddevice(live, opened=opened))
    mic = Microphone()
    assert mic.rate == dialogue.rate  # opened at the device's own rate, resampled by the loop
    talk = Conversation()
    with pytest.raises(AudioDeviceError, match="stopped delivering"):
        listen(mic, ko_recognizer, talk, out=io.StringIO())
    assert len(talk.heard) == 2
    assert opened and opened[0].closed and not opened[0].active


def test_ctrl_c_closes_the_device(monkeypatch, ko_recognizer, dialogue):
    opened = []
    monkeypatch.setattr(deps, "sounddevice", lambda: fake_sounddevice(dialogue, opened=opened))

    def interrupt(text):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        listen(Microphone(), ko_recognizer, interrupt, out=io.StringIO())
    assert opened[0].closed and not opened[0].active


def test_no_input_device_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(deps, "sounddevice", lambda: fake_sounddevice(devices=False))
    with pytest.raises(AudioDeviceError, match="no usable microphone.*--device"):
        Microphone()
    with pytest.raises(AudioDeviceError, match="no usable microphone"):
        Microphone(rate=16000).__enter__()


def test_missing_portaudio_is_a_clear_error(monkeypatch):
    def no_portaudio(name):
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(deps.importlib, "import_module", no_portaudio)
    with pytest.raises(AudioDeviceError, match="apt-get install libportaudio2"):
        deps.sounddevice()


def test_missing_sounddevice_is_a_voice_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    with pytest.raises(VoiceError, match=r"sekretar\[voice\]"):
        deps.sounddevice()
