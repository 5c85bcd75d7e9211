"""`sekretar parse` and `sekretar parse --jsonl` as a user runs them."""
from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures_grammar import CORPUS_NOW

EXE = shutil.which("sekretar", path=str(Path(sys.executable).parent)) or shutil.which("sekretar")
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
pytestmark = pytest.mark.skipif(EXE is None, reason="the sekretar console script is not installed")


def run(*args, stdin: str | None = None):
    return subprocess.run([EXE, "parse", *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", env=ENV, timeout=60)


def test_parse_prints_the_command_json():
    r = run("--now", CORPUS_NOW, "--tz", "Europe/Moscow", "Поставь задачу на Сергея Иванова на следующий вторник в 13:15.")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["intent"] == "task"
    assert out["recipient"] == {"first": "Сергей", "last": "Иванов", "self": False}
    assert out["when"]["start"] == "2019-04-02T13:15:00+03:00"
    assert "Сергей" in r.stdout  # ensure_ascii=False


def test_parse_lang_and_words_joined():
    r = run("--lang", "en", "--now", CORPUS_NOW, "send", "a", "message", "to", "Nastya", "saying", "hi")
    out = json.loads(r.stdout)
    assert (out["intent"], out["message"]) == ("message", "hi")


@pytest.mark.parametrize("args", [["--tz", "Mars/Olympus", "задача"], ["--now", "вчера", "задача"], []],
                         ids=["bad-tz", "bad-now", "no-text"])
def test_bad_arguments_get_a_clear_message(args):
    r = run(*args)
    assert r.returncode == 2
    assert r.stderr.startswith("sekretar:") and "Traceback" not in r.stderr


def test_jsonl_one_line_out_per_line_in():
    lines = [
        json.dumps({"text": "Напиши сообщение Насте привет, как дела?", "now": CORPUS_NOW}, ensure_ascii=False),
        "this is not json",
        json.dumps([1, 2]),
        json.dumps({"txt": "no text key"}),
        json.dumps({"text": "завтра", "tz": "Mars/Olympus"}),
        json.dumps({"text": 5}),
        "",
        json.dumps({"text": "Create a task for me", "lang": "en", "now": CORPUS_NOW}),
        json.dumps({"text": "🙂" * 1000}),
    ]
    r = run("--jsonl", stdin="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    outs = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(outs) == len(lines)
    assert outs[0]["message"] == "привет, как дела?"
    for bad in outs[1:7]:
        assert bad["intent"] is None and bad["error"]
    assert outs[7]["recipient"]["self"] is True and "error" not in outs[7]
    assert outs[8]["intent"] is None and "error" not in outs[8]


def test_jsonl_streams_each_answer_before_eof():
    proc = subprocess.Popen([EXE, "parse", "--jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=ENV)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        for text in ("Создай задачу.", "Отправь сообщение Сергею."):
            proc.stdin.write(json.dumps({"text": text, "now": CORPUS_NOW}, ensure_ascii=False) + "\n")
            proc.stdin.flush()
            assert sel.select(timeout=30), "no answer before EOF: the parser does not stream"
            assert json.loads(proc.stdout.readline())["intent"] in ("task", "message")
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 0
