"""The team deployment on one machine, without Docker: Debian's nginx (deploy/nginx.conf.template,
rendered with local ports) in front of two `streamlit run app.py` replicas sharing PostgreSQL, and
the refresh worker (tests/topology/fake_worker.py) as the only writer of prices.

Used by tests/topology and bench/load.py. Prices and notes get a fresh schema each in the server
named by $NOTES_TEST_POSTGRES_URL (as tests/conftest.py isolates its tests), reached through the
URL's `options=-csearch_path=...`; both are dropped at the end.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from tests.browser import ROOT, Server, chromium_path, server_env, start_server, stop, wait_until_healthy

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
# The replicas share Streamlit's cookie secret, as the compose file's .env makes them do: the XSRF
# cookie of an upload signed by one replica is then valid on the other after a failover.
SHARED_COOKIE_SECRET = "topology-test-only-not-a-secret"
ACCESS_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) replica=(?P<replica>\S+) sticky=(?P<key>\S+)'
)


def missing() -> str | None:
    """Why the topology cannot run here (one line), or None."""
    if NGINX is None:
        return "nginx is not installed (scripts/nginx_for_tests.sh)"
    if not os.environ.get("NOTES_TEST_POSTGRES_URL"):
        return "no PostgreSQL: set NOTES_TEST_POSTGRES_URL (README, Tests)"
    if chromium_path() is None:
        return "Chromium is not installed (scripts/browser_for_tests.sh)"
    return None


def _nginx_module():
    spec = importlib.util.spec_from_file_location("deploy_nginx", ROOT / "deploy" / "nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render_nginx = _nginx_module()


@dataclass
class Access:
    path: str
    status: int
    replica: str
    key: str


@dataclass
class Cluster:
    url: str  # the proxy
    replicas: list[Server]
    env: dict[str, str]
    folder: Path
    nginx: subprocess.Popen | None = None
    schemas: list[str] = field(default_factory=list)

    def replica_of(self, address: str) -> Server:
        return next(server for server in self.replicas if server.url.endswith(address))

    def access_log(self) -> list[Access]:
        """Every request the proxy has logged (a WebSocket is logged when it closes)."""
        entries = []
        for line in (self.folder / "nginx" / "access.log").read_text().splitlines():
            found = ACCESS_LINE.search(line)
            if found:
                entries.append(Access(found["path"], int(found["status"]), found["replica"], found["key"]))
        return entries

    def note_titles(self) -> list[str]:
        """The titles in the notes database, read past the replicas."""
        engine = sa.create_engine(self.env["NOTES_DATABASE_URL"])
        try:
            with engine.connect() as connection:
                return list(connection.execute(sa.text("SELECT title FROM note ORDER BY id")).scalars())
        finally:
            engine.dispose()

    def note_body(self, title: str) -> str | None:
        """The text of the note titled `title`, read past the replicas (None when there is none)."""
        engine = sa.create_engine(self.env["NOTES_DATABASE_URL"])
        try:
            with engine.connect() as connection:
                query = sa.text("SELECT body FROM note WHERE title = :title")
                return connection.execute(query, {"title": title}).scalar()
        finally:
            engine.dispose()

    def run_worker(self, last_session: str) -> None:
        """One pass of the refresh worker, in its own process as in the deployment."""
        command = [sys.executable, "-m", "tests.topology.fake_worker", last_session]
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"the worker failed ({done.returncode}): {done.stderr[-2000:]}")


def postgres_schema_url(base: str, schema: str) -> str:
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@contextmanager
def team_cluster(folder: Path, *, port: int, seed_session: str = "2026-11-20") -> Iterator[Cluster]:
    """nginx on `port`, replicas on port+1 and port+2, prices stored up to `seed_session`."""
    base = os.environ["NOTES_TEST_POSTGRES_URL"]
    run = uuid.uuid4().hex[:10]
    schemas = [f"topo_{run}_prices", f"topo_{run}_notes"]
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        for schema in schemas:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    env = server_env(
        folder,
        PRICES_DATABASE_URL=postgres_schema_url(base, schemas[0]),
        NOTES_DATABASE_URL=postgres_schema_url(base, schemas[1]),
        DASHBOARD_TEAM="1",
        STREAMLIT_SERVER_COOKIE_SECRET=SHARED_COOKIE_SECRET,
    )
    cluster = Cluster(f"http://127.0.0.1:{port}", [], env, folder, schemas=schemas)
    try:
        with ExitStack() as stack:
            cluster.run_worker(seed_session)
            for offset in (1, 2):
                server = start_server(folder, env, port=port + offset)
                stack.callback(stop, server.process)
                cluster.replicas.append(server)
            for server in cluster.replicas:
                wait_until_healthy(server, 120)
            addresses = [server.url.removeprefix("http://") for server in cluster.replicas]
            cluster.nginx = start_nginx(folder / "nginx", port, addresses)
            stack.callback(stop, cluster.nginx)
            yield cluster
    finally:
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def start_nginx(prefix: Path, port: int, upstreams: list[str]) -> subprocess.Popen:
    """Debian's nginx as the current user, in the foreground, everything it writes under `prefix`."""
    prefix.mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(render_nginx.render_local(prefix, port, tuple(upstreams)))
    command = [NGINX, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log"), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped: {(prefix / 'error.log').read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/nginx-health", timeout=2):
                return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError("nginx did not answer within 20 s")
