"""Server memory with sessions that visit every page, on the real closes (../shared/data).

The served app (bench/traced_server.py: Streamlit's own command line plus a debug hook) on a store
holding ../shared/data/daily_closes.csv, imported with the CLI as a user does. Each session opens
the Ratio page, waits for its three charts, then goes to Funds, Notes and the weekly report through
the sidebar, as a user does, and stays open. The server's resident memory (VmRSS) is read idle,
after one session has filled the shared caches and closed (the level the goal compares to), with
5 / 10 / 20 sessions open, and after they close: Streamlit keeps a closed session for
server.disconnectedSessionTTL (120 s by default, 10 s here) for a reconnect, then drops it when the
session store is next written. `python -m bench.memory [variants]`; BENCH_DATA_KIND=demo serves 25
years of demo prices and the demo notes (an empty store) instead of the real closes.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import time
from pathlib import Path

from tests.browser import CHART, served_app, server_env
from tests.conftest import DAILY_CLOSES

TTL_SECONDS = 10
COUNTS = (5, 10, 20)
PAGES = ("Funds", "Notes", "Weekly report")


def held(server, trace: Path) -> dict:
    """What the server holds (sessions, media files, deferred downloads), read by its debug hook."""
    trace.unlink(missing_ok=True)
    os.kill(server.process.pid, signal.SIGUSR1)
    deadline = time.monotonic() + 300  # a tracemalloc snapshot takes a while
    while not trace.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return json.loads(trace.read_text())


def visit_every_page(browser, server):
    """A new session that draws the Ratio page, then opens Funds, Notes and the report; kept open."""
    from tests.e2e.conftest import Tab

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(600_000)  # a traced server is slow
    tab = Tab(page, server, Path(tempfile.gettempdir()))
    page.goto(server.url)
    page.wait_for_function(f"document.querySelectorAll(`{CHART}`).length >= 3")
    tab.settle(600_000)
    for label, path in zip(PAGES, ("funds", "notes", "report"), strict=True):
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text=label).click()
        page.wait_for_url(f"**/{path}")
        tab.settle(600_000)
        tab.no_exception()
    return context


def settled_rss(server) -> float:
    time.sleep(2)
    return server.rss_mib()


def run(browser, env: dict[str, str], folder: Path, *, malloc=None, tracemalloc=False, options=()):
    """RSS readings (label, MiB) and what the server held at each, for one server's life; `malloc`:
    environment for glibc's allocator, `options`: more `streamlit run` options."""
    trace = folder / "trace.json"
    env = {**env, **(malloc or {}), "BENCH_TRACE": str(trace)}
    if tracemalloc:
        env["BENCH_TRACEMALLOC"] = "3"  # from `before` on: what the sessions opened after it keep
    options = ["--server.disconnectedSessionTTL", str(TTL_SECONDS), *options]
    readings = []
    with served_app(folder, env, options=options, launcher=["bench/traced_server.py"], timeout=180) as server:
        readings.append(("idle, no session yet", settled_rss(server), held(server, trace)))
        visit_every_page(browser, server).close()
        time.sleep(TTL_SECONDS + 5)
        readings.append(("after one session (caches filled) closed", settled_rss(server), held(server, trace)))
        before = held(server, trace) if tracemalloc else None
        contexts = []
        for count in COUNTS:
            while len(contexts) < count:
                contexts.append(visit_every_page(browser, server))
            label = f"{count} sessions open, each visited every page"
            readings.append((label, settled_rss(server), held(server, trace)))
        during = held(server, trace) if tracemalloc else None
        for context in contexts:
            context.close()
        time.sleep(TTL_SECONDS + 5)
        readings.append(("sessions closed, TTL passed", settled_rss(server), held(server, trace)))
        visit_every_page(browser, server).close()  # a new session's disconnect reaps the expired ones
        time.sleep(TTL_SECONDS + 5)
        readings.append(("and one more session opened and closed", settled_rss(server), held(server, trace)))
        os.kill(server.process.pid, signal.SIGUSR2)
        readings.append(("after gc + malloc_trim(0) (debug hook)", settled_rss(server), held(server, trace)))
    return readings, before, during


def report(title: str, readings) -> None:
    print(title)
    for label, mib, what in readings:
        print(f"  {label:<52} {mib:7.0f} MiB   {what['held']}")
    base = readings[1][1]
    by_count = {int(label.split()[0]): mib for label, mib, _ in readings if label[0].isdigit()}
    slope = (by_count[COUNTS[-1]] - by_count[COUNTS[0]]) / (COUNTS[-1] - COUNTS[0])
    print(f"  per extra session ({COUNTS[0]} -> {COUNTS[-1]}): {slope:.1f} MiB (goal <= 3)")
    print(f"  after close: {readings[-3][1] / base:.2f} x the level before the sessions (goal <= 1.10)")


def main(variants=("default", "MALLOC_ARENA_MAX=2"), data: str = "real") -> None:
    """`data`: "real" (the closes imported) or "demo" (empty stores: 25 years of demo prices)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import chromium_path, launch
    from tests.e2e.test_real_data import import_real_closes

    if chromium_path() is None or not DAILY_CLOSES.exists():
        print("memory benchmark skipped: needs Chromium and ../shared/data/daily_closes.csv")
        return
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for variant in variants:
            with tempfile.TemporaryDirectory() as name:
                folder = Path(name)
                env = server_env(folder)
                if data == "real":
                    import_real_closes(env)
                malloc = dict([variant.split("=")]) if "=" in variant else None
                readings, _, _ = run(browser, env, folder, malloc=malloc)
                report(f"server memory, {data} closes, sessions visiting every page ({variant}):", readings)
        browser.close()


if __name__ == "__main__":
    import sys

    data = os.environ.get("BENCH_DATA_KIND", "real")
    main(tuple(sys.argv[1:]) or ("default", "MALLOC_ARENA_MAX=2"), data=data)
