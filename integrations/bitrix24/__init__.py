"""Bitrix24: the CRM workspace over REST (inbound webhook or OAuth application).

    from sekretar.integrations.bitrix24 import open_workspace
    ws = open_workspace(settings, store)      # SEKRETAR_BITRIX24_* from the environment

The webhook wins when both are configured. See docs/bitrix24.md.
"""
from __future__ import annotations

from sekretar.integrations.bitrix24.acting import Acting
from sekretar.integrations.bitrix24.client import Bitrix24Client, RateLimiter, redact
from sekretar.integrations.bitrix24.oauth import (
    OAuthSession,
    Tokens,
    TokenVault,
    fernet_from_secret,
    tokens_from_install,
)
from sekretar.integrations.bitrix24.persons import PersonTokens
from sekretar.integrations.bitrix24.settings import BitrixSettings, parse_webhook
from sekretar.integrations.bitrix24.workspace import Bitrix24Workspace

from sekretar.core.errors import ConfigError

__all__ = ["open_workspace", "Bitrix24Workspace", "Bitrix24Client", "RateLimiter", "BitrixSettings",
           "OAuthSession", "TokenVault", "Tokens", "tokens_from_install", "redact", "oauth_session", "install",
           "application", "PersonTokens", "Acting"]

# one bucket per portal: in the store's database when there is one (every
# worker and process shares it, see budget.py), else per process
_LIMITERS: dict[tuple, RateLimiter] = {}


def _limiter(portal: str, bs: BitrixSettings, store=None) -> RateLimiter:
    # one request of the burst kept in reserve: requests reach the portal with
    # some jitter, and its bucket counts arrivals, not our sends
    from sekretar.integrations.bitrix24.budget import SharedRateLimiter
    from sekretar.store.db import Database

    db = getattr(store, "db", None)
    if isinstance(db, Database):
        key = (portal, db.url)
        if key not in _LIMITERS:
            _LIMITERS[key] = SharedRateLimiter(db, portal, bs.rate, max(1, bs.burst - 1))
        return _LIMITERS[key]
    return _LIMITERS.setdefault((portal, None), RateLimiter(bs.rate, max(1, bs.burst - 1)))


def oauth_session(store, bs: BitrixSettings) -> OAuthSession:
    vault = TokenVault(store, fernet_from_secret(bs.secret_key))
    return OAuthSession(vault, bs.client_id, bs.client_secret, bs.oauth_url, timeout=bs.timeout)


def install(store, params: dict, bitrix: BitrixSettings | None = None, events_url: str | None = None) -> Tokens:
    """The portal installed the application (ONAPPINSTALL event, or the install
    page with AUTH_ID/REFRESH_ID): prove the tokens with the portal, keep them
    encrypted. See app.Application."""
    from sekretar.integrations.bitrix24.app import Application

    from sekretar.core.errors import Forbidden

    bs = bitrix or BitrixSettings.from_env()
    try:
        return Application(store, bs).install(params, events_url)
    except Forbidden as exc:
        raise ConfigError(f"the installation was not accepted: {exc}") from None


def application(store, bitrix: BitrixSettings | None = None):
    """The installed application's lifecycle (install page, events); its
    calls to the portal count in the portal's shared rate budget."""
    from sekretar.integrations.bitrix24.app import Application

    bs = bitrix or BitrixSettings.from_env()
    return Application(store, bs, client_factory=lambda rest: Bitrix24Client(
        rest, timeout=bs.timeout, limiter=_limiter(rest.rstrip("/").rsplit("/rest", 1)[0], bs, store)))


def open_workspace(settings=None, store=None, bitrix: BitrixSettings | None = None) -> Bitrix24Workspace:
    """`settings`: sekretar.core.config.Settings (event length); `store`: for OAuth tokens."""
    bs = bitrix or BitrixSettings.from_env()
    minutes = getattr(settings, "event_default_minutes", 60)
    tz = getattr(settings, "tz", "Europe/Moscow")
    if bs.webhook:
        hook = parse_webhook(bs.webhook)
        limiter = _limiter(hook.portal, bs, store)
        client = Bitrix24Client(hook.url, timeout=bs.timeout, limiter=limiter)
        return Bitrix24Workspace(client, hook.portal, caller_id=hook.user_id, event_minutes=minutes,
                                 people_ttl=bs.people_ttl, tz=tz, store=store,
                                 app_client_factory=lambda: Bitrix24Client(
                                     f"{hook.portal}/rest/", timeout=bs.timeout, limiter=limiter))
    if bs.client_id:
        if store is None:
            raise ConfigError("A Bitrix24 application keeps its tokens in the store: pass one")
        session = oauth_session(store, bs)
        tokens = session.vault.load()
        domain = (tokens.domain if tokens else None) or bs.domain
        if not domain:
            raise ConfigError("Set SEKRETAR_BITRIX24_DOMAIN (portal.bitrix24.ru) or install the application")
        rest = (tokens.rest_url if tokens else None) or f"https://{domain}/rest/"
        portal = rest.rsplit("/rest/", 1)[0]  # the scheme and host the portal's own endpoint names
        limiter = _limiter(portal, bs, store)
        client = Bitrix24Client(rest, auth=session, timeout=bs.timeout, limiter=limiter)
        persons = PersonTokens(store, session.vault.fernet, bs)
        acting = Acting(persons, lambda s: Bitrix24Client(client.base_url, auth=s, timeout=bs.timeout,
                                                          limiter=limiter), client)
        return Bitrix24Workspace(client, portal, caller_id=tokens.user_id if tokens else None,
                                 event_minutes=minutes, people_ttl=bs.people_ttl, tz=tz, store=store,
                                 app_client_factory=lambda: Bitrix24Client(client.base_url, timeout=bs.timeout,
                                                                           limiter=limiter), acting=acting)
    raise ConfigError("SEKRETAR_WORKSPACE=bitrix24 needs SEKRETAR_BITRIX24_WEBHOOK=https://PORTAL/rest/USER_ID/SECRET/ "
                      "or an application (SEKRETAR_BITRIX24_CLIENT_ID, SEKRETAR_BITRIX24_CLIENT_SECRET, "
                      "SEKRETAR_BITRIX24_DOMAIN, SEKRETAR_SECRET_KEY)")
