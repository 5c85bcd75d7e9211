"""The spoken assistant loop: an AudioSource → the recogniser → each finished
utterance → `respond` (the conversation) → the reply, printed and spoken.

`respond(text)` returns a str, a dialog Reply (its `tts` is spoken, its
`text` printed) or None. The loop ends when the source does (a file) or on
Ctrl-C (KeyboardInterrupt propagates after the source is closed).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Callable, TextIO

from sekretar.voice.audio import StreamConverter
from sekretar.voice.microphone import AudioSource
from sekretar.voice.recognizer import Partial, Recognizer, Utterance

from sekretar.core.errors import SekretarError


@dataclass
class Heard:
    """One exchange: what was recognised and what was answered."""

    utterance: Utterance
    reply: str | None = None
    error: str | None = None


@dataclass
class Session:
    exchanges: list[Heard] = field(default_factory=list)
    partials: int = 0


class _Line:
    """A status line rewritten in place with a carriage return."""

    def __init__(self, out: TextIO, live: bool):
        self.out, self.live, self.width = out, live, 0

    def show(self, text: str) -> None:
        if not self.live:
            return
        text = f"… {text}"
        self.out.write("\r" + text.ljust(self.width))
        self.out.flush()
        self.width = len(text)

    def say(self, text: str) -> None:
        if self.width:
            self.out.write("\r" + " " * self.width + "\r")
            self.width = 0
        self.out.write(text + "\n")
        self.out.flush()


def _reply_texts(reply: Any) -> tuple[str | None, str | None]:
    if reply is None:
        return None, None
    if isinstance(reply, str):
        return reply, reply
    text = getattr(reply, "text", None)
    return text, getattr(reply, "tts", None) or text


def listen(source: AudioSource, recognizer: Recognizer,
           respond: Callable[[str], Any], *, speaker=None, out: TextIO | None = None,
           show_partial: bool = True) -> Session:
    out = out or sys.stdout
    line = _Line(out, show_partial)
    session = Session()

    def handle(event) -> bool:
        """True when the reply was spoken and the audio heard meanwhile must go."""
        nonlocal speaker
        if isinstance(event, Partial):
            session.partials += 1
            line.show(event.text)
            return False
        line.say(f"> {event.text}")
        heard = Heard(event)
        session.exchanges.append(heard)
        try:
            text, spoken = _reply_texts(respond(event.text))
        except SekretarError as exc:
            heard.error = str(exc)
            line.say(f"! {exc}")
            return False
        heard.reply = text
        if text:
            line.say(f"< {text}")
        if speaker is not None and spoken:
            speaker.speak(spoken)
            if getattr(speaker, "failed", None):
                line.say(f"! speech output failed: {speaker.failed}; replies are printed only")
                speaker = None
            return True
        return False

    recognizer.reset()
    converter = StreamConverter(source.rate, recognizer.sample_rate)
    with source:
        for frames in source.chunks():
            for event in recognizer.accept(converter.convert(frames)):
                if handle(event):
                    source.drain()        # do not transcribe our own voice
                    recognizer.reset()
                    break
        for event in recognizer.accept(converter.flush()) + recognizer.finish():
            handle(event)
    return session
