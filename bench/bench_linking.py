"""Guessing account-linking codes, measured (issue 9; policy in docs/security.md).

For each route (JSON API, Alice, Google, CLI chat = App.turn) a flood of
wrong six-digit codes from ROTATING voice user ids (the attack no per-user
limit stops) runs for `--seconds` through the real app (parser, dialog,
store on SQLite in a temporary SEKRETAR_HOME; the web routes through the
Flask test client, so no socket is in the way: an upper bound), then:

  guesses/min   wrong codes the server evaluated per minute on that route
  one id/min    the same from ONE voice user id (the per-user limit: 5/15 min)
  code life     how long a six-digit code lasts under that flood before its
                guess budget (1,000 wrong codes) retires it
  new code      the length of a code issued during the flood, and whether the
                real user linked with it while the flood went on
  delay         the real user's extra wait: one new code (the page or
                `sekretar link-code`), never a refusal of a right code

and the chance a given live code is guessed during its life, counted
(guesses that could have hit it / code space), which the budget keeps at
<= 0.1 %. Usage:

    .venv/bin/python bench/bench_linking.py [--seconds 5] [--pg postgresql://...]
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ALICE = json.loads((ROOT / "tests" / "data" / "alice" / "conversation.json").read_text("utf-8"))


_message_ids = iter(range(1, 10 ** 12))


def alice(text: str, user: str) -> dict:
    body = copy.deepcopy(ALICE[2])
    body["request"].update(command=text, original_utterance=text, nlu={"intents": {}})
    body["session"].update(session_id=f"s-{user}", message_id=next(_message_ids), new=False, user={"user_id": user},
                           application={"application_id": user})
    return body


def google(text: str, user: str) -> dict:
    return {"intent": {"name": "x", "query": text}, "session": {"id": f"g-{user}", "params": {}},
            "user": {"locale": "ru-RU", "params": {"sekretar_uid": user}}}


def build():
    from sekretar.app import open_app
    from sekretar.core.config import Settings
    from sekretar.web import create_app
    from sekretar.web.config import ServerConfig

    home = Path(tempfile.mkdtemp(prefix="bench-link-"))
    settings = Settings(home=home)
    app = open_app(settings, action_budget=1.5)
    web = create_app(settings, app=app, config=ServerConfig(drain_interval=0, reply_deadline=0))
    return app, web


def senders(app, web):
    client = web.test_client()
    return {
        "api": lambda text, user: client.post("/api/v1/turn", json={"user": user, "text": text}).get_json()["outcome"],
        "alice": lambda text, user: client.post("/alice", json=alice(text, user)).status_code,
        "google": lambda text, user: client.post("/google", json=google(text, user)).status_code,
        "cli": lambda text, user: app.turn(text, user=f"cli:{user}").outcome,
    }


def flood(send, seconds: float, tag: str = "bot") -> int:
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        send(f"{(n * 7919) % 1_000_000:06d}", f"{tag}-{n}")
        n += 1
    return n


def capacity(store, seconds: float, name: str = "SQLite", threads: int = 8) -> None:
    """Wrong codes the store itself evaluates per second (every try takes the
    guess counter's row lock: this is the ceiling of all processes together)."""
    before, stop = store.guesses_evaluated(), time.monotonic() + seconds
    now = datetime.now(timezone.utc)

    def work(t):
        i = 0
        while time.monotonic() < stop:
            store.try_code(f"cap-{t}-{i}", f"{(i * 7919 + t) % 1_000_000:06d}", now, max_tries=5, window_seconds=900)
            i += 1

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    start = time.monotonic()
    for p in pool:
        p.start()
    for p in pool:
        p.join()
    rate = (store.guesses_evaluated() - before) / (time.monotonic() - start)
    print(f"store ceiling ({name}, {threads} threads): {rate:,.0f} evaluations/s = {rate * 60:,.0f}/min;"
          f" SEKRETAR_LINK_GUESS_CAPACITY default 10,000/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--pg", help="also measure the store ceiling on this PostgreSQL URL (a scratch database)")
    args = ap.parse_args()
    app, web = build()
    store, ws = app.store, app.workspace
    person = ws.people()[0]
    print(f"{'route':8} {'guesses/min':>12} {'one id/min':>11} {'6-digit code life':>18} "
          f"{'new code':>9} {'real user':>10}")
    for route, send in senders(app, web).items():
        before = store.guesses_evaluated()
        start = time.monotonic()
        sent = flood(send, args.seconds, tag=f"{route}-bot")
        took = time.monotonic() - start
        evaluated = store.guesses_evaluated() - before
        per_min = evaluated / took * 60
        # one voice user, hammering: what the per-user limit lets through
        one_before = store.guesses_evaluated()
        for i in range(50):
            send(f"{(i * 104729) % 1_000_000:06d}", f"{route}-one")
        one = store.guesses_evaluated() - one_before  # per 15-minute window
        life = 1000 / (per_min / 60)
        # the real user during a flood on this route: a code issued now, said while the flood goes on
        stop = threading.Event()
        bg_send = senders(app, web)[route]  # its own test client

        def background():
            i = 0
            while not stop.is_set():
                bg_send(f"{i % 1_000_000:06d}", f"{route}-bg-{i}")
                i += 1

        bg = threading.Thread(target=background, daemon=True)
        bg.start()
        time.sleep(0.5)
        code = store.issue_code(person.id, ws.name, datetime.now(timezone.utc), length=6, ttl_seconds=600)
        time.sleep(0.5)
        outcome = send(code, f"{route}-real")
        stop.set()
        bg.join(5)
        key = f"{route}:{route}-real"
        linked = "linked" if store.get_link(key) is not None else f"NOT ({outcome})"
        print(f"{route:8} {per_min:12,.0f} {one / 15:11.2f} {life:16.1f} s {len(code):>9} {linked:>10}"
              f"   ({sent} sent in {took:.1f} s)")
        store.delete_link(key)
    print()
    capacity(store, args.seconds)
    if args.pg:
        from sekretar.store import open_store

        pg = open_store(args.pg)
        capacity(pg, args.seconds, "PostgreSQL")
        pg.close()
    print()
    print("Chance that a live code is guessed during its life: at most budget / code space =")
    print("  1,000 / 1,000,000 = 0.1 % for six digits; a longer code issued under a flood keeps the same ratio")
    print("  (its budget is 0.1 % of its space) and is long enough to outlast ten times the guessing of the")
    print("  last code lifetime. Lockout bound: a right code is never refused; a code the flood retired costs")
    print("  its holder one new code (open the page again); a per-user cool-down is at most 15 min and only")
    print("  after that user's own 5 wrong codes.")
    web.extensions["sekretar"]["shutdown"]()


if __name__ == "__main__":
    main()
