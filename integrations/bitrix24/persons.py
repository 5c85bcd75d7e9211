"""Each linked person's own OAuth tokens (from the application page they
opened), so that sekretar acts as them; see acting.py."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from typing import Callable

from cryptography.fernet import Fernet
from sekretar.integrations.bitrix24.oauth import (
    REFRESH_LIFETIME,
    RENEW_BEFORE,
    USER_KEY,
    OAuthSession,
    Tokens,
    TokenVault,
)
from sekretar.store.base import Store

from sekretar.core.errors import WorkspaceAuthError, WorkspaceUnavailable


class PersonTokens:
    """Each linked person's own tokens (from the application page they
    opened), encrypted, one store key each, and an index of whose are kept.
    `session(user_id)` is an OAuthSession that acts as that person; None
    when they have none (or their refresh token is gone)."""

    INDEX = "bitrix24.oauth.users"

    def __init__(self, store: Store, fernet: Fernet, bs, clock: Callable[[], float] = time.time):
        self.store, self.fernet, self.bs, self.clock = store, fernet, bs, clock
        self._sessions: dict[str, OAuthSession] = {}
        self._lock = threading.Lock()

    def users(self) -> list[str]:
        raw = self.store.kv_get(self.INDEX)
        return json.loads(raw) if raw else []

    def _vault(self, user_id: str) -> TokenVault:
        return TokenVault(self.store, self.fernet, USER_KEY.format(user_id=user_id))

    def keep(self, user_id: str, tokens: Tokens) -> None:
        """The person opened the application page: their AUTH_ID/REFRESH_ID."""
        if not tokens.refresh_token:
            return
        user_id = str(user_id)
        tokens = replace(tokens, user_id=user_id, application_token=None,
                         refresh_expires=tokens.refresh_expires or self.clock() + REFRESH_LIFETIME)
        with self._lock:
            self._vault(user_id).save(tokens)
            self._sessions.pop(user_id, None)
            known = self.users()
            if user_id not in known:
                self.store.kv_put(self.INDEX, json.dumps(known + [user_id]))

    def session(self, user_id: str | None) -> "OAuthSession | None":
        if not user_id or not self.bs.client_id:
            return None
        user_id = str(user_id)
        with self._lock:
            if user_id in self._sessions:
                return self._sessions[user_id]
            vault = self._vault(user_id)
            tokens = vault.load()
            if tokens is None:
                return None
            if tokens.refresh_expires and tokens.refresh_expires <= self.clock():
                return None  # dead: the person must open the page again
            s = OAuthSession(vault, self.bs.client_id, self.bs.client_secret, self.bs.oauth_url,
                             timeout=self.bs.timeout, clock=self.clock)
            self._sessions[user_id] = s
            return s

    def forget(self, user_id: str) -> None:
        user_id = str(user_id)
        with self._lock:
            self._vault(user_id).save(None)
            self._sessions.pop(user_id, None)
            self.store.kv_put(self.INDEX, json.dumps([u for u in self.users() if u != user_id]) or None)

    def forget_all(self) -> int:
        users = self.users()
        for u in users:
            self.forget(u)
        self.store.kv_put(self.INDEX, None)
        return len(users)

    def renew_due(self) -> tuple[list[str], list[str]]:
        """Renew refresh tokens that die within RENEW_BEFORE (an idle person's
        token would otherwise lapse after 180 days); (renewed, gone). A gone
        token is forgotten: its person must open the application page again."""
        renewed, gone = [], []
        for user_id in self.users():
            tokens = self._vault(user_id).load()
            if tokens is None:
                continue
            if tokens.refresh_expires and tokens.refresh_expires <= self.clock():
                self.forget(user_id)
                gone.append(user_id)
                continue
            if tokens.refresh_expires and tokens.refresh_expires - RENEW_BEFORE > self.clock():
                continue
            s = self.session(user_id)
            try:
                s.refresh(stale=tokens.access_token) if s else None
                renewed.append(user_id)
            except WorkspaceAuthError:
                self.forget(user_id)
                gone.append(user_id)
            except WorkspaceUnavailable:
                pass  # next round
        return renewed, gone
