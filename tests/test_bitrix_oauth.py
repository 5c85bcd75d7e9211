"""OAuth application: refresh before expiry, refresh once on expired_token,
the new refresh token stored every time, tokens encrypted at rest."""
from __future__ import annotations

import json
import logging

import pytest
from cryptography.fernet import Fernet
from sekretar.integrations.bitrix24 import (
    Bitrix24Client,
    Bitrix24Workspace,
    BitrixSettings,
    OAuthSession,
    RateLimiter,
    TokenVault,
    open_workspace,
    tokens_from_install,
)
from sekretar.integrations.bitrix24.oauth import KV_KEY, fernet_from_secret

from sekretar.core.errors import ConfigError, WorkspaceAuthError
from sekretar.core.types import Action

KEY = Fernet.generate_key().decode()


@pytest.fixture
def app(fake_bitrix, b24_store):
    """An installed application: the install event's tokens in the vault."""
    vault = TokenVault(b24_store, fernet_from_secret(KEY))
    session = OAuthSession(vault, fake_bitrix.client_id, fake_bitrix.client_secret, fake_bitrix.oauth_url,
                           timeout=2)
    install = {f"auth[{k}]": str(v) for k, v in fake_bitrix.issue_tokens("1").items()}
    session.install(tokens_from_install(install))
    client = Bitrix24Client(session.tokens().rest_url, auth=session, timeout=2, limiter=RateLimiter(100, 100))
    return session, client


def test_calls_carry_the_access_token(app, fake_bitrix):
    session, client = app
    assert client.call("user.current").result["ID"] == "1"
    assert fake_bitrix.calls[-1].user is None and fake_bitrix.calls[-1].status == 200


def test_expired_token_is_refreshed_once_and_the_call_repeated(app, fake_bitrix, b24_store):
    session, client = app
    old = session.tokens()
    fake_bitrix.expire_tokens()  # the portal says expired_token although our clock says fine
    assert client.call("user.current").result["ID"] == "1"
    assert [c.status for c in fake_bitrix.calls] == [401, 200]
    assert session.refreshes == 1
    new = session.vault.load()
    assert new.access_token != old.access_token and new.refresh_token != old.refresh_token
    assert old.refresh_token not in fake_bitrix.refresh  # the used refresh token is dead at the portal


def test_refresh_happens_before_expiry(app, fake_bitrix):
    session, client = app
    session.clock = lambda: session.tokens().expires - 30  # inside the one-minute margin
    client.call("user.current")
    assert session.refreshes == 1
    assert [c.status for c in fake_bitrix.calls] == [200]  # no 401 round trip


def test_every_refresh_stores_the_new_refresh_token(app, fake_bitrix):
    session, client = app
    seen = set()
    for _ in range(3):
        fake_bitrix.expire_tokens()
        client.call("user.current")
        seen.add(session.vault.load().refresh_token)
    assert len(seen) == 3 and session.refreshes == 3


def test_a_dead_refresh_token_is_said_plainly(app, fake_bitrix):
    session, client = app
    fake_bitrix.refresh.clear()
    fake_bitrix.expire_tokens()
    with pytest.raises(WorkspaceAuthError, match="установите приложение заново"):
        client.call("user.current")


def test_expired_twice_in_a_row_does_not_loop(app, fake_bitrix):
    session, client = app
    fake_bitrix.fail("expired", times=5, methods=["user.current"])
    with pytest.raises(WorkspaceAuthError):
        client.call("user.current")
    assert len(fake_bitrix.calls) == 2 and session.refreshes == 1


def test_tokens_are_encrypted_at_rest(app, b24_store):
    session, _ = app
    raw = b24_store.kv_get(KV_KEY)
    tokens = session.tokens()
    assert tokens.access_token not in raw and tokens.refresh_token not in raw
    assert json.loads(Fernet(KEY.encode()).decrypt(raw.encode()))["refresh_token"] == tokens.refresh_token
    other = TokenVault(b24_store, fernet_from_secret(Fernet.generate_key().decode()))
    with pytest.raises(ConfigError, match="SEKRETAR_SECRET_KEY"):
        other.load()


def test_tokens_never_reach_the_logs(app, fake_bitrix, caplog):
    session, client = app
    caplog.set_level(logging.DEBUG)
    old = session.tokens()
    fake_bitrix.expire_tokens()
    client.call("user.current")
    t = session.tokens()
    assert "/oauth/token/" in caplog.text  # urllib3 did log the request line...
    for secret in (t.access_token, t.refresh_token, old.access_token, old.refresh_token,
                   fake_bitrix.client_secret):
        assert secret not in caplog.text  # ...with the secrets hidden
    assert t.access_token not in repr(t)


def test_webhook_secret_never_reaches_the_logs(fake_bitrix, caplog):
    caplog.set_level(logging.DEBUG)
    Bitrix24Client(fake_bitrix.webhook_url, limiter=RateLimiter(100, 100)).call("user.current")
    assert "user.current.json" in caplog.text and fake_bitrix.secret not in caplog.text


def test_a_passphrase_works_as_the_secret_key():
    f = fernet_from_secret("correct horse battery staple")
    assert f.decrypt(f.encrypt(b"x")) == b"x"
    with pytest.raises(ConfigError, match="SEKRETAR_SECRET_KEY"):
        fernet_from_secret(None)


def test_app_page_parameters_are_tokens_too():
    t = tokens_from_install({"AUTH_ID": "a", "REFRESH_ID": "r", "AUTH_EXPIRES": "3600",
                             "DOMAIN": "p.bitrix24.ru", "member_id": "m"}, now=1000.0)
    assert (t.access_token, t.refresh_token, t.expires, t.rest_url) == ("a", "r", 4600.0, "https://p.bitrix24.ru/rest/")
    with pytest.raises(WorkspaceAuthError):
        tokens_from_install({})


def test_open_workspace_with_an_installed_application(fake_bitrix, b24_store):
    bs = BitrixSettings(client_id=fake_bitrix.client_id, client_secret=fake_bitrix.client_secret,
                        oauth_url=fake_bitrix.oauth_url, secret_key=KEY, domain=fake_bitrix.domain)
    from sekretar.integrations.bitrix24 import oauth_session
    oauth_session(b24_store, bs).install(tokens_from_install({"auth": fake_bitrix.issue_tokens("3")}))
    ws = open_workspace(None, b24_store, bitrix=bs)
    assert isinstance(ws, Bitrix24Workspace) and ws.caller_id() == "3"
    fake_bitrix.expire_tokens()
    created = ws.create(Action("task", "3", "k", target="1", title="Через приложение"))
    assert created.id == "1" and fake_bitrix.state.tasks[0]["createdBy"] == "3"


def test_install_event_keeps_the_tokens(fake_bitrix, b24_store):
    from sekretar.integrations.bitrix24 import install
    bs = BitrixSettings(client_id=fake_bitrix.client_id, client_secret=fake_bitrix.client_secret,
                        oauth_url=fake_bitrix.oauth_url, secret_key=KEY, domain=fake_bitrix.domain)
    event = {"event": "ONAPPINSTALL", **{f"auth[{k}]": str(v) for k, v in fake_bitrix.issue_tokens("2").items()}}
    tokens = install(b24_store, event, bitrix=bs)
    assert tokens.user_id == "2" and open_workspace(None, b24_store, bitrix=bs).people()[1].id == "2"
    with pytest.raises(ConfigError, match="serves 127.0.0.1.*not other.bitrix24.ru"):
        install(b24_store, {"auth": {**fake_bitrix.issue_tokens("2"), "domain": "other.bitrix24.ru",
                                     "client_endpoint": "https://other.bitrix24.ru/rest/"}}, bitrix=bs)


def test_open_workspace_without_installation_says_so(fake_bitrix, b24_store):
    bs = BitrixSettings(client_id="c", client_secret="s", secret_key=KEY, domain="p.bitrix24.ru")
    ws = open_workspace(None, b24_store, bitrix=bs)
    with pytest.raises(WorkspaceAuthError, match="ещё не установлено"):
        ws.people()
    with pytest.raises(ConfigError):
        open_workspace(None, b24_store, bitrix=BitrixSettings())


def test_refresh_keeps_the_portal_and_a_reopened_workspace_links_to_it(fake_bitrix, b24_store):
    """Issue 9 item 10: the refresh answer's `domain` is oauth.bitrix.info;
    the portal is `client_endpoint`. After a refresh and a restart, links
    and the code page still point at the portal."""
    from sekretar.integrations.bitrix24 import oauth_session
    bs = BitrixSettings(client_id=fake_bitrix.client_id, client_secret=fake_bitrix.client_secret,
                        oauth_url=fake_bitrix.oauth_url, secret_key=KEY, domain=fake_bitrix.domain)
    oauth_session(b24_store, bs).install(tokens_from_install({"auth": fake_bitrix.issue_tokens("3")}))
    ws = open_workspace(None, b24_store, bitrix=bs)
    fake_bitrix.expire_tokens()
    ws.people()
    assert ws.client.auth.refreshes == 1
    stored = ws.client.auth.vault.load()
    assert stored.domain == fake_bitrix.domain and stored.rest_url == f"{fake_bitrix.portal}/rest/"
    again = open_workspace(None, b24_store, bitrix=bs)  # a restart reads the refreshed tokens
    assert again.portal == fake_bitrix.portal
    created = again.create(Action("task", "3", "k-refresh", target="1", title="После обновления"))
    assert created.url.startswith(f"{fake_bitrix.portal}/company/personal/user/3/tasks/task/view/")
    token = fake_bitrix.issue_tokens("2")["access_token"]
    person = again.user_from_app_auth({"AUTH_ID": token, "DOMAIN": fake_bitrix.domain})
    assert person.id == "2"  # the code page still recognises the portal
    assert "oauth.bitrix.info" not in b24_store.kv_get("bitrix24.people")


def test_the_fake_refresh_answer_is_the_documented_shape(fake_bitrix):
    answer = fake_bitrix.refresh_answer("5")
    assert answer["domain"] == "oauth.bitrix.info" and answer["user_id"] == 5
    assert answer["client_endpoint"] == f"{fake_bitrix.portal}/rest/"


def test_two_processes_refreshing_at_once_do_not_lose_the_installation(fake_bitrix, b24_store):
    """Both read the same refresh token; the first one's grant kills it, the
    second's grant fails: the second takes the first's new tokens from the store."""
    from sekretar.integrations.bitrix24 import TokenVault

    vault = TokenVault(b24_store, fernet_from_secret(KEY))
    first, second = (OAuthSession(TokenVault(b24_store, fernet_from_secret(KEY)), fake_bitrix.client_id,
                                  fake_bitrix.client_secret, fake_bitrix.oauth_url, timeout=2) for _ in range(2))
    first.install(tokens_from_install({"auth": fake_bitrix.issue_tokens("1")}))
    stale = second.tokens()  # the second process has read the same tokens
    reads = iter([stale])  # ...and its read just before the grant still sees them

    def load():
        return next(reads, None) or vault.load()
    second.vault.load = load
    first.refresh()  # the first process wins the race: the old refresh token is dead
    token = second.refresh(stale=stale.access_token)  # its grant fails with invalid_grant
    assert token == vault.load().access_token == first.tokens().access_token
    assert [c for c in fake_bitrix.calls if c.status != 200] == []
