"""Date/time reading speed: find_when over every row of the test tables and
over typical commands, and spoken_digits over one-time codes.

    .venv/bin/python bench/bench_dates.py

Prints microseconds per call (median and 90th percentile of warm calls) and
the cold start (first call: loading the word tables).
"""
from __future__ import annotations

import statistics
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2019, 3, 25, 12, 28, tzinfo=ZoneInfo("Europe/Moscow"))
TYPICAL = [
    ("ru", "Поставь задачу на Сергея Иванова на следующий вторник в 13:15."),
    ("ru", "поставь задачу на сергея иванова на следующий вторник в тринадцать пятнадцать"),
    ("ru", "Запланируй встречу на завтра с 14 до 15."),
    ("ru", "запланируй встречу с двенадцатого декабря в девять часов тридцать одну минуту "
           "по четырнадцатое декабря десять часов девятнадцать минут вечера"),
    ("ru", "Отправь сообщение Сергею Иванову привет, как дела?"),
    ("en", "Schedule a meeting tomorrow from 11 am to 1 pm"),
]


def timed(fn, repeat: int = 200) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1e6)
    runs.sort()
    return statistics.median(runs), runs[int(len(runs) * 0.9)]


def main() -> None:
    t0 = time.perf_counter()
    from sekretar.grammar.dates import find_when
    from sekretar.grammar.numbers import spoken_digits
    from sekretar.grammar.tokens import clean, tokenize
    find_when(tokenize("завтра"), NOW, "ru")
    find_when(tokenize("tomorrow"), NOW, "en")
    spoken_digits("пять")
    print(f"cold start (import + word tables): {(time.perf_counter() - t0) * 1e3:.1f} ms")

    print("\nfind_when, typical commands (us: p50 / p90)")
    for lang, text in TYPICAL:
        toks = tokenize(clean(text))
        p50, p90 = timed(lambda: find_when(toks, NOW, lang))
        print(f"  {p50:7.1f} / {p90:7.1f}  {text[:70]}")

    for lang in ("ru", "en"):
        rows = yaml.safe_load((ROOT / "tests" / "data" / f"dates_{lang}.yaml").read_text(encoding="utf-8"))["cases"]
        toks = [tokenize(clean(r["text"])) for r in rows]
        per = []
        for t in toks:
            per.append(timed(lambda: find_when(t, NOW, lang), repeat=30)[0])
        per.sort()
        print(f"\nfind_when over {len(rows)} {lang} table rows: p50 {statistics.median(per):.1f} us, "
              f"p90 {per[int(len(per) * 0.9)]:.1f} us, max {per[-1]:.1f} us")

    codes = ["пять пять два девять один четыре", "пятьсот пятьдесят два девятьсот четырнадцать",
             "код пять пять два, девять один четыре", "552 914", "five five two nine one four"]
    print("\nspoken_digits (us: p50 / p90)")
    for c in codes:
        p50, p90 = timed(lambda: spoken_digits(c))
        print(f"  {p50:7.1f} / {p90:7.1f}  {c}")

    big = tokenize(clean("завтра " * 5000))
    t0 = time.perf_counter()
    find_when(big, NOW, "ru")
    print(f"\nhostile: {len(big)} tokens of 'завтра' in {(time.perf_counter() - t0) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
