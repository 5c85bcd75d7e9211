"""The server's own settings, from SEKRETAR_* environment variables."""
from __future__ import annotations

from dataclasses import dataclass

from sekretar.core.config import env, env_int
from sekretar.core.errors import ConfigError


def env_float(name: str, default: float) -> float:
    raw = env(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name} must not be negative, got {raw!r}")
    return value


@dataclass(frozen=True)
class ServerConfig:
    alice_skill_id: str | None = None    # refuse Alice requests for other skills
    api_token: str | None = None         # bearer token for /api/v1/turn
    google_project_id: str | None = None  # verify google-assistant-signature
    google_certs_url: str = "https://www.googleapis.com/oauth2/v3/certs"
    link_page_token: str | None = None   # the local code page off loopback
    max_body: int = 64 * 1024            # bytes
    action_budget: float = 1.5           # s a confirmed action may take before "queued"
    reply_deadline: float = 3.0          # s: the route answers "busy" after this
    drain_interval: float = 5.0          # s between outbox drains; 0: no drainer
    host: str = "127.0.0.1"
    port: int = 8080

    @classmethod
    def from_env(cls) -> "ServerConfig":
        cfg = cls(
            alice_skill_id=env("SEKRETAR_ALICE_SKILL_ID"),
            api_token=env("SEKRETAR_API_TOKEN"),
            google_project_id=env("SEKRETAR_GOOGLE_PROJECT_ID"),
            google_certs_url=env("SEKRETAR_GOOGLE_CERTS_URL", cls.google_certs_url),
            link_page_token=env("SEKRETAR_LINK_PAGE_TOKEN"),
            max_body=env_int("SEKRETAR_MAX_BODY", cls.max_body),
            action_budget=env_float("SEKRETAR_ACTION_BUDGET", cls.action_budget),
            reply_deadline=env_float("SEKRETAR_REPLY_DEADLINE", cls.reply_deadline),
            drain_interval=env_float("SEKRETAR_DRAIN_INTERVAL", cls.drain_interval),
            host=env("SEKRETAR_HOST", cls.host),
            port=env_int("SEKRETAR_PORT", cls.port),
        )
        if cfg.max_body < 1024:
            raise ConfigError("SEKRETAR_MAX_BODY must be at least 1024 bytes")
        if cfg.reply_deadline and cfg.action_budget >= cfg.reply_deadline:
            raise ConfigError("SEKRETAR_ACTION_BUDGET must be shorter than SEKRETAR_REPLY_DEADLINE")
        return cfg
