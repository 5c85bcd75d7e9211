"""Issue 9, items 3 and 11: the reply cache is per voice user, and
deliveries of one confirmation all get the first one's answer."""
from __future__ import annotations

import threading
import time

import pytest

from tests.security_util import RealServer, alice_body


@pytest.fixture
def srv(tmp_path, dialog_parser, store_url):
    """The real server on each backend (store_url: SQLite, PostgreSQL)."""
    s = RealServer(tmp_path, parser=dialog_parser, store_url=store_url)
    yield s
    s.close()


def linked(srv, user: str, name: str = "Анастасия Смирнова") -> None:
    srv.store.set_link(user, srv.person(name).id, srv.app.workspace.name, srv.clock())


def test_another_user_with_the_victims_session_and_message_id_gets_nothing_of_theirs(srv):
    linked(srv, "alice:victim")
    body = alice_body("Кто я?", user="victim", session="victim-session", message_id=7)
    mine = srv.client.post("/alice", json=body).get_json()
    stolen = alice_body("Кто я?", user="attacker", session="victim-session", message_id=7)
    theirs = srv.client.post("/alice", json=stolen).get_json()
    assert theirs["response"]["text"] != mine["response"]["text"]
    assert "Анастаси" not in theirs["response"]["text"] and "Смирнов" not in theirs["response"]["text"]
    assert theirs.get("session_state") != mine.get("session_state")
    # the victim's own retry still gets its stored reply
    assert srv.client.post("/alice", json=body).get_json() == mine


def _confirm_asked(srv, user: str):
    out = srv.api(user, "Поставь задачу Сергею Иванову подготовить отчёт на завтра").get_json()
    assert out["outcome"] == "confirm_asked", out


def _together(n: int, fn):
    barrier = threading.Barrier(n)
    out, lock = [], threading.Lock()

    def run(i):
        barrier.wait()
        r = fn(i)
        with lock:
            out.append(r)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


@pytest.mark.parametrize("with_request_id", [False, True], ids=["new-message-ids", "same-delivery"])
def test_concurrent_duplicate_yes_all_get_the_first_answer(srv, with_request_id):
    """Ten «да» sent together while the first is being made (a CRM taking
    0.3 s, within the 0.5 s budget): one answer for all, one task."""
    ws = srv.app.workspace
    create = ws.create

    def slow_create(action):
        time.sleep(0.3)
        return create(action)

    ws.create = slow_create
    for round_ in range(3):
        user = f"dup{round_}"
        linked(srv, f"api:{user}")
        _confirm_asked(srv, user)
        extra = (lambda i: {"request_id": "yes-1"}) if with_request_id else (lambda i: {"request_id": f"yes-{i}"})
        replies = _together(10, lambda i: srv.api(user, "да", **extra(i)).get_json())
        texts = {r["text"] for r in replies}
        assert len(texts) == 1, texts
        assert {r["outcome"] for r in replies} <= {"done", "queued"}
    assert len(srv.app.workspace.list_items("task")) == 3
    assert srv.crashes() == 0


def test_a_later_yes_is_a_new_turn(srv):
    linked(srv, "api:later")
    _confirm_asked(srv, "later")
    assert srv.api("later", "да").get_json()["outcome"] == "done"
    srv.clock.advance(1)
    assert srv.api("later", "да").get_json()["outcome"] == "nothing"
