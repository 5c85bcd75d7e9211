"""Load benchmark of the production server: gunicorn (2 workers, gthread) on
loopback, SEKRETAR_HOME in a temporary directory (SQLite), many linked Alice
users each holding a conversation: new session → command → answer.

Scenarios:
  nocrm   command → "нет" (parse, dialog, store; the CRM is not involved)
  crm     command → "да", the local workspace creates the task at once
  crm200  command → "да", the CRM answers in 200 ms (bench/slow_app.py)
  crm5s   command → "да", the CRM takes 5 s: the reply comes at the action
          budget (1.5 s) saying the task is queued; nothing may pass 3 s

Prints turns/s, p50/p99/max latency per scenario and the RSS of every
server process. Usage:

    .venv/bin/python bench/bench_server.py [--seconds 10] [--clients 8] [--users 200]
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMANDS = [
    "поставь задачу на {acc} на следующий вторник в 13:15 подготовить отчет",
    "поставь задачу {dat} на завтра проверить договор",
    "напомни {dat} в пятницу в 10 утра позвонить клиенту",
    "создай задачу для {gen} на 5 декабря сдать презентацию",
]
PEOPLE = [("сергея иванова", "сергею иванову", "сергея иванова"), ("анну петрову", "анне петровой", "анны петровой"),
          ("дмитрия орлова", "дмитрию орлову", "дмитрия орлова"), ("марию иванову", "марии ивановой", "марии ивановой")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alice(user: str, session: str, mid: int, text: str, state: dict, hint: str | None = None) -> bytes:
    intents = {hint: {"slots": {}}} if hint else {}
    return json.dumps({
        "meta": {"locale": "ru-RU", "timezone": "Europe/Moscow", "client_id": "bench", "interfaces": {}},
        "session": {"message_id": mid, "session_id": session, "skill_id": "bench", "new": mid == 0,
                    "user": {"user_id": user}, "application": {"application_id": "app-" + user}},
        "request": {"command": text, "original_utterance": text, "type": "SimpleUtterance",
                    "nlu": {"tokens": text.split(), "entities": [], "intents": intents}},
        "state": {"session": state, "user": {}, "application": {}}, "version": "1.0",
    }, ensure_ascii=False).encode()


def client(port: int, users: list[str], answer: str, stop_at: float, warm_until: float, out) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    rnd = random.Random(os.getpid())
    lat, errors, n = [], 0, 0
    while time.time() < stop_at:
        user = rnd.choice(users)
        acc, dat, gen = rnd.choice(PEOPLE)
        command = rnd.choice(COMMANDS).format(acc=acc, dat=dat, gen=gen)
        session, state = f"{user}-{n}-{rnd.random()}", {}
        n += 1
        hint = "YANDEX.CONFIRM" if answer == "да" else "YANDEX.REJECT"
        for mid, (text, h) in enumerate((("", None), (command, None), (answer, hint))):
            body = alice(user, session, mid, text, state, h)
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/alice", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                data = resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                ok, data = False, b"{}"
            took = time.perf_counter() - t0
            if time.time() >= warm_until:
                lat.append(took)
                errors += not ok
            state = json.loads(data or b"{}").get("session_state", {}) if ok else {}
    out.put((lat, errors))


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def start_server(home: Path, port: int, app: str, extra_env: dict) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEKRETAR_")}
    env.update({"SEKRETAR_HOME": str(home), "SEKRETAR_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "warning"), "SEKRETAR_DRAIN_INTERVAL": "2",
                "PYTHONPATH": str(ROOT / "bench"), "PROMETHEUS_MULTIPROC_DIR": str(home / "prom")}, **extra_env)
    (home / "prom").mkdir()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen([gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2", "-b", f"127.0.0.1:{port}",
                             app], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "ab"))
    import urllib.request

    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start: " + (home / "server.log").read_text()[-2000:])


def link_users(url: str, n: int) -> list[str]:
    from sekretar.integrations.local import LocalWorkspace
    from sekretar.store import open_database, open_store

    people = LocalWorkspace(open_database(url)).people()
    store = open_store(url)
    now = datetime.now(timezone.utc)
    users = [f"bench-user-{i:04d}" for i in range(n)]
    for i, user in enumerate(users):
        store.set_link(f"alice:{user}", people[i % len(people)].id, "local", now)
    store.close()
    return users


def outcome_counts(port: int) -> dict:
    """Turns by outcome from /metrics (all workers: multiprocess mode)."""
    import re
    import urllib.request

    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    counts: dict[str, int] = {}
    for line in text.splitlines():
        m = re.match(r'sekretar_turns_total\{(.*)\} ([0-9.e+]+)$', line)
        if m:
            outcome = re.search(r'outcome="([^"]*)"', m.group(1)).group(1)
            counts[outcome] = counts.get(outcome, 0) + int(float(m.group(2)))
    return counts


def run(name: str, app: str, answer: str, env: dict, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="sekretar-bench-") as tmp:
        home, port = Path(tmp), free_port()
        url = args.database_url or f"sqlite:///{home / 'sekretar.db'}"
        if args.database_url:
            env = {**env, "SEKRETAR_DATABASE_URL": args.database_url}
        proc = start_server(home, port, app, env)
        try:
            users = link_users(url, args.users)
            q = mp.Queue()
            warm_until = time.time() + args.warmup
            stop_at = warm_until + args.seconds
            procs = [mp.Process(target=client, args=(port, users, answer, stop_at, warm_until, q))
                     for _ in range(args.clients)]
            for p in procs:
                p.start()
            time.sleep(args.warmup + args.seconds / 2)
            rss = {pid: rss_kb(pid) for pid in [proc.pid, *children(proc.pid)]}
            results = [q.get() for _ in procs]
            for p in procs:
                p.join()
            outcomes = outcome_counts(port)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(15)
            if args.log_dir:
                Path(args.log_dir).mkdir(parents=True, exist_ok=True)
                (Path(args.log_dir) / f"server-{name}.log").write_bytes((home / "server.log").read_bytes())
    lat = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    q99 = statistics.quantiles(lat, n=100, method="inclusive")
    return {"scenario": name, "turns": len(lat), "errors": errors, "turns_per_s": len(lat) / args.seconds,
            "p50_ms": statistics.median(lat) * 1000, "p99_ms": q99[98] * 1000, "max_ms": lat[-1] * 1000,
            "rss_mb": {pid: round(kb / 1024, 1) for pid, kb in rss.items()}, "outcomes": outcomes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--clients", type=int, default=4, help="client processes, one connection each")
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--log-dir", help="keep the server's JSON log (info level) here")
    ap.add_argument("--database-url", help="run on this database (postgresql://...) instead of SQLite in tmp")
    ap.add_argument("--only", choices=["nocrm", "crm", "crm200", "crm5s"], action="append")
    args = ap.parse_args()
    scenarios = [("nocrm", "server:create_app()", "нет", {}),
                 ("crm", "server:create_app()", "да", {}),
                 ("crm200", "slow_app:create()", "да", {"BENCH_CRM_DELAY": "0.2"}),
                 ("crm5s", "slow_app:create()", "да", {"BENCH_CRM_DELAY": "5"})]
    print(f"gunicorn -w 2 -k gthread --threads 8, {args.clients} client processes, {args.users} users, "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}, "
          f"{args.seconds:.0f} s per scenario, {os.cpu_count()} CPUs shared by server and clients")
    print(f"{'scenario':<8} {'turns':>6} {'err':>4} {'turns/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}  RSS MB")
    for name, app, answer, env in scenarios:
        if args.only and name not in args.only:
            continue
        r = run(name, app, answer, env, args)
        rss = ", ".join(f"{v}" for v in r["rss_mb"].values())
        print(f"{r['scenario']:<8} {r['turns']:>6} {r['errors']:>4} {r['turns_per_s']:>8.0f} {r['p50_ms']:>7.1f} "
              f"{r['p99_ms']:>7.1f} {r['max_ms']:>7.1f}  master+workers: {rss}", flush=True)
        print(f"{'':<8} outcomes (incl. warm-up): {r['outcomes']}", flush=True)


if __name__ == "__main__":
    main()
