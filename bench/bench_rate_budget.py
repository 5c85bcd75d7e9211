"""The cost of the shared Bitrix24 rate budget (integrations/bitrix24/budget.py):
one atomic UPDATE ... RETURNING on the store's database per REST call.

    .venv/bin/python bench/bench_rate_budget.py [N] [postgresql://...]

Prints microseconds per reserve() (median, 90th percentile) for the
in-process bucket, the SQLite-backed one, and PostgreSQL when a URL is
given; then 4 threads at once on SQLite (reserves per second). Asserts nothing.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sekretar.integrations.bitrix24 import RateLimiter  # noqa: E402
from sekretar.integrations.bitrix24.budget import SharedRateLimiter  # noqa: E402
from sekretar.store import open_database, open_store  # noqa: E402


def timed(limiter, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        limiter.reserve()
        samples.append((time.perf_counter() - t0) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9)]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        urls = [("sqlite", f"sqlite:///{Path(tmp) / 'b.db'}")] + ([("postgresql", sys.argv[2])] if len(sys.argv) > 2 else [])
        med, p90 = timed(RateLimiter(1e9, 10 ** 9), n)
        print(f"in-process bucket        : {med:8.1f} µs median, {p90:8.1f} µs p90")
        for name, url in urls:
            open_store(url).close()
            db = open_database(url)
            med, p90 = timed(SharedRateLimiter(db, f"https://bench-{name}", rate=1e9, burst=10 ** 9), n)
            print(f"shared bucket, {name:10s}: {med:8.1f} µs median, {p90:8.1f} µs p90")
            db.close()
        db = open_database(urls[0][1])
        limiter = SharedRateLimiter(db, "https://bench-threads", rate=1e9, burst=10 ** 9)
        t0 = time.perf_counter()
        threads = [threading.Thread(target=lambda: [limiter.reserve() for _ in range(n // 4)]) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"4 threads, sqlite        : {n / (time.perf_counter() - t0):8.0f} reserves/s")
        db.close()


if __name__ == "__main__":
    main()
