"""Store call latency on SQLite (a file in /tmp) and, with a URL argument,
on PostgreSQL:

    .venv/bin/python bench/bench_store.py [postgresql://...]

Prints microseconds per call for the calls a dialog turn makes.
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

from sekretar.store import open_store


def bench(url: str, rounds: int = 500) -> None:
    s = open_store(url)
    now = datetime.now(timezone.utc)
    state = {"step": "confirm", "command": {"intent": "task", "title": "Отчёт" * 10}}
    calls = {
        "save_state": lambda i: s.save_state(f"u{i % 50}", state, now),
        "load_state": lambda i: s.load_state(f"u{i % 50}"),
        "get_link": lambda i: s.get_link(f"u{i % 50}"),
        "put_reply": lambda i: s.put_reply("u", f"r{i}", {"text": "Готово"}, now),
        "issue_code": lambda i: s.issue_code(str(i), "local", now),
        "add_action": lambda i: s.add_action(f"k{i}", "u", {"kind": "task"}, now),
        "claim_due_action": lambda i: s.claim_due_action(now + timedelta(seconds=1)),
        "finish_action": lambda i: s.finish_action(f"k{i}", "done", now, result={"id": str(i)}),
    }
    print(f"{url.split('://')[0]}: {rounds} calls each")
    for name, call in calls.items():
        t = time.perf_counter()
        for i in range(rounds):
            call(i)
        print(f"  {name:18s} {(time.perf_counter() - t) / rounds * 1e6:8.0f} µs/call")
    s.close()


if __name__ == "__main__":
    bench(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    for url in sys.argv[1:]:
        bench(url)
