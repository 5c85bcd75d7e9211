"""The time tables tests/data/time_{ru,en,commands}.yaml are written from the
hand-written sources here (one line per expression: its phrasings | ... =>
what it means); every phrasing also gets the form a recogniser writes
(lower case, no punctuation). Run: python3 tests/data/time_src/expand.py"""
import re, sys, yaml
KEYS = {"s": "start", "e": "end", "k": "kind", "g": "grain", "d": "duration", "r": "rrule", "ad": "all_day"}
def heard(t):
    t = t.lower().replace("ё", "е") if False else t.lower()
    t = re.sub(r"[?!,.;:](?=\s|$)", "", t)   # punctuation a recogniser does not write
    return " ".join(t.split())
def parse_exp(spec):
    out = {}
    parts = []
    for kv in spec.split(";"):
        if parts and re.match(r"^(INTERVAL|BYDAY|BYMONTHDAY)=", kv.strip()) and parts[-1].startswith("r="):
            parts[-1] += ";" + kv.strip()
        else:
            parts.append(kv.strip())
    for kv in parts:
        k, _, v = kv.partition("=")
        k = k.strip(); v = v.strip()
        if k == "none": out["when"] = None; continue
        if v in ("null",): v = None
        elif v in ("true", "false"): v = v == "true"
        out[k] = v
    return out
def rows(path, cmd=False):
    out, seen = [], set()
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"): continue
        lang = None
        if cmd:
            lang, _, line = line.partition(": ")
        phrases, _, spec = line.partition(" => ")
        exp = parse_exp(spec)
        when = {}
        other = {}
        for k, v in exp.items():
            if k in KEYS: when[KEYS[k]] = v
            elif k == "when": other["when"] = None
            else: other[k] = v
        for p in [x.strip() for x in phrases.split(" | ")]:
            for t, how in ((p, "typed"), (heard(p), "heard")):
                if (lang, t) in seen: continue
                seen.add((lang, t))
                row = {"text": t}
                if lang: row["lang"] = lang
                row["said"] = how if t == p else "heard"
                if when: row["when"] = dict(when)
                row.update(other)
                out.append(row)
    return out
class Flow(yaml.SafeDumper): pass
def dump(rows, head, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write(head)
        for r in rows:
            f.write("- " + yaml.dump(r, Dumper=Flow, allow_unicode=True, default_flow_style=True, width=10000, sort_keys=False).strip() + "\n")
    print(path, len(rows))
HEAD = """# {what}
# now = Monday 2019-03-25 12:28 Europe/Moscow. Each row: `text`, `said` (typed, or
# heard: as a recogniser writes it), and what the parser must answer: `when`
# keys (start/end as local "YYYY-MM-DD[THH:MM]", kind, grain, duration, rrule,
# all_day; only the keys given are checked; `when: null` = no time), and for
# commands intent, title, part (participants "First Last", "_" = none), rec,
# rem (reminder), message. Conventions: docs/dates.md. Test: tests/test_grammar_time.py
now: "2019-03-25T12:28:00+03:00"
tz: Europe/Moscow
{lang}rows:
"""
from pathlib import Path
d = str(Path(__file__).resolve().parent.parent) + "/"
SRC = d + "time_src/"
dump(rows(SRC + "ru.txt"), HEAD.format(what="Time as said in Russian: a phrase alone (no command), so a period said is the answer.", lang="lang: ru\n"), d + "time_ru.yaml")
dump(rows(SRC + "en.txt"), HEAD.format(what="Time as said in English: a phrase alone (no command), so a period said is the answer.", lang="lang: en\n"), d + "time_en.yaml")
dump(rows(SRC + "commands.txt", True), HEAD.format(what="Commands with the richer time and v2 parts (participants, reminders, titles, questions).", lang=""), d + "time_commands.yaml")
