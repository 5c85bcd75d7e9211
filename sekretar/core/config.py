"""Configuration from SEKRETAR_* environment variables, and time zones read
by name (`zone`: a ZoneInfo or UnknownTimeZone, wherever the name came from).

Each part reads the settings it needs through `Settings`; parts with many
settings of their own (Bitrix24, the server) read their own variables in
their own module, with the same `env()` helper.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from sekretar.core.errors import ConfigError, UnknownTimeZone


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    raw = env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("sekretar", appauthor=False))


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=default_home)
    tz: str = "Europe/Moscow"
    lang: str = "ru"
    workspace: str = "local"  # local | bitrix24
    database_url: str | None = None  # None: SQLite at home/sekretar.db
    task_default_hour: int = 12  # a deadline said as a day only
    event_default_minutes: int = 60  # an event said without an end
    code_length: int = 6
    code_ttl_seconds: int = 600

    @classmethod
    def from_env(cls) -> "Settings":
        home = env("SEKRETAR_HOME")
        return cls(
            home=Path(home).expanduser() if home else default_home(),
            tz=env("SEKRETAR_TZ", "Europe/Moscow"),
            lang=env("SEKRETAR_LANG", "ru"),
            workspace=env("SEKRETAR_WORKSPACE", "local"),
            database_url=env("SEKRETAR_DATABASE_URL"),
            task_default_hour=env_int("SEKRETAR_TASK_DEFAULT_HOUR", 12),
            event_default_minutes=env_int("SEKRETAR_EVENT_DEFAULT_MINUTES", 60),
            code_length=env_int("SEKRETAR_CODE_LENGTH", 6),
            code_ttl_seconds=env_int("SEKRETAR_CODE_TTL", 600),
        )

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'sekretar.db'}"


# --- time zones by IANA name: one reader, one error, for every entry point ------
# (the parser, the dialog, the command line, the JSON API, the voice platforms)
@lru_cache(maxsize=256)
def _load(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(name) -> ZoneInfo:
    """The zone called `name` ("Europe/Moscow"); UnknownTimeZone otherwise."""
    if isinstance(name, ZoneInfo):
        return name
    if not isinstance(name, str) or not name.strip():
        raise UnknownTimeZone(f"unknown time zone {name!r} (expected an IANA name like Europe/Moscow)")
    try:
        return _load(name)
    except (ValueError, KeyError, OSError, TypeError):
        raise UnknownTimeZone(f"unknown time zone {name!r} (expected an IANA name like Europe/Moscow)") from None


def zone_or(name, default: str) -> str:
    """`name` when it is a zone we know, else `default` (a device's zone that
    does not read is no reason to fail the user's turn)."""
    try:
        zone(name)
        return name
    except UnknownTimeZone:
        return default


SECRET_KEY_FILE = "secret.key"
MIN_SECRET_BYTES = 16


def secret_key(home: Path | None = None) -> bytes:
    """The server's secret (keys the stored code hashes, signs the code
    page's CSRF tokens): SEKRETAR_SECRET_KEY if set (at least 16 bytes;
    required when several machines share one database), else the key file
    `secret.key` in SEKRETAR_HOME, made once from `secrets` with mode 0600
    (atomically: concurrent first starts agree on one key)."""
    import secrets

    given = env("SEKRETAR_SECRET_KEY")
    if given is not None:
        raw = given.encode("utf-8")
        if len(raw) < MIN_SECRET_BYTES:
            raise ConfigError(f"SEKRETAR_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes long")
        return raw
    if home is None:
        h = env("SEKRETAR_HOME")
        home = Path(h).expanduser() if h else default_home()
    path = Path(home) / SECRET_KEY_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        try:
            os.link(tmp, path)  # never replaces a key another process made first
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        return _read_key(path)
    except OSError as exc:
        raise ConfigError(f"cannot keep the secret key in {path}: {exc.strerror or exc};"
                          " set SEKRETAR_SECRET_KEY") from None


def _read_key(path: Path) -> bytes:
    raw = path.read_text(encoding="ascii").strip().encode("ascii")
    if len(raw) < MIN_SECRET_BYTES:
        raise ConfigError(f"the secret key in {path} is too short: delete it to make a new one")
    return raw
