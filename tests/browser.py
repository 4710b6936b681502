"""The dashboard served as `make run` serves it, and Debian's Chromium driven by Playwright.

Used by the browser tests (tests/e2e), the browser benchmarks (bench/browser.py) and
scripts/screenshot.py. Nothing here downloads a browser: Chromium is the system's (`apt-get install
chromium`), or the one $CHROMIUM_PATH names.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# As root in a closed network: no sandbox, and none of Chromium's own background connections.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHART = "[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas"
EXCEPTION = "[data-testid='stException']"


def chromium_path() -> str | None:
    """$CHROMIUM_PATH, else `chromium` on the PATH (Debian's package), else None."""
    named = os.environ.get("CHROMIUM_PATH")
    if named:
        return named if Path(named).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def rss_mib(self) -> float:
        """Resident memory of the server process (Linux /proc)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS line")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(folder: Path, **overrides: str) -> dict[str, str]:
    """Offline (Yahoo is never asked), with its own price and notes databases in `folder`."""
    env = {
        **os.environ,
        "DASHBOARD_OFFLINE": "1",
        "PRICES_DATABASE_URL": f"sqlite:///{folder / 'prices.sqlite'}",
        "NOTES_DATABASE_URL": f"sqlite:///{folder / 'notes.sqlite'}",
    }
    for variable in ("NOTES_READ_ONLY", "NOTES_EDITORS"):
        env.pop(variable, None)
    env.update(overrides)
    return env


@contextmanager
def served_app(
    folder: Path, env: dict[str, str] | None = None, *, timeout: float = 90, **how: object
) -> Iterator[Server]:
    """`streamlit run app.py` (the Makefile's command) on a free port until the block ends; `how` is
    start_server's keywords (the benchmarks serve their floor apps and a traced server with them)."""
    server = start_server(folder, env, **how)
    try:
        wait_until_healthy(server, timeout)
        yield server
    finally:
        stop(server.process)


def start_server(
    folder: Path,
    env: dict[str, str] | None = None,
    *,
    script: str = "app.py",
    options: Sequence[str] = (),
    launcher: Sequence[str] = ("-m", "streamlit"),
    root: Path = ROOT,
    port: int | None = None,
) -> Server:
    """Start the server process (on `port`, else a free one); its log goes to `folder`. The caller
    waits for it and stops it.

    `options` are more `streamlit run` options (--server.disconnectedSessionTTL=5); `launcher` is
    what Python runs instead of `-m streamlit` (bench/traced_server.py); `root` is the checkout
    served (bench/browser.py serves an earlier commit's copy beside this one)."""
    port = port or free_port()
    log = folder / f"server-{port}.log"
    command = [sys.executable, *launcher, "run", script, "--server.port", str(port), *options]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("w") as handle:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env if env is not None else server_env(folder),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(f"http://127.0.0.1:{port}", process, log)


def wait_until_healthy(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {server.process.returncode}):\n{server.log_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{server.log_text()[-2000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
