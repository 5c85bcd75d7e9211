"""The one namespace: the wheel holds only `sekretar` with every data file,
the old bare imports are banned (ruff), and the import graph reads bottom-up."""
from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARTS = {"grammar": "grammar", "dialog": "dialog", "integrations": "integrations", "store": "store",
         "voice": "voice", "sekretar": "sekretar"}
# who may import whom: a module of the key's layer imports only these layers
LAYER = {"core": 0, "grammar": 1, "store": 2, "dialog": 2, "integrations": 2, "voice": 2,
         "app": 3, "cli": 4, "web": 4}
ALLOWED = {
    "core": {"core"},
    "grammar": {"core", "grammar"},
    "store": {"core", "store"},
    "voice": {"core", "voice"},
    # the dialog uses the directory matcher (integrations.people); integrations never import the dialog
    "dialog": {"core", "grammar", "store", "integrations", "dialog"},
    "integrations": {"core", "grammar", "store", "integrations"},
    "app": {"core", "grammar", "store", "dialog", "integrations", "voice", "app"},
    "cli": set(LAYER), "web": set(LAYER),
}


def _sources(part: str):
    folder = ROOT / (PARTS.get(part) or f"sekretar/{part}")
    if part == "app":
        return [ROOT / "sekretar" / "app.py"]
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imported_layers(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            bits = name.split(".")
            if bits[0] == "sekretar" and len(bits) > 1 and bits[1] in LAYER:
                found.add(bits[1])
    return found


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_import_graph_reads_bottom_up(part):
    bad = {str(p.relative_to(ROOT)): sorted(_imported_layers(p) - ALLOWED[part]) for p in _sources(part)}
    assert not {k: v for k, v in bad.items() if v}, f"{part} imports upward"


def test_the_old_bare_imports_are_banned():
    ruff = Path(sys.executable).with_name("ruff")
    res = subprocess.run([str(ruff), "check", "--no-cache", str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-3000:]
    return zipfile.ZipFile(next(out.glob("sekretar-*.whl")))


def test_wheel_installs_exactly_one_top_level_package(wheel):
    tops = {name.split("/")[0] for name in wheel.namelist() if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"sekretar"}
    assert not any(n.endswith(".dist-info/top_level.txt") and wheel.read(n).split() != [b"sekretar"]
                   for n in wheel.namelist())


def _tracked(folder: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", folder], capture_output=True, text=True, cwd=ROOT).stdout.split()
    return out or [str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*") if p.is_file()]


def test_every_module_and_data_file_is_inside_the_wheel(wheel):
    names = set(wheel.namelist())
    expected = []
    for part, folder in PARTS.items():
        for rel in _tracked(folder):
            if "__pycache__" in rel or rel.endswith((".pyc", ".md")):
                continue
            inside = rel if part == "sekretar" else "sekretar/" + rel
            expected.append(inside)
    missing = sorted(set(expected) - names)
    assert not missing, f"not in the wheel: {missing}"
