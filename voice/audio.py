"""Audio in: files of any common rate/width/channel count, and raw streams,
converted to what a Vosk model takes (mono 16-bit PCM at the model's rate).

Files are read with soundfile (libsndfile: WAV PCM 8/16/24/32-bit and float,
WAVE_FORMAT_EXTENSIBLE, FLAC, OGG); channels are averaged; the rate is
converted with soxr (its streaming resampler keeps state across chunks, so a
stream converted chunk by chunk equals the file converted at once).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sekretar.voice import deps

from sekretar.core.errors import AudioFormatError

MIN_RATE, MAX_RATE = 8000, 192000


@dataclass
class Audio:
    """Mono float32 samples in [-1, 1] at `rate`."""

    samples: Any   # numpy.ndarray, 1-D float32
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate if self.rate else 0.0


def read_audio(path: str | Path) -> Audio:
    """Read an audio file, mixed to mono. Unreadable input → AudioFormatError."""
    sf = deps.soundfile()
    np = deps.numpy()
    path = Path(path)
    if not path.is_file():
        raise AudioFormatError(f"{path}: no such file")
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioFormatError(
            f"{path.name}: not a readable audio file ({exc}); "
            "give a WAV (PCM 8/16/24/32-bit or float), FLAC or OGG file") from None
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioFormatError(f"{path.name}: unsupported sample rate {rate} Hz "
                               f"(need {MIN_RATE}-{MAX_RATE})")
    return Audio(samples=np.ascontiguousarray(mix_to_mono(data)), rate=int(rate))


def mix_to_mono(frames):
    """(n,) or (n, channels) float/int array → (n,) float32 in [-1, 1]."""
    np = deps.numpy()
    arr = np.asarray(frames)
    if arr.dtype.kind in "iu":
        arr = to_float(arr)
    arr = arr.astype(np.float32, copy=False)
    if arr.ndim == 2:
        arr = arr.mean(axis=1, dtype=np.float32) if arr.shape[1] > 1 else arr[:, 0]
    return arr


def to_float(arr):
    np = deps.numpy()
    if arr.dtype == np.uint8:     # 8-bit WAV is unsigned
        return (arr.astype(np.float32) - 128.0) / 128.0
    scale = float(2 ** (8 * arr.itemsize - 1))
    return arr.astype(np.float32) / scale


def resample(samples, src_rate: int, dst_rate: int):
    if src_rate == dst_rate:
        return samples
    return deps.soxr().resample(samples, src_rate, dst_rate, quality="HQ")


def to_pcm16(samples) -> bytes:
    np = deps.numpy()
    clipped = np.clip(samples, -1.0, 1.0) * 32767.0
    return np.rint(clipped).astype("<i2").tobytes()


def pcm16_to_float(data: bytes):
    np = deps.numpy()
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


class StreamConverter:
    """Chunk-by-chunk conversion of a live stream (any rate, channels, dtype)
    to mono PCM16 bytes at `dst_rate`. Keeps the resampler's state."""

    def __init__(self, src_rate: int, dst_rate: int):
        self.src_rate, self.dst_rate = int(src_rate), int(dst_rate)
        self._stream = None
        if self.src_rate != self.dst_rate:
            self._stream = deps.soxr().ResampleStream(self.src_rate, self.dst_rate, 1,
                                                      dtype="float32", quality="HQ")

    def convert(self, frames, last: bool = False) -> bytes:
        mono = mix_to_mono(frames)
        if self._stream is not None:
            mono = self._stream.resample_chunk(mono, last=last)
        return to_pcm16(mono)

    def flush(self) -> bytes:
        if self._stream is None:
            return b""
        np = deps.numpy()
        return self.convert(np.zeros(0, dtype=np.float32), last=True)


def pcm16_for_model(audio: Audio, rate: int) -> bytes:
    return to_pcm16(resample(audio.samples, audio.rate, rate))


def raw_pcm_chunks(stream, rate: int, channels: int = 1, seconds: float = 0.1):
    """Signed 16-bit little-endian interleaved PCM from a binary stream (a pipe
    from arecord/sox/ffmpeg) as (n, channels) int16 arrays of about `seconds`."""
    np = deps.numpy()
    frame = 2 * channels
    want = frame * max(1, int(rate * seconds))
    rest = b""
    while True:
        data = stream.read(want)
        if not data:
            break
        data = rest + data
        usable = len(data) - len(data) % frame
        rest = data[usable:]
        if usable:
            yield np.frombuffer(data[:usable], dtype="<i2").reshape(-1, channels)
