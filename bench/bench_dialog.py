#!/usr/bin/env python3
"""Benchmark of whole conversations through the App (parser, SQLite store,
local workspace, outbox), as the server runs them.

    .venv/bin/python bench/bench_dialog.py [--n 200]

Each conversation: a command with something missing, the answer, a
correction, "да" (the task/event/message is created). Prints per-turn cost
(p50, p99, mean) by kind of turn, conversations per second, and the App's
build time (one morph analyzer, parser, store, workspace).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

SCRIPTS = [
    ["Поставь задачу на Сергея Иванова на следующий вторник в 13:15", "Отчет маркетинга",
     "нет, на среду", "да"],
    ["Отправь сообщение Сергею", "Петрова", "созвонимся завтра", "да"],
    ["Запланируй встречу завтра с 11 до 13", "Планерка", "в 15:00", "давай"],
    ["Send a message to Nastya", "hello there", "yes"],
]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200, help="conversations")
    args = ap.parse_args()

    from sekretar.app import open_app
    from sekretar.core.config import Settings

    home = Path(tempfile.mkdtemp(prefix="sekretar-bench-"))
    t0 = time.perf_counter()
    app = open_app(Settings(home=home))
    build = time.perf_counter() - t0
    olga = next(p for p in app.workspace.people() if p.name == "Ольга Новикова")
    now = datetime.fromisoformat("2019-03-25T12:28:00+03:00")
    by_step: dict[str, list[float]] = {}
    t_all = time.perf_counter()
    for i in range(args.n):
        user = f"bench:{i}"
        app.store.set_link(user, olga.id, "local", now)
        for n, text in enumerate(SCRIPTS[i % len(SCRIPTS)]):
            t = time.perf_counter()
            reply = app.turn(text, user=user, now=now)
            by_step.setdefault("first" if n == 0 else reply.outcome, []).append(time.perf_counter() - t)
    total = time.perf_counter() - t_all
    app.close()
    turns = sum(len(v) for v in by_step.values())
    print(f"app build (morph analyzer, parser, store, workspace): {build * 1000:.0f} ms")
    print(f"{args.n} conversations, {turns} turns in {total:.2f} s: "
          f"{args.n / total:.1f} conversations/s, {turns / total:.1f} turns/s")
    for step, values in sorted(by_step.items()):
        ms = [v * 1000 for v in values]
        print(f"  {step:>14}: n={len(ms):4d}  p50 {pct(ms, 0.5):6.2f} ms  p99 {pct(ms, 0.99):6.2f} ms"
              f"  mean {statistics.mean(ms):6.2f} ms")


if __name__ == "__main__":
    main()
