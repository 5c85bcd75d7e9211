"""Audio in: every common rate, channel count and sample width becomes mono
float32; streams converted chunk by chunk match the file converted at once."""
from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
sf = pytest.importorskip("soundfile")
pytest.importorskip("soxr")

from sekretar.voice.audio import Audio, StreamConverter, pcm16_to_float, read_audio, resample, to_pcm16  # noqa: E402

from sekretar.core.errors import AudioFormatError  # noqa: E402

RATE = 16000


def tone(rate: int, seconds: float = 0.5, freq: float = 440.0):
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT"])
def test_every_sample_width_reads_as_the_same_signal(tmp_path, subtype):
    path = tmp_path / "t.wav"
    sf.write(path, tone(RATE), RATE, subtype=subtype)
    audio = read_audio(path)
    assert audio.rate == RATE and audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert np.max(np.abs(audio.samples - tone(RATE))) < 0.02


def test_stereo_is_mixed_to_mono(tmp_path):
    left, right = tone(RATE), np.zeros(RATE // 2, dtype=np.float32)
    path = tmp_path / "s.wav"
    sf.write(path, np.stack([left, right], axis=1), RATE, subtype="PCM_16")
    audio = read_audio(path)
    assert audio.samples.ndim == 1
    assert np.allclose(audio.samples, left / 2, atol=1e-3)


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 32000, 44100, 48000])
def test_resampling_keeps_length_and_pitch(rate):
    out = resample(tone(rate, 1.0), rate, RATE)
    assert abs(len(out) - RATE) <= 2
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(np.argmax(spectrum) * RATE / len(out) - 440.0) < 2.0


@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_stream_conversion_matches_whole_file_conversion(rate):
    signal = tone(rate, 1.0)
    whole = pcm16_to_float(to_pcm16(resample(signal, rate, RATE)))
    conv = StreamConverter(rate, RATE)
    step = rate // 10 + 7  # chunks that do not divide the rate
    parts = [conv.convert(signal[i:i + step]) for i in range(0, len(signal), step)]
    streamed = pcm16_to_float(b"".join(parts) + conv.flush())
    assert abs(len(streamed) - len(whole)) <= 2
    n = min(len(streamed), len(whole)) - 200
    assert np.max(np.abs(streamed[200:n] - whole[200:n])) < 0.01


def test_int16_stereo_chunks_from_a_device_are_mixed_and_scaled():
    frames = (np.stack([tone(RATE), tone(RATE)], axis=1) * 32767).astype(np.int16)
    pcm = StreamConverter(RATE, RATE).convert(frames)
    assert len(pcm) == 2 * len(frames)
    assert np.max(np.abs(pcm16_to_float(pcm) - tone(RATE))) < 1e-3


def test_audio_length():
    assert Audio(np.zeros(8000, dtype=np.float32), 16000).seconds == 0.5


@pytest.mark.parametrize("content, needle", [
    (b"", "not a readable audio file"),
    (b"RIFF\x10\x00\x00\x00WAVEjunk", "not a readable audio file"),
    (b"hello, I am text, not sound\n" * 20, "not a readable audio file"),
], ids=["empty", "truncated-riff", "text"])
def test_bad_files_give_one_clear_error(tmp_path, content, needle):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioFormatError, match=needle):
        read_audio(path)


def test_missing_file(tmp_path):
    with pytest.raises(AudioFormatError, match="no such file"):
        read_audio(tmp_path / "nope.wav")


def test_too_low_a_rate_is_refused(tmp_path):
    path = tmp_path / "low.wav"
    sf.write(path, tone(4000), 4000, subtype="PCM_16")
    with pytest.raises(AudioFormatError, match="4000 Hz"):
        read_audio(path)
