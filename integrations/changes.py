"""What every workspace does around a change of an existing item: is it
already so (a retry, a confirmation delivered twice: nothing to do), has it
changed since the user confirmed (refuse: the user agreed to something
else), is it gone. And the filters a question's listing applies (period
overlap, what another person may see)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sekretar.core.errors import ItemChanged, ItemNotFound, WorkspaceRejected
from sekretar.core.types import Action, Item

TASK_CHANGES = frozenset({"move", "rename", "reassign", "complete"})
EVENT_CHANGES = frozenset({"move", "rename", "cancel"})


def check_kind(a: Action) -> None:
    allowed = TASK_CHANGES if a.item_kind == "task" else EVENT_CHANGES if a.item_kind == "event" else ()
    if a.kind not in allowed:
        raise WorkspaceRejected(f"{a.item_kind or 'item'}: cannot {a.kind}")
    if not a.item:
        raise WorkspaceRejected("no item for the change")
    if a.kind == "rename" and not (a.title or "").strip():
        raise WorkspaceRejected("a rename needs the new title")
    if a.kind == "reassign" and not a.target:
        raise WorkspaceRejected("a reassignment needs the new responsible person")
    if a.kind == "move" and a.start is None:
        raise WorkspaceRejected("a move needs the new time")


def applied(cur: Item, a: Action) -> bool:
    """The item is already as the change makes it."""
    if a.kind == "move":
        return _same(cur.start, a.start) and (a.end is None or _same(cur.end, a.end))
    if a.kind == "rename":
        return cur.title == a.title
    if a.kind == "reassign":
        return str(cur.owner) == str(a.target)
    if a.kind == "complete":
        return cur.done
    return False  # cancel: it still exists


def decide(cur: Item | None, a: Action) -> bool:
    """True: nothing to do (already applied); False: apply it. Raises
    ItemNotFound (gone) or ItemChanged (not what was confirmed)."""
    if cur is None:
        if a.kind == "cancel":
            return True  # gone already: what the user asked for
        raise ItemNotFound(f"«{_title(a)}» {ItemNotFound.MARK} в календаре или задачах (удалено или нет доступа)")
    if applied(cur, a):
        return True
    if a.before:
        before = Item.from_json(a.before)
        what = changed(before, cur)
        if what:
            raise ItemChanged(f"«{before.title}» {ItemChanged.MARK} ({what}); ничего не меняю")
    return False


def changed(before: Item, cur: Item) -> str | None:
    if before.title != cur.title:
        return f"теперь «{cur.title}»"
    if not _same(before.start, cur.start) or not _same(before.end, cur.end) and before.end and cur.end:
        return "другое время"
    if str(before.owner) != str(cur.owner):
        return "другой ответственный"
    if before.done != cur.done:
        return "уже закрыта" if cur.done else "снова открыта"
    return None


def _same(x: datetime | None, y: datetime | None) -> bool:
    if x is None or y is None:
        return x is y
    if (x.tzinfo is None) != (y.tzinfo is None):
        x, y = x.replace(tzinfo=None), y.replace(tzinfo=None)
    return x == y


def _title(a: Action) -> str:
    return (Item.from_json(a.before).title if a.before else None) or a.title or a.item or "?"


def overlaps(item: Item, start: datetime, end: datetime) -> bool:
    if item.start is None:
        return False
    s = item.start
    e = item.end or item.start
    if e <= s:
        return start <= s < end
    return s < end and e > start


def due_in(item: Item, start: datetime | None, end: datetime | None) -> bool:
    if start is None and end is None:
        return True
    if item.start is None:
        return False
    return (start is None or item.start >= start) and (end is None or item.start < end)


def status_ok(item: Item, status: str, now: datetime) -> bool:
    if status == "any":
        return True
    if status == "done":
        return item.done
    if status == "overdue":
        return not item.done and item.start is not None and item.start < now
    return not item.done


def after(item: Item, **fields) -> Item:
    return replace(item, **fields)
