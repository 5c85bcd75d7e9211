"""Deliveries: a request delivered more than once gets one answer.

- The same delivery (a platform retry: same voice user, same request id)
  gets the stored reply of the first. The key is the user AND the request
  id: a request id is the caller's word, and another user sending the
  victim's id must get nothing of the victim's reply or state.
- Deliveries that arrive together: the first claims the delivery, the
  others wait (up to `wait_seconds`) for its reply instead of answering on
  their own.
- The same confirmation («да» twice, from two devices, or a retry carrying
  the confirmation state under a new message id): every «да» for one
  action key gets the answer the first one got ("Принято…" for all, never
  "будет создана" for one and "Подтверждать пока нечего" for another).
  A «да» that arrived before the first one's answer was given repeats that
  answer even when it finds the action already done; one that arrives
  after it is a new turn ("Подтверждать пока нечего").

All ages are measured on the server's clock.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime

from sekretar.dialog.context import reply_from_json, reply_to_json

from sekretar.core.clock import Clock, utcnow
from sekretar.core.types import Reply, Turn

CONFIRM = "confirm:"  # request ids of confirmations (the action key follows)


class Deliveries:
    def __init__(self, store, clock: Clock = utcnow, wait_seconds: float = 2.5, poll: float = 0.02):
        self.store = store
        self.clock = clock
        self.wait_seconds = wait_seconds
        self.poll = poll
        self._arrived = threading.local()  # when the turn this thread answers came in

    # --- one delivery -------------------------------------------------------
    def seen(self, turn: Turn) -> Reply | None:
        """The reply already given to this delivery (waiting for it if another
        copy is being answered right now); None: this copy answers."""
        self._arrived.at = self.clock()
        if not turn.request_id:
            return None
        stored = self.store.get_reply(turn.user, turn.request_id)
        if stored is None and not self.store.claim_reply(turn.user, turn.request_id, self.clock()):
            stored = self._wait(turn.user, turn.request_id)
        return reply_from_json(stored) if stored is not None else None

    def remember(self, turn: Turn, reply: Reply) -> None:
        if turn.request_id:
            self.store.put_reply(turn.user, turn.request_id, reply_to_json(reply), self.clock())

    def forget(self, turn: Turn) -> None:
        """The turn failed: let the next copy answer."""
        if turn.request_id:
            self.store.release_reply(turn.user, turn.request_id)

    # --- one confirmation ---------------------------------------------------
    def remember_confirmation(self, user: str, key: str, reply: Reply) -> None:
        self.store.put_reply(user, CONFIRM + key, {**reply_to_json(reply), "_at": self.clock().isoformat()},
                             self.clock())

    def confirmation(self, user: str, key: str | None, wait: bool = True) -> Reply | None:
        """The first answer to the confirmation `key` (waiting for it while
        the first «да» is still being answered), None if there is none."""
        if not key:
            return None
        stored = self.store.get_reply(user, CONFIRM + key)
        if stored is None and wait:
            stored = self._wait(user, CONFIRM + key)
        return _reply(stored)

    def repeated(self, user: str, key: str | None) -> Reply | None:
        """The answer to the confirmation `key` if this turn arrived before
        that answer was given (a concurrent duplicate «да»)."""
        stored = self.store.get_reply(user, CONFIRM + key) if key else None
        arrived = getattr(self._arrived, "at", None)
        if stored is None or arrived is None:
            return None
        try:
            if not arrived < datetime.fromisoformat(stored.get("_at", "")):
                return None
        except (TypeError, ValueError):
            return None
        return _reply(stored)

    def _wait(self, user: str, request_id: str) -> dict | None:
        deadline = time.monotonic() + self.wait_seconds
        while time.monotonic() < deadline:
            time.sleep(self.poll)
            stored = self.store.get_reply(user, request_id)
            if stored is not None:
                return stored
        return None


def _reply(stored: dict | None) -> Reply | None:
    if stored is None:
        return None
    return reply_from_json({k: v for k, v in stored.items() if not k.startswith("_")})
