"""The richer time in the workspaces (issue 11): an Action's participants,
repetition and reminder survive JSON (the outbox stores actions), and each
workspace creates a meeting with them (Bitrix24's calendar.event.add
`is_meeting`/`attendees`/`rrule`/`remind`, the local workspace's columns)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sekretar.core.types import Action

MSK = ZoneInfo("Europe/Moscow")
START = datetime(2019, 3, 27, 9, 0, tzinfo=MSK)


def _action(**kw) -> Action:
    base = dict(kind="event", actor="3", key="ev-1", title="Планёрка", start=START,
                end=START.replace(hour=10), participants=("9", "7"), rrule="FREQ=WEEKLY;BYDAY=WE", remind=15)
    return Action(**{**base, **kw})


def test_action_round_trips_through_json():
    a = _action()
    d = a.to_json()
    assert d["participants"] == ["9", "7"] and d["rrule"] == "FREQ=WEEKLY;BYDAY=WE" and d["remind"] == 15
    assert Action.from_json(d) == a


def test_an_older_action_record_still_reads():
    old = {"kind": "event", "actor": "1", "key": "k", "title": "X", "start": START.isoformat(), "end": None,
           "all_day": False, "tz": "Europe/Moscow", "target": None, "text": None}
    a = Action.from_json(old)
    assert (a.participants, a.rrule, a.remind) == ((), None, None)


def test_bitrix_meeting_has_host_attendees_rrule_and_remind(bitrix_workspace):
    ws = bitrix_workspace
    ws.create(_action())
    (call,) = ws.fake.called("calendar.event.add")
    p = call.params
    assert p["is_meeting"] == "Y"
    assert p["attendees"] == [3, 9, 7]  # the linked person adds it, so hosts it: first
    assert p["rrule"] == {"FREQ": "WEEKLY", "INTERVAL": 1, "BYDAY": ["WE"]}
    assert p["remind"] == [{"type": "min", "count": 15}]
    (item,) = ws.list_items("event")
    assert item["rrule"] == "FREQ=WEEKLY;BYDAY=WE" and item["remind"] == 15
    assert item["attendees"] == ["Дмитрий Орлов", "Анна Петрова"]


def test_bitrix_plain_event_sends_no_meeting_fields(bitrix_workspace):
    bitrix_workspace.create(_action(participants=(), rrule=None, remind=None))
    (call,) = bitrix_workspace.fake.called("calendar.event.add")
    assert not {"is_meeting", "attendees", "rrule", "remind"} & set(call.params)


def test_bitrix_interval_rule(bitrix_workspace):
    bitrix_workspace.create(_action(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", participants=()))
    (call,) = bitrix_workspace.fake.called("calendar.event.add")
    assert call.params["rrule"] == {"FREQ": "WEEKLY", "INTERVAL": 2, "BYDAY": ["TH"]}


@pytest.fixture
def local_ws(store, tmp_path):
    from tests.fixtures_dialog import make_local_workspace

    return make_local_workspace(store, tmp_path)


def test_local_workspace_stores_the_meeting(local_ws):
    local_ws.create(_action())
    local_ws.create(_action())  # the same key: still one row
    (item,) = local_ws.list_items("event")
    assert item["rrule"] == "FREQ=WEEKLY;BYDAY=WE" and item["remind"] == 15
    assert item["attendees"] == ["Дмитрий Орлов", "Анна Петрова"]


def test_local_workspace_rejects_an_unknown_participant(local_ws):
    from sekretar.core.errors import WorkspaceRejected

    with pytest.raises(WorkspaceRejected):
        local_ws.create(_action(participants=("999",)))


def test_bitrix_rejects_a_rule_more_often_than_daily(bitrix_workspace):
    from sekretar.core.errors import WorkspaceRejected

    with pytest.raises(WorkspaceRejected):
        bitrix_workspace.create(_action(rrule="FREQ=HOURLY", participants=()))
    assert not bitrix_workspace.fake.called("calendar.event.add")


def test_bitrix_rejects_an_nth_weekday_rule_it_cannot_make(bitrix_workspace):
    """The portal's rrule has plain weekdays only: a numbered BYDAY would repeat
    on the first date instead (silently wrong), so it is refused (the dialog
    never sends one: Workspace.carries says so before «да»)."""
    from sekretar.core.errors import WorkspaceRejected

    with pytest.raises(WorkspaceRejected):
        bitrix_workspace.create(_action(rrule="FREQ=MONTHLY;BYDAY=1MO", participants=()))
    assert not bitrix_workspace.fake.called("calendar.event.add")


@pytest.mark.parametrize("rrule, form", [
    ("FREQ=WEEKLY;BYDAY=MO,WE", "rrule"), ("FREQ=MONTHLY;BYMONTHDAY=1", "rrule"), ("FREQ=DAILY", "rrule"),
    ("FREQ=MONTHLY;BYDAY=1MO", "rrule:nth_weekday"), ("FREQ=MONTHLY;BYDAY=-1FR", "rrule:nth_weekday"),
    ("FREQ=HOURLY;INTERVAL=2", "rrule:hourly"), ("FREQ=MINUTELY;INTERVAL=30", "rrule:hourly")])
def test_what_form_of_repetition_a_workspace_must_keep(rrule, form, bitrix_workspace, local_ws):
    from sekretar.core.types import rrule_form

    assert rrule_form(rrule) == form
    assert local_ws.carries("event", form)
    assert bitrix_workspace.carries("event", form) == (form == "rrule")
