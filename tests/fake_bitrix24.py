"""A fake Bitrix24 portal on 127.0.0.1 that speaks the documented REST format.

- `POST/GET /rest/<user>/<secret>/<method>.json` (inbound webhook) and
  `/rest/<method>.json` with `auth=<access token>` (OAuth application);
  bodies JSON or form-encoded with PHP brackets (`fields[TITLE]=…`).
- answers `{"result": …, "time": {…}}` (+ `total`/`next` on lists), errors
  `{"error": CODE, "error_description": …}` with the documented status:
  401 NO_AUTH_FOUND / expired_token / invalid_token, 403 ACCESS_DENIED /
  INVALID_CREDENTIALS / insufficient_scope, 503 QUERY_LIMIT_EXCEEDED /
  OVERLOAD_LIMIT, 429 OPERATION_TIME_LIMIT, 500 INTERNAL_SERVER_ERROR,
  400 for bad fields.
- `GET /oauth/token/?grant_type=refresh_token&…`: the OAuth server; a used
  refresh token dies, as on oauth.bitrix.info.
- a leaky bucket (burst 50, 2/s by default): over it → 503 QUERY_LIMIT_EXCEEDED.
- faults: `fail(kind, times=1, methods=None, seconds=…)` with kind in
  delay, limit, expired, drop (no answer), drop_after (do it, then drop the
  connection: the lost reply), 500, denied, no_auth, not_found
  (ERROR_METHOD_NOT_FOUND, 404); `stop()`/`start()`
  refuses connections on the same port meanwhile.
- `calls`: every request (method, params, time, status) for assertions.
"""
from __future__ import annotations

import json
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from tests.fake_bitrix24_methods import PORTAL_TZ, ApiError, AppMethods, Methods, Portal
from tests.fake_bitrix24_changes import ChangeMethods

FAULT_CODES = {"limit": "QUERY_LIMIT_EXCEEDED", "expired": "expired_token", "500": "INTERNAL_SERVER_ERROR",
               "denied": "ACCESS_DENIED", "no_auth": "NO_AUTH_FOUND", "credentials": "INVALID_CREDENTIALS",
               "scope": "insufficient_scope", "overload": "OVERLOAD_LIMIT", "operating": "OPERATION_TIME_LIMIT",
               "not_found": "ERROR_METHOD_NOT_FOUND"}


@dataclass
class Call:
    method: str
    params: dict
    at: float
    status: int = 200
    user: str | None = None        # the webhook's user
    token_user: str | None = None  # whose OAuth access token made the call


@dataclass
class Fault:
    kind: str
    times: int
    methods: tuple | None
    seconds: float = 0.0


def php_params(pairs) -> dict:
    """`a[b][]=1&a[b][]=2` → {"a": {"b": ["1", "2"]}} (how PHP reads a form)."""
    out: dict = {}
    for key, value in pairs:
        parts = [key.split("[", 1)[0]] + re.findall(r"\[([^\]]*)\]", key)
        node = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt_list = not last and parts[i + 1] == ""
            if part == "":
                if last:
                    node.append(value)
                    break
                node.append({})
                node = node[-1]
                continue
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if nxt_list else {})
    return out


class FakeBitrix24(Methods, AppMethods, ChangeMethods):
    def __init__(self, users: list[dict] | None = None, *, webhook_user: str = "1",
                 secret: str | None = None, rate: float = 2.0, burst: int = 50, limit: bool = True,
                 client_id: str = "local.sekretar", client_secret: str = "app-secret", language: str = "ru"):
        self.state = Portal()
        for u in users or ():
            self.add_user(**u)
        self.webhook_user, self.secret = webhook_user, secret or secrets.token_hex(8)
        self.rate, self.burst, self.limit = rate, burst, limit
        self.client_id, self.client_secret = client_id, client_secret
        self.member_id, self.application_token = secrets.token_hex(16), secrets.token_hex(16)
        self.language = language  # the portal's language: how calendar.event.get writes dates
        self.auto_section = True  # calendar.event.add picks the default section when none is sent
        self.installed = False    # BX24.installFinish() called (app.info INSTALLED)
        self.handlers: list[tuple[str, str]] = []  # event.bind: (EVENT, handler URL)
        self.notices: list[dict] = []              # im.notify.system.add
        self.access: dict[str, tuple[str, float]] = {}   # token → (user, expires at)
        self.refresh: dict[str, str] = {}                # refresh token → user
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.lock = threading.RLock()
        self._bucket, self._bucket_at = 0.0, time.monotonic()
        self.port = _free_port()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle --------------------------------------------------------
    def start(self) -> "FakeBitrix24":
        fake = self

        class Handler(_Handler):
            pass
        Handler.fake = fake
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="fake-b24").start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def portal(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def webhook_url(self) -> str:
        return f"{self.portal}/rest/{self.webhook_user}/{self.secret}/"

    @property
    def oauth_url(self) -> str:
        return f"{self.portal}/oauth/token/"

    # --- seeding and faults -------------------------------------------------
    def add_user(self, ID, NAME="", LAST_NAME="", SECOND_NAME="", EMAIL="", PERSONAL_GENDER="",
                 ACTIVE=True, **extra) -> dict:
        uid = str(ID)
        row = {"ID": uid, "ACTIVE": ACTIVE, "NAME": NAME, "LAST_NAME": LAST_NAME,
               "SECOND_NAME": SECOND_NAME, "EMAIL": EMAIL, "PERSONAL_GENDER": PERSONAL_GENDER,
               "WORK_POSITION": extra.get("WORK_POSITION", ""), "USER_TYPE": extra.get("USER_TYPE", "employee")}
        self.state.users[uid] = row
        sid = self.state.next_id("section")
        self.state.sections[uid] = [{"ID": str(sid), "NAME": f"{NAME} {LAST_NAME}".strip(),
                                     "CAL_TYPE": "user", "OWNER_ID": uid, "COLOR": "#9dcf00",
                                     "TEXT_COLOR": "#283000", "PERM": {"view_full": True}}]
        return row

    def fail(self, kind: str, times: int = 1, methods=None, seconds: float = 0.0) -> None:
        with self.lock:
            self.faults.append(Fault(kind, times, tuple(methods) if methods else None, seconds))

    def issue_tokens(self, user_id: str = "1", expires_in: float = 3600) -> dict:
        """What the portal gives an application on install (auth[...])."""
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        with self.lock:
            self.access[access] = (str(user_id), time.time() + expires_in)
            self.refresh[refresh] = str(user_id)
        return {"access_token": access, "refresh_token": refresh, "expires": int(time.time() + expires_in),
                "expires_in": expires_in, "domain": self.domain, "member_id": self.member_id,
                "user_id": str(user_id), "client_endpoint": f"{self.portal}/rest/",
                "server_endpoint": f"{self.portal}/rest/", "scope": "task,calendar,im,user",
                "status": "L"}

    def expire_tokens(self) -> None:
        with self.lock:
            self.access = {t: (u, 0.0) for t, (u, _) in self.access.items()}

    def methods(self, status: int | None = 200) -> list[str]:
        return [c.method for c in self.calls if status is None or c.status == status]

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.status == 200]

    # --- dispatch -------------------------------------------------------------
    def _take_fault(self, method: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.methods is None or method in f.methods:
                    f.times -= 1
                    if f.times <= 0:
                        self.faults.remove(f)
                    return f
        return None

    def _leak(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self._bucket = max(0.0, self._bucket - (now - self._bucket_at) * self.rate)
            self._bucket_at = now
            if self.limit and self._bucket + 1 > self.burst + 1e-9:
                return False
            self._bucket += 1
            return True

    def _caller(self, hook: tuple | None, params: dict) -> str:
        if hook:
            user, secret = hook
            if user not in self.state.users or secret != self.secret or user != self.webhook_user:
                raise ApiError("NO_AUTH_FOUND")
            return user
        token = params.pop("auth", None)
        if not token:
            raise ApiError("NO_AUTH_FOUND")
        with self.lock:
            entry = self.access.get(token)
        if entry is None:
            raise ApiError("invalid_token")
        if entry[1] <= time.time():
            raise ApiError("expired_token")
        return entry[0]

    def handle(self, hook, method: str, params: dict) -> dict:
        caller = self._caller(hook, params)
        fn = getattr(self, "m_" + method.replace(".", "_"), None)
        if fn is None:
            raise ApiError("ERROR_METHOD_NOT_FOUND")
        with self.lock:
            return fn(caller, params)

    def m_batch(self, caller, p):
        """Up to 50 `method?query` commands in one request (B24DOCS
        settings/how-to-call-rest-api/batch.md): always HTTP 200, each
        command's result or error under its key; empty members are []."""
        cmd = p.get("cmd") or {}
        if len(cmd) > 50:
            raise ApiError("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded", 400)
        out = {"result": {}, "result_error": {}, "result_total": {}, "result_next": {}, "result_time": {}}
        for key, line in cmd.items():
            method, _, query = str(line).partition("?")
            fn = getattr(self, "m_" + method.lower().replace(".", "_"), None)
            try:
                if fn is None or method.lower() == "batch":
                    raise ApiError("ERROR_METHOD_NOT_FOUND")
                ans = fn(caller, php_params(parse_qsl(query, keep_blank_values=True)))
            except ApiError as exc:
                out["result_error"][key] = {"error": exc.code, "error_description": exc.description}
                continue
            out["result"][key] = ans["result"]
            for k in ("total", "next"):
                if k in ans:
                    out[f"result_{k}"][key] = ans[k]
        return {"result": {k: (v or []) for k, v in out.items()}}

    def token_grant(self, q: dict) -> tuple[int, dict]:
        if q.get("client_id") != self.client_id or q.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "Invalid client"}
        if q.get("grant_type") != "refresh_token":
            return 400, {"error": "invalid_request", "error_description": "Unsupported grant_type"}
        with self.lock:
            user = self.refresh.pop(q.get("refresh_token", ""), None)
        if user is None:
            return 400, {"error": "invalid_grant", "error_description": "Invalid refresh token"}
        return 200, self.refresh_answer(user)

    def refresh_answer(self, user_id: str) -> dict:
        """The refresh grant's answer as oauth.bitrix.info gives it
        (B24DOCS settings/oauth/auto-renewal.md): `domain` is the
        authorization server itself, the portal is `client_endpoint`,
        `user_id` an integer, no application_token."""
        t = self.issue_tokens(user_id)
        return {"access_token": t["access_token"], "client_endpoint": t["client_endpoint"],
                "domain": "oauth.bitrix.info", "expires": t["expires"], "expires_in": 3600,
                "member_id": self.member_id, "refresh_token": t["refresh_token"], "scope": t["scope"],
                "server_endpoint": "https://oauth.bitrix.info/rest/", "status": "L", "user_id": int(user_id)}

    def install_event(self, user_id: str = "1", event: str = "ONAPPINSTALL") -> dict:
        """The ONAPPINSTALL / ONAPPUNINSTALL event as the portal POSTs it:
        form-encoded PHP brackets (B24DOCS api-reference/common/events/
        on-app-install.md, on-app-uninstall.md). No user_id in `auth`
        (the docs do not list one): the installer is `user.current`."""
        auth = {"domain": self.domain, "server_endpoint": "https://oauth.bitrix.info/rest/",
                "client_endpoint": f"{self.portal}/rest/", "member_id": self.member_id,
                "application_token": self.application_token}
        if event == "ONAPPINSTALL":
            t = self.issue_tokens(user_id)
            auth.update({"access_token": t["access_token"], "refresh_token": t["refresh_token"],
                         "expires_in": "3600", "scope": t["scope"], "status": "L"})
            data = {"VERSION": "1", "ACTIVE": "Y", "INSTALLED": "Y", "LANGUAGE_ID": self.language}
        else:
            data = {"LANGUAGE_ID": self.language, "CLEAN": "1"}
        form = {"event": event, "event_handler_id": "7", "ts": str(int(time.time()))}
        form.update({f"data[{k}]": v for k, v in data.items()})
        form.update({f"auth[{k}]": v for k, v in auth.items()})
        return form

    def app_page(self, user_id: str, placement: str = "DEFAULT") -> tuple[dict, dict]:
        """What the portal sends when a person opens the application page
        (B24DOCS settings/oauth/simple-way.md): (query, form)."""
        t = self.issue_tokens(user_id)
        query = {"DOMAIN": self.domain, "PROTOCOL": "0", "LANG": self.language, "APP_SID": secrets.token_hex(8)}
        form = {"AUTH_ID": t["access_token"], "AUTH_EXPIRES": "3600", "REFRESH_ID": t["refresh_token"],
                "SERVER_ENDPOINT": "https://oauth.bitrix.info/rest/", "APPLICATION_TOKEN": self.application_token,
                "APPLICATION_SCOPE": t["scope"], "member_id": self.member_id, "status": "L",
                "PLACEMENT": placement, "PLACEMENT_OPTIONS": "{}"}
        return query, form

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeBitrix24
    server_version = "nginx"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self):
        fake, t0 = self.fake, time.time()
        parts = urlsplit(self.path)
        if parts.path.rstrip("/") == "/oauth/token":
            status, body = fake.token_grant(dict(parse_qsl(parts.query)))
            return self._send(status, body)
        if parts.path.startswith("/_fake/"):  # the portal acting on the application (docs walk-through)
            from tests.fake_bitrix24_app import portal_action

            return self._send(*portal_action(fake, parts.path[7:].strip("/"), dict(parse_qsl(parts.query))))
        m = re.fullmatch(r"/rest/(?:(\d+)/([^/]+)/)?([\w.]+?)(?:\.json)?/?", parts.path)
        if not m:
            return self._send(404, {"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
        hook = (m.group(1), m.group(2)) if m.group(1) else None
        method = m.group(3).lower()
        params = self._params(parts.query)
        call = Call(method, json.loads(json.dumps({k: v for k, v in params.items() if k != "auth"})), t0,
                    user=hook[0] if hook else None,
                    token_user=(fake.access.get(params.get("auth")) or (None,))[0])
        with fake.lock:
            fake.calls.append(call)
        fault = fake._take_fault(method)
        try:
            if fault and fault.kind == "drop":
                return self._drop(call)
            if fault and fault.kind == "delay":
                time.sleep(fault.seconds)
            if fault and fault.kind in FAULT_CODES:
                raise ApiError(FAULT_CODES[fault.kind])
            if not fake._leak():
                raise ApiError("QUERY_LIMIT_EXCEEDED")
            answer = fake.handle(hook, method, params)
            if fault and fault.kind == "drop_after":
                return self._drop(call)
        except ApiError as exc:
            call.status = exc.status
            return self._send(exc.status, {"error": exc.code, "error_description": exc.description})
        t1 = time.time()
        answer["time"] = {"start": t0, "finish": t1, "duration": t1 - t0, "processing": t1 - t0,
                          "date_start": datetime.fromtimestamp(t0, ZoneInfo(PORTAL_TZ)).isoformat(timespec="seconds"),
                          "date_finish": datetime.fromtimestamp(t1, ZoneInfo(PORTAL_TZ)).isoformat(timespec="seconds"),
                          "operating_reset_at": int(t1) + 600, "operating": 0}
        self._send(200, answer)

    def _params(self, query: str) -> dict:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        params = php_params(parse_qsl(query, keep_blank_values=True))
        ctype = self.headers.get("Content-Type", "")
        if raw and "json" in ctype:
            params.update(json.loads(raw.decode("utf-8")))
        elif raw:
            params.update(php_params(parse_qsl(raw.decode("utf-8"), keep_blank_values=True)))
        return params

    def _drop(self, call: Call):
        call.status = 0
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, status: int, body: dict):
        data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main() -> None:  # python -m tests.fake_bitrix24: a portal to try `sekretar chat` on
    import argparse

    from tests.fixtures_bitrix import portal_users

    ap = argparse.ArgumentParser(description="A fake Bitrix24 portal on 127.0.0.1 (demo people).")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--secret", default="demo-secret")
    ap.add_argument("--app", action="store_true", help="print the application's settings instead of a webhook")
    ap.add_argument("--language", default="ru", help="the portal's language (how calendar dates are written)")
    args = ap.parse_args()
    fake = FakeBitrix24(portal_users(), secret=args.secret, language=args.language)
    if args.port:
        fake.port = args.port
    fake.start()
    if args.app:
        print(f"SEKRETAR_BITRIX24_CLIENT_ID={fake.client_id}\nSEKRETAR_BITRIX24_CLIENT_SECRET={fake.client_secret}\n"
              f"SEKRETAR_BITRIX24_DOMAIN={fake.domain}\nSEKRETAR_BITRIX24_OAUTH_URL={fake.oauth_url}", flush=True)
    else:
        print(f"SEKRETAR_BITRIX24_WEBHOOK={fake.webhook_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
