"""store: links, one-time codes, try counters, dialog state, delivered
replies, and confirmed actions (idempotency + outbox). SQLite by default,
PostgreSQL by URL. `open_store(url)` is the one way in."""
from store.base import ActionRecord, Link, Store

__all__ = ["Store", "Link", "ActionRecord"]
