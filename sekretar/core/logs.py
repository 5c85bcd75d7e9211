"""Structured logs: one JSON object per line on stderr.

Logs never carry secrets or what people said: `redact()` masks tokens,
auth parameters and Bitrix24 webhook secrets in any message, and the server
logs a turn as platform, a hashed user key, outcome and duration only.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
import time

from sekretar.core.config import env

_SECRETS = [
    (re.compile(r"(?i)(bearer\s+)[^\s,;\"']+"), r"\1***"),
    (re.compile(r"(/rest/\d+/)[A-Za-z0-9_]+"), r"\1***"),  # Bitrix24 inbound webhook URL
    (re.compile(r"(?i)\b(auth_id|refresh_id|auth|access_token|refresh_token|token|client_secret|"
                r"password|code|application_token)(\"?\s*[=:]\s*\"?)[^&\s,;\"']+"), r"\1\2***"),
    (re.compile(r"postgres(?:ql)?://([^:/@\s]+):[^@\s]+@"), r"postgresql://\1:***@"),
]
# attributes of a LogRecord that are not extra fields
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def redact(text: str) -> str:
    for pattern, repl in _SECRETS:
        text = pattern.sub(repl, text)
    return text


def user_hash(user: str) -> str:
    """A stable short pseudonym for a voice user key, for correlating logs."""
    return hashlib.sha256(user.encode("utf-8")).hexdigest()[:12]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            out["error"] = redact(f"{record.exc_info[0].__name__}: {record.exc_info[1]}")
            out["trace"] = redact(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False, default=str)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure(level: str | None = None, fmt: str | None = None) -> None:
    """SEKRETAR_LOG_LEVEL (info), SEKRETAR_LOG_FORMAT (json | text)."""
    level = (level or env("SEKRETAR_LOG_LEVEL", "info")).upper()
    fmt = fmt or env("SEKRETAR_LOG_FORMAT", "json")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_sekretar", False)]:
        root.removeHandler(old)
    handler._sekretar = True
    root.addHandler(handler)
    root.setLevel(getattr(logging, level, logging.INFO))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
