"""`sekretar serve [--host H] [--port P]`: the development web server.

Production runs the same app under gunicorn (see docs/server.md):
    gunicorn -w 2 -k gthread --threads 8 -b 0.0.0.0:8080 'server:create_app()'
"""
from __future__ import annotations

import socket

from sekretar.core.errors import ConfigError


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the web server (Alice, Google, JSON API, code page) for development",
                       description="Development server. For production use gunicorn: docs/server.md.")
    p.add_argument("--host", default=None, help="address to listen on (SEKRETAR_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (SEKRETAR_PORT, default 8080)")
    p.set_defaults(func=run)


def _check_port(host: str, port: int) -> None:
    if not 0 < port < 65536:
        raise ConfigError(f"port must be between 1 and 65535, got {port}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def run(args) -> int:
    from dataclasses import replace

    try:
        from sekretar.web import create_app
    except ImportError as exc:
        raise ConfigError(f"the server needs its extras: pip install 'sekretar[server]' ({exc})") from None
    from sekretar.web.config import ServerConfig

    cfg = ServerConfig.from_env()
    cfg = replace(cfg, host=args.host or cfg.host, port=args.port if args.port is not None else cfg.port)
    _check_port(cfg.host, cfg.port)
    web = create_app(config=cfg)
    mode = ("production rules: the API needs SEKRETAR_API_TOKEN, /alice SEKRETAR_ALICE_SKILL_ID"
            if cfg.production else "development: loopback only")
    print(f"sekretar: serving on http://{cfg.host}:{cfg.port} (development server, {mode}; Ctrl+C stops)",
          flush=True)
    web.run(host=cfg.host, port=cfg.port, threaded=True, use_reloader=False, debug=False)
    return 0
