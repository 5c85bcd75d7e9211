"""A thin Bitrix24 REST transport on `requests`: one POST per method call.

Why not b24pysdk: it is ~100k lines, pins tzdata, keeps its settings in
thread-locals, sleeps inside its own 503 retry loop and has no client-side
rate limiter; sekretar needs a handful of methods, its own back-off (the
outbox owns retries), hard timeouts, token refresh through the store and
errors mapped onto `sekretar.core.errors`. This module is that and no more.

Calls go to `<base>/<method>.json` with a JSON body (the portal accepts
form-encoded or JSON); with OAuth the body carries `auth=<access token>`.
Answers are `{"result": ..., "time": {...}}` (lists add `total`/`next`),
errors `{"error": "...", "error_description": "..."}` with an HTTP status.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import requests

from sekretar.core.errors import (
    WorkspaceAuthError,
    WorkspaceError,
    WorkspacePermissionError,
    WorkspaceRejected,
    WorkspaceUnavailable,
)

log = logging.getLogger(__name__)

# error codes by what a person (or the outbox) can do about them
AUTH_ERRORS = {"NO_AUTH_FOUND", "invalid_token", "invalid_grant",
               "invalid_client", "authorization_error", "APPLICATION_NOT_FOUND", "ERROR_OAUTH",
               "NOT_INSTALLED", "PAYMENT_REQUIRED", "PORTAL_DELETED", "WRONG_AUTH_TYPE"}
PERMISSION_ERRORS = {"ACCESS_DENIED", "insufficient_scope", "INVALID_CREDENTIALS", "user_access_error", "ACCESS_ERROR",
                     "ALLOWED_ONLY_INTRANET_USER", "METHOD_CONFIRM_DENIED"}
TRANSIENT_ERRORS = {"QUERY_LIMIT_EXCEEDED", "OPERATION_TIME_LIMIT",
                    "INTERNAL_SERVER_ERROR", "ERROR_UNEXPECTED_ANSWER", "METHOD_CONFIRM_WAITING"}

# OPERATION_TIME_LIMIT (HTTP 429): a method's execution time is counted over
# 10 one-minute buckets; past the limit only that method is refused until the
# oldest bucket drops out (B24DOCS settings/performance/limits.md)
OPERATION_WINDOW = 600.0

_SECRET_RE = re.compile(r"(/rest/\d+/)[^/\s?\"']+|((?:auth|access_token|refresh_token|client_secret|AUTH_ID|REFRESH_ID)"
                        r"[\"']?\s*[=:]\s*[\"']?)[^&\s\"',}]+", re.I)


def redact(text: str) -> str:
    """Hide webhook secrets and tokens in anything that may reach a log or a person."""
    return _SECRET_RE.sub(lambda m: (m.group(1) or m.group(2)) + "***", str(text))


class RedactingFilter(logging.Filter):
    """urllib3 logs request lines at DEBUG (`POST /rest/1/SECRET/...`,
    `GET /oauth/token/?refresh_token=...`): rewrite them before any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


for _name in ("urllib3.connectionpool", "requests"):
    logging.getLogger(_name).addFilter(RedactingFilter())


class RateLimiter:
    """Token bucket shared by all threads of a process: `burst` calls at once,
    then `rate` per second, the way the portal's leaky bucket drains.
    A caller reserves its slot under the lock and sleeps outside it."""

    def __init__(self, rate: float = 2.0, burst: int = 50,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.rate, self.burst = float(rate), float(burst)
        self._clock, self._sleep = clock, sleep
        self._tokens = float(burst)
        self._at = clock()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take one slot; return how long the caller must wait before using it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
            self._at = now
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def acquire(self) -> None:
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)

    def penalize(self, seconds: float) -> None:
        """The portal said QUERY_LIMIT_EXCEEDED: empty the bucket for a while."""
        with self._lock:
            self._tokens = min(self._tokens, 0.0) - seconds * self.rate


class Auth(Protocol):
    """Where the access token comes from (OAuth); webhooks need none."""

    def access_token(self) -> str: ...

    def refresh(self) -> str: ...


@dataclass
class Answer:
    result: object
    total: int | None = None
    next: int | None = None


class BitrixApiError(WorkspaceError):
    """Carries the portal's error code next to the plain-words message."""

    def __init__(self, message: str, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code, self.status = code, status


class Bitrix24Client:
    """`call(method, params)` → Answer, or a `sekretar.core.errors` workspace error.

    QUERY_LIMIT_EXCEEDED is retried here a few times with back-off (it is the
    portal asking to slow down, not being down); expired_token refreshes the
    OAuth token once and repeats the call. Everything else transient raises
    WorkspaceUnavailable at once so the outbox decides when to try again.
    """

    def __init__(self, base_url: str, *, auth: Auth | None = None, timeout: float = 10.0,
                 limiter: RateLimiter | None = None, limit_retries: int = 3,
                 limit_backoff: float = 1.0, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.base_url = base_url.rstrip("/") + "/"
        self.auth = auth
        self.timeout = timeout
        self.limiter = limiter or RateLimiter()
        self.limit_retries = limit_retries
        self.limit_backoff = limit_backoff
        self.session = session or requests.Session()
        self._sleep = sleep
        self._spent: dict[str, float] = {}  # method → monotonic time its operating budget resets

    def call(self, method: str, params: dict | None = None, *, auth_token: str | None = None) -> Answer:
        """`auth_token` overrides the configured auth for one call (the token
        the portal gave an application page)."""
        refreshed = False
        limited = 0
        if self._spent.get(method, 0.0) > time.monotonic():  # its time budget is spent: do not ask
            raise _mapped(BitrixApiError("operating time limit", "OPERATION_TIME_LIMIT", 429), method)
        while True:
            body = dict(params or {})
            if auth_token is not None:
                body["auth"] = auth_token
            elif self.auth is not None:
                body["auth"] = self.auth.access_token()
            try:
                return self._post(method, body)
            except BitrixApiError as exc:
                if exc.code == "expired_token" and self.auth is not None and auth_token is None \
                        and not refreshed:
                    refreshed = True
                    self.auth.refresh()
                    continue
                if exc.code == "QUERY_LIMIT_EXCEEDED" and limited < self.limit_retries:
                    delay = self.limit_backoff * 2 ** limited
                    limited += 1
                    self.limiter.penalize(delay)
                    log.info("Bitrix24 rate limit on %s, backing off %.1fs", method, delay)
                    self._sleep(delay)
                    continue
                if exc.code == "OPERATION_TIME_LIMIT":
                    self._spent[method] = time.monotonic() + OPERATION_WINDOW
                raise _mapped(exc, method) from None

    def _post(self, method: str, body: dict) -> Answer:
        self.limiter.acquire()
        url = f"{self.base_url}{method}.json"
        try:
            resp = self.session.post(url, json=body, timeout=self.timeout)
        except requests.Timeout:
            raise WorkspaceUnavailable(f"Битрикс24 не ответил за {self.timeout:g} с ({method})") from None
        except requests.ConnectionError as exc:
            log.info("Bitrix24 connection failed on %s: %s", method, redact(exc))
            raise WorkspaceUnavailable(f"Битрикс24 недоступен ({method}): нет соединения") from None
        except requests.RequestException as exc:
            raise WorkspaceUnavailable(f"Битрикс24: ошибка запроса {method}: {redact(exc)}") from None
        try:
            data = resp.json()
        except ValueError:
            data = None
        if isinstance(data, dict) and "error" in data:
            raise BitrixApiError(redact(data.get("error_description") or data["error"]),
                                 str(data["error"]), resp.status_code)
        if resp.status_code >= 400 or not isinstance(data, dict) or "result" not in data:
            code = "INTERNAL_SERVER_ERROR" if resp.status_code >= 500 or resp.status_code < 400 \
                else f"HTTP_{resp.status_code}"
            raise BitrixApiError(f"HTTP {resp.status_code}", code, resp.status_code)
        return Answer(data["result"], data.get("total"), data.get("next"))

    def call_list(self, method: str, params: dict | None = None, key: str | None = None,
                  limit: int = 5000) -> list:
        """All pages of a list method (`start`/`next`); `key` picks the list
        out of a dict result (tasks.task.list → result.tasks)."""
        items: list = []
        start = 0
        while True:
            ans = self.call(method, {**(params or {}), "start": start})
            page = ans.result.get(key, []) if key and isinstance(ans.result, dict) else ans.result
            items.extend(page or [])
            if ans.next is None or len(items) >= limit or not page:
                return items
            start = int(ans.next)

    def call_batch(self, commands: dict[str, tuple[str, dict]]) -> dict[str, Answer]:
        """Up to 50 calls in one request (one request for the rate limit;
        B24DOCS settings/how-to-call-rest-api/batch.md). A failed command
        raises its error (halt=0: the others still ran)."""
        if len(commands) > 50:
            raise ValueError("a batch holds at most 50 commands")
        cmd = {key: f"{method}?{build_query(params)}" for key, (method, params) in commands.items()}
        res = self.call("batch", {"halt": 0, "cmd": cmd}).result or {}
        errors = res.get("result_error") or {}
        for key in commands:
            if isinstance(errors, dict) and key in errors:
                err = errors[key] or {}
                raise _mapped(BitrixApiError(redact(err.get("error_description") or err.get("error") or ""),
                                             str(err.get("error") or ""), 400), commands[key][0])
        results = res.get("result") or {}
        totals, nexts = res.get("result_total") or {}, res.get("result_next") or {}
        results, totals, nexts = (x if isinstance(x, dict) else {} for x in (results, totals, nexts))
        return {key: Answer(results.get(key), totals.get(key), nexts.get(key)) for key in commands}

    def close(self) -> None:
        self.session.close()


class PortalBlocked(WorkspaceRejected):
    """OVERLOAD_LIMIT: the portal's REST was blocked by hand for overload;
    only an administrator (through Bitrix24 support) lifts it, so nothing
    retries it."""


# the scope each method family needs (B24DOCS api-reference/scopes/permissions.md)
SCOPES = {"tasks": "task", "task": "task", "calendar": "calendar", "im": "im", "imbot": "imbot",
          "user": "user", "department": "department", "crm": "crm", "app": "basic", "batch": "basic"}


def scope_of(method: str) -> str:
    return SCOPES.get(method.split(".", 1)[0].lower(), method.split(".", 1)[0].lower())


def build_query(params: dict, prefix: str = "") -> str:
    """PHP's http_build_query: {"FILTER": {"ACTIVE": "Y"}} → FILTER[ACTIVE]=Y
    (how a batch command carries its parameters)."""
    from urllib.parse import quote

    parts = []
    items = params.items() if isinstance(params, dict) else enumerate(params)
    for k, v in items:
        key = f"{prefix}[{k}]" if prefix else str(k)
        if isinstance(v, (dict, list, tuple)):
            parts.append(build_query(v if isinstance(v, dict) else list(v), key))
        else:
            value = "Y" if v is True else "N" if v is False else "" if v is None else str(v)
            parts.append(f"{quote(key, safe='[]')}={quote(value, safe='')}")
    return "&".join(p for p in parts if p)


def _mapped(exc: BitrixApiError, method: str = "") -> WorkspaceError:
    code, detail = exc.code or "", str(exc)
    if code == "NO_AUTH_FOUND":
        return WorkspaceAuthError(
            "Битрикс24 не принимает ключ вебхука или токен приложения — проверьте "
            f"SEKRETAR_BITRIX24_WEBHOOK (или установку приложения) [{code}]")
    if code == "INVALID_CREDENTIALS":  # HTTP 403: the key is fine, its user may not do this
        return WorkspacePermissionError(
            "У пользователя Битрикс24, от имени которого работает sekretar, недостаточно прав "
            f"для {method or 'этого действия'} [{code}]")
    if code == "insufficient_scope":
        scope = scope_of(method) if method else "?"
        return WorkspacePermissionError(
            f"У вебхука или приложения sekretar нет права «{scope}» ({method}): добавьте его в "
            f"настройках вебхука или приложения на портале [{code}]")
    if code == "OVERLOAD_LIMIT":
        return PortalBlocked(
            "Битрикс24 заблокировал REST-запросы портала за перегрузку; снять блокировку может только "
            f"администратор портала через поддержку Битрикс24 [{code}]")
    if code == "OPERATION_TIME_LIMIT":
        return WorkspaceUnavailable(
            f"Битрикс24 временно не отвечает: метод {method} исчерпал свой лимит времени выполнения, "
            f"повторим через несколько минут [{code}]")
    if code in ("expired_token", "invalid_grant", "invalid_token"):
        return WorkspaceAuthError(
            "Битрикс24 больше не принимает токен приложения — переустановите приложение "
            f"или выдайте новый токен [{code}]")
    if code in AUTH_ERRORS:
        return WorkspaceAuthError(f"Битрикс24 отказал в доступе к порталу: {detail} [{code}]")
    if code in PERMISSION_ERRORS:
        return WorkspacePermissionError(
            "У пользователя Битрикс24, от имени которого работает sekretar, нет прав на это "
            f"действие (или у вебхука нет нужного доступа): {detail} [{code}]")
    if code in TRANSIENT_ERRORS or (exc.status or 0) >= 500:
        return WorkspaceUnavailable(f"Битрикс24 временно не отвечает: {detail} [{code}]")
    if code == "ERROR_METHOD_NOT_FOUND":
        return WorkspaceRejected(f"На портале нет метода или модуля для этого действия [{code}]")
    return WorkspaceRejected(f"Битрикс24 отклонил запрос: {detail} [{code}]")
