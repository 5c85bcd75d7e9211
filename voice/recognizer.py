"""A Vosk recogniser built once from a Model and reused: whole files, chunked
streams with partial results, and end-of-utterance detection.

An utterance ends when
- Vosk's endpointer says so (AcceptWaveform returns true: the trailing-silence
  rules of the model's conf/model.conf; with a vosk that has
  SetEndpointerDelays the delays are set from here), or
- the partial text has not changed for `silence_timeout` seconds of audio
  (a backstop for noise the endpointer takes for speech), or
- it has lasted `max_utterance` seconds.
Times are counted in audio samples, not wall-clock, so results do not depend
on how fast the audio arrives.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Union

from sekretar.voice import deps
from sekretar.voice.audio import Audio, pcm16_for_model
from sekretar.voice.model import Model

UNKNOWN = "[unk]"


@dataclass(frozen=True)
class Word:
    word: str
    start: float
    end: float
    conf: float


@dataclass(frozen=True)
class Partial:
    text: str


@dataclass(frozen=True)
class Utterance:
    text: str
    words: tuple[Word, ...] = ()
    reason: str = "endpoint"   # endpoint | silence | max | eof
    end_sample: int = 0        # the stream position (model rate) where it was finalised

    @property
    def start(self) -> float:
        return self.words[0].start if self.words else 0.0

    @property
    def end(self) -> float:
        return self.words[-1].end if self.words else 0.0


Event = Union[Partial, Utterance]


@dataclass
class Transcript:
    text: str
    utterances: list[Utterance] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def words(self) -> list[Word]:
        return [w for u in self.utterances for w in u.words]

    def as_dict(self) -> dict:
        return {"text": self.text, "seconds": round(self.seconds, 3),
                "words": [{"word": w.word, "start": round(w.start, 3), "end": round(w.end, 3),
                           "conf": round(w.conf, 3)} for w in self.words]}


class Recognizer:
    def __init__(self, model: Model, *, phrases: Iterable[str] | None = None,
                 silence_timeout: float = 1.2, max_utterance: float = 20.0,
                 endpoint_delay: float = 0.5):
        self.model = model
        self.sample_rate = model.sample_rate
        self.silence_timeout = silence_timeout
        self.max_utterance = max_utterance
        self.endpoint_delay = endpoint_delay
        self.phrases: list[str] = []
        self._rec = self._new_vosk()
        if phrases:
            self.phrases = self.set_phrases(phrases)
        self._clear()

    def _new_vosk(self):
        rec = deps.vosk().KaldiRecognizer(self.model.vosk, float(self.sample_rate))
        rec.SetWords(True)
        if hasattr(rec, "SetEndpointerDelays"):   # vosk > 0.3.45
            rec.SetEndpointerDelays(5.0, self.endpoint_delay, self.max_utterance)
        if self.phrases:
            rec.SetGrammar(self._grammar())
        return rec

    # -- vocabulary -----------------------------------------------------------
    def set_phrases(self, phrases: Iterable[str]) -> list[str]:
        """Restrict recognition to these phrases (plus "[unk]" for anything else)
        where the model supports a runtime vocabulary; returns the phrases kept
        (all their words known to the model), [] when the model ignores them.
        Vosk decodes any sequence of the phrases (a loop), so a list of single
        words is a vocabulary."""
        if not self.model.supports_grammar:
            return []
        kept: dict[str, None] = {}
        for phrase in phrases:
            phrase = " ".join(phrase.lower().split())
            if phrase and phrase not in kept and all(self.model.knows(w) for w in phrase.split()):
                kept[phrase] = None
        self.phrases = list(kept)
        if self.phrases:
            self._rec.SetGrammar(self._grammar())
        else:   # back to the open vocabulary: a new decoder has no grammar
            self._rec = self._new_vosk()
        return self.phrases

    def _grammar(self) -> str:
        # "[unk]" takes what is not in the list, where the model has it
        extra = [UNKNOWN] if self.model.knows(UNKNOWN) else []
        return json.dumps(self.phrases + extra, ensure_ascii=False)

    # -- streaming ------------------------------------------------------------
    def _clear(self) -> None:
        self._fed = 0               # samples fed since the stream started
        self._utt_start = 0         # where the current utterance began
        self._partial = ""
        self._partial_at = 0        # where the partial text last changed

    def reset(self, fresh: bool = False) -> None:
        """Drop anything heard so far (e.g. after speaking a reply). Vosk keeps
        its speaker adaptation (i-vectors) across utterances, which helps one
        speaker at a microphone; `fresh=True` forgets it too (a new file)."""
        if fresh:
            self._rec = self._new_vosk()
        else:
            self._rec.Reset()
        self._clear()

    def accept(self, pcm: bytes) -> list[Event]:
        """Feed mono PCM16 at the model's rate; returns the events it caused."""
        if not pcm:
            return []
        self._fed += len(pcm) // 2
        if self._rec.AcceptWaveform(pcm):
            return self._final(self._rec.Result(), "endpoint")
        text = _clean(json.loads(self._rec.PartialResult()).get("partial", ""))
        rate = self.sample_rate
        if text and self._fed - self._utt_start >= self.max_utterance * rate:
            return self._final(self._rec.FinalResult(), "max")
        if text != self._partial:
            self._partial, self._partial_at = text, self._fed
            return [Partial(text)] if text else []
        if text and self._fed - self._partial_at >= self.silence_timeout * rate:
            return self._final(self._rec.FinalResult(), "silence")
        return []

    def finish(self) -> list[Event]:
        """End of the stream: whatever is pending becomes the last utterance."""
        return self._final(self._rec.FinalResult(), "eof")

    def _final(self, raw: str, reason: str) -> list[Event]:
        result = json.loads(raw)
        words = tuple(Word(w["word"], float(w["start"]), float(w["end"]), float(w.get("conf", 1.0)))
                      for w in result.get("result", ()) if w.get("word") != UNKNOWN)
        text = _clean(result.get("text", ""))
        end = self._fed
        self._utt_start, self._partial, self._partial_at = self._fed, "", self._fed
        return [Utterance(text, words, reason, end)] if text else []

    def stream(self, chunks: Iterable[bytes], *, finish: bool = True) -> Iterator[Event]:
        for chunk in chunks:
            yield from self.accept(chunk)
        if finish:
            yield from self.finish()

    # -- whole files ----------------------------------------------------------
    def transcribe(self, audio: Audio, chunk_seconds: float = 0.2) -> Transcript:
        """A whole recording, decoded as if streamed; the same file always gives
        the same transcript (no adaptation carried over from earlier input)."""
        self.reset(fresh=True)
        pcm = pcm16_for_model(audio, self.sample_rate)
        step = 2 * max(1, int(self.sample_rate * chunk_seconds))
        chunks = (pcm[i:i + step] for i in range(0, len(pcm), step))
        utterances = [e for e in self.stream(chunks) if isinstance(e, Utterance)]
        self.reset()
        return Transcript(" ".join(u.text for u in utterances), utterances, audio.seconds)


def _clean(text: str) -> str:
    return " ".join(w for w in text.split() if w != UNKNOWN)
