"""Recognition on the real Korean Vosk model: files at every common rate and
channel count, chunked streams with partial results, endpointing, phrase
hints. Vosk's Korean transcript of espeak-ng speech differs from the text
said, so the tests assert mechanics, not exact words."""
from __future__ import annotations

import json

import pytest

np = pytest.importorskip("numpy")
sf = pytest.importorskip("soundfile")

from sekretar.voice import Recognizer, read_audio  # noqa: E402
from sekretar.voice.audio import Audio, StreamConverter, resample, to_pcm16  # noqa: E402
from sekretar.voice.recognizer import Partial, Utterance  # noqa: E402

from tests.fixtures_voice import word_overlap  # noqa: E402


def silence(rate: int, seconds: float):
    return np.zeros(int(rate * seconds), dtype=np.float32)


def chunks_of(pcm: bytes, rate: int, seconds: float = 0.1):
    step = 2 * int(rate * seconds)
    return [pcm[i:i + step] for i in range(0, len(pcm), step)]


@pytest.fixture(scope="module")
def reference(ko_model, ko_16k):
    """The transcript of the 16 kHz file: what other formats are compared with."""
    t = Recognizer(ko_model).transcribe(read_audio(ko_16k))
    assert t.text and t.words, "the Korean model heard nothing in espeak-ng's Korean"
    return t


def test_model_rate_and_vocabulary_support_are_read_from_the_model(ko_model):
    assert ko_model.sample_rate == 16000
    assert ko_model.supports_grammar  # a small (lookahead) model


def test_words_have_times_and_confidence(reference):
    for w in reference.words:
        assert 0 <= w.start <= w.end <= reference.seconds + 0.1
        assert 0 <= w.conf <= 1
    starts = [w.start for w in reference.words]
    assert starts == sorted(starts)
    assert reference.text == " ".join(u.text for u in reference.utterances)


@pytest.mark.parametrize("rate", [22050, 32000, 44100, 48000])
def test_full_band_rates_hear_the_same_words(ko_model, ko_audio, reference, tmp_path, rate):
    path = tmp_path / f"ko{rate}.wav"
    sf.write(path, resample(ko_audio[0].samples, ko_audio[0].rate, rate), rate, subtype="PCM_16")
    text = Recognizer(ko_model).transcribe(read_audio(path)).text
    assert word_overlap(reference.text, text) >= 0.6, (reference.text, text)


@pytest.mark.parametrize("rate", [8000, 11025])
def test_narrow_band_rates_find_the_speech_at_the_same_place(ko_model, ko_audio, reference,
                                                             tmp_path, rate):
    # telephone-band audio lacks what the model uses above 4-5.5 kHz, so the
    # words may differ; the speech must still be found where it is said
    path = tmp_path / f"ko{rate}.wav"
    sf.write(path, resample(ko_audio[0].samples, ko_audio[0].rate, rate), rate, subtype="PCM_16")
    t = Recognizer(ko_model).transcribe(read_audio(path))
    assert t.words
    assert abs(t.words[0].start - reference.words[0].start) < 0.4
    assert abs(t.words[-1].end - reference.words[-1].end) < 0.4


@pytest.mark.parametrize("subtype", ["PCM_24", "FLOAT"])
def test_stereo_files_of_other_widths_hear_the_same_words(ko_model, ko_audio, reference,
                                                          tmp_path, subtype):
    a = ko_audio[0]
    path = tmp_path / "stereo.wav"
    sf.write(path, np.stack([a.samples, a.samples * 0.8], axis=1), a.rate, subtype=subtype)
    text = Recognizer(ko_model).transcribe(read_audio(path)).text
    assert word_overlap(reference.text, text) >= 0.6, (reference.text, text)


def test_a_recognizer_is_reused_without_leaking_state(ko_model, ko_16k, reference):
    rec = Recognizer(ko_model)
    audio = read_audio(ko_16k)
    first, second = rec.transcribe(audio), rec.transcribe(audio)
    # (Vosk is not bit-for-bit repeatable on low-confidence words: compare by words)
    assert word_overlap(reference.text, first.text) >= 0.6
    assert word_overlap(first.text, second.text) >= 0.6
    # times restart at 0 for each file
    assert abs(first.words[0].start - second.words[0].start) < 0.1
    assert second.words[-1].end <= audio.seconds + 0.1


def test_stream_gives_partials_then_a_final(ko_model, ko_16k, reference):
    rec = Recognizer(ko_model)
    pcm = to_pcm16(read_audio(ko_16k).samples)
    events = list(rec.stream(chunks_of(pcm, 16000)))
    partials = [e for e in events if isinstance(e, Partial)]
    finals = [e for e in events if isinstance(e, Utterance)]
    assert len(partials) >= 2
    # (Vosk's result depends slightly on the chunk size: compare by words)
    assert len(finals) == 1 and word_overlap(reference.text, finals[0].text) >= 0.6
    # partials grow towards the final text and all come before it
    assert events.index(finals[0]) > events.index(partials[-1])
    assert word_overlap(partials[-1].text, finals[0].text) >= 0.5


def two_utterances(ko_audio, gap: float = 2.0, tail: float = 2.0):
    a, b = ko_audio
    rate = a.rate
    return Audio(np.concatenate([silence(rate, 0.3), a.samples, silence(rate, gap),
                                 b.samples, silence(rate, tail)]), rate)


def test_two_utterances_separated_by_silence_give_two_finals_without_eof(ko_model, ko_audio):
    audio = two_utterances(ko_audio)
    rec = Recognizer(ko_model)
    conv = StreamConverter(audio.rate, rec.sample_rate)
    step = audio.rate // 10
    finals = []
    for i in range(0, len(audio.samples), step):
        finals += [e for e in rec.accept(conv.convert(audio.samples[i:i + step]))
                   if isinstance(e, Utterance)]
    # both ended by the trailing silence (Vosk's endpointer, or the silence
    # timeout when Vosk's run-to-run variation makes it late), before the
    # stream was finished
    assert len(finals) == 2 and all(u.reason in ("endpoint", "silence") for u in finals)
    first_end = (0.3 + ko_audio[0].seconds)
    second_start = first_end + 2.0
    assert finals[0].end <= second_start and finals[1].start >= first_end
    assert finals[0].end_sample / rec.sample_rate < second_start
    assert rec.finish() == []  # nothing left over


def test_the_utterance_ends_soon_after_the_speech(ko_model, ko_audio):
    a = ko_audio[0]
    rec = Recognizer(ko_model)
    conv = StreamConverter(a.rate, rec.sample_rate)
    samples = np.concatenate([a.samples, silence(a.rate, 3.0)])
    step = a.rate // 10
    for i in range(0, len(samples), step):
        finals = [e for e in rec.accept(conv.convert(samples[i:i + step])) if isinstance(e, Utterance)]
        if finals:
            heard_at = (i + step) / a.rate
            break
    else:
        pytest.fail("3 s of silence after speech did not end the utterance")
    assert heard_at - a.seconds <= rec.silence_timeout + 0.2


def test_phrase_hints_restrict_a_small_model_to_the_phrases(ko_model, ko_16k):
    known = [w for w in ("회의", "시작", "전화", "내일") if ko_model.knows(w)]
    assert known
    rec = Recognizer(ko_model, phrases=known + ["notaword"])
    assert rec.phrases == known  # words the model does not know are dropped
    text = rec.transcribe(read_audio(ko_16k)).text
    assert set(text.split()) <= set(known)


class _Model:
    """A big-model stand-in: no runtime vocabulary."""

    def __init__(self, real):
        self.vosk, self.sample_rate, self.supports_grammar = real.vosk, real.sample_rate, False

    def knows(self, word):
        return True


class _SpyVosk:
    """deps.vosk() whose decoders record the grammar they are given."""

    def __init__(self, real):
        self._real, self.grammars, self.made = real, [], 0
        spy = self

        class KaldiRecognizer(real.KaldiRecognizer):
            def __init__(self, *args):
                super().__init__(*args)
                spy.made += 1

            def SetGrammar(self, grammar):
                spy.grammars.append(json.loads(grammar))
                return super().SetGrammar(grammar)

        self.KaldiRecognizer = KaldiRecognizer

    def __getattr__(self, name):
        return getattr(self._real, name)


@pytest.fixture
def spy_vosk(monkeypatch):
    from sekretar.voice import deps

    spy = _SpyVosk(deps.vosk())
    monkeypatch.setattr(deps, "vosk", lambda: spy)
    return spy


def test_phrase_hints_are_ignored_by_models_without_runtime_vocabulary(ko_model, ko_16k, spy_vosk):
    """What the code does with the hints, not Vosk's text (which varies from
    run to run on this model): a model without a runtime vocabulary never
    gets a grammar, so its decoder is the open-vocabulary one; the same hints
    on the small model do restrict it (the spy sees them)."""
    big = Recognizer(_Model(ko_model), phrases=["회의", "시작"])
    assert big.phrases == [] and big.set_phrases(["전화"]) == []
    big.transcribe(read_audio(ko_16k))
    assert spy_vosk.made >= 1  # its decoders came through the spy
    assert spy_vosk.grammars == [], "a model without runtime vocabulary was given a grammar"
    small = Recognizer(ko_model, phrases=["회의", "시작"])
    assert small.phrases == ["회의", "시작"]
    assert spy_vosk.grammars and spy_vosk.grammars[-1][:2] == ["회의", "시작"]


class _StuckVosk:
    """A KaldiRecognizer whose endpointer never fires (noise taken for speech)
    and whose partial text stops changing after `words` chunks."""

    def __init__(self, words=3):
        self.n, self.words = 0, words

    def AcceptWaveform(self, data):
        self.n += 1
        return False

    def PartialResult(self):
        return json.dumps({"partial": " ".join(["말"] * min(self.n, self.words))})

    def FinalResult(self):
        text = " ".join(["말"] * min(self.n, self.words))
        self.n = 0
        return json.dumps({"text": text, "result": []})

    def Reset(self):
        self.n = 0


def test_a_silence_timeout_ends_an_utterance_the_endpointer_misses(ko_model):
    rec = Recognizer(ko_model, silence_timeout=1.0)
    rec._rec = _StuckVosk(words=3)
    chunk = b"\0\0" * 1600  # 0.1 s
    events = []
    for i in range(30):
        events += [(i, e) for e in rec.accept(chunk) if isinstance(e, Utterance)]
    assert events and events[0][1].reason == "silence"
    # the text stopped changing at chunk 3 (index 2): 1.0 s later is chunk 13 (index 12)
    assert events[0][0] == 12


def test_a_long_utterance_is_cut_at_max_utterance(ko_model):
    rec = Recognizer(ko_model, silence_timeout=100, max_utterance=2.0)
    rec._rec = _StuckVosk(words=1000)
    chunk = b"\0\0" * 1600
    finals = [(i, e) for i in range(25) for e in rec.accept(chunk) if isinstance(e, Utterance)]
    assert finals[0][1].reason == "max" and finals[0][0] == 19


def test_an_empty_phrase_list_restores_the_open_vocabulary(ko_model, ko_16k, reference):
    rec = Recognizer(ko_model, phrases=["회의"])
    assert rec.set_phrases([]) == [] and rec.phrases == []
    assert word_overlap(reference.text, rec.transcribe(read_audio(ko_16k)).text) >= 0.6
