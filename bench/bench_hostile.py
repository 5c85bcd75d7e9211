#!/usr/bin/env python3
"""Hostile input, timed: every text of tests/test_grammar_hostile.py's
HOSTILE table (200 KB of one letter, digits, dashes and dots, ranges and
dates repeated 5,000 times, emoji, control characters...) parsed once
each, warm; prints milliseconds per text, the slowest, and the sum.

    .venv/bin/python bench/bench_hostile.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from sekretar.grammar import Parser
    from tests.test_grammar_hostile import HOSTILE

    parser = Parser()
    now = "2019-03-25T12:28:00+03:00"
    parser.parse("завтра в 10", now=now)  # word tables loaded outside the figures
    rows = []
    for name, text in HOSTILE.items():
        t0 = time.perf_counter()
        parser.parse(text, now=now)
        rows.append((time.perf_counter() - t0, name, len(text)))
    for secs, name, size in sorted(rows, reverse=True):
        print(f"{name:24s} {size:8d} chars  {secs * 1e3:8.1f} ms")
    worst = max(rows)
    print(f"slowest: {worst[1]} {worst[0] * 1e3:.0f} ms; all {len(rows)} texts {sum(r[0] for r in rows) * 1e3:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
