"""`sekretar outbox`: confirmed actions the workspace has not accepted yet.

    sekretar outbox [--json]                 list pending and failed actions
    sekretar outbox drain [--seconds N] [--json]
                                             retry what is due until nothing
                                             retryable is due or N seconds pass
    sekretar outbox retry [KEY ...] [--checked] [--json]
                                             failed actions (all, or these)
                                             back in the queue, tried at once
"""
from __future__ import annotations

import json
import sys

from sekretar.core.config import Settings
from sekretar.core.errors import ConfigError


def register(sub) -> None:
    p = sub.add_parser("outbox", help="list confirmed actions waiting for the workspace (or failed)",
                       description="Pending and failed confirmed actions. `outbox drain` retries what is due.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--all", action="store_true", help="include done actions")
    p.set_defaults(func=cmd_list)
    inner = p.add_subparsers(dest="outbox_command", metavar="drain|retry")
    d = inner.add_parser("drain", help="retry due actions now",
                         description="Retry every due action until nothing retryable is due "
                                     "or the time limit passes.")
    d.add_argument("--seconds", type=float, default=30.0, help="time limit (default 30)")
    d.add_argument("--json", action="store_true", help="machine-readable report")
    d.set_defaults(func=cmd_drain)
    r = inner.add_parser("retry", help="try failed actions again",
                         description="Put failed actions (all of them, or the KEYs given) back in the "
                                     "queue and try each once now. Their person is told if they fail again.")
    r.add_argument("keys", nargs="*", metavar="KEY", help="action keys (see: sekretar outbox)")
    r.add_argument("--checked", action="store_true",
                   help="you have looked in the CRM and they were not made: create them even where "
                        "the duplicate look-up cannot run")
    r.add_argument("--json", action="store_true", help="machine-readable report")
    r.set_defaults(func=cmd_retry)


def _open_store(settings: Settings):
    from sekretar.store import open_store

    if settings.db_url.startswith("sqlite:///"):
        settings.home.mkdir(parents=True, exist_ok=True)
    return open_store(settings.db_url)


def _open_workspace(settings: Settings, store):
    if settings.workspace == "bitrix24":
        from sekretar.integrations.bitrix24 import open_workspace
        return open_workspace(settings, store)
    try:
        from sekretar.integrations import open_workspace
    except ImportError:
        raise ConfigError(f"unknown workspace {settings.workspace!r} (SEKRETAR_WORKSPACE)") from None
    return open_workspace(settings, store)


def _row(rec) -> dict:
    p = rec.payload or {}
    return {"key": rec.key, "user": rec.user, "status": rec.status, "kind": p.get("kind"),
            "title": p.get("title") or p.get("text"), "target": p.get("target"),
            "attempts": rec.attempts,
            "next_try_at": rec.next_try_at.isoformat() if rec.next_try_at and rec.status == "pending" else None,
            "error": rec.error, "fail_kind": rec.fail_kind, "result": rec.result,
            "created_at": rec.created_at.isoformat(), "updated_at": rec.updated_at.isoformat()}


def cmd_list(args) -> int:
    settings = Settings.from_env()
    store = _open_store(settings)
    try:
        statuses = ("pending", "failed", "done") if args.all else ("pending", "failed")
        rows = [_row(r) for r in store.list_actions(statuses)]
    finally:
        store.close()
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not rows:
        print("Очередь пуста: все подтверждённые действия выполнены.")
        return 0
    for r in rows:
        when = f", следующая попытка {r['next_try_at']}" if r["next_try_at"] else ""
        err = f"\n    {r['error']}" if r["error"] else ""
        print(f"{r['status']:8} {r['kind'] or '?':8} {r['key']}  «{r['title'] or ''}»  "
              f"попыток: {r['attempts']}{when}{err}")
    pending = sum(r["status"] == "pending" for r in rows)
    failed = sum(r["status"] == "failed" for r in rows)
    print(f"Ждут: {pending}, не удались: {failed}.")
    return 0


def cmd_drain(args) -> int:
    from sekretar.integrations.outbox import Outbox

    if args.seconds < 0:
        raise ConfigError("--seconds must not be negative")
    settings = Settings.from_env()
    store = _open_store(settings)
    outbox = None
    try:
        workspace = _open_workspace(settings, store)
        outbox = Outbox(store, workspace)
        report = outbox.drain(seconds=args.seconds)
        left = store.list_actions(("pending",))
        failed = store.list_actions(("failed",))
    finally:
        if outbox is not None:
            outbox.close()
        store.close()
    out = {"done": report.done, "retried": report.retried, "failed": report.failed,
           "pending": len(left), "failed_total": len(failed)}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"Выполнено: {report.done}, отложено снова: {report.retried}, не удалось: {report.failed}. "
              f"В очереди осталось: {len(left)}.")
    return 0


def cmd_retry(args) -> int:
    from datetime import datetime, timezone

    from sekretar.integrations.outbox import Outbox

    settings = Settings.from_env()
    store = _open_store(settings)
    outbox = None
    rows = []
    try:
        failed = {r.key: r for r in store.list_actions(("failed",))}
        keys = args.keys or list(failed)
        unknown = [k for k in keys if k not in failed]
        if unknown:
            known = store.get_action(unknown[0])
            why = f"it is {known.status}" if known else "no such action"
            raise ConfigError(f"{unknown[0]} is not a failed action ({why}); see: sekretar outbox")
        workspace = _open_workspace(settings, store)
        outbox = Outbox(store, workspace)
        for key in keys:
            outbox.retry(key, datetime.now(timezone.utc), checked=args.checked)
            out = outbox.retry_now(key)
            rows.append({"key": key, "status": out.status, "error": out.error})
    finally:
        if outbox is not None:
            outbox.close()
        store.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    elif not rows:
        print("Нет неудавшихся действий.")
    else:
        for r in rows:
            err = f": {r['error']}" if r["error"] and r["status"] != "done" else ""
            print(f"{r['key']}: {r['status']}{err}")
    return 0
