"""The time tables (tests/data/time_{ru,en,commands}.yaml): loading and the
comparison of a parsed Command with a row. Shared by tests/test_grammar_time.py
and bench/time_answers.py (which counts no-answer vs wrong-answer)."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests.fixtures_grammar import fold

DATA = Path(__file__).parent / "data"
TABLES = ("time_ru", "time_en", "time_commands")


def load_rows(name: str) -> list[dict]:
    table = yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    rows = []
    for row in table["rows"]:
        row = dict(row)
        row.setdefault("lang", table.get("lang"))
        row.setdefault("now", table["now"])
        row.setdefault("tz", table["tz"])
        row["table"] = name
        rows.append(row)
    return rows


def _stamp(iso: str | None) -> str | None:
    return None if iso is None else iso[:16]


def _want_stamp(v: str | None) -> str | None:
    if v is None:
        return None
    return v if "T" in v else v + "T00:00"


def _person(p: dict | None) -> str | None:
    if p is None:
        return None
    return f"{p['first'] or '_'} {p['last'] or '_'}"


def mismatches(got: dict, row: dict) -> dict:
    """{key: (got, want)} for every expectation of the row that is not met."""
    bad: dict = {}
    if "when" in row:
        want, when = row["when"], got["when"]
        if want is None:
            if when is not None:
                bad["when"] = (when, None)
        elif when is None:
            bad["when"] = (None, want)
        else:
            for k, v in want.items():
                have = when.get(k)
                if k in ("start", "end"):
                    have, v = _stamp(have), _want_stamp(v)
                if k == "kind" and have is None:
                    have = "interval" if when["end"] else "instant"
                if have != v:
                    bad[f"when.{k}"] = (have, v)
    if "i" in row and got["intent"] != row["i"]:
        bad["intent"] = (got["intent"], row["i"])
    for key, field in (("title", "title"), ("message", "message")):
        if key in row and fold(got[field] or "") != fold(row[key] or ""):
            bad[key] = (got[field], row[key])
    if "rec" in row and _person(got["recipient"]) != row["rec"]:
        bad["recipient"] = (_person(got["recipient"]), row["rec"])
    if "part" in row:
        have = ",".join(_person(p) for p in got["participants"])
        if fold(have) != fold(row["part"]):
            bad["participants"] = (have, row["part"])
    if "rem" in row and got["remind"] != row["rem"]:
        bad["remind"] = (got["remind"], row["rem"])
    return bad


def verdict(got: dict, row: dict) -> str:
    """"right", "no answer" (a slot left empty for the dialog to ask) or "wrong"."""
    bad = mismatches(got, row)
    if not bad:
        return "right"
    empty = all(have in (None, "", []) for have, _ in bad.values())
    return "no answer" if empty else "wrong"
