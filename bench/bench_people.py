"""People matching speed: a 1000-person directory, typical queries.

    .venv/bin/python bench/bench_people.py [N_PEOPLE]

Prints the index build time and microseconds per match by kind of query.
"""
from __future__ import annotations

import random
import sys
import time

from sekretar.grammar.command import Recipient
from sekretar.integrations.people import Directory

from sekretar.core.types import Person

SURNAME_ROOTS = ["Иван", "Петр", "Смирн", "Кузнец", "Сокол", "Поп", "Орл", "Волк", "Лебед", "Новик",
                 "Козл", "Мороз", "Павл", "Семен", "Голуб", "Виноград", "Богд", "Воробь", "Федор",
                 "Михайл", "Беляк", "Тарас", "Белов", "Комар", "Жук", "Баран", "Щербак", "Зайц",
                 "Борис", "Гусев", "Титов", "Куликов", "Карп", "Абрам", "Сорок", "Медвед", "Ершов",
                 "Никит", "Соболь", "Рябов", "Поляк", "Цвет", "Данил", "Журавл", "Макар", "Чернов"]


def directory(n: int, seed: int = 1) -> list[Person]:
    rnd = random.Random(seed)
    import yaml
    from sekretar.integrations.people import DATA

    names = yaml.safe_load((DATA / "diminutives.yaml").read_text(encoding="utf-8"))
    males, females = list(names["male"]), list(names["female"])
    people = []
    for i in range(n):
        root = rnd.choice(SURNAME_ROOTS)
        last = root + ("ов" if not root.endswith(("ов", "ев")) else "")
        if rnd.random() < 0.5:
            people.append(Person(str(i + 1), rnd.choice(males), last, gender="m"))
        else:
            people.append(Person(str(i + 1), rnd.choice(females), last + "а", gender="f"))
    return people


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    people = directory(n)
    t = time.perf_counter()
    d = Directory(people)
    build = time.perf_counter() - t
    p = people[len(people) // 2]
    queries = {
        "full name": Recipient(p.first, p.last),
        "first only": Recipient(p.first),
        "last only": Recipient(None, p.last),
        "diminutive": Recipient("Саша"),
        "misspelt surname": Recipient(p.first, p.last[:-1] + "ф"),
        "latin": Recipient("Sergey", "Ivanov"),
        "nobody": Recipient("Зиновий", "Пржевальский"),
    }
    print(f"directory: {n} people, index built in {build * 1000:.1f} ms")
    for label, q in queries.items():
        d.match(q)
        rounds = 2000
        t = time.perf_counter()
        for _ in range(rounds):
            found = d.match(q)
        per = (time.perf_counter() - t) / rounds * 1e6
        print(f"{label:18s} {per:8.1f} µs/match  ({len(found)} found)")


if __name__ == "__main__":
    main()
