"""Scripted conversations (tests/data/conversations/*.yaml) run through the
real App: parser, store (every backend), workspace (every factory).

A script: lang, now, tz, user, setup {link: NAME | code: {person, seconds_ago,
used_by, length} | global_failed_tries: N | failed_action: {kind, title, text,
target, error, fail_kind, user}: an action of the linked person that failed
for good, not yet told | items: [{task: {title, responsible,
creator, deadline}} | {event: {title, owner, start, end, all_day}}]}, turns
[{say, at, hint, request_id, meanwhile: {rename: {from, to}} (an edit made in
the workspace itself before the turn, as on the portal),
issue_code, state_from, save_state_as, lang, expect_contains, expect_not_contains,
expect_tts_not_contains, expect_outcome, expect_buttons, expect_end}] and
`holds` {tasks|events|messages: [fields]} checked with list_items afterwards.
`workspace: local` runs a script on that workspace only; a turn's
`import_people` (CSV text) is imported as `sekretar people import` does,
before the turn is said.
`say` may use {code}, {code_spaced}, {code_words}, {code_groups},
{code_words_en}, {wrong_code}: the live code said in those ways.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from sekretar.core.types import Action, Turn

SCRIPTS = sorted((Path(__file__).parent / "data" / "conversations").glob("*.yaml"))
DEFAULTS = {"lang": "ru", "now": "2019-03-25T12:28:00+03:00", "tz": "Europe/Moscow", "user": "test:user"}
PERSON_FIELDS = {"responsible", "created_by", "owner", "to", "from"}
TIME_FIELDS = {"deadline", "start", "end"}
KINDS = {"tasks": "task", "events": "event", "messages": "message"}

RU_DIGITS = "ноль один два три четыре пять шесть семь восемь девять".split()
EN_DIGITS = "zero one two three four five six seven eight nine".split()
RU_HUNDREDS = ",сто,двести,триста,четыреста,пятьсот,шестьсот,семьсот,восемьсот,девятьсот".split(",")
RU_TENS = ",,двадцать,тридцать,сорок,пятьдесят,шестьдесят,семьдесят,восемьдесят,девяносто".split(",")
RU_TEENS = ("десять одиннадцать двенадцать тринадцать четырнадцать пятнадцать шестнадцать "
            "семнадцать восемнадцать девятнадцать").split()


def ru_group(g: str) -> str:
    """A group of digits as a person says it: "552" → "пятьсот пятьдесят два"."""
    if g.startswith("0") or len(g) != 3:
        return " ".join(RU_DIGITS[int(c)] for c in g)
    h, t, u = (int(c) for c in g)
    words = [RU_HUNDREDS[h]]
    if t == 1:
        words.append(RU_TEENS[u])
    else:
        words += [RU_TENS[t], RU_DIGITS[u] if u else ""]
    return " ".join(w for w in words if w)


def code_forms(code: str | None) -> dict:
    if not code:
        return {}
    n = len(code)
    return {
        "code": code,
        "code_spaced": " ".join(code[i:i + 3] for i in range(0, n, 3)),
        "code_words": " ".join(RU_DIGITS[int(c)] for c in code),
        "code_words_en": " ".join(EN_DIGITS[int(c)] for c in code),
        "code_groups": " ".join(ru_group(code[i:i + 3]) for i in range(0, n, 3)),
        "wrong_code": str((int(code) + 1) % 10 ** n).zfill(n),
    }


def shift(now: datetime, at: str | None) -> datetime:
    if not at:
        return now
    m = re.fullmatch(r"\+(\d+)([smh])", at)
    assert m, f"bad `at`: {at!r}"
    return now + timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours"}[m[2]]: int(m[1])})


def person_id(workspace, name: str) -> str:
    for p in workspace.people():
        if p.name == name:
            return p.id
    raise AssertionError(f"no {name!r} in the workspace's directory")


def issue(app, name: str, now: datetime, length: int | None = None) -> str:
    s = app.settings
    return app.store.issue_code(person_id(app.workspace, name), app.workspace.name, now,
                                length=length or s.code_length, ttl_seconds=s.code_ttl_seconds)


def setup_script(app, script: dict, now: datetime) -> dict:
    setup, user, ws = script.get("setup") or {}, script["user"], app.workspace
    if setup.get("link"):
        app.store.set_link(user, person_id(ws, setup["link"]), ws.name, now)
    code = None
    if setup.get("code"):
        c = setup["code"]
        code = issue(app, c["person"], now - timedelta(seconds=c.get("seconds_ago", 0)), c.get("length"))
        if c.get("used_by"):
            assert app.store.redeem_code(code, now)
    if setup.get("failed_action"):
        f = setup["failed_action"]
        action = Action(kind=f.get("kind", "task"), actor=person_id(ws, setup["link"]), key="conv-failed",
                        target=person_id(ws, f["target"]) if f.get("target") else None,
                        title=f.get("title"), text=f.get("text"))
        app.store.add_action(action.key, f.get("user", "other:platform"), action.to_json(), now)
        rec = app.store.claim_action(action.key, now, 60)
        app.store.settle_action(action.key, rec.claim, "failed", now, error=f["error"],
                                fail_kind=f.get("fail_kind", "rejected"))
    for i in range(setup.get("global_failed_tries", 0)):
        app.store.record_failed_try(f"other:{i}", now - timedelta(seconds=10))
    for n, entry in enumerate(setup.get("items") or ()):
        ws.create(setup_action(ws, n, entry))
    return code_forms(code)


def setup_action(ws, n: int, entry: dict) -> Action:
    """An item that exists before the conversation (questions and changes)."""
    (kind, f), = entry.items()
    when = {k: datetime.fromisoformat(str(f[k])) if f.get(k) else None for k in ("deadline", "start", "end")}
    if kind == "task":
        return Action("task", actor=person_id(ws, f.get("creator", f["responsible"])), key=f"setup-{n}",
                      target=person_id(ws, f["responsible"]), title=f["title"], start=when["deadline"])
    return Action("event", actor=person_id(ws, f["owner"]), key=f"setup-{n}", title=f["title"],
                  start=when["start"], end=when["end"], all_day=bool(f.get("all_day")))


def edit_meanwhile(ws, edit: dict) -> None:
    """Somebody changes an item in the workspace itself (the portal's UI)."""
    rename = edit["rename"]
    for kind in ("task", "event"):
        for item in ws.list_items(kind):
            if item["title"] == rename["from"] and not item.get("cancelled"):
                ws.create(Action("rename", actor=item.get("created_by_id") or item["owner_id"],
                                 key=f"meanwhile-{item['id']}", item=item["id"], item_kind=kind, title=rename["to"]))
                return
    raise AssertionError(f"nothing titled {rename['from']!r} to edit")


def check_field(ws, kind: str, field: str, want, got) -> None:
    where = f"{kind}.{field}"
    if field in PERSON_FIELDS and want is not None:
        assert str(got) in (want, person_id(ws, want)), f"{where}: {got!r}, want {want!r}"
    elif field in TIME_FIELDS:
        if want is None:
            assert got in (None, ""), f"{where}: {got!r}, want none"
        else:
            got_dt = got if isinstance(got, datetime) else datetime.fromisoformat(str(got))
            assert got_dt == datetime.fromisoformat(want), f"{where}: {got!r}, want {want}"
    else:
        assert got == want, f"{where}: {got!r}, want {want!r}"


def check_holds(ws, holds: dict) -> None:
    for plural, expected in holds.items():
        # a cancelled event: the local workspace keeps it marked, a portal deletes it
        items = [i for i in ws.list_items(KINDS[plural]) if not i.get("cancelled")]
        assert len(items) == len(expected), f"{plural}: {items!r}, want {len(expected)}"
        for want, got in zip(expected, items):
            for field, value in want.items():
                check_field(ws, KINDS[plural], field, value, got.get(field))


def load(path: Path) -> dict:
    script = {**DEFAULTS, **(yaml.safe_load(path.read_text("utf-8")) or {})}
    script["now"] = datetime.fromisoformat(str(script["now"]))
    return script


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_conversation(path, dialog_app, server_clock, tmp_path):
    script = load(path)
    if script.get("workspace") not in (None, dialog_app.workspace.name):
        pytest.skip(f"a script for the {script['workspace']} workspace")
    base = script["now"]
    server_clock.set(base)  # the script's times are the server's too (expiry, cool-downs)
    forms = setup_script(dialog_app, script, base)
    saved: dict[str, dict] = {}
    for n, step in enumerate(script["turns"], 1):
        now = shift(base, step.get("at"))
        server_clock.set(now)
        if step.get("import_people"):
            from sekretar.integrations.directory_import import import_directory, read_people_csv

            f = tmp_path / f"import-{n}.csv"
            f.write_text(step["import_people"], encoding="utf-8")
            import_directory(dialog_app.workspace, dialog_app.store, read_people_csv(f), now=now)
        if step.get("issue_code"):
            forms = code_forms(issue(dialog_app, step["issue_code"], now))
        if step.get("meanwhile"):
            edit_meanwhile(dialog_app.workspace, step["meanwhile"])
        text = str(step["say"]).format(**forms)
        lang = step["lang"] if "lang" in step else script["lang"]  # per turn; null: detected
        turn = Turn(user=script["user"], text=text, now=now, tz=script["tz"], lang=lang,
                    hint=step.get("hint"), request_id=step.get("request_id"),
                    state=saved.get(step["state_from"]) if step.get("state_from") else None)
        reply = dialog_app.handle(turn)
        if step.get("save_state_as"):
            saved[step["save_state_as"]] = dict(reply.state)
        said = f"turn {n} {text!r} → {reply.text!r} ({reply.outcome})"
        for want in step.get("expect_contains", []):
            assert want in reply.text, said
        for unwanted in step.get("expect_not_contains", []):
            assert unwanted not in reply.text, said
        for unwanted in step.get("expect_tts_not_contains", []):
            assert unwanted not in (reply.tts or reply.text), said
        if "expect_outcome" in step:
            assert reply.outcome == step["expect_outcome"], said
        if "expect_buttons" in step:
            assert list(reply.buttons) == step["expect_buttons"], said
        if "expect_end" in step:
            assert reply.end == step["expect_end"], said
    check_holds(dialog_app.workspace, script.get("holds") or {})
