#!/usr/bin/env python3
"""How the parser answers the time tables (tests/data/time_*.yaml): for each
table, the rows answered right, left unanswered (a slot the dialog will ask
for) and answered wrong (worse: a deadline on the wrong day), and how many
rows deliberately expect no answer (two readings, nothing decides).

    .venv/bin/python bench/time_answers.py [--show]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print the rows not answered right")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sekretar.grammar import Parser
    from tests.fixtures_time import TABLES, load_rows, mismatches, verdict

    parser = Parser()
    total: Counter = Counter()
    for name in TABLES:
        counts: Counter = Counter()
        for row in load_rows(name):
            got = parser.parse(row["text"], now=row["now"], tz=row["tz"], lang=row["lang"]).to_json()
            v = verdict(got, row)
            counts[v] += 1
            if row.get("when", 0) is None:
                counts["expect no answer"] += 1
            if v != "right" and args.show:
                print(f"  {v:9} {row['text']!r}: {mismatches(got, row)}")
        total.update(counts)
        print(f"{name:14} {sum(counts[k] for k in ('right', 'no answer', 'wrong')):4} rows: right {counts['right']}, "
              f"no answer {counts['no answer']}, wrong {counts['wrong']} "
              f"({counts['expect no answer']} rows expect no time: ambiguous or a length alone)")
    print(f"{'all':14} {sum(total[k] for k in ('right', 'no answer', 'wrong')):4} rows: right {total['right']}, "
          f"no answer {total['no answer']}, wrong {total['wrong']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
