"""Routes of the installed Bitrix24 application (thin: the logic is in
sekretar.integrations.bitrix24.app).

- `POST /bitrix24/install`: the portal's install page (in its frame: AUTH_ID,
  REFRESH_ID, APPLICATION_TOKEN, member_id; DOMAIN and PROTOCOL in the
  query), or an ONAPPINSTALL event posted to the installation path. The page
  calls BX24.installFinish().
- `POST /bitrix24/events`: the portal's events (form-encoded `auth[...]`,
  `data[...]`); each must carry the stored application_token (403 if not).
  ONAPPUNINSTALL drops the portal's tokens, links and pending actions.

The application page the portal opens for each person is the code page
(/link): it keeps that person's own tokens so sekretar acts as them.
"""
from __future__ import annotations

import logging
import re
from importlib import resources

import yaml
from flask import Response, jsonify, render_template, request

from sekretar.core.config import env
from sekretar.core.errors import BadRequest, ConfigError, Forbidden, SekretarError, WorkspaceAuthError

log = logging.getLogger("sekretar.server")
TEXT = yaml.safe_load(resources.files("sekretar.web").joinpath("bitrix24_page.yaml").read_text(encoding="utf-8"))
_KEY = re.compile(r"\[([^\]]*)\]")


def nested_form(pairs) -> dict:
    """`auth[member_id]=x&data[CLEAN]=1` → {"auth": {"member_id": "x"}, "data": {"CLEAN": "1"}}
    (how the portal encodes events: PHP http_build_query, B24DOCS api-reference/events/index.md)."""
    out: dict = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        parts = [head] + _KEY.findall(key[len(head):])
        if len(parts) > 4 or len(key) > 200:
            raise BadRequest("too deeply nested form field")
        node = out
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, dict):
                nxt = node[part] = {}
            node = nxt
        node[parts[-1]] = value
    return out


def _params() -> dict:
    body = request.get_json(silent=True) if request.is_json else None
    if isinstance(body, dict):
        return body
    return nested_form(list(request.args.items(multi=True)) + list(request.form.items(multi=True)))


def _events_url() -> str:
    base = env("SEKRETAR_PUBLIC_URL") or request.url_root
    return base.rstrip("/") + "/bitrix24/events"


def register(web, app, metrics) -> None:
    def application():
        from sekretar.integrations.bitrix24 import application as make

        return make(app.store)

    def reload_workspace():
        """The running workspace re-reads the tokens the route just changed."""
        changed = getattr(app.workspace, "tokens_changed", None)
        if changed is not None:
            changed()

    @web.route("/bitrix24/install", methods=["GET", "POST"])
    def bitrix24_install():
        try:
            params = _params()
        except BadRequest as exc:
            metrics.bad_request("bitrix24", "shape")
            return jsonify({"error": {"code": "bad_request", "message": str(exc)}}), 400
        lang = "en" if str(params.get("LANG") or "").lower().startswith("en") else "ru"
        portal, error, status = None, None, 200
        try:
            if str(params.get("event") or "").upper() == "ONAPPINSTALL":
                outcome = application().on_event(params, _events_url())
                reload_workspace()
                return jsonify({"status": outcome.status})
            tokens = application().install(params, _events_url())
            portal = tokens.domain
            reload_workspace()
        except (Forbidden, BadRequest, WorkspaceAuthError) as exc:  # no tokens, or not proved
            metrics.bad_request("bitrix24", "install")
            log.warning("bitrix24 install refused: %s", exc)
            error, status = str(exc), 403
        except ConfigError as exc:
            error, status = str(exc), 503
        except SekretarError as exc:
            log.error("bitrix24 install failed: %s", exc)
            error, status = str(exc), 503
        resp = Response(render_template("bitrix24_install.html", t=TEXT[lang], lang=lang, portal=portal,
                                        error=error), status)
        return resp  # shown in the portal's frame: no X-Frame-Options

    @web.post("/bitrix24/events")
    def bitrix24_events():
        try:
            outcome = application().on_event(_params(), _events_url())
        except BadRequest as exc:
            metrics.bad_request("bitrix24", "shape")
            return jsonify({"error": {"code": "bad_request", "message": str(exc)}}), 400
        except (Forbidden, WorkspaceAuthError) as exc:
            metrics.bad_request("bitrix24", "application_token")
            log.warning("bitrix24 event refused: %s", exc)
            return jsonify({"error": {"code": "forbidden", "message": "not from the installed portal"}}), 403
        except ConfigError as exc:
            return jsonify({"error": {"code": "unavailable", "message": str(exc)}}), 503
        reload_workspace()
        return jsonify({"event": outcome.event, "status": outcome.status})
