"""The served dashboard in Debian's Chromium: cold start and server memory with 10 sessions.

- cold start: from `streamlit run app.py` (a new process) to the first chart drawn in the browser,
  with prices already in the store (25 years of closes, offline: no fetch); three runs.
- memory: the server's resident memory (VmRSS) when idle, with 1 session, and with 10 sessions open
  on the Ratio page, each with its charts drawn.
Needs Chromium (scripts/browser_for_tests.sh); skipped with a line saying so when it is missing.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from lib.data.demo import demo_closes
from tests.browser import CHART, chromium_path, launch, served_app, server_env, start_server, stop, wait_until_healthy
from tests.conftest import store_closes

SESSIONS = 10


def stored_prices(folder: Path) -> dict[str, str]:
    """A store holding every symbol the pages show, up to the last completed session."""
    env = server_env(folder)
    closes = demo_closes(pd.Timestamp.now().normalize() - pd.Timedelta(days=1))
    store_closes(env["PRICES_DATABASE_URL"], closes, source="bench", fetched_at=dt.datetime.now(dt.UTC))
    return env


def cold_start(browser, folder: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds to a healthy server and to the first chart drawn, both from the process start."""
    started = time.perf_counter()
    server = start_server(folder, env)
    try:
        wait_until_healthy(server, 90)
        healthy = time.perf_counter() - started
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server.url)
        page.wait_for_selector(CHART, timeout=120_000)
        drawn = time.perf_counter() - started
        page.close()
        return healthy, drawn
    finally:
        stop(server.process)


def memory(browser, folder: Path, env: dict[str, str]) -> tuple[list[tuple[str, float]], list[float]]:
    """RSS readings, and the seconds each session took from opening to three charts drawn."""
    readings, drawn = [], []
    with served_app(folder, env) as server:
        time.sleep(2)
        readings.append(("idle, no session", server.rss_mib()))
        contexts = []
        for opened in range(1, SESSIONS + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(server.url)
            page.wait_for_function(f"document.querySelectorAll(`{CHART}`).length >= 3", timeout=120_000)
            drawn.append(time.perf_counter() - started)
            contexts.append(context)
            if opened in (1, SESSIONS):
                time.sleep(2)
                readings.append((f"{opened} session{'s' if opened > 1 else ''} on the Ratio page", server.rss_mib()))
        for context in contexts:
            context.close()
    return readings, drawn


def main() -> None:
    if chromium_path() is None:
        print("browser benchmarks skipped: Chromium not found (scripts/browser_for_tests.sh)")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as name, sync_playwright() as playwright:
        folder = Path(name)
        env = stored_prices(folder)
        browser = launch(playwright)
        runs = [cold_start(browser, folder, env) for _ in range(3)]
        healthy = statistics.median(run[0] for run in runs)
        drawn = [run[1] for run in runs]
        print(f"{'cold start: server process to healthy':<70} median {healthy * 1000:7.0f} ms")
        print(
            f"{'cold start: server process to first chart drawn in Chromium':<70} median "
            f"{statistics.median(drawn) * 1000:7.0f} ms   (runs: {', '.join(f'{d:.2f} s' for d in drawn)})"
        )
        readings, sessions = memory(browser, folder, env)
        print(f"{'page opened to 3 charts drawn: first session (script runs cold)':<70} {sessions[0] * 1000:7.0f} ms")
        later = statistics.median(sessions[1:])
        print(f"{'page opened to 3 charts drawn: sessions 2-10 (median, caches warm)':<70} {later * 1000:7.0f} ms")
        for label, mib in readings:
            print(f"{'server memory (RSS), ' + label:<70} {mib:7.0f} MiB")
        per_session = (readings[-1][1] - readings[1][1]) / (SESSIONS - 1)
        print(f"{'server memory per extra session':<70} {per_session:7.1f} MiB")
        browser.close()


if __name__ == "__main__":
    main()
