"""The team deployment's files (deploy/): compose services, health checks, replicas, the worker, no
inline secret; the Dockerfile's user and health check; nginx's configuration as nginx reads it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.browser import ROOT
from tests.topology.cluster import NGINX, render_nginx

DEPLOY = ROOT / "deploy"
# What a secret looks like when written into a file instead of taken from .env or a secrets file.
SECRET_NAMES = re.compile(r"(PASSWORD|SECRET|TOKEN|KEY)", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_the_services_are_the_proxy_the_replicas_the_worker_and_a_local_database(compose):
    assert set(compose["services"]) == {"proxy", "app", "worker", "db"}
    assert compose["services"]["db"]["profiles"] == ["local-db"]  # a managed server: no db service
    for name in ("app", "worker"):
        assert compose["services"][name]["depends_on"]["db"] == {"condition": "service_healthy", "required": False}


def test_the_app_runs_two_replicas_by_default_from_the_image_the_worker_shares(compose):
    app, worker = compose["services"]["app"], compose["services"]["worker"]
    assert app["deploy"]["replicas"] == "${APP_REPLICAS:-2}"
    assert app["image"] == worker["image"] and app["build"]["dockerfile"] == "deploy/Dockerfile"
    assert "command" not in app  # the image's CMD: streamlit run app.py


def test_the_worker_is_the_only_process_that_asks_yahoo(compose):
    app, worker = compose["services"]["app"], compose["services"]["worker"]
    assert worker["command"] == ["python", "-m", "lib.cli", "worker"]
    assert app["environment"]["DASHBOARD_TEAM"] == "1" and app["environment"]["DASHBOARD_OFFLINE"] == "1"
    assert worker["environment"]["DASHBOARD_OFFLINE"] == "0"


def test_every_long_running_server_has_a_health_check(compose):
    services = compose["services"]
    assert "/nginx-health" in " ".join(services["proxy"]["healthcheck"]["test"])
    assert "/_stcore/health" in " ".join(services["app"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["worker"]["healthcheck"] == {"disable": True}  # no port; restarted when it stops
    assert services["proxy"]["depends_on"]["app"]["condition"] == "service_healthy"


def test_prices_and_notes_live_in_a_named_volume_and_the_proxy_reads_the_shipped_config(compose):
    db = compose["services"]["db"]
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"]
    assert "pgdata" in compose["volumes"]
    assert "./postgres-init:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    assert "CREATE DATABASE prices" in (DEPLOY / "postgres-init" / "10-prices-database.sql").read_text()
    assert db["environment"]["POSTGRES_DB"] == "notes"
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in compose["services"]["proxy"]["volumes"]


def test_no_secret_is_written_into_the_compose_file(compose):
    for name, service in compose["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            if SECRET_NAMES.search(variable):
                assert re.fullmatch(r"\$\{[A-Z_]+(:\?[^}]*)?\}", str(value)), f"{name}.{variable} = {value!r}"
        for url in ("PRICES_DATABASE_URL", "NOTES_DATABASE_URL"):
            value = str((service.get("environment") or {}).get(url, "${"))
            assert value.startswith("${"), f"{name}.{url} is written inline"
    assert compose["secrets"]["streamlit_secrets"] == {"file": "./secrets.toml"}
    assert {"source": "streamlit_secrets", "target": "/app/.streamlit/secrets.toml"} in compose["services"]["app"][
        "secrets"
    ]


def test_the_shipped_examples_hold_placeholders_and_git_ignores_the_real_files():
    example = (DEPLOY / ".env.example").read_text()
    for line in example.splitlines():
        variable = line.split("=", 1)[0]
        if SECRET_NAMES.search(variable) and not line.startswith("#"):
            assert line.endswith("=CHANGE-ME"), line
    assert set((DEPLOY / ".gitignore").read_text().split()) >= {".env", "secrets.toml"}
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".streamlit/secrets.toml", ".git", ".venv", "var"} <= set(ignored)


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments), continuation lines joined."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_image_runs_streamlit_as_a_user_without_rights_and_checks_its_health():
    steps = dockerfile()
    assert steps[0] == ("FROM", "python:3.11-slim")
    users = [args for instruction, args in steps if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert [i for i, _ in steps].index("USER") < [i for i, _ in steps].index("CMD")
    health = " ".join(args for instruction, args in steps if instruction == "HEALTHCHECK")
    assert "/_stcore/health" in health
    command = next(args for instruction, args in steps if instruction == "CMD")
    assert command.startswith('["streamlit", "run", "app.py", "--server.address", "0.0.0.0"')
    assert any(instruction == "RUN" and "requirements.txt" in args for instruction, args in steps)
    assert "noto-cjk-sans-jp-regular==" in (ROOT / "requirements.txt").read_text()  # the PNG font


def test_the_compose_proxy_config_is_the_template_rendered():
    assert (DEPLOY / "nginx.conf").read_text() == render_nginx.render_compose()


def test_the_proxy_config_keeps_sessions_sticky_and_carries_websockets_and_uploads():
    text = render_nginx.render_compose()
    assert "hash $sticky_key consistent;" in text and not re.search(r"^\s*ip_hash", text, re.MULTILINE)
    assert "proxy_http_version 1.1;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "location /_stcore/stream {" in text and "proxy_read_timeout 1d;" in text
    assert "location = /_stcore/health {" in text
    assert "large_client_header_buffers 8 64k;" in text
    max_upload = re.search(r"maxUploadSize = (\d+)", (ROOT / ".streamlit" / "config.toml").read_text())
    assert f"client_max_body_size {max_upload[1]}m;" in text


def test_nginx_accepts_the_rendered_config(tmp_path: Path):
    if NGINX is None:
        pytest.skip("nginx is not installed (scripts/nginx_for_tests.sh)")
    config = tmp_path / "nginx.conf"
    config.write_text(render_nginx.render_local(tmp_path, 8643, ("127.0.0.1:8644", "127.0.0.1:8645")))
    done = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(config), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


def test_the_ci_installs_nginx_and_requires_the_topology():
    run = (ROOT / ".ci" / "run").read_text()
    assert "scripts/nginx_for_tests.sh" in run and "export TOPOLOGY_REQUIRE=1" in run
    assert shutil.which("bash") and (ROOT / "scripts" / "nginx_for_tests.sh").stat().st_mode & 0o111
