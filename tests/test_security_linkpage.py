"""Issue 9, item 4: the code page does not trust loopback alone.

A browser on the sekretar machine can be made to send requests to
loopback by any web site (a cross-site form, DNS rebinding): the Host must
be ours, a POST must come from our own page (Origin, CSRF token), pages
showing codes are not cached and carry a CSP; with Bitrix24 a person only
ever gets their own code, verified by the portal."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from tests.fixtures_server import csrf, make_web

CODE = re.compile(r'id="code">(\d+)<')


@pytest.fixture
def page(stub_app, tmp_path):
    web = make_web(stub_app, tmp_path)
    yield web.test_client()
    web.extensions["sekretar"]["shutdown"]()


def test_a_foreign_host_gets_no_code(page):
    """DNS rebinding: attacker.example resolves to 127.0.0.1, its page posts there."""
    for method in ("get", "post"):
        resp = getattr(page, method)("/link", data={"person": "Иванов", "csrf": csrf(page)},
                                     headers={"Host": "attacker.example:8080"})
        assert resp.status_code == 403 and not CODE.search(resp.get_data(as_text=True))


def test_a_post_from_another_site_gets_no_code(page):
    token = csrf(page)
    for headers in ({"Origin": "https://attacker.example"}, {"Origin": "null"},
                    {"Referer": "https://attacker.example/x"}):
        resp = page.post("/link", data={"person": "Иванов", "csrf": token}, headers=headers)
        assert resp.status_code == 403 and not CODE.search(resp.get_data(as_text=True)), headers
    same = page.post("/link", data={"person": "Иванов", "csrf": token}, headers={"Origin": "http://localhost"})
    assert same.status_code == 200 and CODE.search(same.get_data(as_text=True))


@pytest.mark.parametrize("token", [None, "", "123.abc", "9999999999.0000", "garbage"])
def test_a_post_without_a_valid_csrf_token_gets_no_code(page, token):
    data = {"person": "Иванов", **({"csrf": token} if token is not None else {})}
    resp = page.post("/link", data=data)
    assert resp.status_code == 403 and not CODE.search(resp.get_data(as_text=True))


def test_the_form_carries_a_token_that_works(page):
    form = page.get("/link").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    resp = page.post("/link", data={"person": "Иванов", "csrf": token})
    assert resp.status_code == 200 and CODE.search(resp.get_data(as_text=True))


def test_an_old_token_expires():
    from sekretar.web.guard import Csrf

    now = [1_000_000.0]
    c = Csrf(b"secret" * 4, clock=lambda: now[0])
    token = c.token()
    assert c.valid(token)
    now[0] += 3601
    assert not c.valid(token)
    assert not Csrf(b"other!" * 4).valid(Csrf(b"secret" * 4).token())


def test_pages_are_not_cached_and_carry_a_csp(page):
    for resp in (page.get("/link"), page.post("/link", data={"person": "Иванов", "csrf": csrf(page)})):
        assert resp.headers["Cache-Control"] == "no-store"
        csp = resp.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
        assert resp.headers["X-Frame-Options"] == "DENY"


# --- Bitrix24: the portal says who you are -------------------------------------------
@pytest.fixture
def portal_page(tmp_path, dialog_parser):
    from sekretar.app import open_app
    from sekretar.core.config import Settings
    from sekretar.store import open_store
    from sekretar.web import create_app
    from sekretar.web.config import ServerConfig
    from tests.fixtures_bitrix import make_bitrix_workspace

    store = open_store(f"sqlite:///{tmp_path / 'b24.db'}")
    ws = make_bitrix_workspace(store, tmp_path)
    settings = Settings(home=tmp_path, workspace="bitrix24")
    app = open_app(settings, parser=dialog_parser, store=store, workspace=ws)
    web = create_app(settings, app=app, config=ServerConfig(drain_interval=0))
    yield web.test_client(), ws
    web.extensions["sekretar"]["shutdown"]()
    ws.fake.stop()
    store.close()


def test_with_bitrix24_a_loopback_post_with_any_person_id_gets_no_code(portal_page):
    client, ws = portal_page
    for data in ({"person_id": "7"}, {"person": "Анна Петрова"}):
        resp = client.post("/link", data={**data, "csrf": csrf(client)})
        page = resp.get_data(as_text=True)
        assert resp.status_code == 403 and not CODE.search(page), page
        assert "портал" in page


def test_with_bitrix24_the_portal_user_gets_their_own_code_only(portal_page):
    client, ws = portal_page
    token = ws.fake.issue_tokens(user_id="7")["access_token"]
    launch = {"AUTH_ID": token, "member_id": "fake-member", "person_id": "1"}  # person_id is not theirs
    resp = client.post(f"/link?DOMAIN={ws.fake.domain}&PROTOCOL=0&LANG=ru", data=launch,
                       headers={"Origin": f"http://{ws.fake.domain}"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and CODE.search(page), page
    assert ws.get_person("7").name in page
    code = CODE.search(page).group(1)
    assert ws.store.redeem_code(code, datetime.now(timezone.utc)) == ("7", "bitrix24")
    assert f"frame-ancestors http://{ws.fake.domain}" in resp.headers["Content-Security-Policy"]
    forged = client.post(f"/link?DOMAIN={ws.fake.domain}", data={"AUTH_ID": "forged", "member_id": "m"})
    assert forged.status_code == 403 and not CODE.search(forged.get_data(as_text=True))
