"""The guarded parts of the SQL store: one-time codes, code tries, and the
replies remembered per delivery. Mixed into `SqlStore`.

Codes. Only HMAC-SHA256(server secret, code) is stored (a copy of the
database does not give live codes); a lookup is by that hash and the found
hash is compared again in constant time. Every wrong code evaluated is
counted (the one row of `link_guesses`, whose row lock also serialises
every try: a per-user limit is checked and recorded in one transaction,
so concurrent tries cannot slip past it). A code of `d` digits is accepted
only while fewer than `guess_budget(d)` wrong codes were evaluated since
it was issued (= guess_odds x 10^d, 1,000 for six digits at the default
0.1%): the chance that any guess hit it during its life is at most
`guess_odds`, however many voice users the guesses came from. A code
that saw more retires (its holder is told to get a new one). While guessing
goes on (the wanted length's budget is less than ten times the wrong codes
of the last code lifetime) a new code is issued long enough for everything
the server can evaluate in its lifetime (`guess_capacity` per second, all
processes together: every try takes the one counter's row lock), so a
code issued during a flood is never retired by it (`code_length_for`).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta

from sekretar.store.base import CodeTry

from sekretar.core.errors import StoreError

MIN_LENGTH, MAX_LENGTH = 4, 12
FLOOD_MARGIN = 10  # a new code outlasts ten times the guessing of its last lifetime


def guess_budget(length: int, odds: float) -> int:
    """Evaluations a `length`-digit code accepts after its issue."""
    return max(1, int(odds * 10 ** length))


def code_length_for(wanted: int, recent_guesses: int, odds: float, flood_guesses: float = 0) -> int:
    """The shortest length >= `wanted` whose budget is FLOOD_MARGIN times
    the wrong codes of the last code lifetime, and, when that is more than
    the wanted length's budget (a flood), at least `flood_guesses` (what the
    server can evaluate in a lifetime). MAX_LENGTH at most."""
    need = FLOOD_MARGIN * max(1, recent_guesses)
    if need > guess_budget(wanted, odds):
        need = max(need, flood_guesses)
    for length in range(wanted, MAX_LENGTH + 1):
        if guess_budget(length, odds) >= need:
            return length
    return MAX_LENGTH


class CodesMixin:
    """Needs `self.db`, `self.code_key` (bytes), `self.guess_odds`, `self.guess_capacity`,
    `self.tries_keep`, `self.reply_ttl` (timedeltas)."""

    # --- one-time codes ------------------------------------------------
    def _hash(self, code: str) -> str:
        return hmac.new(self.code_key, code.encode("ascii"), hashlib.sha256).hexdigest()

    def issue_code(self, person_id: str, workspace: str, now: datetime,
                   length: int = 6, ttl_seconds: int = 600) -> str:
        if not MIN_LENGTH <= int(length) <= MAX_LENGTH:
            raise StoreError(f"a code must have {MIN_LENGTH} to {MAX_LENGTH} digits, not {length}")
        if ttl_seconds <= 0:
            raise StoreError(f"a code must live a positive number of seconds, not {ttl_seconds}")
        with self.db.tx() as cur:
            cur.execute("DELETE FROM link_code_hashes WHERE expires_at <= ?", (cur.ts(now),))
            cur.execute("DELETE FROM link_code_hashes WHERE workspace = ? AND person_id = ?",
                        (workspace, str(person_id)))
            recent = cur.one("SELECT COUNT(*) FROM failed_tries WHERE at > ?",
                             (cur.ts(now - timedelta(seconds=ttl_seconds)),))[0]
            length = code_length_for(int(length), int(recent), self.guess_odds,
                                     self.guess_capacity * ttl_seconds)
            n = cur.one("SELECT n FROM link_guesses WHERE id = 1")[0]
            expires = now + timedelta(seconds=ttl_seconds)
            for _ in range(100):
                code = "".join(secrets.choice("0123456789") for _ in range(length))
                inserted = cur.rowcount(
                    "INSERT INTO link_code_hashes (code_hash, person_id, workspace, length, guesses_at_issue,"
                    " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code_hash) DO NOTHING",
                    (self._hash(code), str(person_id), workspace, length, n, cur.ts(now), cur.ts(expires)))
                if inserted:
                    return code
        raise StoreError(f"no free {length}-digit code: too many live codes, use longer codes")

    def _evaluate(self, cur, code: str, now: datetime) -> tuple[str, tuple[str, str] | None]:
        """Inside a transaction, holding the guess counter's row lock:
        ("linked", who), ("retired", who) or ("wrong", None); burns the code
        it finds. A wrong (or retired) code counts one more guess."""
        n = int(cur.one("UPDATE link_guesses SET n = n WHERE id = 1 RETURNING n")[0])
        digest = self._hash(code)
        row = cur.one("SELECT code_hash, person_id, workspace, length, guesses_at_issue FROM link_code_hashes"
                      " WHERE code_hash = ? AND expires_at > ?", (digest, cur.ts(now)))
        if row is not None and hmac.compare_digest(row[0], digest):
            cur.execute("DELETE FROM link_code_hashes WHERE code_hash = ?", (row[0],))
            # this evaluation and the n - at_issue wrong ones before it could each have hit the code
            if n - int(row[4]) < guess_budget(int(row[3]), self.guess_odds):
                return "linked", (row[1], row[2])
            outcome, who = "retired", (row[1], row[2])
        else:
            outcome, who = "wrong", None
        cur.execute("UPDATE link_guesses SET n = n + 1 WHERE id = 1")
        return outcome, who

    def redeem_code(self, code: str, now: datetime) -> tuple[str, str] | None:
        code = "".join(ch for ch in str(code) if ch.isdigit())
        if not code:
            return None
        with self.db.tx() as cur:
            outcome, who = self._evaluate(cur, code, now)
        return who if outcome == "linked" else None

    def try_code(self, user: str, code: str, now: datetime, *, max_tries: int,
                 window_seconds: float) -> CodeTry:
        code = "".join(ch for ch in str(code) if ch.isdigit())
        window = timedelta(seconds=window_seconds)
        with self.db.tx() as cur:
            cur.execute("UPDATE link_guesses SET n = n WHERE id = 1")  # the lock, before counting
            tries = cur.all("SELECT at FROM failed_tries WHERE user_key = ? AND at > ? AND at <= ?"
                            " ORDER BY at DESC LIMIT ?", (user, cur.ts(now - window), cur.ts(now), max_tries))
            if len(tries) >= max_tries:
                return CodeTry("blocked", wait_seconds=self._wait(cur, tries, now, window))
            outcome, who = self._evaluate(cur, code, now) if code else ("wrong", None)
            if who is not None:
                return CodeTry(outcome, who[0], who[1], left=max_tries - len(tries))
            cur.execute("DELETE FROM failed_tries WHERE at < ?", (cur.ts(now - self.tries_keep),))
            cur.execute("INSERT INTO failed_tries (user_key, at) VALUES (?, ?)", (user, cur.ts(now)))
            left = max_tries - len(tries) - 1
            wait = self._wait(cur, [(cur.ts(now),), *tries], now, window) if left <= 0 else 0.0
            return CodeTry("wrong", left=left, wait_seconds=wait)

    @staticmethod
    def _wait(cur, tries: list, now: datetime, window: timedelta) -> float:
        """Seconds until the oldest of the last max_tries tries leaves the window."""
        oldest = cur.from_ts(tries[-1][0])
        return max(1.0, (oldest + window - now).total_seconds())

    # --- guessing limits -----------------------------------------------
    def record_failed_try(self, user: str, now: datetime) -> None:
        with self.db.tx() as cur:
            cur.execute("DELETE FROM failed_tries WHERE at < ?", (cur.ts(now - self.tries_keep),))
            cur.execute("INSERT INTO failed_tries (user_key, at) VALUES (?, ?)", (user, cur.ts(now)))

    def failed_tries(self, now: datetime, since_seconds: float, user: str | None = None) -> int:
        since = now - timedelta(seconds=since_seconds)
        with self.db.read() as cur:
            if user is None:
                row = cur.one("SELECT COUNT(*) FROM failed_tries WHERE at > ? AND at <= ?",
                              (cur.ts(since), cur.ts(now)))
            else:
                row = cur.one("SELECT COUNT(*) FROM failed_tries WHERE user_key = ? AND at > ? AND at <= ?",
                              (user, cur.ts(since), cur.ts(now)))
        return int(row[0])

    def guesses_evaluated(self) -> int:
        with self.db.read() as cur:
            return int(cur.one("SELECT n FROM link_guesses WHERE id = 1")[0])

    # --- replies, per voice user and delivery --------------------------
    def get_reply(self, user: str, request_id: str) -> dict | None:
        with self.db.read() as cur:
            row = cur.one("SELECT reply FROM replies WHERE user_key = ? AND request_id = ?", (user, request_id))
        return json.loads(row[0]) if row and row[0] is not None else None

    def claim_reply(self, user: str, request_id: str, now: datetime, stale_seconds: float = 30.0) -> bool:
        """True if this delivery is the first (or the first one's answer is
        `stale_seconds` overdue: it died): it answers; the others wait."""
        with self.db.read() as cur:
            row = cur.one("INSERT INTO replies (user_key, request_id, reply, created_at) VALUES (?, ?, NULL, ?)"
                          " ON CONFLICT (user_key, request_id) DO UPDATE SET created_at = excluded.created_at"
                          " WHERE replies.reply IS NULL AND replies.created_at < ? RETURNING request_id",
                          (user, request_id, cur.ts(now), cur.ts(now - timedelta(seconds=stale_seconds))))
        return row is not None

    def release_reply(self, user: str, request_id: str) -> None:
        with self.db.write() as cur:
            cur.execute("DELETE FROM replies WHERE user_key = ? AND request_id = ? AND reply IS NULL",
                        (user, request_id))

    def put_reply(self, user: str, request_id: str, reply: dict, now: datetime) -> None:
        with self.db.tx() as cur:
            cur.execute("DELETE FROM replies WHERE created_at < ?", (cur.ts(now - self.reply_ttl),))
            cur.execute("INSERT INTO replies (user_key, request_id, reply, created_at) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (user_key, request_id) DO UPDATE SET reply = excluded.reply,"
                        " created_at = excluded.created_at",
                        (user, request_id, dumps(reply), cur.ts(now)))


def dumps(value) -> str:
    """JSON text the database accepts: UTF-8 as is, but a string holding a
    lone surrogate (which UTF-8 cannot encode) is written \\u-escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=_default)
    return text


def _default(obj):
    if isinstance(obj, datetime):
        return obj.isoformat()
    raise TypeError(f"{type(obj).__name__} is not JSON-able")
