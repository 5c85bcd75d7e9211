"""Where audio comes from: the AudioSource protocol, the microphone
(sounddevice/PortAudio) and a file played as if it were a microphone.

An AudioSource is a context manager with a `rate` that yields numpy arrays
of samples ((n,) or (n, channels), float32 or int16) from `chunks()`; the
listen loop converts them to what the model needs. `drain()` drops audio
buffered while the assistant was speaking, so it does not hear itself.
"""
from __future__ import annotations

import queue
import time
from typing import Any, Iterator, Protocol, runtime_checkable

from sekretar.voice import deps
from sekretar.voice.audio import Audio, read_audio

from sekretar.core.errors import AudioDeviceError


@runtime_checkable
class AudioSource(Protocol):
    rate: int

    def __enter__(self) -> "AudioSource": ...

    def __exit__(self, *exc) -> None: ...

    def chunks(self) -> Iterator[Any]: ...

    def drain(self) -> None: ...


class Microphone:
    """The default (or `device`) input device, captured on PortAudio's thread
    into a queue. `rate=None` opens the device at its own default rate (the
    loop resamples), which works on devices that refuse 16 kHz."""

    def __init__(self, device: int | str | None = None, rate: int | None = None,
                 block_seconds: float = 0.1, channels: int = 1):
        self.sd = deps.sounddevice()
        self.device = device
        self.channels = channels
        self.block_seconds = block_seconds
        self.rate = int(rate or self._default_rate())
        self._queue: queue.Queue = queue.Queue()
        self._stream = None

    def _default_rate(self) -> int:
        try:
            info = self.sd.query_devices(self.device, kind="input")
        except (ValueError, self.sd.PortAudioError) as exc:
            raise AudioDeviceError(self._no_device(exc)) from None
        return int(info["default_samplerate"])

    def _no_device(self, exc: Exception) -> str:
        which = f"input device {self.device!r}" if self.device is not None else "default input device"
        return (f"no usable microphone: {which} is not available ({exc}). "
                "Connect one, or list devices with: python -m sounddevice, then pass --device N")

    def _callback(self, indata, frames, time_info, status) -> None:
        self._queue.put(indata.copy())

    def __enter__(self) -> "Microphone":
        try:
            self._stream = self.sd.InputStream(
                samplerate=self.rate, device=self.device, channels=self.channels,
                dtype="int16", blocksize=int(self.rate * self.block_seconds),
                callback=self._callback)
            self._stream.start()
        except (ValueError, self.sd.PortAudioError) as exc:
            self._stream = None
            raise AudioDeviceError(self._no_device(exc)) from None
        return self

    def __exit__(self, *exc) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
            finally:
                self._stream.close()
                self._stream = None

    def chunks(self) -> Iterator[Any]:
        while self._stream is not None:
            try:
                yield self._queue.get(timeout=0.5)
            except queue.Empty:
                if self._stream is not None and not self._stream.active:
                    raise AudioDeviceError("the microphone stopped delivering audio") from None

    def drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return


class FileSource:
    """An audio file (or an Audio) delivered in microphone-sized chunks.
    `realtime=True` paces it like a live device; `tail_silence` seconds of
    silence are appended so endpointing, not the end of the file, ends the
    last utterance (as with a microphone that keeps listening)."""

    def __init__(self, audio: "Audio | str", block_seconds: float = 0.1,
                 realtime: bool = False, tail_silence: float = 0.0):
        self.audio = audio if isinstance(audio, Audio) else read_audio(audio)
        self.rate = self.audio.rate
        self.block_seconds = block_seconds
        self.realtime = realtime
        self.tail_silence = tail_silence
        self.drained = 0

    def __enter__(self) -> "FileSource":
        return self

    def __exit__(self, *exc) -> None:
        pass

    def chunks(self) -> Iterator[Any]:
        np = deps.numpy()
        samples = self.audio.samples
        if self.tail_silence:
            samples = np.concatenate([samples, np.zeros(int(self.rate * self.tail_silence),
                                                        dtype=np.float32)])
        step = max(1, int(self.rate * self.block_seconds))
        for start in range(0, len(samples), step):
            if self.realtime:
                time.sleep(step / self.rate)
            yield samples[start:start + step]

    def drain(self) -> None:
        self.drained += 1
