"""Bitrix24 settings from SEKRETAR_BITRIX24_* (and SEKRETAR_SECRET_KEY)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sekretar.core.config import env, env_int
from sekretar.core.errors import ConfigError

_WEBHOOK_RE = re.compile(r"^/rest/(\d+)/([^/]+)/?$")


@dataclass(frozen=True)
class BitrixSettings:
    webhook: str | None = None        # https://PORTAL/rest/USER_ID/SECRET/
    client_id: str | None = None      # OAuth application
    client_secret: str | None = None
    domain: str | None = None         # portal.bitrix24.ru (OAuth)
    oauth_url: str = "https://oauth.bitrix.info/oauth/token/"
    secret_key: str | None = None     # Fernet key for tokens at rest
    timeout: float = 10.0
    rate: float = 2.0                 # requests per second, sustained
    burst: int = 50
    people_ttl: float = 300.0         # seconds the user list is cached

    @classmethod
    def from_env(cls) -> "BitrixSettings":
        try:
            timeout = float(env("SEKRETAR_BITRIX24_TIMEOUT", "10"))
            rate = float(env("SEKRETAR_BITRIX24_RATE", "2"))
        except ValueError:
            raise ConfigError("SEKRETAR_BITRIX24_TIMEOUT and SEKRETAR_BITRIX24_RATE must be numbers") from None
        return cls(
            webhook=env("SEKRETAR_BITRIX24_WEBHOOK"),
            client_id=env("SEKRETAR_BITRIX24_CLIENT_ID"),
            client_secret=env("SEKRETAR_BITRIX24_CLIENT_SECRET"),
            domain=env("SEKRETAR_BITRIX24_DOMAIN"),
            oauth_url=env("SEKRETAR_BITRIX24_OAUTH_URL", "https://oauth.bitrix.info/oauth/token/"),
            secret_key=env("SEKRETAR_SECRET_KEY"),
            timeout=timeout, rate=rate,
            burst=env_int("SEKRETAR_BITRIX24_BURST", 50),
            people_ttl=float(env_int("SEKRETAR_BITRIX24_PEOPLE_TTL", 300)),
        )


@dataclass(frozen=True)
class Webhook:
    url: str        # normalised, ends with "/"
    portal: str     # https://PORTAL
    user_id: str    # the user the webhook acts as


def parse_webhook(url: str) -> Webhook:
    """Check the inbound webhook URL's shape without ever echoing its secret."""
    parts = urlsplit(url.strip())
    m = _WEBHOOK_RE.match(parts.path or "")
    if parts.scheme not in ("http", "https") or not parts.netloc or not m:
        raise ConfigError("SEKRETAR_BITRIX24_WEBHOOK must look like https://PORTAL/rest/USER_ID/SECRET/ "
                          "(Битрикс24 → Разработчикам → Другое → Входящий вебхук)")
    portal = f"{parts.scheme}://{parts.netloc}"
    return Webhook(f"{portal}/rest/{m.group(1)}/{m.group(2)}/", portal, m.group(1))
