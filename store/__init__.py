"""store: links, one-time codes, try counters, dialog state, delivered
replies, and confirmed actions (idempotency + outbox). SQLite by default,
PostgreSQL by URL. `open_store(url)` is the one way in:

    store = open_store("sqlite:////home/me/.local/share/sekretar/sekretar.db")
    store = open_store("postgresql://sekretar@db/sekretar")
"""
from sekretar.store.base import ActionRecord, CodeTry, Link, Store
from sekretar.store.db import Database
from sekretar.store.sql import SqlStore


def open_store(url: str, **options) -> Store:
    """A Store on `url` (sqlite:///PATH, sqlite:// for memory, postgresql://...),
    its schema migrated to the current version. Raises StoreError."""
    return SqlStore(Database(url), **options)


def open_database(url: str) -> Database:
    """The raw database (for parts keeping tables of their own there, such
    as the local workspace)."""
    return Database(url)


__all__ = ["Store", "Link", "ActionRecord", "CodeTry", "SqlStore", "Database", "open_store", "open_database"]
