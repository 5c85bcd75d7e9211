"""OAuth 2.0 tokens of an installed Bitrix24 application, kept in the store.

The portal hands the first pair of tokens to the application (the install
event, or the application page: AUTH_ID / REFRESH_ID / AUTH_EXPIRES). An
access token lives an hour; the refresh grant at the OAuth server
(`https://oauth.bitrix.info/oauth/token/`, configurable) returns a new
access token *and a new refresh token*, which is stored every time — the
old one stops working. Tokens are encrypted at rest with Fernet under a key
from SEKRETAR_SECRET_KEY and never logged.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
from dataclasses import asdict, dataclass, fields, replace
from typing import Callable
from urllib.parse import urlsplit

import requests
from cryptography.fernet import Fernet, InvalidToken
from sekretar.integrations.bitrix24.client import redact
from sekretar.store.base import Store

from sekretar.core.errors import ConfigError, WorkspaceAuthError, WorkspaceUnavailable

log = logging.getLogger(__name__)

KV_KEY = "bitrix24.oauth"
USER_KEY = "bitrix24.oauth.user.{user_id}"   # a linked person's own tokens
REFRESH_LIFETIME = 180 * 24 * 3600.0        # a refresh token lives 180 days (B24DOCS settings/oauth/index.md)
RELOAD_AFTER = 30.0                         # seconds a process trusts its copy of the tokens
RENEW_BEFORE = 14 * 24 * 3600.0             # renew an idle refresh token two weeks before it dies


def fernet_from_secret(secret: str | None) -> Fernet:
    """A Fernet key as is, or any other passphrase stretched to one (SHA-256)."""
    if not secret:
        raise ConfigError("SEKRETAR_SECRET_KEY is not set: it encrypts the Bitrix24 tokens at rest "
                          "(make one with: python -c 'from cryptography.fernet import Fernet; "
                          "print(Fernet.generate_key().decode())')")
    try:
        return Fernet(secret.encode())
    except (ValueError, TypeError):
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()))


@dataclass
class Tokens:
    access_token: str
    refresh_token: str
    expires: float              # unix time the access token dies
    domain: str | None = None   # portal.bitrix24.ru
    member_id: str | None = None
    user_id: str | None = None  # the portal user the tokens belong to
    client_endpoint: str | None = None  # https://portal/rest/
    refresh_expires: float | None = None  # unix time the refresh token dies (180 days after issue)
    application_token: str | None = None  # the portal's proof on every event (installer's record only)

    @property
    def rest_url(self) -> str | None:
        if self.client_endpoint:
            return self.client_endpoint
        return f"https://{self.domain}/rest/" if self.domain else None

    def __repr__(self) -> str:  # never print a token by accident
        return f"Tokens(domain={self.domain!r}, user_id={self.user_id!r}, expires={self.expires:.0f})"


def portal_host(endpoint: str | None) -> str | None:
    """`https://portal.bitrix24.ru/rest/` → `portal.bitrix24.ru`."""
    if not endpoint:
        return None
    host = urlsplit(endpoint).netloc
    return host.lower() or None


def tokens_from_install(params: dict, now: float | None = None) -> Tokens:
    """From an install event (`auth[access_token]`… or a nested `auth` dict)
    or from the application page (AUTH_ID, REFRESH_ID, AUTH_EXPIRES, DOMAIN)."""
    now = time.time() if now is None else now
    auth = params.get("auth") if isinstance(params.get("auth"), dict) else {
        k[5:-1]: v for k, v in params.items() if k.startswith("auth[") and k.endswith("]")}
    if auth.get("access_token"):
        expires_in = float(auth.get("expires_in") or 3600)
        endpoint = auth.get("client_endpoint")
        return Tokens(auth["access_token"], auth.get("refresh_token", ""),
                      float(auth.get("expires") or now + expires_in),
                      portal_host(endpoint) or (auth.get("domain") or "").lower() or None,
                      auth.get("member_id"), _s(auth.get("user_id")), endpoint,
                      refresh_expires=now + REFRESH_LIFETIME if auth.get("refresh_token") else None,
                      application_token=auth.get("application_token") or None)
    if params.get("AUTH_ID"):
        domain = (params.get("DOMAIN") or "").lower() or None
        scheme = "http" if str(params.get("PROTOCOL")) == "0" else "https"  # PROTOCOL: 0 http, 1 https
        return Tokens(params["AUTH_ID"], params.get("REFRESH_ID", ""),
                      now + float(params.get("AUTH_EXPIRES") or 3600), domain, params.get("member_id"),
                      client_endpoint=f"{scheme}://{domain}/rest/" if domain and "PROTOCOL" in params else None,
                      refresh_expires=now + REFRESH_LIFETIME if params.get("REFRESH_ID") else None,
                      application_token=params.get("APPLICATION_TOKEN") or None)
    raise WorkspaceAuthError("В запросе от Битрикс24 нет токенов приложения (auth / AUTH_ID)")


def _s(v) -> str | None:
    return None if v in (None, "") else str(v)


class TokenVault:
    """Encrypted tokens in `store.kv_*`."""

    def __init__(self, store: Store, fernet: Fernet, key: str = KV_KEY):
        self.store, self.fernet, self.key = store, fernet, key

    def load(self) -> Tokens | None:
        raw = self.store.kv_get(self.key)
        if not raw:
            return None
        try:
            data = json.loads(self.fernet.decrypt(raw.encode()))
            known = {f.name for f in fields(Tokens)}
            return Tokens(**{k: v for k, v in data.items() if k in known})
        except InvalidToken:
            raise ConfigError("The stored Bitrix24 tokens do not decrypt with SEKRETAR_SECRET_KEY "
                              "(was the key changed?): install the application again") from None

    def save(self, tokens: Tokens | None) -> None:
        """Keep `tokens` (None forgets them)."""
        if tokens is None:
            self.store.kv_put(self.key, None)
            return
        self.store.kv_put(self.key, self.fernet.encrypt(json.dumps(asdict(tokens)).encode()).decode())


class OAuthSession:
    """Gives a live access token, refreshing a minute before it expires, and
    on demand when the portal says `expired_token`. One refresh at a time."""

    def __init__(self, vault: TokenVault, client_id: str, client_secret: str,
                 oauth_url: str = "https://oauth.bitrix.info/oauth/token/", timeout: float = 10.0,
                 margin: float = 60.0, clock: Callable[[], float] = time.time,
                 session: requests.Session | None = None):
        if not client_id or not client_secret:
            raise ConfigError("SEKRETAR_BITRIX24_CLIENT_ID and SEKRETAR_BITRIX24_CLIENT_SECRET "
                              "are both needed for a Bitrix24 application")
        self.vault = vault
        self.client_id, self.client_secret = client_id, client_secret
        self.oauth_url, self.timeout, self.margin = oauth_url, timeout, margin
        self.clock = clock
        self.session = session or requests.Session()
        self._lock = threading.Lock()
        self._tokens: Tokens | None = None
        self._loaded_at = 0.0
        self.refreshes = 0

    def tokens(self) -> Tokens:
        # re-read now and then: another worker or process may have refreshed,
        # reinstalled or removed the application meanwhile
        if self._tokens is None or time.monotonic() - self._loaded_at > RELOAD_AFTER:
            self._tokens, self._loaded_at = self.vault.load(), time.monotonic()
        if self._tokens is None:
            raise WorkspaceAuthError("Приложение sekretar ещё не установлено на портал Битрикс24: "
                                     "нет токенов (установите приложение или задайте "
                                     "SEKRETAR_BITRIX24_WEBHOOK)")
        return self._tokens

    def reload(self) -> None:
        """Tokens changed in the store (installed again, removed): re-read them."""
        with self._lock:
            self._tokens = None

    def install(self, tokens: Tokens) -> None:
        with self._lock:
            self.vault.save(tokens)
            self._tokens = tokens

    def access_token(self) -> str:
        tokens = self.tokens()
        if tokens.expires - self.margin <= self.clock():
            return self.refresh(stale=tokens.access_token)
        return tokens.access_token

    def refresh(self, stale: str | None = None) -> str:
        """New tokens by the refresh grant; `stale` skips the grant when
        another thread (or process, via the store) already replaced it."""
        with self._lock:
            current = self.vault.load() or self.tokens()
            stale = stale or self.tokens().access_token
            if current.access_token != stale and current.expires - self.margin > self.clock():
                self._tokens = current
                return current.access_token
            try:
                fresh = self._grant(current)
            except WorkspaceAuthError:
                # another process may have used the same refresh token a moment
                # earlier (the old one then dies): its new tokens are in the store
                again = self.vault.load()
                if again is None or again.refresh_token == current.refresh_token:
                    raise
                self._tokens = again
                return again.access_token
            self.vault.save(fresh)
            self._tokens = fresh
            self.refreshes += 1
            log.info("Bitrix24 OAuth tokens refreshed for %s", fresh.domain)
            return fresh.access_token

    def _grant(self, current: Tokens) -> Tokens:
        params = {"grant_type": "refresh_token", "client_id": self.client_id,
                  "client_secret": self.client_secret, "refresh_token": current.refresh_token}
        try:
            resp = self.session.get(self.oauth_url, params=params, timeout=self.timeout)
            data = resp.json()
        except requests.RequestException as exc:
            raise WorkspaceUnavailable(f"Сервер авторизации Битрикс24 недоступен: {redact(exc)}") from None
        except ValueError:
            raise WorkspaceUnavailable(f"Сервер авторизации Битрикс24 ответил HTTP {resp.status_code}") from None
        if not isinstance(data, dict) or "error" in data or "access_token" not in data:
            code = data.get("error") if isinstance(data, dict) else None
            if resp.status_code >= 500:
                raise WorkspaceUnavailable(f"Сервер авторизации Битрикс24: HTTP {resp.status_code}")
            raise WorkspaceAuthError("Битрикс24 не обновил токен приложения — установите приложение "
                                     f"заново (проверьте CLIENT_ID/CLIENT_SECRET) [{code}]")
        # the answer's `domain` is the authorization server (oauth.bitrix.info),
        # not the portal: the portal is `client_endpoint` (which also follows a
        # renamed portal). B24DOCS settings/oauth/auto-renewal.md
        endpoint = data.get("client_endpoint") or current.client_endpoint
        return replace(current, access_token=data["access_token"],
                       refresh_token=data.get("refresh_token") or current.refresh_token,
                       expires=self.clock() + float(data.get("expires_in") or 3600),
                       domain=portal_host(endpoint) or current.domain,
                       member_id=data.get("member_id") or current.member_id,
                       user_id=_s(data.get("user_id")) or current.user_id, client_endpoint=endpoint,
                       refresh_expires=self.clock() + REFRESH_LIFETIME)
