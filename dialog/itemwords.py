"""The words and sentences of questions and changes (dialog/data/items_<lang>.yaml),
and the small phrasing they need: counts with the right plural, a period in
words, one item as a line, and whether an item's title matches what was said."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources

import yaml

from sekretar.dialog.lexicon import plural

from sekretar.core.text import norm, norm_words
from sekretar.core.types import Item


class ItemWords:
    def __init__(self, lang: str, data: dict):
        self.lang = lang
        self.data = data
        self.sets = {k: {norm(str(w)) for w in v} for k, v in data["words"].items()}

    def say(self, key: str, **kw) -> str:
        return self.data["say"][key].format(**kw)

    def is_(self, kind: str, text: str) -> bool:
        return norm(text) in self.sets.get(kind, set())

    def count(self, n: int, what: str) -> str:
        word = plural(self.lang, n, self.data["plural"][what]).format(n=n)
        return word if what == "more" else f"{n} {word}"

    # --- time in words -----------------------------------------------------
    def day(self, ph, d: datetime, now: datetime, bare: bool = False) -> str:
        """"сегодня", "завтра", "27 марта" ("on March 27"; `bare`: "March 27")."""
        delta = (d.date() - now.date()).days
        if delta == 0:
            return self.say("today")
        if delta == 1:
            return self.say("tomorrow")
        if delta == -1:
            return self.say("yesterday")
        return ph.date(d, now) if bare else self.say("period_day", date=ph.date(d, now))

    def moment(self, ph, d: datetime, now: datetime, all_day: bool = False) -> str:
        """"завтра 10:00", "28 марта 15:00"; a day alone for an all-day item."""
        day = self.day(ph, d, now, bare=True)
        return day if all_day else f"{day} {ph.time(d)}" if self.lang == "ru" else f"{day} at {ph.time(d)}"

    def _named(self, ph, d: datetime, now: datetime, how: str) -> str:
        """A day with its preposition: "со среды", "на четверг", "на завтра",
        "с 12 апреля"; "в среду" / "on Wednesday" for how="at"."""
        delta = (d.date() - now.date()).days
        if 2 <= delta <= 6:
            return self.data["weekdays"][how][d.weekday()]
        if how == "at":
            return self.day(ph, d, now)
        names = self.data["days"][how]
        key = {0: "today", 1: "tomorrow"}.get(delta, "date")
        return names[key].format(date=ph.date(d, now))

    def on_day(self, ph, d: datetime, now: datetime) -> str:
        """"сегодня", "в среду", "27 марта"; "on Wednesday", "on March 27"."""
        return self._named(ph, d, now, "at")

    def move(self, ph, old: datetime, new: datetime, now: datetime, all_day: bool = False) -> str:
        """"завтра с 10:00 на 15:00", "со среды 10:00 на четверг 15:00"."""
        if old.date() == new.date() and not all_day:
            return self.say("move_same_day", day=self._named(ph, old, now, "at"), t1=ph.time(old), t2=ph.time(new))
        d1, d2 = self._named(ph, old, now, "from"), self._named(ph, new, now, "to")
        if all_day:
            return self.say("move_days_all", d1=d1, d2=d2)
        return self.say("move_days", d1=d1, t1=ph.time(old), d2=d2, t2=ph.time(new))

    def period(self, ph, start: datetime, end: datetime, now: datetime) -> str:
        whole = start.hour == start.minute == 0 and end.hour == end.minute == 0
        if whole and end - start == timedelta(days=1):
            return self.day(ph, start, now)
        if whole and end - start == timedelta(days=7) and start.weekday() == 0:
            return self.say("week")
        if start.date() == end.date() or (end - start <= timedelta(days=1) and end.hour == end.minute == 0):
            to = "24:00" if end.date() != start.date() else ph.time(end)
            sep = ("с", "до") if self.lang == "ru" else ("from", "to")
            return f"{self.day(ph, start, now)} {sep[0]} {ph.time(start)} {sep[1]} {to}"
        last = end - timedelta(days=1) if whole else end
        sep = ("с", "по") if self.lang == "ru" else ("from", "to")
        return f"{sep[0]} {ph.date(start, now)} {sep[1]} {ph.date(last, now)}"

    def line(self, ph, item: Item, now: datetime, one_day: bool, who: str | None = None) -> str:
        if item.kind == "event":
            if item.all_day:
                return self.say("line_all_day", date=self.day(ph, item.start, now), title=item.title)
            if one_day:
                return self.say("line_event", time=ph.time(item.start), title=item.title)
            return self.say("line_event_day", date=self.day(ph, item.start, now), time=ph.time(item.start),
                            title=item.title)
        if item.start is None:
            return self.say("line_task_nodue", title=item.title)
        when = ph.time(item.start) if one_day else self.moment(ph, item.start, now)
        if who:
            return self.say("line_task_who", title=item.title, who=who, when=when)
        return self.say("line_task", title=item.title, when=when)

    # --- matching what was said ------------------------------------------------
    def stems(self, text: str | None) -> list[str]:
        generic = self.sets.get("generic", set())
        return [_stem(w) for w in norm_words(text or "") if w not in generic and len(w) > 1]

    def matching(self, items: list[Item], stems: list[str]) -> list[Item]:
        """The items whose title has every stem; else those with the most, if
        that is at least half of them (a change's item, an anchor's)."""
        if not stems:
            return items
        full = [i for i in items if self.matches(i, stems) == len(stems)]
        if not full:
            best = max((self.matches(i, stems) for i in items), default=0)
            full = [i for i in items if best and self.matches(i, stems) == best] if best * 2 >= len(stems) else []
        return full

    def options(self, ph, items: list[Item], now: datetime) -> str:
        """"1) «Планёрка отдела» завтра 10:00; 2) …": items to pick from."""
        parts = []
        for n, i in enumerate(items, 1):
            when = f" {self.moment(ph, i.start, now, i.all_day)}" if i.start else ""
            parts.append(f"{n}) «{i.title}»{when}" if self.lang == "ru" else f"{n}) “{i.title}”{when}")
        return "; ".join(parts)

    def matches(self, item: Item, stems: list[str]) -> int:
        """How many of the stems are in the item's title."""
        title = [_stem(w) for w in norm_words(item.title)]
        return sum(any(t.startswith(s) or s.startswith(t) and len(t) >= 3 for t in title) for s in stems)


def _stem(word: str) -> str:
    """A crude stem for matching inflected forms: "планёрку" ~ "Планёрка"."""
    return word[:5] if len(word) > 5 else word[:-1] if len(word) > 4 else word


@lru_cache(maxsize=None)
def item_words(lang: str) -> ItemWords:
    text = resources.files("sekretar.dialog").joinpath("data", f"items_{lang}.yaml").read_text("utf-8")
    return ItemWords(lang, yaml.safe_load(text))
