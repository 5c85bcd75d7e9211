"""`sekretar chat`: the conversation on the command line.

One utterance per input line, one reply per line (`--jsonl`: one
{"text", "end"} object per reply). A prompt and a greeting only when stdin
is a terminal. The dialog state lives in the store under --user, so a
conversation can span several runs. `--audio FILE.wav` feeds what the
recogniser heard in the file as one utterance.
"""
from __future__ import annotations

import json
import sys
from datetime import datetime

from sekretar.core.errors import ConfigError
from sekretar.core.config import zone

DEFAULT_USER = "cli:local"


def register(sub) -> None:
    p = sub.add_parser("chat", help="talk to the secretary: type what you would say",
                       description="Talk to the secretary: one utterance per line, one reply per line.")
    p.add_argument("--user", default=DEFAULT_USER,
                   help=f"the voice user key the conversation belongs to (default: {DEFAULT_USER})")
    p.add_argument("--now", help="fix the clock for every turn (ISO-8601, e.g. 2019-03-25T12:28:00+03:00)")
    p.add_argument("--tz", help="time zone (IANA name; default: SEKRETAR_TZ or Europe/Moscow)")
    p.add_argument("--lang", choices=("ru", "en"), help="language (default: detected per utterance)")
    p.add_argument("--jsonl", action="store_true", help='one JSON object {"text", "end"} per reply')
    p.add_argument("--audio", metavar="FILE.wav", help="say what is in this recording (needs a Vosk model)")
    p.add_argument("--as", dest="as_person", metavar="NAME",
                   help="who you are (an id or a name of the local directory): linked at once, no code")
    p.set_defaults(func=run)


def _now(raw: str | None, tz: str) -> datetime | None:
    if raw is None:
        return None
    try:
        now = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--now must be an ISO-8601 date and time, got {raw!r}") from None
    from sekretar.core.clock import BadMoment, anchor_now

    try:
        return anchor_now(now, zone(tz))
    except BadMoment as exc:
        raise ConfigError(f"--now {raw}: {exc}") from None


def _identify(app, args, tty: bool, lang: str, out) -> bool:
    """The terminal's user linked directly on the local workspace (--as, or
    asked on a terminal); elsewhere the dialog's spoken code."""
    from sekretar.cli.whoami import ask_who, direct_link_allowed, link_as

    if getattr(args, "as_person", None):
        if not direct_link_allowed(app):
            raise ConfigError(f"--as links directly on the local workspace only; on {app.workspace.name} "
                              "get a code with `sekretar link-code NAME` and say it")
        link_as(app, args.user, args.as_person)
        return True
    if tty and direct_link_allowed(app):
        return ask_who(app, args.user, lang if lang in ("ru", "en") else "ru", sys.stdin.readline, out.write)
    return True


def run(args) -> int:
    from sekretar.app import open_app
    from sekretar.core.config import Settings

    settings = Settings.from_env()
    tz = args.tz or settings.tz
    zone(tz)
    now = _now(args.now, tz)
    lang = args.lang
    for stream in (sys.stdin, sys.stdout):  # bad bytes in or out: replaced, never a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    tty = sys.stdin.isatty() and not args.jsonl and not args.audio
    app = open_app(settings)
    out = sys.stdout
    try:
        if not _identify(app, args, tty, lang or settings.lang, out):
            return 0
    except BaseException:
        app.close()
        raise

    def say(text: str, **extra) -> bool:
        reply = app.turn(text, user=args.user, now=now, tz=tz, lang=lang, platform="cli")
        if args.jsonl:
            obj = {**extra, "text": reply.text, "end": reply.end}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            out.write(reply.text + "\n")
        out.flush()
        return reply.end

    try:
        if args.audio:
            from sekretar.voice import transcribe_file

            heard = transcribe_file(args.audio, **({"lang": lang} if lang else {}))
            heard = getattr(heard, "text", heard) or ""
            if args.jsonl:
                say(heard, heard=heard)
            else:
                out.write(f"> {heard}\n")
                say(heard)
            return 0
        if tty:
            say("")
        while True:
            if tty:
                out.write("> ")
                out.flush()
            line = sys.stdin.readline()
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if say(line) and tty:
                break
        return 0
    finally:
        app.close()
