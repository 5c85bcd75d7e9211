"""The `sekretar` command line.

Each group of subcommands lives in its own module `sekretar/cli/*.py`
exposing `register(subparsers)`; the module sets `func` on its parsers.
This file only assembles them and turns every error into a clear message:
a user never sees a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from sekretar.core.errors import SekretarError

COMMAND_MODULES = (
    "sekretar.cli.parse",      # parse (grammar)
    "sekretar.cli.chat",       # chat (dialog)
    "sekretar.cli.workspace",  # link-code, people, tasks, events, messages
    "sekretar.cli.outbox",     # outbox, outbox drain
    "sekretar.cli.voice",      # transcribe, listen, model download
    "sekretar.cli.serve",      # serve
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sekretar",
        description="A voice secretary: tasks, calendar events and messages by voice.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SekretarError as exc:
        print(f"sekretar: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
