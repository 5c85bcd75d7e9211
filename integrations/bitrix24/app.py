"""sekretar as an installed Bitrix24 application (OAuth 2.0): installation,
the portal's events, removal.

- Install (B24DOCS settings/oauth/simple-way.md, api-reference/common/events/
  on-app-install.md): the install page (AUTH_ID, REFRESH_ID, APPLICATION_TOKEN,
  member_id; DOMAIN in the query) or the ONAPPINSTALL event (`auth[...]`).
  Anyone can POST those, so the tokens are proved before anything is kept:
  the portal must be the configured one (SEKRETAR_BITRIX24_DOMAIN, else the one
  installed first), and `app.info` called there with the given access token
  must name this application (CODE = client_id). Then `user.current` says who
  installed it, and the tokens and the portal's `application_token` are kept,
  encrypted. ONAPPUNINSTALL is bound with `event.bind` so removal is heard.
- Every other event must carry the stored `application_token` and member_id
  (api-reference/events/safe-event-handlers.md), compared in constant time.
- ONAPPUNINSTALL: the installer's and every person's tokens, the links to the
  portal, its people and pending actions are dropped, and the log says so.
"""
from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import urlsplit

from sekretar.integrations.bitrix24.client import Bitrix24Client, RateLimiter
from sekretar.integrations.bitrix24.oauth import Tokens, TokenVault, fernet_from_secret, tokens_from_install
from sekretar.integrations.bitrix24.persons import PersonTokens
from sekretar.integrations.bitrix24.settings import BitrixSettings

from sekretar.core.errors import ConfigError, Forbidden, WorkspaceError

log = logging.getLogger(__name__)

WORKSPACE = "bitrix24"
FORGET_KEYS = ("bitrix24.people",)
UNINSTALLED = "Приложение sekretar удалено с портала Битрикс24: действие не выполнено"


@dataclass(frozen=True)
class EventOutcome:
    event: str
    status: str          # installed | uninstalled | ignored
    portal: str | None = None
    user_id: str | None = None
    links: int = 0
    actions: int = 0


class Application:
    """The portal side of the application. `client_factory(rest_url)` makes a
    REST client (tests pass one with a loose limiter)."""

    def __init__(self, store, bs: BitrixSettings, client_factory=None):
        if not bs.client_id or not bs.client_secret:
            raise ConfigError("SEKRETAR_BITRIX24_CLIENT_ID and SEKRETAR_BITRIX24_CLIENT_SECRET are not set: "
                              "this sekretar is not a Bitrix24 application")
        fernet = fernet_from_secret(bs.secret_key)
        self.store, self.bs = store, bs
        self.vault = TokenVault(store, fernet)
        self.persons = PersonTokens(store, fernet, bs)
        self._client = client_factory or (lambda url: Bitrix24Client(url, timeout=bs.timeout,
                                                                    limiter=RateLimiter(bs.rate, bs.burst)))

    # --- installation ------------------------------------------------------
    def install(self, params: dict, events_url: str | None = None) -> Tokens:
        """The install page's form (with the query's DOMAIN) or an
        ONAPPINSTALL event, already read into nested dicts. Forbidden when
        the tokens do not prove to be this application's on this portal."""
        tokens = tokens_from_install(params)
        rest = self._pinned_rest(tokens)
        client = self._client(rest)
        try:
            info = client.call("app.info", auth_token=tokens.access_token).result or {}
            if str(info.get("CODE") or "") != self.bs.client_id:
                raise Forbidden("the tokens belong to another application")
            me = client.call("user.current", auth_token=tokens.access_token).result or {}
        except WorkspaceError as exc:
            raise Forbidden(f"the portal did not confirm the installation: {exc}") from None
        finally:
            client.close()
        before = self.vault.load()
        app_token = tokens.application_token or (before.application_token if before else None)
        tokens = replace(tokens, user_id=str(me.get("ID") or tokens.user_id or ""), client_endpoint=rest,
                         application_token=app_token,
                         member_id=tokens.member_id or (before.member_id if before else None))
        self.vault.save(tokens)
        log.info("Bitrix24 application installed on %s by user %s", tokens.domain, tokens.user_id)
        if events_url:
            self._bind(rest, tokens.access_token, events_url)
        return tokens

    def _pinned_rest(self, tokens: Tokens) -> str:
        """The REST endpoint of the one portal this sekretar serves."""
        before = self.vault.load()
        pinned = (self.bs.domain or (before.domain if before else None) or tokens.domain or "").lower()
        if not tokens.domain or tokens.domain.lower() != pinned:
            raise Forbidden(f"this sekretar serves {pinned or 'no portal yet'}, not {tokens.domain}")
        if before and before.member_id and tokens.member_id and before.member_id != tokens.member_id:
            raise Forbidden("another portal (member_id) is already installed here")
        endpoint = tokens.client_endpoint or f"https://{pinned}/rest/"
        scheme = urlsplit(endpoint).scheme if urlsplit(endpoint).netloc.lower() == pinned else "https"
        return f"{scheme}://{pinned}/rest/"

    def _bind(self, rest: str, token: str, events_url: str) -> None:
        client = self._client(rest)
        try:
            bound = client.call("event.get", auth_token=token).result or []
            if not any(str(b.get("event")).upper() == "ONAPPUNINSTALL" and b.get("handler") == events_url
                       for b in bound):
                client.call("event.bind", {"event": "ONAPPUNINSTALL", "handler": events_url}, auth_token=token)
        except WorkspaceError as exc:  # the install stands; removal is then only heard if bound by hand
            log.warning("Bitrix24: could not bind ONAPPUNINSTALL to %s: %s", events_url, exc)
        finally:
            client.close()

    # --- events --------------------------------------------------------------
    def verify(self, auth: dict) -> Tokens:
        """The event carries this portal's application_token: else Forbidden."""
        installed = self.vault.load()
        given = str((auth or {}).get("application_token") or "")
        if installed is None or not installed.application_token:
            raise Forbidden("the application is not installed here")
        if not hmac.compare_digest(given.encode(), installed.application_token.encode()):
            raise Forbidden("wrong application_token")
        member = str((auth or {}).get("member_id") or "")
        if installed.member_id and not hmac.compare_digest(member.encode(), installed.member_id.encode()):
            raise Forbidden("wrong member_id")
        return installed

    def on_event(self, form: dict, events_url: str | None = None) -> EventOutcome:
        event = str(form.get("event") or "").upper()
        auth = form.get("auth") if isinstance(form.get("auth"), dict) else {}
        if event == "ONAPPINSTALL":  # proved by app.info like the install page (it may arrive late)
            tokens = self.install(form, events_url)
            return EventOutcome(event, "installed", tokens.domain, tokens.user_id)
        installed = self.verify(auth)
        if event == "ONAPPUNINSTALL":
            return self.uninstall(installed, form.get("data") if isinstance(form.get("data"), dict) else {})
        return EventOutcome(event, "ignored", installed.domain)

    def uninstall(self, installed: Tokens, data: dict) -> EventOutcome:
        links, actions = self.store.forget_workspace(WORKSPACE, UNINSTALLED, datetime.now(timezone.utc))
        people = self.persons.forget_all()
        self.vault.save(None)
        for key in FORGET_KEYS:
            self.store.kv_put(key, None)
        log.warning("Bitrix24 application removed from %s (clean=%s): dropped the installer's tokens, "
                    "%d people's tokens, %d links and %d pending actions",
                    installed.domain, data.get("CLEAN"), people, links, actions)
        return EventOutcome("ONAPPUNINSTALL", "uninstalled", installed.domain, links=links, actions=actions)
