"""`sekretar` subcommands: transcribe, listen, model download (voice/).

voice/ is imported inside the commands, so the rest of the CLI works
without the `[voice]` extra installed.
"""
from __future__ import annotations

import json
import sys


def _lang(args) -> str:
    from sekretar.core.config import Settings

    return args.lang or Settings.from_env().lang


def cmd_transcribe(args) -> int:
    from sekretar import voice

    if args.file == "-":
        return _transcribe_stream(args)
    transcript = voice.transcribe(args.file, model_dir=args.model, lang=_lang(args))
    if args.json:
        print(json.dumps(transcript.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(transcript.text)
    return 0


def _transcribe_stream(args) -> int:
    """Raw PCM on stdin: each utterance printed as soon as it ends."""
    from sekretar.core.errors import AudioFormatError
    from sekretar.voice.audio import StreamConverter, raw_pcm_chunks
    from sekretar.voice.model import open_model
    from sekretar.voice.recognizer import Partial, Recognizer

    if not args.rate:
        raise AudioFormatError("reading raw audio from stdin needs its rate: --rate HZ "
                               "(signed 16-bit little-endian, --channels N)")
    recognizer = Recognizer(open_model(_lang(args), args.model))
    converter = StreamConverter(args.rate, recognizer.sample_rate)
    live = sys.stderr.isatty()

    def emit(events) -> None:
        for event in events:
            if isinstance(event, Partial):
                if live:
                    sys.stderr.write(f"\r… {event.text}\033[K")
                    sys.stderr.flush()
                continue
            if live:
                sys.stderr.write("\r\033[K")
            if args.json:
                words = [{"word": w.word, "start": round(w.start, 3), "end": round(w.end, 3),
                          "conf": round(w.conf, 3)} for w in event.words]
                print(json.dumps({"text": event.text, "reason": event.reason, "words": words},
                                 ensure_ascii=False), flush=True)
            else:
                print(event.text, flush=True)

    for frames in raw_pcm_chunks(sys.stdin.buffer, args.rate, args.channels):
        emit(recognizer.accept(converter.convert(frames)))
    emit(recognizer.accept(converter.flush()) + recognizer.finish())
    return 0


def _load_hints(path: str) -> list[str]:
    from sekretar.core.errors import ConfigError

    try:
        with open(path, encoding="utf-8") as fh:
            return [line.strip() for line in fh if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise ConfigError(f"cannot read the phrase list {path}: {exc.strerror}") from None


def _hints(args, app, lang: str) -> list[str]:
    """`--hints people`: command words + the workspace's people, inflected;
    `--hints FILE`: the file's phrases."""
    from sekretar.core.errors import SekretarError
    from sekretar.voice.hints import vocabulary

    if args.hints != "people":
        return _load_hints(args.hints)
    try:
        people = app.workspace.people()
    except SekretarError as exc:
        print(f"(the workspace's people are not available: {exc})", file=sys.stderr)
        people = []
    morph = getattr(app, "morph", None) if lang == "ru" else None
    return vocabulary(lang, people, morph)


def cmd_listen(args) -> int:
    from sekretar.voice.listen import listen
    from sekretar.voice.microphone import FileSource, Microphone
    from sekretar.voice.model import open_model
    from sekretar.voice.recognizer import Recognizer
    from sekretar.voice.tts import find_speaker

    lang = _lang(args)
    device = int(args.device) if args.device and args.device.isdigit() else args.device
    # the device first: with no microphone there is no point loading a model
    source = FileSource(args.from_file) if args.from_file else Microphone(device=device)
    model = open_model(lang, args.model)
    recognizer = Recognizer(model, silence_timeout=args.silence)
    speaker = None if args.no_tts else find_speaker(lang)

    from sekretar.app import open_app

    app = open_app()
    try:
        if args.hints:
            if not model.supports_grammar:
                print("(this model takes no runtime vocabulary: --hints ignored)", file=sys.stderr)
            else:
                kept = recognizer.set_phrases(_hints(args, app, lang))
                print(f"(listening for {len(kept)} phrases the model knows from --hints "
                      f"{args.hints})", file=sys.stderr)

        def respond(text: str):
            return app.turn(text, user=args.user, lang=lang)

        where = args.from_file or "the microphone"
        print(f"Listening on {where} (model: {model.path}; "
              f"speech: {speaker.name if speaker else 'off'}). Ctrl-C to stop.", file=sys.stderr)
        try:
            listen(source, recognizer, respond, speaker=speaker, show_partial=sys.stdout.isatty())
        except KeyboardInterrupt:
            print("\nstopped.", file=sys.stderr)
    finally:
        app.close()
    return 0


def cmd_model_download(args) -> int:
    from sekretar.voice.download import download_model

    path = download_model(args.lang, args.dir)
    print(path)
    print(f"ready: sekretar finds it by itself, or set SEKRETAR_VOSK_MODEL={path}", file=sys.stderr)
    return 0


def cmd_model_path(args) -> int:
    from sekretar.voice.model import find_model

    print(find_model(_lang(args), args.model))
    return 0


def register(sub) -> None:
    p = sub.add_parser("transcribe", help="print the text said in an audio file (Vosk)")
    p.add_argument("file", help="a WAV file (any rate, mono/stereo, PCM or float), FLAC or OGG; "
                   "'-': raw 16-bit PCM from stdin, one line per utterance as it ends")
    p.add_argument("--model", metavar="DIR", help="a Vosk model directory (default: "
                   "$SEKRETAR_VOSK_MODEL, else a downloaded model for --lang)")
    p.add_argument("--lang", help="language of the model to look for (default: $SEKRETAR_LANG or ru)")
    p.add_argument("--json", action="store_true", help="text and words with start/end/conf as JSON")
    p.add_argument("--rate", type=int, metavar="HZ", help="stdin: the sample rate")
    p.add_argument("--channels", type=int, default=1, metavar="N", help="stdin: channels (default 1)")
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("listen", help="the spoken assistant: microphone → conversation → reply")
    p.add_argument("--model", metavar="DIR", help="a Vosk model directory")
    p.add_argument("--user", default="cli:local", help="who is speaking (the dialog's user key)")
    p.add_argument("--lang", choices=("ru", "en", "ko"), help="default: $SEKRETAR_LANG or ru")
    p.add_argument("--no-tts", action="store_true", help="print replies, do not speak them")
    p.add_argument("--device", metavar="N", help="input device number or name (python -m sounddevice)")
    p.add_argument("--silence", type=float, default=1.2, metavar="SEC",
                   help="end an utterance after this long without new words (default 1.2)")
    p.add_argument("--hints", metavar="FILE|people", help="a closed vocabulary (small models only): "
                   "'people' = command words + the workspace's people names in every case, "
                   "or a file of phrases, one a line")
    p.add_argument("--from-file", metavar="WAV", help="play a recording instead of the microphone")
    p.set_defaults(func=cmd_listen)

    group = sub.add_parser("model", help="speech models: download, path")
    msub = group.add_subparsers(dest="model_command", metavar="ACTION")
    d = msub.add_parser("download", help="download a Vosk model with vosk's own downloader")
    d.add_argument("lang", choices=("ru", "en"))
    d.add_argument("--dir", help="where to put it (default: ~/.cache/vosk, where it is found)")
    d.set_defaults(func=cmd_model_download)
    w = msub.add_parser("path", help="print the model directory that would be used")
    w.add_argument("--lang", help="default: $SEKRETAR_LANG or ru")
    w.add_argument("--model", metavar="DIR")
    w.set_defaults(func=cmd_model_path)
    group.set_defaults(func=lambda args: group.print_help() or 2)
