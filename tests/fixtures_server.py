"""Fixtures for the server tests: a stub conversation (until and besides the
real dialog), an in-process Flask client, and a real server process on a
free loopback port (`sekretar serve` or gunicorn) with SEKRETAR_HOME in tmp."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sekretar.integrations.outbox import Outbox

from sekretar.core.config import Settings
from sekretar.core.types import Created, Person, Reply, Turn
from sekretar.web.config import ServerConfig

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = [Person("1", "Сергей", "Иванов", email="ivanov@example.ru"), Person("2", "Анастасия", "Петрова"),
          Person("3", "Сергей", "Смирнов")]


class MemoryWorkspace:
    """A people directory and a list of what was created; `delay` makes it a slow CRM."""

    name = "local"

    def __init__(self, people=PEOPLE, delay: float = 0.0):
        self._people = list(people)
        self.delay = delay
        self.created: dict[str, object] = {}
        self._lock = threading.Lock()

    def people(self):
        return list(self._people)

    def get_person(self, person_id):
        return next((p for p in self._people if p.id == person_id), None)

    def create(self, action):
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            self.created.setdefault(action.key, action)
        return Created(action.kind, str(len(self.created)))


@dataclass
class StubApp:
    """Answers like the dialog would, by simple rules, so the adapters can be
    tested on their own: "задача..." asks to confirm with Да/Нет, a hint or
    "да" confirms (through the real outbox), "медленно" sleeps, "сломайся" raises."""

    store: object
    workspace: MemoryWorkspace
    turns: list = field(default_factory=list)
    sleep: float = 0.0
    action_budget: float | None = 0.5

    def __post_init__(self):
        self.outbox = Outbox(self.store, self.workspace)

    def handle(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        text = turn.text.lower()
        if "медленно" in text:
            time.sleep(self.sleep or 5)
        if "сломайся" in text:
            raise RuntimeError("stub crash")
        if turn.hint == "confirm" or text in ("да", "yes"):
            from sekretar.core.types import Action

            key = f"{turn.user}:{len(self.turns)}"
            out = self.outbox.submit(Action("task", "1", key, target="1", title="Отчёт"), turn.user, turn.now,
                                     budget=self.action_budget)
            return Reply("Готово." if out.status == "done" else "Поставила в очередь.", outcome=out.status,
                         end=True)
        if turn.hint == "reject":
            return Reply("Отменила.", outcome="cancelled")
        if "задач" in text:
            return Reply("Поставить задачу «Отчёт» Сергею Иванову на 2 апреля 13:15?", buttons=("Да", "Нет"),
                         state={"pending": "task"}, outcome="confirm_asked")
        if not text:
            return Reply("Здравствуйте! Что поставить?", outcome="greeted")
        return Reply("Не поняла.", outcome="not_understood")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def stub_store(tmp_path):
    from sekretar.store import open_store

    s = open_store(f"sqlite:///{tmp_path / 'stub.db'}")
    yield s
    s.close()


@pytest.fixture
def stub_app(stub_store):
    return StubApp(stub_store, MemoryWorkspace())


def make_web(app, tmp_path, **config):
    from sekretar.web import create_app

    settings = Settings(home=tmp_path)
    cfg = ServerConfig(**{"drain_interval": 0, "reply_deadline": 1.0, "action_budget": 0.5, **config})
    return create_app(settings, app=app, config=cfg)


@pytest.fixture
def web(stub_app, tmp_path):
    flask_app = make_web(stub_app, tmp_path)
    yield flask_app
    flask_app.extensions["sekretar"]["shutdown"]()


@pytest.fixture
def client(web):
    return web.test_client()


def csrf(client) -> str:
    """A valid CSRF token of the code page's form (as the page would give it)."""
    return client.application.extensions["sekretar"]["csrf"].token()


def crashes(client_or_web) -> float:
    """How often the server's catch-all handlers fired (must stay 0 in fuzz tests)."""
    web = getattr(client_or_web, "application", client_or_web)
    return web.extensions["sekretar"]["metrics"].crash_count()


# --- a real server process ------------------------------------------------------
class RunningServer:
    def __init__(self, cmd: list[str], env: dict, port: int, log: Path):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.env = env
        self.log_path = log
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start: {self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text("utf-8", "replace")[-4000:]

    def sekretar(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(Path(sys.executable).with_name("sekretar")), *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def server_env(home: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEKRETAR_")}
    env.update({"SEKRETAR_HOME": str(home), "SEKRETAR_LOG_FORMAT": "json", "SEKRETAR_DRAIN_INTERVAL": "1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_serve(home: Path, **extra) -> RunningServer:
    port = free_port()
    exe = str(Path(sys.executable).with_name("sekretar"))
    return RunningServer([exe, "serve", "--host", "127.0.0.1", "--port", str(port)], server_env(home, **extra),
                         port, home / f"serve-{port}.log")


def start_gunicorn(home: Path, workers: int = 2, app: str = "server:create_app()", **extra) -> RunningServer:
    port = free_port()
    exe = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [exe, "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(workers), "-b", f"127.0.0.1:{port}", app]
    return RunningServer(cmd, server_env(home, **extra), port, home / f"gunicorn-{port}.log")


@pytest.fixture
def serve_factory(tmp_path):
    started = []

    def start(kind: str = "serve", home: Path | None = None, **extra) -> RunningServer:
        home = home or tmp_path / "home"
        home.mkdir(exist_ok=True)
        srv = (start_serve if kind == "serve" else start_gunicorn)(home, **extra)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()
