"""The code page: a workspace person gets a one-time code to say to the
voice assistant, which links their voice account to them.

Who may see a code:
- Bitrix24: the portal opens the page as the application (AUTH_ID, DOMAIN,
  member_id...); the workspace checks those credentials with the portal
  (`user.current` with that auth) and says who the user is; the code is
  issued for that user only. The local form is off: nobody, not even on
  loopback, gets another portal user's code.
- local workspace: the page asks for the person. It answers only on
  loopback (the person at the machine that runs sekretar, no proxy headers)
  or to a holder of SEKRETAR_LINK_PAGE_TOKEN (the admin who hands codes
  out); anyone else gets 403.
The web layer adds (sekretar/web/app.py, guard.py): a Host allow-list, an
Origin check and a CSRF token on the form's POSTs, Cache-Control: no-store
and a Content-Security-Policy on every page.
"""
from __future__ import annotations

import hmac
import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources

import yaml

from sekretar.core.errors import Forbidden, Unauthorized, WorkspaceError
from sekretar.core.types import Person
from sekretar.integrations.speech import spell_digits

PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded", "X-Forwarded-Host")
BITRIX_AUTH = ("AUTH_ID", "auth[access_token]")


# the page's wording, per language (title, labels, errors)
TEXT = yaml.safe_load(resources.files("sekretar.web").joinpath("link_page.yaml").read_text(encoding="utf-8"))


@dataclass
class View:
    """What the template shows, and how the page is served."""

    lang: str
    shown: "ShownCode | None" = None
    choices: list | None = None
    ask: bool = False
    error: str | None = None
    token: str | None = None
    status: int = 200
    framed: bool = False        # shown inside a portal's frame
    framed_by: str | None = None  # that portal's host (the page's frame-ancestors)
    csrf: str | None = None     # the form's token


@dataclass(frozen=True)
class ShownCode:
    person: Person
    code: str
    spoken: str
    minutes: int


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е").strip()


def is_local_request(remote_addr: str | None, headers) -> bool:
    if any(h in headers for h in PROXY_HEADERS):
        return False  # behind a proxy every client looks local: require the token
    try:
        return ipaddress.ip_address(remote_addr or "").is_loopback
    except ValueError:
        return False


def token_ok(given: str | None, expected: str | None) -> bool:
    return bool(given and expected and hmac.compare_digest(given.encode(), expected.encode()))


def is_bitrix_launch(params) -> bool:
    return any(params.get(k) for k in BITRIX_AUTH)


class LinkPage:
    def __init__(self, app, settings):
        self.app = app
        self.settings = settings

    @property
    def workspace(self):
        return self.app.workspace

    def find_people(self, query: str) -> list[Person]:
        """A person by id, else everyone whose name parts contain all the words."""
        query = query.strip()
        if not query:
            return []
        person = self.workspace.get_person(query)
        if person is not None:
            return [person]
        words = _fold(query).split()
        found = []
        for p in self.workspace.people():
            parts = {_fold(x) for x in (p.first, p.last, p.middle, p.email) if x}
            if all(any(part == w or part.startswith(w) for part in parts) for w in words):
                found.append(p)
        return found[:20]

    def issue(self, person: Person, lang: str | None = None) -> ShownCode:
        s = self.settings
        code = self.app.store.issue_code(person.id, self.workspace.name, datetime.now(timezone.utc),
                                         length=s.code_length, ttl_seconds=s.code_ttl_seconds)
        return ShownCode(person, code, spell_digits(code, lang or s.lang), max(1, s.code_ttl_seconds // 60))

    def serve(self, method: str, params: dict, form: dict, token: str | None, local: bool,
              page_token: str | None, lang: str) -> View:
        """One request to the page: a portal launch, or the local form.
        Raises Unauthorized/Forbidden when the code must not be shown."""
        view = View(lang)
        if is_bitrix_launch(params):
            view.shown, view.framed = self.issue(self.bitrix_user(params), lang), True
            domain = str(params.get("DOMAIN") or "").strip().lower()
            if re.fullmatch(r"[a-z0-9.-]+(:\d{1,5})?", domain):  # checked by the portal; still only a host
                view.framed_by = f"{'http' if params.get('PROTOCOL') == '0' else 'https'}://{domain}"
            return view
        if self.portal_only:
            raise Forbidden(TEXT[lang]["portal_only"])
        if not (token_ok(token, page_token) or local):
            raise Forbidden(TEXT[lang]["forbidden"])
        view.token = token if token_ok(token, page_token) else None
        if method != "POST":
            view.ask = True
        elif form.get("person_id"):
            person = self.workspace.get_person(form["person_id"])
            if person is None:
                view.ask, view.error = True, TEXT[lang]["no_person"]
            else:
                view.shown = self.issue(person, lang)
        else:
            found = self.find_people(form.get("person", "")[:200])
            if len(found) == 1:
                view.shown = self.issue(found[0], lang)
            elif found:
                view.choices = found
            else:
                view.ask, view.error = True, TEXT[lang]["nobody"]
        return view

    @property
    def portal_only(self) -> bool:
        """The workspace says who its users are (Bitrix24): only a portal
        launch, verified by the portal, gets a code."""
        return callable(getattr(self.workspace, "user_from_app_auth", None))

    @staticmethod
    def is_launch(params) -> bool:
        return is_bitrix_launch(params)

    def bitrix_user(self, params: dict) -> Person:
        resolve = getattr(self.workspace, "user_from_app_auth", None)
        if resolve is None:
            raise Unauthorized("this workspace is not opened from a Bitrix24 portal")
        try:
            return resolve(params)
        except WorkspaceError as exc:
            raise Unauthorized(f"the portal did not confirm who you are: {exc}") from None
