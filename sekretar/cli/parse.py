"""`sekretar parse`: what the grammar makes of an utterance, as JSON.

    sekretar parse [--lang ru|en] [--now ISO] [--tz ZONE] TEXT
    sekretar parse --jsonl < lines.jsonl     # {"text", "lang"?, "now"?, "tz"?} per line

`--jsonl` answers every input line with exactly one JSON line, in order,
flushed as soon as it is ready (it streams); a malformed line gets
`{"intent": null, ..., "error": "..."}` and the stream goes on.
"""
from __future__ import annotations

import json
import sys

EMPTY = {"intent": None, "recipient": None, "title": None, "message": None, "when": None, "missing": []}


def register(sub) -> None:
    p = sub.add_parser("parse", help="parse an utterance into a command (JSON)",
                       description="Parse what a person said into a command: intent, recipient, "
                                   "title, message, when, missing (JSON).")
    p.add_argument("text", nargs="*", help="the utterance (several words are joined)")
    p.add_argument("--lang", choices=("ru", "en"), help="language (default: detect)")
    p.add_argument("--now", help="the moment it was said, ISO-8601 with offset (default: the clock)")
    p.add_argument("--tz", help="IANA time zone (default: SEKRETAR_TZ or Europe/Moscow)")
    p.add_argument("--expect", choices=("recipient", "title", "message", "when"),
                   help="the slot a dialog just asked for: a bare answer fills it")
    p.add_argument("--jsonl", action="store_true",
                   help='read JSON lines {"text", "lang"?, "now"?, "tz"?} on stdin, write one JSON line each')
    p.set_defaults(func=run)


def _parser():
    from sekretar.core.config import Settings
    from sekretar.grammar import Parser

    settings = Settings.from_env()
    return Parser(task_default_hour=settings.task_default_hour, default_tz=settings.tz)


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def run(args) -> int:
    for stream in (sys.stdin, sys.stdout):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass
    parser = _parser()
    if args.jsonl:
        return _stream(parser, args)
    if not args.text:
        from sekretar.core.errors import GrammarError

        raise GrammarError("nothing to parse: give the text, or --jsonl to read JSON lines on stdin")
    cmd = parser.parse(" ".join(args.text), now=args.now, tz=args.tz, lang=args.lang, expect=args.expect)
    print(_dump(cmd.to_json()))
    return 0


def answer_line(parser, line: str, defaults) -> dict:
    """One input line → one output object (never raises on bad input)."""
    from sekretar.core.errors import SekretarError

    if not line.strip():
        return {**EMPTY, "error": "empty line: expected a JSON object with a 'text' key"}
    try:
        req = json.loads(line)
    except ValueError as exc:
        return {**EMPTY, "error": f"not JSON: {exc}"}
    if not isinstance(req, dict):
        return {**EMPTY, "error": "expected a JSON object with a 'text' key"}
    text = req.get("text")
    if not isinstance(text, str):
        return {**EMPTY, "error": "'text' must be a string"}
    opts = {}
    for key in ("lang", "now", "tz", "expect"):
        value = req.get(key, getattr(defaults, key, None))
        if value is not None and not isinstance(value, str):
            return {**EMPTY, "error": f"'{key}' must be a string"}
        opts[key] = value
    try:
        return parser.parse(text, **opts).to_json()
    except SekretarError as exc:
        return {**EMPTY, "error": str(exc)}


def _stream(parser, args) -> int:
    out = sys.stdout
    for line in iter(sys.stdin.readline, ""):
        out.write(_dump(answer_line(parser, line, args)) + "\n")
        out.flush()
    return 0
