"""Load through the team deployment's proxy: `python -m bench.load` (also part of `make bench`).

The topology of tests/topology (nginx, rendered from deploy/nginx.conf.template, in front of two
replicas sharing PostgreSQL; prices stored by the worker with a fake Yahoo) against the floor: one
server, no proxy, on the same databases, measured in the same run. At 1, 10 and 30 concurrent
browser sessions (Playwright contexts in one Chromium): every session opens the Ratio page, then
changes the date range; the rerun latency is the click to the script's run finished (p50/p95), and
the resident memory of each server process is read after the sessions. Needs nginx, PostgreSQL
($NOTES_TEST_POSTGRES_URL) and Chromium; without one it says which and stops. Ports 8650-8653.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout

from tests.browser import CHART, CHROMIUM_FLAGS, Server, chromium_path, start_server, stop, wait_until_healthy
from tests.topology.cluster import missing, team_cluster

PROXY_PORT = 8650
FLOOR_PORT = 8653
USERS = (1, 10, 30)
RERUNS = 3  # range changes per session
RANGES = ("1Y", "5Y")
OPEN_TIMEOUT_MS = 240_000
DONE = "[data-testid='stApp'][data-test-script-state='notRunning']"
RUNNING = "[data-testid='stApp'][data-test-script-state='running']"


async def one_user(browser, url: str) -> tuple[float | None, list[float], object]:
    """Open the Ratio page to its charts, then change the range RERUNS times: the seconds to the
    charts (None: not within OPEN_TIMEOUT_MS), the seconds of each rerun, and the context (closed by
    the caller once every user is done, so all stay open together)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(url, timeout=OPEN_TIMEOUT_MS)
        await page.wait_for_function(f"document.querySelectorAll(`{CHART}`).length >= 3", timeout=OPEN_TIMEOUT_MS)
        await page.wait_for_selector(DONE, timeout=OPEN_TIMEOUT_MS)
    except PlaywrightTimeout:
        return None, [], context
    opened = time.perf_counter() - started
    latencies = []
    for turn in range(RERUNS):
        started = time.perf_counter()
        try:
            await page.get_by_text(RANGES[turn % 2], exact=True).first.click(timeout=OPEN_TIMEOUT_MS)
            with contextlib.suppress(PlaywrightTimeout):  # a fast rerun may finish before the state is seen
                await page.wait_for_selector(RUNNING, timeout=2_000)
            await page.wait_for_selector(DONE, timeout=OPEN_TIMEOUT_MS)
        except PlaywrightTimeout:  # a rerun not done within the timeout counts as that long
            latencies.append(OPEN_TIMEOUT_MS / 1000)
            break
        latencies.append(time.perf_counter() - started)
    return opened, latencies, context


async def users(url: str, count: int) -> tuple[list[float | None], list[float]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        results = await asyncio.gather(*(one_user(browser, url) for _ in range(count)))
        for _, _, context in results:
            await context.close()
        await browser.close()
    return [opened for opened, _, _ in results], [seconds for _, found, _ in results for seconds in found]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label: str, count: int, measured: tuple[list[float | None], list[float]], servers: list[Server]) -> None:
    opened, latencies = measured
    drawn = [seconds for seconds in opened if seconds is not None]
    memory = " + ".join(f"{server.rss_mib():.0f}" for server in servers)
    figures = f"open p50 {statistics.median(drawn):5.1f} s" if drawn else "open: none drawn"
    if latencies:
        p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        figures += f"  rerun p50 {p50 * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms"
    late = count - len(drawn)
    figures += f"  ({late} not drawn within {OPEN_TIMEOUT_MS // 1000} s)" if late else ""
    print(f"{label:<24} {count:>3} users  {figures}   RSS {memory} MiB")


def main() -> None:
    reason = missing()
    if reason:
        print(f"load benchmark skipped: {reason}")
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with team_cluster(folder, port=PROXY_PORT) as cluster:
            floor = start_server(folder, cluster.env, port=FLOOR_PORT)
            try:
                wait_until_healthy(floor, 120)
                print(f"load: {RERUNS} range changes per session, Ratio page, {len(cluster.replicas)} replicas")
                for count in USERS:
                    report("single server, no proxy", count, asyncio.run(users(floor.url, count)), [floor])
                    report("nginx + 2 replicas", count, asyncio.run(users(cluster.url, count)), cluster.replicas)
            finally:
                stop(floor.process)


if __name__ == "__main__":
    main()
