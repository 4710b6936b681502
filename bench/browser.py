"""The served dashboard in Debian's Chromium against minimal apps with the same widgets, in one run.

- pages: a new session (warm caches) from opening the URL to the Ratio page's three charts drawn,
  a pair change, and opening Funds, Notes and the weekly report from the sidebar, each against
  bench/minimal_pages.py, a plain Streamlit app drawing what the bench counted on the project's
  pages in this run (`inventory`: widgets of each kind, charts with their points, tables, images).
  Both servers run side by side and are measured in turn (on 2 shared cores drift otherwise
  swamps a ratio); medians over RUNS sessions each.
- points: the 25-year daily Ratio page (Max, daily), points of each line and bars drawn in the
  browser's SVG against the plot's width in pixels.
- cold start: from `streamlit run` (a new process) to the first chart drawn, the project (prices
  stored) and the minimal app in turn, three runs each.
Server memory with sessions visiting every page is bench/memory.py.
Needs Chromium (scripts/browser_for_tests.sh); skipped with a line saying so when it is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from lib.data.demo import demo_closes
from tests.browser import (
    CHART,
    ROOT,
    chromium_path,
    launch,
    served_app,
    server_env,
    start_server,
    stop,
    wait_until_healthy,
)
from tests.conftest import store_closes

RUNS = 7
COLD_RUNS = 3
PAGES = {"funds": "Funds", "notes": "Notes", "report": "Weekly report"}
VIEWPORT = {"width": 1400, "height": 1000}

# Installed in every page before Streamlit's own scripts: the time of the last change to the page
# (a page is drawn when it stops changing) and the script's run states (running / notRunning).
WATCH = """
window.__states = []; window.__last = 0;
const watch = () => new MutationObserver(() => {
  window.__last = performance.now();
  const app = document.querySelector('[data-testid=stApp]');
  const state = app && app.getAttribute('data-test-script-state');
  const last = window.__states[window.__states.length - 1];
  if (state && (!last || last[1] !== state)) window.__states.push([performance.now(), state]);
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
watch();
"""
# Drawn: the script ran (and finished) since `since`, `charts` charts are in the page and nothing
# changed in it for 500 ms; the answer is the time of its last change.
DRAWN = """([since, charts]) => {
  const states = window.__states.filter(s => s[0] >= since);
  const done = states.some(s => s[1] === 'running') && states[states.length - 1][1] === 'notRunning';
  const drawn = document.querySelectorAll(`CHART`).length >= charts;
  return done && drawn && performance.now() - window.__last > 500 ? window.__last : false;
}""".replace("CHART", CHART)

INVENTORY = """() => {
  const counts = area => {
    const found = {};
    document.querySelectorAll(`[data-testid=${area}] [data-testid]`).forEach(e => {
      const id = e.getAttribute('data-testid'); found[id] = (found[id] || 0) + 1; });
    return found;
  };
  const marks = svg => {
    const paths = kind => Array.from(
      svg.querySelectorAll(`g.mark-${kind}.role-mark > path, g.mark-${kind}.role-mark > line`));
    return {
      lines: paths('line').map(p => ((p.getAttribute('d') || '').match(/[ML]/g) || []).length),
      rects: paths('rect').length,
      rules: paths('rule').length,
      symbols: paths('symbol').length,
    };
  };
  return {
    stMain: counts('stMain'),
    grids: Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame] [role=grid]'))
      .map(g => [Number(g.getAttribute('aria-rowcount')) - 1, Number(g.getAttribute('aria-colcount'))]),
    text: Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stMarkdownContainer]'))
      .reduce((n, e) => n + e.textContent.length, 0),
    images: Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stImage] img'))
      .map(i => [i.naturalWidth, i.naturalHeight]),
    charts: Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg')).map(marks),
    plot_widths: Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg')).map(svg => {
      const grid = Array.from(svg.querySelectorAll('g.role-axis-grid line')).map(l => l.getBBox().width);
      return Math.max(...grid);  // the y axis' grid lines span the plot
    }),
  };
}"""


def stored_prices(folder: Path) -> dict[str, str]:
    """A store holding every symbol the pages show, up to the last completed session."""
    env = server_env(folder)
    closes = demo_closes(pd.Timestamp.now().normalize() - pd.Timedelta(days=1))
    store_closes(env["PRICES_DATABASE_URL"], closes, source="bench", fetched_at=dt.datetime.now(dt.UTC))
    return env


def new_tab(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(120_000)
    return context, page


def drawn_after(page, since: float, charts: int = 0) -> float:
    """Milliseconds from `since` (the page's clock) to the page drawn after an action."""
    return page.wait_for_function(DRAWN, arg=[since, charts], polling=100, timeout=120_000).json_value() - since


def open_session(page, url: str, charts: int) -> tuple[float, float]:
    """A new session: milliseconds from opening the URL to `charts` charts drawn, and to the page drawn."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(f"document.querySelectorAll(`{CHART}`).length >= {charts}", polling="raf")
    to_charts = (time.perf_counter() - started) * 1000
    return to_charts, drawn_after(page, 0, charts)


def change_pair(page) -> float:
    """The Ratio page's first selectbox (the numerator) set to its next choice, as a user does."""
    page.locator("[data-testid=stMain] [data-testid=stSelectbox] input").first.click()
    option = page.get_by_role("option").nth(1)
    since = page.evaluate("performance.now()")
    option.click()
    return drawn_after(page, since, 3)


def open_page(page, label: str, charts: int) -> float:
    link = page.locator("[data-testid='stSidebarNav'] a").filter(has_text=label)
    since = page.evaluate("performance.now()")
    link.click()
    return drawn_after(page, since, charts)


def session(browser, url: str, charts: dict[str, int]) -> dict[str, float]:
    """One new session's timings (ms): open, pair change, back, then each other page."""
    context, page = new_tab(browser)
    try:
        times = {}
        times["open: 3 charts drawn"], times["open: page drawn"] = open_session(page, url, charts["ratio"])
        times["pair change"] = change_pair(page)
        for name, label in PAGES.items():
            times[f"open {label}"] = open_page(page, label, charts[name])
        return times
    finally:
        context.close()


def inventories(browser, url: str) -> dict[str, dict]:
    """What each page draws (bench/minimal_pages.py draws the same), read in the browser."""
    context, page = new_tab(browser)
    try:
        open_session(page, url, 3)
        found = {"ratio": page.evaluate(INVENTORY)}
        for name, label in PAGES.items():
            open_page(page, label, 0)
            found[name] = page.evaluate(INVENTORY)
        return found
    finally:
        context.close()


def points_per_column(browser, url: str) -> list[str]:
    """The 25-year daily Ratio page: per chart, points drawn per line (and bars) per plot pixel column."""
    context, page = new_tab(browser)
    try:
        open_session(page, f"{url}/?range_preset=Max&ratio_freq=daily", 3)
        found = page.evaluate(INVENTORY)
    finally:
        context.close()
    lines = []
    for number, (marks, width) in enumerate(zip(found["charts"], found["plot_widths"], strict=True)):
        drawn = [*marks["lines"], *([marks["rects"]] if marks["rects"] > 1 else [])]
        per_column = ", ".join(f"{points / width:.1f}" for points in drawn)
        lines.append(f"chart {number + 1}: plot {width:.0f} px, points drawn {drawn}: {per_column} per pixel column")
    return lines


def cold_start(browser, folder: Path, env: dict[str, str], script: str, root: Path = ROOT) -> tuple[float, float]:
    """Seconds to a healthy server and to the first chart drawn, both from the process start."""
    started = time.perf_counter()
    server = start_server(folder, env, script=script, root=root)
    try:
        wait_until_healthy(server, 90)
        healthy = time.perf_counter() - started
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(server.url)
        page.wait_for_selector(CHART, timeout=120_000)
        drawn = time.perf_counter() - started
        page.close()
        return healthy, drawn
    finally:
        stop(server.process)


def line(label: str, page: list[float], floor: list[float], unit: str = "ms", goal: str = "<= 1.3 x") -> None:
    ratio = statistics.median(page) / statistics.median(floor)
    print(
        f"{label:<42} page {statistics.median(page):7.0f} {unit}   floor {statistics.median(floor):7.0f} {unit}"
        f"   {ratio:5.2f} x   (goal {goal})"
    )


def compare_pages(browser, folder: Path, env: dict[str, str]) -> Path:
    """Both servers side by side, a session on each in turn; returns the floor's inventory file."""
    floor_file = folder / "floor.json"
    with served_app(folder, env) as project:
        found = inventories(browser, project.url)  # also fills the project's caches
        floor_file.write_text(json.dumps(found))
        charts = {name: len(page["charts"]) for name, page in found.items()}
        print(f"pages counted in the browser (charts): {charts}; bench/minimal_pages.py draws the same")
        for text in points_per_column(browser, project.url):
            print(f"25-year daily Ratio page, {text}")
        with served_app(folder, {**env, "BENCH_FLOOR": str(floor_file)}, script="bench/minimal_pages.py") as floor:
            session(browser, floor.url, charts)  # fills the floor's caches as the project's were
            runs = {"page": [], "floor": []}
            for _ in range(RUNS):
                runs["page"].append(session(browser, project.url, charts))
                runs["floor"].append(session(browser, floor.url, charts))
    print(f"new sessions, caches warm, in Chromium (median of {RUNS}, page and floor in turn):")
    for label in runs["page"][0]:
        line(label, [run[label] for run in runs["page"]], [run[label] for run in runs["floor"]])
    return floor_file


def compare_cold_starts(browser, folder: Path, env: dict[str, str], floor_file: Path) -> None:
    """The project and the minimal app in turn; with $BENCH_BEFORE (a copy of an earlier commit,
    `git archive <commit> | tar -x -C <dir>`), that copy too, for a before/after in the same run."""
    apps = {"app.py": ("app.py", env, ROOT), "bench/minimal_pages.py": ("bench/minimal_pages.py", env, ROOT)}
    apps["bench/minimal_pages.py"] = ("bench/minimal_pages.py", {**env, "BENCH_FLOOR": str(floor_file)}, ROOT)
    if os.environ.get("BENCH_BEFORE"):
        apps["before"] = ("app.py", env, Path(os.environ["BENCH_BEFORE"]))
    runs = {name: [] for name in apps}
    for _ in range(COLD_RUNS):
        for name, (script, app_env, root) in apps.items():
            runs[name].append(cold_start(browser, folder, app_env, script, root))
    page, floor = runs["app.py"], runs["bench/minimal_pages.py"]
    print(f"cold start, `streamlit run` to ... (median of {COLD_RUNS}, in turn):")
    line("server healthy", [run[0] for run in page], [run[0] for run in floor], "s", "-")
    line("first chart drawn in Chromium", [run[1] for run in page], [run[1] for run in floor], "s", "-")
    for name, taken in runs.items():
        print(f"  {name}: first chart drawn after {', '.join(f'{run[1]:.2f}' for run in taken)} s")
    if "before" in runs:
        before = [run[1] for run in runs["before"]]
        line("first chart drawn: now (page) against before (floor)", [run[1] for run in page], before, "s", "-")


def main() -> None:
    if chromium_path() is None:
        print("browser benchmarks skipped: Chromium not found (scripts/browser_for_tests.sh)")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as name, sync_playwright() as playwright:
        folder = Path(name)
        env = stored_prices(folder)
        browser = launch(playwright)
        floor_file = compare_pages(browser, folder, env)
        compare_cold_starts(browser, folder, env, floor_file)
        browser.close()


if __name__ == "__main__":
    main()
