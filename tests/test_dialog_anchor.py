"""A time said by a calendar item, kept between turns (dialog/anchor.py):
the state with the items to pick from reads back to the same JSON, and a
forged or stale anchor in a state is answered, never a crash (the
conversations themselves: tests/data/conversations/anchor_*.yaml)."""
from __future__ import annotations

import copy
from datetime import datetime

import pytest
from sekretar.dialog.state import DialogState
from sekretar.dialog.steps import Step

from sekretar.core.types import Action

NOW = datetime.fromisoformat("2019-03-25T12:28:00+03:00")
USER = "cli:anchor"


@pytest.fixture
def app(dialog_parser, store, dialog_workspace, dialog_settings):
    from sekretar.app import App

    a = App(dialog_settings, parser=dialog_parser, store=store, workspace=dialog_workspace)
    olga = next(p for p in dialog_workspace.people() if p.name == "Ольга Новикова")
    store.set_link(USER, olga.id, dialog_workspace.name, NOW)
    for n, (title, h) in enumerate((("Планёрка отдела", 14), ("Планёрка проекта", 16))):
        dialog_workspace.create(Action("event", actor=olga.id, key=f"anchor-{n}", title=title,
                                       start=NOW.replace(hour=h, minute=0), end=NOW.replace(hour=h, minute=30)))
    yield a
    a.close()


def test_the_items_to_pick_from_are_kept_between_turns(app):
    reply = app.turn("запланируй созвон после планёрки", user=USER, now=NOW)
    state = DialogState.from_json(reply.state)
    assert state.to_json() == reply.state
    assert state.step == Step.SLOT and state.ask == "when"
    assert [c["title"] for c in state.pending.anchor["choices"]] == ["Планёрка отдела", "Планёрка проекта"]
    done = DialogState.from_json(app.turn("после первой", user=USER, now=NOW).state)
    assert done.step == Step.CONFIRM and done.pending.start.isoformat() == "2019-03-25T14:30:00+03:00"
    assert "choices" not in done.pending.anchor and done.pending.anchor["title"] == "Планёрка отдела"


FORGED = [
    "после",                                                      # not an object: the state is dropped
    {"ref": 5, "said": "после планёрки"},
    {"ref": "планёрки", "said": "после планёрки", "choices": "две"},
    {"ref": "планёрки", "said": "после планёрки", "choices": [{"kind": "event"}]},
    {"ref": "планёрки", "said": "после планёрки", "choices": [], "offset": -3600},
    {"ref": "планёрки", "said": "после планёрки", "offset": 10 ** 12},
    {"ref": "планёрки", "said": "после планёрки", "offset": "час", "choices": [
        {"kind": "event", "id": "1", "title": "Планёрка", "start": "2019-03-25T14:00:00+03:00"}] * 2},
    {"ref": "планёрки", "said": "после планёрки", "choices": [{"kind": "event", "id": "1", "title": "Планёрка"}] * 2},
    {"ref": "планёрки", "said": "после планёрки", "day": "в среду"},
    {"ref": "планёрки", "said": "после планёрки", "day": 20190325},
]


@pytest.mark.parametrize("anchor", FORGED, ids=[repr(a)[:60] for a in FORGED])
def test_a_forged_anchor_is_answered(app, anchor):
    first = app.turn("запланируй созвон после планёрки", user=USER, now=NOW)
    state = copy.deepcopy(first.state)
    state["pending"]["anchor"] = anchor
    for text in ("после второй", "завтра в 10"):
        reply = app.turn(text, user=USER, now=NOW, state=state)
        assert reply.text and reply.outcome, (anchor, text)
        DialogState.from_json(reply.state)
