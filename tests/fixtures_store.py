"""Fixtures for the store (and anyone who needs a store on both backends).

- `pg_url` (session): a PostgreSQL server URL. SEKRETAR_TEST_DATABASE_URL if
  set; otherwise a throwaway cluster started here from the server binaries
  (/usr/lib/postgresql/*/bin, Debian's postgresql-NN), run as the
  `postgres` user when the tests run as root, listening on a unix socket in
  a private temporary directory only. Without either the PostgreSQL cases
  skip, unless SEKRETAR_REQUIRE_POSTGRES=1 (CI), where they fail.
- `store_url` (params "sqlite", "postgresql"): a URL to a fresh, empty
  database (a new SQLite file, or a new PostgreSQL schema dropped after).
- `store`: `open_store(store_url)`, closed after the test.
- `make_store_url(kind, tmp_path, pg_url=None)`: the same as a function.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from sekretar.store import open_store

BACKENDS = ("sqlite", "postgresql")


def _no_postgres(reason: str):
    if os.environ.get("SEKRETAR_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (SEKRETAR_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"no PostgreSQL for the tests: {reason}")


def _pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


class _Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="sekretar-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.sock.mkdir()
        self.prefix: list[str] = []
        self.user = "postgres"
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: hand the directory to postgres
            if not shutil.which("runuser"):
                raise RuntimeError("running as root without runuser")
            subprocess.run(["chown", "-R", "postgres:", str(self.root)], check=True)
            self.prefix = ["runuser", "-u", "postgres", "--"]
        else:
            import getpass

            self.user = getpass.getuser()

    def _run(self, *args: str) -> None:
        res = subprocess.run(self.prefix + list(args), capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {res.stderr.strip() or res.stdout.strip()}")

    def start(self) -> str:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user,
                  "-E", "UTF8", "--no-sync", "--locale=C")
        opts = (f"-k {self.sock} -c listen_addresses='' -p 5432 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-w", "-t", "60",
                  "-l", str(self.root / "log"), "start")
        return f"postgresql://{self.user}@/postgres?host={quote(str(self.sock), safe='')}&port=5432"

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        except Exception:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url():
    url = os.environ.get("SEKRETAR_TEST_DATABASE_URL")
    if url:
        yield url
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _no_postgres("psycopg is not installed (pip install 'psycopg[binary]')")
    bindir = _pg_bindir()
    if bindir is None:
        _no_postgres("set SEKRETAR_TEST_DATABASE_URL or install the server (apt-get install postgresql)")
    cluster = _Cluster(bindir)
    try:
        url = cluster.start()
    except Exception as exc:
        cluster.stop()
        _no_postgres(f"could not start a throwaway cluster from {bindir}: {exc}")
    try:
        yield url
    finally:
        cluster.stop()


def _with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}', safe='')}"


def make_store_url(kind: str, tmp_path: Path, pg_url: str | None = None) -> str:
    """A URL to a fresh database: a new SQLite file under tmp_path, or a new
    schema on the PostgreSQL server at pg_url (see `drop_schema`)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / f'store-{uuid.uuid4().hex[:8]}.db'}"
    if kind == "postgresql":
        import psycopg

        if pg_url is None:
            raise ValueError("a PostgreSQL store needs pg_url")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return _with_schema(pg_url, schema)
    raise ValueError(f"unknown store kind {kind!r}")


def drop_schema(url: str, pg_url: str) -> None:
    from urllib.parse import parse_qs, unquote, urlsplit

    import psycopg

    options = parse_qs(urlsplit(url).query).get("options", [""])[0]
    schema = unquote(options).split("search_path=", 1)[-1]
    if schema.startswith("t_"):
        for _ in range(3):
            try:
                with psycopg.connect(pg_url, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                return
            except psycopg.Error:
                time.sleep(0.2)


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield make_store_url("sqlite", tmp_path)
        return
    pg = request.getfixturevalue("pg_url")
    url = make_store_url("postgresql", tmp_path, pg)
    yield url
    drop_schema(url, pg)


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()
