"""sekretar as an installed Bitrix24 application, against the fake portal
posting what a portal posts (B24DOCS on-app-install.md, on-app-uninstall.md,
settings/oauth/simple-way.md, events/safe-event-handlers.md): install page
and ONAPPINSTALL, application_token on every event, ONAPPUNINSTALL, each
person's own token."""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone

import pytest
from cryptography.fernet import Fernet
from sekretar.integrations.bitrix24 import open_workspace
from sekretar.integrations.bitrix24.oauth import KV_KEY, USER_KEY

from sekretar.core.types import Action
from tests.fixtures_server import StubApp, make_web

KEY = Fernet.generate_key().decode()
NOW = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)


@pytest.fixture
def portal(fake_bitrix, b24_store, tmp_path, monkeypatch):
    """An application configured for the fake portal, not installed yet."""
    for k, v in {"SEKRETAR_BITRIX24_CLIENT_ID": fake_bitrix.client_id,
                 "SEKRETAR_BITRIX24_CLIENT_SECRET": fake_bitrix.client_secret,
                 "SEKRETAR_BITRIX24_OAUTH_URL": fake_bitrix.oauth_url, "SEKRETAR_SECRET_KEY": KEY,
                 "SEKRETAR_BITRIX24_DOMAIN": fake_bitrix.domain, "SEKRETAR_BITRIX24_RATE": "50"}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("SEKRETAR_BITRIX24_WEBHOOK", raising=False)
    ws = open_workspace(None, b24_store)
    app = StubApp(b24_store, ws)
    web = make_web(app, tmp_path)
    yield fake_bitrix, web.test_client(), app
    web.extensions["sekretar"]["shutdown"]()


def install(fake, client, user="1"):
    query, form = fake.app_page(user)
    return client.post("/bitrix24/install", query_string=query, data=form)


def test_the_install_page_keeps_the_tokens_and_finishes_the_installation(portal, b24_store):
    fake, client, app = portal
    resp = install(fake, client)
    assert resp.status_code == 200, resp.text
    assert "BX24.installFinish()" in resp.text and "//api.bitrix24.com/api/v1/" in resp.text
    assert "X-Frame-Options" not in resp.headers  # shown in the portal's frame
    raw = b24_store.kv_get(KV_KEY)
    assert raw and fake.application_token not in raw  # kept encrypted
    assert app.workspace.caller_id() == "1"
    assert fake.handlers == [("ONAPPUNINSTALL", "http://localhost/bitrix24/events")]
    made = app.workspace.create(Action("task", "1", "k1", target="2", title="После установки"))
    assert made.url.startswith(fake.portal)


def test_an_onappinstall_event_installs_too(portal, b24_store):
    fake, client, app = portal
    resp = client.post("/bitrix24/install", data=fake.install_event("1"))
    assert resp.status_code == 200 and resp.get_json() == {"status": "installed"}
    assert app.workspace.caller_id() == "1"  # the installer, from user.current: the event names none


@pytest.mark.parametrize("forge", ["foreign-token", "other-portal", "other-app"])
def test_a_forged_installation_is_refused(portal, b24_store, forge):
    fake, client, _ = portal
    query, form = fake.app_page("1")
    if forge == "foreign-token":
        form["AUTH_ID"] = "made-up"
    elif forge == "other-portal":
        query["DOMAIN"] = "evil.bitrix24.ru"
    else:
        fake.client_id = "local.someone-else"  # app.info names another application
    resp = client.post("/bitrix24/install", query_string=query, data=form)
    assert resp.status_code == 403 and "BX24.installFinish" not in resp.text
    assert b24_store.kv_get(KV_KEY) is None


def test_every_event_must_carry_the_application_token(portal, b24_store):
    fake, client, app = portal
    install(fake, client)
    event = fake.install_event(event="ONAPPUNINSTALL")
    for field, value in (("auth[application_token]", "guessed"), ("auth[member_id]", "other")):
        resp = client.post("/bitrix24/events", data={**event, field: value})
        assert resp.status_code == 403
    del event["auth[application_token]"]
    assert client.post("/bitrix24/events", data=event).status_code == 403
    assert b24_store.kv_get(KV_KEY) is not None  # nothing was dropped
    other = {**fake.install_event(event="ONTASKADD")}
    resp = client.post("/bitrix24/events", data=other)
    assert resp.status_code == 200 and resp.get_json()["status"] == "ignored"


def test_uninstall_drops_tokens_links_and_pending_actions_and_says_so(portal, b24_store, caplog):
    fake, client, app = portal
    install(fake, client)
    query, form = fake.app_page("3")
    page = client.post("/link", query_string=query, data=form)  # a person opens the application
    assert page.status_code == 200 and b24_store.kv_get(USER_KEY.format(user_id="3"))
    b24_store.set_link("alice:anna", "3", "bitrix24", NOW)
    b24_store.add_action("waiting", "alice:anna", Action("task", "3", "waiting", target="1", title="x").to_json(), NOW)
    b24_store.set_link("alice:other", "4", "local", NOW)
    caplog.set_level(logging.INFO)
    resp = client.post("/bitrix24/events", data=fake.install_event(event="ONAPPUNINSTALL"))
    assert resp.status_code == 200 and resp.get_json()["status"] == "uninstalled"
    assert b24_store.kv_get(KV_KEY) is None and b24_store.kv_get(USER_KEY.format(user_id="3")) is None
    assert b24_store.get_link("alice:anna") is None and b24_store.get_link("alice:other") is not None
    rec = b24_store.get_action("waiting")
    assert rec.status == "failed" and "удалено с портала" in rec.error
    assert re.search(r"removed from 127\.0\.0\.1:\d+.*1 people's tokens, 1 links and 1 pending actions", caplog.text)
    assert fake.application_token not in caplog.text
    # an uninstalled application hears no more events
    assert client.post("/bitrix24/events", data=fake.install_event(event="ONAPPUNINSTALL")).status_code == 403


def open_app_as(fake, client, user):
    query, form = fake.app_page(user)
    assert client.post("/link", query_string=query, data=form).status_code == 200


def test_a_person_who_opened_the_application_acts_as_themself(portal):
    fake, client, app = portal
    install(fake, client, user="1")
    open_app_as(fake, client, "3")
    ws = app.workspace
    ws.create(Action("task", "3", "t", target="2", title="Отчёт"))
    ws.create(Action("event", "3", "e", title="Созвон", start=datetime(2026, 12, 2, 10, tzinfo=timezone.utc)))
    ws.create(Action("message", "3", "m", target="5", text="Буду в десять"))
    (task,), (event,), (msg,) = fake.state.tasks, fake.state.events, fake.state.messages
    assert task["createdBy"] == "3" and "по просьбе" not in task["description"]
    assert event["CREATED_BY"] == "3"  # the organizer is whoever calls calendar.event.add
    assert msg["author_id"] == 3 and msg["text"] == "Буду в десять"  # from them, no mention
    # someone who never opened the application: the installer's token, naming them
    ws.create(Action("message", "4", "m4", target="5", text="Опаздываю"))
    ws.create(Action("task", "4", "t4", target="2", title="Счёт"))
    assert fake.state.messages[-1]["author_id"] == 1
    assert fake.state.messages[-1]["text"].startswith("[USER=4]") and "Опаздываю" in fake.state.messages[-1]["text"]
    assert "по просьбе [USER=4]" in fake.state.tasks[-1]["description"]
    # sekretar messages reads them back, whoever's token sent them
    assert [(m["from_id"], m["to_id"], m["text"]) for m in ws.list_items("message")] == [
        ("3", "5", "Буду в десять"), ("4", "5", "Опаздываю")]


def test_a_gone_token_falls_back_and_asks_the_person_to_open_the_page_again(portal, b24_store):
    fake, client, app = portal
    install(fake, client, user="1")
    open_app_as(fake, client, "3")
    with fake.lock:  # the person's tokens died at the portal (180 days idle, or revoked)
        for t, (u, _) in list(fake.access.items()):
            if u == "3":
                fake.access[t] = (u, 0.0)
        fake.refresh = {r: u for r, u in fake.refresh.items() if u != "3"}
    app.workspace.create(Action("task", "3", "after", target="2", title="Отчёт"))
    task = fake.state.tasks[-1]
    assert task["createdBy"] == "3" and "по просьбе [USER=3]" in task["description"]  # still made, by the installer
    (notice,) = fake.notices
    assert notice["to"] == "3" and "Откройте приложение sekretar" in notice["text"]
    assert b24_store.kv_get(USER_KEY.format(user_id="3")) is None
    open_app_as(fake, client, "3")  # opening the page again restores it
    app.workspace.create(Action("message", "3", "again", target="5", text="Снова я"))
    assert fake.state.messages[-1]["author_id"] == 3


def test_refresh_tokens_are_renewed_before_their_180_days_end(portal, b24_store):
    from sekretar.integrations.bitrix24.oauth import REFRESH_LIFETIME, RENEW_BEFORE

    fake, client, app = portal
    install(fake, client, user="1")
    for user in ("3", "4"):
        open_app_as(fake, client, user)
    persons = app.workspace.acting.persons
    start = persons.clock()
    assert persons.renew_due() == ([], [])  # fresh: nothing to do (no renewal on a schedule)
    persons.clock = lambda: start + REFRESH_LIFETIME - RENEW_BEFORE + 60
    persons._sessions.clear()
    old = persons._vault("3").load().refresh_token
    with fake.lock:  # 4's refresh token was revoked meanwhile
        fake.refresh = {r: u for r, u in fake.refresh.items() if u != "4"}
    renewed, gone = persons.renew_due()
    assert renewed == ["3"] and gone == ["4"]
    fresh = persons._vault("3").load()
    assert fresh.refresh_token != old and fresh.refresh_expires > persons.clock() + REFRESH_LIFETIME - 120
    assert persons.users() == ["3"]


@pytest.mark.parametrize("method,kind", [("im.message.add", "message"), ("tasks.task.add", "task")])
def test_a_lost_reply_to_a_persons_own_call_is_found_not_made_again(portal, b24_store, method, kind):
    from datetime import timedelta

    from sekretar.integrations.outbox import Outbox

    fake, client, app = portal
    install(fake, client, user="1")
    open_app_as(fake, client, "3")
    fake.fail("drop_after", methods=[method])  # made on the portal, the reply lost
    action = Action(kind, "3", f"lost-{kind}", target="5", title="Отчёт", text="Буду в десять")
    outbox = Outbox(b24_store, app.workspace)
    now = datetime.now(timezone.utc)
    assert outbox.submit(action, "alice:anna", now).status == "queued"
    report = outbox.drain(seconds=10, clock=lambda: now + timedelta(minutes=1))
    assert report.done == 1
    made = fake.state.messages if kind == "message" else fake.state.tasks
    assert len(made) == 1  # found with the person's own token (their dialog), not sent twice


# --- hostile posts: a clear refusal, never a crash --------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_key = st.sampled_from(["event", "auth", "auth[application_token]", "auth[member_id]", "auth[access_token]",
                        "auth[domain]", "auth[client_endpoint]", "data[CLEAN]", "auth[a][b][c][d][e]", "AUTH_ID",
                        "DOMAIN", "REFRESH_ID", "x[", "[]", "auth[]"])
_value = st.one_of(st.sampled_from(["ONAPPINSTALL", "ONAPPUNINSTALL", "", "127.0.0.1"]), st.text(max_size=20))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.lists(st.tuples(_key, _value), max_size=6), route=st.sampled_from(["events", "install"]))
def test_hostile_posts_get_a_refusal_not_a_crash(portal, b24_store, form, route):
    fake, client, _ = portal
    from werkzeug.datastructures import MultiDict

    resp = client.post(f"/bitrix24/{route}", data=MultiDict(form))
    assert resp.status_code in (200, 400, 403), resp.data[:300]
    assert b24_store.kv_get(KV_KEY) is None  # nothing forged was kept


def test_questions_and_changes_are_asked_and_made_with_the_persons_own_token(portal):
    """Issue 12 on an installed application: what a person reads and changes
    goes through their own token (the portal's rights for them), falling back
    to the installer's only when they have none."""
    fake, client, app = portal
    install(fake, client, user="1")
    open_app_as(fake, client, "3")
    ws = app.workspace
    start = datetime(2026, 12, 2, 10, tzinfo=timezone.utc)
    ws.create(Action("event", "3", "e", title="Созвон", start=start, end=start.replace(hour=11)))
    ws.create(Action("task", "3", "t", target="3", title="Отчёт", start=start))
    fake.calls.clear()
    (event,) = ws.events(start.replace(hour=0), start.replace(hour=23), "3", "3")
    assert event.title == "Созвон" and event.start == start and event.end == start.replace(hour=11)
    (task,) = ws.tasks("3", responsible="3")
    assert task.title == "Отчёт"
    later = start.replace(hour=15)
    ws.create(Action("move", "3", "mv", start=later, end=later.replace(hour=16), tz="UTC", item=event.id,
                     item_kind="event", before=event.to_json()))
    ws.create(Action("complete", "3", "done", item=task.id, item_kind="task", before=task.to_json()))
    users = {(c.method, c.token_user) for c in fake.calls if c.status == 200}
    assert users >= {("calendar.event.get", "3"), ("tasks.task.list", "3"), ("calendar.event.getbyid", "3"),
                     ("calendar.event.update", "3"), ("tasks.task.get", "3"), ("tasks.task.complete", "3")}
    assert all(user == "3" for _, user in users), users  # nothing read or changed as the installer
    assert fake.state.events[0]["_start"] == later and fake.state.tasks[0]["status"] == "5"
