"""Render deploy/nginx.conf.template: `python deploy/nginx.py > deploy/nginx.conf` writes the compose
proxy's configuration (a test keeps the two equal); the topology test and bench/load.py render it with
their own ports and a temporary prefix, so the configuration tested is the one shipped."""

from __future__ import annotations

import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
# In compose, `app` resolves to every replica's address when nginx starts (reload it after a scale).
COMPOSE_UPSTREAMS = ("app:8501",)
COMPOSE_RUNTIME = "pid /tmp/nginx.pid;\nerror_log /dev/stderr warn;"
COMPOSE_LISTEN = "listen 8080;\n        access_log /dev/stdout replica;"


def render(*, listen: str, upstreams: tuple[str, ...], runtime: str) -> str:
    """The template with its three placeholders filled; `upstreams` are host:port of the replicas."""
    servers = "\n".join(f"        server {address} max_fails=1 fail_timeout=10s;" for address in upstreams)
    text = TEMPLATE.read_text()
    return text.replace("@RUNTIME@", runtime).replace("@LISTEN@", listen).replace("@UPSTREAM_SERVERS@", servers)


def render_local(prefix: Path, port: int, upstreams: tuple[str, ...]) -> str:
    """For a test or benchmark run as the current user: everything nginx writes stays in `prefix`."""
    temps = "\n".join(
        f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    runtime = f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;"
    listen = f"listen 127.0.0.1:{port};\n        access_log {prefix / 'access.log'} replica;\n{temps}"
    return render(listen=listen, upstreams=upstreams, runtime=runtime)


def render_compose() -> str:
    return render(listen=COMPOSE_LISTEN, upstreams=COMPOSE_UPSTREAMS, runtime=COMPOSE_RUNTIME)


if __name__ == "__main__":
    sys.stdout.write(render_compose())
