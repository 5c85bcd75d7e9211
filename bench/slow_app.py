"""A server whose CRM answers slowly, for bench_server.py: the real app with
the workspace's `create` delayed by BENCH_CRM_DELAY seconds.

    gunicorn --pythonpath bench 'slow_app:create()'
"""
import os
import time


class SlowWorkspace:
    def __init__(self, inner, delay: float):
        self._inner, self._delay = inner, delay
        self.name = inner.name

    def __getattr__(self, attr):
        return getattr(self._inner, attr)

    def create(self, action):
        time.sleep(self._delay)
        return self._inner.create(action)


def create():
    from sekretar.app import open_app
    from sekretar.core.config import Settings
    from sekretar.web import create_app
    from sekretar.web.config import ServerConfig

    settings, cfg = Settings.from_env(), ServerConfig.from_env()
    app = open_app(settings, action_budget=cfg.action_budget)
    app.outbox.workspace = SlowWorkspace(app.outbox.workspace, float(os.environ.get("BENCH_CRM_DELAY", "0.2")))
    return create_app(settings, app=app, config=cfg)
