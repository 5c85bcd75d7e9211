#!/usr/bin/env python3
"""Benchmark of whole conversations through the App (parser, SQLite store,
local workspace, outbox), as the server runs them.

    .venv/bin/python bench/bench_dialog.py [--n 200] [--m 60]

Each conversation: a command with something missing, the answer, a
correction, "да" (the task/event/message is created). Prints per-turn cost
(p50, p99, mean) by kind of turn, conversations per second, and the App's
build time (one morph analyzer, parser, store, workspace).

Then questions and changes beside commands (issue 12), on the local
workspace and against the loopback test portal (tests/fake_bitrix24.py, its
rate limit off): a question's turn ("что у меня завтра", "какие у меня
задачи"), a command's first turn and its "да", a change's first turn (the
item is looked up) and its "да"; with the portal requests each kind makes.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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
    ap.add_argument("--m", type=int, default=60, help="rounds of questions and changes per workspace")
    args = ap.parse_args()
    commands(args)
    for where in ("local", "portal"):
        questions(args.m, where)


ROUND = [("question", "что у меня завтра"), ("question", "какие у меня задачи"),
         ("command", "Поставь задачу купить бумагу на завтра"), ("command_yes", "да"),
         ("change", "перенеси планёрку на {hour}:00"), ("change_yes", "да")]


def questions(m: int, where: str) -> None:
    from sekretar.app import open_app
    from sekretar.core.config import Settings
    from sekretar.core.types import Action
    from sekretar.store import open_store

    home = Path(tempfile.mkdtemp(prefix="sekretar-bench-"))
    fake = None
    if where == "portal":
        from tests.fake_bitrix24 import FakeBitrix24
        from tests.fixtures_bitrix import make_bitrix_workspace, portal_users

        fake = FakeBitrix24(portal_users(), limit=False).start()
        store = open_store(f"sqlite:///{home / 'b24.db'}")
        ws = make_bitrix_workspace(store, home, fake, rate=10_000, burst=10_000)
        app = open_app(Settings(home=home, workspace="bitrix24"), store=store, workspace=ws)
    else:
        app = open_app(Settings(home=home))
    olga = next(p for p in app.workspace.people() if p.name == "Ольга Новикова")
    now = datetime.now(ZoneInfo("Europe/Moscow"))
    tomorrow = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    app.workspace.create(Action("event", actor=olga.id, key="bench-planerka", title="Планёрка",
                                start=tomorrow, end=tomorrow + timedelta(minutes=30)))
    for i in range(5):
        app.workspace.create(Action("task", actor=olga.id, key=f"bench-t{i}", target=olga.id,
                                    title=f"Задача номер {i}", start=tomorrow + timedelta(hours=i)))
    user = f"bench:{where}"
    app.store.set_link(user, olga.id, app.workspace.name, now)
    by_kind: dict[str, list[float]] = {}
    calls: dict[str, list[int]] = {}
    for r in range(m):
        for kind, text in ROUND:
            before = len(fake.calls) if fake else 0
            t = time.perf_counter()
            reply = app.turn(text.format(hour=15 if r % 2 == 0 else 11), user=user, now=now)
            by_kind.setdefault(kind, []).append(time.perf_counter() - t)
            calls.setdefault(kind, []).append((len(fake.calls) if fake else 0) - before)
            assert reply.outcome in ("answered", "confirm_asked", "done"), (text, reply.text)
    app.close()
    if fake:
        fake.stop()
    print(f"questions and changes on {'the test portal (loopback)' if fake else 'the local workspace'}, "
          f"{m} rounds:")
    for kind in dict.fromkeys(k for k, _ in ROUND):
        ms = [v * 1000 for v in by_kind[kind]]
        extra = f"  portal requests {statistics.mean(calls[kind]):4.1f}/turn" if fake else ""
        print(f"  {kind:>12}: n={len(ms):4d}  p50 {pct(ms, 0.5):6.2f} ms  p99 {pct(ms, 0.99):6.2f} ms"
              f"  mean {statistics.mean(ms):6.2f} ms{extra}")


def commands(args) -> None:
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
