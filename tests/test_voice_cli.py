"""`sekretar transcribe`, `listen`, `model`: real runs, and one clear message
(exit status 2, no traceback) for every way they can fail."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from sekretar.voice import deps

from sekretar import cli

SEKRETAR = [sys.executable, "-m", "sekretar.cli"]


def run(args, env_extra=None, home=None):
    env = {k: v for k, v in os.environ.items() if k not in ("SEKRETAR_VOSK_MODEL", "VOSK_MODEL_PATH")}
    if home is not None:
        env["HOME"] = str(home)
    env.update(env_extra or {})
    return subprocess.run(SEKRETAR + args, capture_output=True, text=True, env=env, timeout=300)


def assert_clean_failure(done, *needles):
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("sekretar: ")
    for needle in needles:
        assert needle in done.stderr


def test_transcribe_prints_the_text(ko_16k, ko_model_dir):
    done = run(["transcribe", str(ko_16k), "--model", str(ko_model_dir)])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and done.stderr == ""


def test_transcribe_json_has_words_with_times_and_confidence(ko_16k, ko_model_dir):
    done = run(["transcribe", str(ko_16k), "--json"], {"SEKRETAR_VOSK_MODEL": str(ko_model_dir)})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["text"] and data["words"]
    assert data["text"] == " ".join(w["word"] for w in data["words"])
    assert {"word", "start", "end", "conf"} == set(data["words"][0])


def test_transcribe_finds_an_installed_model_by_language(ko_16k, ko_model_dir, tmp_path):
    done = run(["transcribe", str(ko_16k), "--lang", "ko"], home=tmp_path)
    assert done.returncode == 0 and done.stdout.strip(), done.stderr


def test_transcribe_without_a_model_says_how_to_get_one(ko_16k, tmp_path):
    done = run(["transcribe", str(ko_16k), "--lang", "ru"], home=tmp_path)
    assert_clean_failure(done, "sekretar model download ru", "SEKRETAR_VOSK_MODEL")


@pytest.mark.parametrize("content", [b"", b"not audio at all\n" * 50], ids=["empty", "text"])
def test_transcribe_of_a_bad_file(tmp_path, ko_model_dir, content):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(content)
    done = run(["transcribe", str(bad), "--model", str(ko_model_dir)])
    assert_clean_failure(done, "not a readable audio file")


def test_transcribe_of_a_missing_file(tmp_path):
    assert_clean_failure(run(["transcribe", str(tmp_path / "no.wav")]), "no such file")


def test_transcribe_with_a_wrong_model_dir(ko_16k, tmp_path):
    assert_clean_failure(run(["transcribe", str(ko_16k), "--model", str(tmp_path)]),
                         "not a Vosk model directory")


def test_model_path(ko_model_dir, tmp_path):
    done = run(["model", "path", "--lang", "ko"], home=tmp_path)
    assert done.returncode == 0 and Path(done.stdout.strip()) == ko_model_dir


def test_model_download_of_an_unknown_language_is_refused_by_argparse():
    done = run(["model", "download", "xx"])
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_model_download_offline_is_one_message(monkeypatch, tmp_path, capsys):
    vosk = pytest.importorskip("vosk")
    requests = pytest.importorskip("requests")

    def refuse(*args, **kwargs):
        raise requests.ConnectionError("no network")

    monkeypatch.setattr(vosk.requests, "get", refuse)
    assert cli.main(["model", "download", "ru", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach alphacephei.com" in err


# --- listen -------------------------------------------------------------------
class StubApp:
    morph = None

    def __init__(self):
        self.turns, self.closed = [], False
        people = [types.SimpleNamespace(first="민수", middle=None, last="김"),
                  types.SimpleNamespace(first="Незнакомец", middle=None, last=None)]
        self.workspace = types.SimpleNamespace(people=lambda: people)

    def turn(self, text, *, user, lang, **kw):
        self.turns.append((text, user, lang))
        return types.SimpleNamespace(text=f"Понял: {text}", tts=None, end=False)

    def close(self):
        self.closed = True


@pytest.fixture()
def stub_app(monkeypatch):
    import sekretar.app

    app = StubApp()
    monkeypatch.setattr(sekretar.app, "open_app", lambda *a, **k: app)
    return app


def test_listen_passes_utterances_to_the_conversation(stub_app, ko_wavs, ko_model_dir, capsys):
    rc = cli.main(["listen", "--from-file", str(ko_wavs[0]), "--model", str(ko_model_dir),
                   "--lang", "ko", "--no-tts", "--user", "cli:test"])
    assert rc == 0
    out = capsys.readouterr().out
    assert len(stub_app.turns) == 1 and stub_app.turns[0][1:] == ("cli:test", "ko")
    assert f"> {stub_app.turns[0][0]}\n< Понял: {stub_app.turns[0][0]}\n" in out
    assert stub_app.closed


def test_listen_with_hints(stub_app, ko_wavs, ko_model_dir, tmp_path, capsys):
    hints = tmp_path / "people.txt"
    hints.write_text("# people\n회의\n전화\n", encoding="utf-8")
    assert cli.main(["listen", "--from-file", str(ko_wavs[0]), "--model", str(ko_model_dir),
                     "--lang", "ko", "--no-tts", "--hints", str(hints)]) == 0
    assert "listening for 2 phrases" in capsys.readouterr().err


def test_listen_with_the_workspaces_people_as_hints(stub_app, ko_wavs, ko_model_dir, capsys):
    assert cli.main(["listen", "--from-file", str(ko_wavs[0]), "--model", str(ko_model_dir),
                     "--lang", "ko", "--no-tts", "--hints", "people"]) == 0
    # 민수 and 김 are Korean words the model knows; the Russian name is not
    assert "listening for 2 phrases" in capsys.readouterr().err


def test_listen_with_a_missing_hints_file(stub_app, ko_wavs, ko_model_dir, tmp_path, capsys):
    assert cli.main(["listen", "--from-file", str(ko_wavs[0]), "--model", str(ko_model_dir),
                     "--lang", "ko", "--hints", str(tmp_path / "none.txt")]) == 2
    assert "cannot read the phrase list" in capsys.readouterr().err and stub_app.closed


def test_listen_without_a_microphone_is_one_message(monkeypatch, stub_app, capsys):
    def no_portaudio():
        from sekretar.core.errors import AudioDeviceError

        raise AudioDeviceError("the PortAudio library is not installed (...)")

    monkeypatch.setattr(deps, "sounddevice", no_portaudio)
    assert cli.main(["listen", "--lang", "ko"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sekretar: the PortAudio library") and err.count("\n") == 1
    assert stub_app.turns == []


def test_listen_on_this_machine_without_a_device(tmp_path):
    """The real PortAudio: on a machine without an input device (CI) this
    is one message; with a microphone there is nothing to check."""
    sd = pytest.importorskip("sounddevice")
    try:
        sd.query_devices(kind="input")
        pytest.skip("this machine has an input device")
    except (ValueError, sd.PortAudioError):
        pass
    done = run(["listen", "--lang", "ko", "--no-tts"], home=tmp_path)
    assert_clean_failure(done, "no usable microphone")


def test_a_broken_model_is_one_line_with_kaldis_reason(ko_16k, tmp_path):
    broken = tmp_path / "broken"
    for sub in ("am", "conf", "graph"):
        (broken / sub).mkdir(parents=True)
    (broken / "am" / "final.mdl").write_bytes(b"")
    done = run(["transcribe", str(ko_16k), "--model", str(broken)])
    assert_clean_failure(done, "could not load the Vosk model", "does not contain model files")
    assert done.stderr.count("\n") == 1  # Kaldi's own ERROR line is folded into ours


def test_transcribe_raw_pcm_from_stdin_prints_each_utterance_as_it_ends(ko_audio, ko_model_dir):
    np = pytest.importorskip("numpy")
    a, b = ko_audio
    gap = np.zeros(int(a.rate * 1.5), dtype=np.float32)
    mono = np.concatenate([a.samples, gap, b.samples, gap])
    stereo = (np.stack([mono, mono], axis=1) * 32767).astype("<i2").tobytes()
    env = {k: v for k, v in os.environ.items() if k != "SEKRETAR_VOSK_MODEL"}
    done = subprocess.run(SEKRETAR + ["transcribe", "-", "--rate", str(a.rate), "--channels", "2",
                                      "--model", str(ko_model_dir), "--json"],
                          input=stereo[:-1],  # a torn last frame is ignored
                          capture_output=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(lines) == 2 and all(line["text"] and line["words"] for line in lines)
    assert all(line["reason"] in ("endpoint", "silence") for line in lines)
    assert lines[1]["words"][0]["start"] > a.seconds  # times run on across utterances


def test_transcribe_stdin_needs_a_rate(ko_model_dir):
    done = subprocess.run(SEKRETAR + ["transcribe", "-", "--model", str(ko_model_dir)],
                          input="", capture_output=True, text=True, timeout=120)
    assert_clean_failure(done, "--rate HZ")
