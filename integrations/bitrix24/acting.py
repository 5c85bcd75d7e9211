"""Acting as the person: each linked person's own tokens make their tasks,
events and messages theirs on the portal (the creator, the organizer, the
sender). Where a person has none (they never opened the application page,
or their refresh token is gone) the installer's token does it and the text
names the person with the portal's user mention.

When a person's refresh token is gone they are told on the portal (a
system notification from the application) to open the application page
again; the action itself still goes through on the installer's token.
"""
from __future__ import annotations

import logging
import threading

from sekretar.core.errors import WorkspaceError

log = logging.getLogger(__name__)

REOPEN = ("sekretar больше не может действовать от вашего имени: доступ истёк. Откройте приложение "
          "sekretar на портале ещё раз — задачи, события и сообщения снова будут от вас.")


class Acting:
    """`persons`: persons.PersonTokens; `client_factory(session)`: a REST
    client using that session (the portal's shared rate limiter)."""

    def __init__(self, persons, client_factory, installer_client):
        self.persons = persons
        self._factory = client_factory
        self._installer = installer_client
        self._clients: dict[str, object] = {}
        self._lock = threading.Lock()

    def client_for(self, person_id: str | None):
        """(client, as the person?)"""
        session = self.persons.session(person_id) if person_id else None
        if session is None:
            return self._installer, False
        with self._lock:
            client = self._clients.get(str(person_id))
            if client is None or getattr(client, "auth", None) is not session:
                client = self._clients[str(person_id)] = self._factory(session)
        return client, True

    def gone(self, person_id: str) -> None:
        """The person's token no longer works: forget it and tell them."""
        self.persons.forget(person_id)
        with self._lock:
            self._clients.pop(str(person_id), None)
        log.info("Bitrix24: user %s's own token is gone; acting with the installer's until they reopen the app",
                 person_id)
        self.tell(person_id, REOPEN)

    def tell(self, person_id: str, text: str) -> None:
        try:
            self._installer.call("im.notify.system.add", {"USER_ID": person_id, "MESSAGE": text})
        except WorkspaceError as exc:  # the notice is a courtesy; the action goes on
            log.warning("Bitrix24: could not notify user %s: %s", person_id, exc)
