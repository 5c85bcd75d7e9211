"""The server's own settings, from SEKRETAR_* environment variables."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from sekretar.core.config import env, env_int
from sekretar.core.errors import ConfigError
from sekretar.web.guard import parse_networks, under_gunicorn

ENVS = ("production", "development")


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
    env: str | None = None               # production | development | None: decided (see `production`)
    alice_allow_nets: tuple = ()         # source networks /alice answers (empty: any)
    trusted_proxies: tuple = ()          # peers whose X-Forwarded-For is believed
    allowed_hosts: tuple = ()            # Host names besides loopback ones (the code page, the dev API)

    @property
    def production(self) -> bool:
        """SEKRETAR_ENV decides; unset, production is gunicorn or a server
        listening beyond loopback (`sekretar serve --host 0.0.0.0`)."""
        if self.env is not None:
            return self.env == "production"
        if under_gunicorn():
            return True
        try:
            return not ipaddress.ip_address(self.host.strip("[]")).is_loopback
        except ValueError:
            return self.host.lower() != "localhost"

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
            env=(env("SEKRETAR_ENV") or "").lower() or None,
            alice_allow_nets=parse_networks(env("SEKRETAR_ALICE_ALLOW_NETS"), "SEKRETAR_ALICE_ALLOW_NETS"),
            trusted_proxies=parse_networks(env("SEKRETAR_TRUSTED_PROXIES"), "SEKRETAR_TRUSTED_PROXIES"),
            allowed_hosts=tuple(h.strip().lower() for h in (env("SEKRETAR_ALLOWED_HOSTS") or "").split(",")
                                if h.strip()),
        )
        if cfg.env is not None and cfg.env not in ENVS:
            raise ConfigError(f"SEKRETAR_ENV must be 'production' or 'development', got {cfg.env!r}")
        if cfg.max_body < 1024:
            raise ConfigError("SEKRETAR_MAX_BODY must be at least 1024 bytes")
        if cfg.reply_deadline and cfg.action_budget >= cfg.reply_deadline:
            raise ConfigError("SEKRETAR_ACTION_BUDGET must be shorter than SEKRETAR_REPLY_DEADLINE")
        return cfg
