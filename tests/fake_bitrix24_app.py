"""The fake portal playing a portal that installs sekretar as its application
(what an administrator's and a person's browser would do), so that
docs/bitrix24.md can be walked through with curl:

- `POST /_fake/install?app=BASE[&user=1]`: the administrator installs the
  application: the portal opens the install page BASE/bitrix24/install in its
  frame (AUTH_ID, REFRESH_ID, APPLICATION_TOKEN..., B24DOCS
  settings/oauth/simple-way.md); the page's BX24.installFinish() marks it
  installed (app.info INSTALLED); then ONAPPINSTALL is posted
  (on-app-install.md).
- `POST /_fake/open?app=BASE&user=N`: person N opens the application page
  (BASE/link); the answer says which code the page showed.
- `POST /_fake/uninstall`: the administrator removes the application:
  ONAPPUNINSTALL goes to every handler bound with event.bind.
"""
from __future__ import annotations

import re

import requests


def portal_action(fake, action: str, q: dict) -> tuple[int, dict]:
    base = (q.get("app") or "").rstrip("/")
    user = str(q.get("user") or "1")
    try:
        if action == "install":
            query, form = fake.app_page(user)
            page = requests.post(f"{base}/bitrix24/install", params=query, data=form, timeout=15)
            finished = page.status_code == 200 and "BX24.installFinish()" in page.text
            fake.installed = fake.installed or finished
            event = requests.post(f"{base}/bitrix24/install", data=fake.install_event(user), timeout=15)
            return 200, {"install_page": page.status_code, "installFinish": finished,
                         "onappinstall": event.status_code, "handlers": [h for _, h in fake.handlers]}
        if action == "open":
            query, form = fake.app_page(user)
            page = requests.post(f"{base}/link", params=query, data=form, timeout=15)
            code = re.search(r'id="code">(\d+)<', page.text)
            return 200, {"page": page.status_code, "user": user, "code": code.group(1) if code else None}
        if action == "uninstall":
            out = {}
            for event, handler in list(fake.handlers):
                if event == "ONAPPUNINSTALL":
                    out[handler] = requests.post(handler, data=fake.install_event(event=event), timeout=15).status_code
            fake.installed = False
            return 200, {"onappuninstall": out}
    except requests.RequestException as exc:
        return 502, {"error": f"the application did not answer: {type(exc).__name__}"}
    return 404, {"error": "unknown portal action"}
