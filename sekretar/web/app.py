"""The web server: a Flask app factory wiring the voice platforms and the
JSON API to the dialog. Routes stay thin: protocols live in
`integrations/alice.py`, `google.py`, `api.py`; the turn guard, metrics,
logs and the code page in `sekretar/`.

Development: `sekretar serve --host 127.0.0.1 --port 8080`.
Production:  `gunicorn -w 2 -k gthread --threads 8 -b 0.0.0.0:8080 'server:create_app()'`
"""
from __future__ import annotations

import atexit
import logging
from importlib import resources

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from sekretar.core import logs
from sekretar.core.config import Settings
from sekretar.core.errors import BadRequest, Forbidden, SekretarError, Unauthorized
from sekretar.integrations import alice, api, google
from sekretar.web.config import ServerConfig
from sekretar.web.drainer import Drainer
from sekretar.web import guard
from sekretar.web.linkpage import TEXT, LinkPage, View, is_local_request, token_ok
from sekretar.web.metrics import InstrumentedWorkspace, Metrics
from sekretar.web.serving import TurnRunner

log = logging.getLogger("sekretar.server")
ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type", 503: "busy"}


def _error(status: int, message: str):
    return jsonify(api.error(ERROR_CODES.get(status, "internal"), message)), status


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def _json_body():
    """The body as JSON whatever the content type; None if it is not JSON
    (or nested too deep: guard.read_json)."""
    return guard.read_json(request.get_data(cache=True))


def _page_csp(framed_by: str | None) -> str:
    ancestors = framed_by or "'none'"
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self';"
            f" base-uri 'none'; frame-ancestors {ancestors}")


def _announce(cfg: ServerConfig, production: bool) -> None:
    """Say at start what is open and what is refused (docs/security.md)."""
    mode = "production" if production else "development"
    if not cfg.api_token:
        if production:
            log.warning("SEKRETAR_API_TOKEN is not set: /api/v1/turn is off (%s)", mode)
        else:
            log.warning("SEKRETAR_API_TOKEN is not set: /api/v1/turn answers loopback clients only"
                        " (development; production refuses it)")
    if not cfg.alice_skill_id:
        if production:
            log.warning("SEKRETAR_ALICE_SKILL_ID is not set: /alice is refused (%s)", mode)
        else:
            log.warning("SEKRETAR_ALICE_SKILL_ID is not set: /alice answers any skill (development only)")


def create_app(settings: Settings | None = None, app=None, config: ServerConfig | None = None) -> Flask:
    settings = settings or Settings.from_env()
    cfg = config or ServerConfig.from_env()
    logs.configure()
    if app is None:
        from sekretar.app import open_app

        app = open_app(settings, action_budget=cfg.action_budget)
    metrics = Metrics()
    outbox = getattr(app, "outbox", None)
    if outbox is not None and getattr(outbox, "workspace", None) is not None:
        outbox.workspace = InstrumentedWorkspace(outbox.workspace, metrics)
    runner = TurnRunner(app, metrics, cfg.reply_deadline)
    drainer = Drainer(app, cfg.drain_interval, metrics).start()
    verifier = google.SignatureVerifier(cfg.google_project_id, cfg.google_certs_url) if cfg.google_project_id else None
    from sekretar.core.config import secret_key

    production = cfg.production
    csrf = guard.Csrf(secret_key(settings.home))
    page = LinkPage(app, settings)
    _announce(cfg, production)

    web = Flask(__name__, template_folder=str(resources.files("sekretar.web").joinpath("templates")))
    web.config["MAX_CONTENT_LENGTH"] = cfg.max_body
    web.json.ensure_ascii = False
    web.json.sort_keys = False
    web.extensions["sekretar"] = {"app": app, "metrics": metrics, "runner": runner, "drainer": drainer,
                                  "config": cfg, "settings": settings, "production": production,
                                  "csrf": csrf}

    def direct_local() -> bool:
        return guard.is_direct_local(request.remote_addr, request.headers)

    # --- errors: JSON (or a spoken apology on /alice), never an HTML traceback
    @web.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        metrics.bad_request(request.path if request.url_rule else "unknown", str(exc.code))
        if request.path == "/alice" and request.method == "POST":  # Alice expects 200 with its body
            return jsonify(alice.apology(settings.lang)), 200
        return _error(exc.code or 500, exc.description or exc.name)

    @web.errorhandler(Exception)
    def crash(exc: Exception):
        metrics.crash("route")
        log.exception("request crashed", extra={"path": request.path})
        if request.path == "/alice" and request.method == "POST":
            return jsonify(alice.apology(settings.lang, kind="broken")), 200
        return _error(500, "internal error")

    @web.after_request
    def headers(resp: Response):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Cache-Control", "no-store")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        return resp

    # --- voice platforms --------------------------------------------------
    @web.post("/alice")
    def alice_webhook():
        if cfg.alice_allow_nets and not guard.in_networks(
                guard.client_address(request.remote_addr, request.headers, cfg.trusted_proxies), cfg.alice_allow_nets):
            metrics.bad_request("alice", "network")
            return jsonify(alice.apology(settings.lang)), 403
        if production and not cfg.alice_skill_id:
            metrics.bad_request("alice", "no_skill_id")
            return jsonify(alice.apology(settings.lang)), 403
        body = _json_body()
        try:
            req = alice.parse(body, settings.tz, settings.lang)
        except BadRequest as exc:
            metrics.bad_request("alice", "shape")
            log.info("alice request refused: %s", exc)
            return jsonify(alice.apology(settings.lang))
        if cfg.alice_skill_id and req.skill_id != cfg.alice_skill_id:
            metrics.bad_request("alice", "skill_id")
            return _error(403, "this server does not serve that skill")
        if req.is_ping:
            return jsonify(alice.pong(req))
        result = runner.run(alice.to_turn(req))
        if result.reply is None:
            return jsonify(alice.apology(req.lang, req.version, result.problem))
        return jsonify(alice.render(result.reply, req.version, req.lang))

    @web.post("/google")
    def google_webhook():
        if verifier is not None:
            try:
                verifier.verify(request.headers.get("google-assistant-signature"))
            except Unauthorized as exc:  # the documented answer to a failed verification is 403
                metrics.bad_request("google", "signature")
                return _error(403, str(exc))
        try:
            req = google.parse(_json_body(), settings.tz, settings.lang)
        except BadRequest as exc:
            metrics.bad_request("google", "shape")
            return _error(400, str(exc))
        if not req.verified:
            return jsonify(google.guest(req))
        result = runner.run(google.to_turn(req))
        if result.reply is None:
            return jsonify(google.apology(req.lang, result.problem))
        return jsonify(google.render(result.reply, req))

    # --- JSON API ----------------------------------------------------------
    @web.post("/api/v1/turn")
    def api_turn():
        if cfg.api_token:
            if not token_ok(_bearer(), cfg.api_token):
                metrics.bad_request("api", "token")
                return _error(401, "a bearer token is required")
        elif production:
            metrics.bad_request("api", "off")
            return _error(403, "the JSON API is off: the server has no SEKRETAR_API_TOKEN")
        elif not (direct_local() and guard.host_allowed(request.host, cfg.allowed_hosts)):
            metrics.bad_request("api", "not_local")
            return _error(403, "without SEKRETAR_API_TOKEN the JSON API answers loopback clients only")
        try:
            turn = api.parse_turn(_json_body(), settings.tz, settings.lang)
        except BadRequest as exc:
            metrics.bad_request("api", "shape")
            return _error(400, str(exc))
        result = runner.run(turn)
        if result.reply is None:
            return _error(503 if result.problem == "busy" else 500,
                          "the secretary took too long" if result.problem == "busy" else "internal error")
        return jsonify(api.render(result.reply, turn.lang))

    @web.get("/api/v1/openapi.json")
    def openapi():
        return jsonify(api.openapi())

    # --- the code page -------------------------------------------------------
    @web.route("/link", methods=["GET", "POST"])
    def link():
        lang = "en" if request.values.get("lang", settings.lang).lower().startswith("en") else "ru"
        try:
            if not guard.host_allowed(request.host, cfg.allowed_hosts):
                metrics.bad_request("link", "host")  # DNS rebinding: a loopback server under a foreign name
                raise Forbidden(TEXT[lang]["forbidden_host"])
            launch = page.is_launch(request.values)
            if request.method == "POST" and not launch:
                if not guard.origin_allowed(request.headers, request.host, cfg.allowed_hosts) \
                        or not csrf.valid(request.form.get("csrf")):
                    metrics.bad_request("link", "csrf")
                    raise Forbidden(TEXT[lang]["forbidden_form"])
            view = page.serve(request.method, request.values.to_dict(), request.form.to_dict(),
                              request.values.get("token") or _bearer(),
                              is_local_request(request.remote_addr, request.headers), cfg.link_page_token, lang)
        except (Unauthorized, Forbidden) as exc:
            view = View(lang, error=str(exc), status=403)
        except SekretarError as exc:
            log.error("link page failed: %s", type(exc).__name__)
            view = View(lang, error=str(exc), status=503)
        view.csrf = csrf.token()
        resp = Response(render_template("link.html", t=TEXT[view.lang], **vars(view)), view.status)
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["Content-Security-Policy"] = _page_csp(view.framed_by if view.framed else None)
        if not view.framed:
            resp.headers["X-Frame-Options"] = "DENY"
        return resp

    from sekretar.web import bitrix24 as bitrix24_routes

    bitrix24_routes.register(web, app, metrics)

    # --- operations --------------------------------------------------------------
    @web.get("/healthz")
    def healthz():
        store = getattr(app, "store", None)
        try:
            if store is not None:
                store.kv_get("sekretar:healthz")
        except Exception as exc:  # any store failure means: not ready
            return jsonify({"status": "unavailable", "error": type(exc).__name__}), 503
        return jsonify({"status": "ok"})

    @web.get("/metrics")
    def metrics_page():
        try:
            drainer.update_depth()
        except Exception:
            log.warning("outbox depth unavailable")
        data, content_type = metrics.exposition()
        return Response(data, content_type=content_type)

    @web.get("/")
    def index():
        return jsonify({"service": "sekretar", "endpoints": ["/alice", "/google", "/api/v1/turn",
                                                             "/api/v1/openapi.json", "/link", "/healthz", "/metrics"]})

    def shutdown():
        drainer.stop(timeout=1.0)
        runner.close()
        close = getattr(app, "close", None)
        if close:
            close()

    web.extensions["sekretar"]["shutdown"] = shutdown
    atexit.register(shutdown)
    return web
