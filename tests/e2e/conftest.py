"""Browser tests: the server `make run` starts, driven in Debian's Chromium with no network.

One offline server (demo prices, demo notes) serves the whole run; each test opens its own browser
context, i.e. its own Streamlit session. Screenshots go to var/e2e-screenshots/ (or
$E2E_SCREENSHOTS). Without Chromium these tests are skipped, except where $E2E_REQUIRE is set
(CI): there a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import CHART, EXCEPTION, ROOT, Server, chromium_path, served_app

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "var" / "e2e-screenshots"))
PAGES = {"ratio": "", "funds": "funds", "notes": "notes", "report": "report"}


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest):
    if chromium_path() is None:
        if os.environ.get("E2E_REQUIRE"):
            pytest.fail("E2E_REQUIRE is set but Chromium was not found (apt-get install chromium, or $CHROMIUM_PATH)")
        pytest.skip("browser tests: Chromium not found (apt-get install chromium, or set $CHROMIUM_PATH)")
    return request.getfixturevalue("chromium_session")  # shared with tests/topology (tests/conftest.py)


@pytest.fixture(scope="session")
def server(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    for old in SCREENSHOTS.glob("*.png"):  # this run's pictures only
        old.unlink()
    with served_app(tmp_path_factory.mktemp("served")) as served:
        yield served
        assert "Traceback" not in served.log_text(), served.log_text()[-3000:]


@dataclass
class Tab:
    """A browser tab on the dashboard, with what went wrong in it."""

    page: object
    server: Server
    downloads: Path
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str = "", query: str = "") -> Tab:
        self.page.goto(f"{self.server.url}/{path}{'?' + query if query else ''}")
        self.page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
        self.settle()
        return self

    def settle(self, timeout: float = 60_000) -> None:
        """Wait until the script has finished its run (Streamlit marks the app 'notRunning')."""
        self.page.wait_for_timeout(250)
        self.page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
        self.page.wait_for_timeout(250)

    def wait_for_text(self, text: str, timeout: float = 60_000) -> None:
        self.page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)

    def wait_for_charts(self, count: int = 1) -> None:
        """Wait for `count` charts drawn and the script's run finished (a rerun may still replace them)."""
        self.page.wait_for_function(f"document.querySelectorAll(`{CHART}`).length >= {count}", timeout=60_000)
        self.settle()

    def chart_texts(self, index: int = 0) -> list[str]:
        """Every text drawn in a chart (Streamlit draws Vega-Lite charts as SVG)."""
        return self.page.evaluate(
            "i => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg')[i]"
            ".querySelectorAll('text')).map(e => e.textContent)",
            index,
        )

    def click_nav(self, label: str) -> None:
        self.page.locator("[data-testid='stSidebarNav'] a").filter(has_text=label).click()
        self.settle()

    def choose(self, widget_label: str, option: str, *, kind: str = "stSelectbox") -> None:
        """Pick an option of a selectbox (or multiselect: kind="stMultiSelect") by its label, as a user does.

        On a loaded machine a click can land while the page is being redrawn and be lost: a user
        would click again, and so does this (a multiselect shows its choices as chips to check).
        """
        widget = self.page.locator(f"[data-testid='{kind}']").filter(
            has=self.page.locator("[data-testid='stWidgetLabel']", has_text=re.compile(rf"^{re.escape(widget_label)}$"))
        )
        for _ in range(3):
            self.settle()
            widget.locator("input").first.click()
            self.page.get_by_role("option", name=option, exact=True).click()
            self.page.keyboard.press("Escape")
            self.settle()
            if kind != "stMultiSelect" or widget.get_by_text(option, exact=True).count():
                return
        raise AssertionError(f"{option!r} could not be chosen in {widget_label!r}")

    def type_date(self, widget_label: str, day: str) -> None:
        """Type an ISO date into a date input's year, month and day segments, as a user does."""
        field = self.page.get_by_label(widget_label, exact=True)
        for segment, digits in zip(("year", "month", "day"), day.split("-"), strict=True):
            field.locator(f"[data-type='{segment}']").click()
            self.page.keyboard.type(digits)
        self.page.keyboard.press("Escape")  # close the calendar; the value is sent when the field loses focus
        self.page.locator("[data-testid='stMain'] h1").first.click()
        self.settle()

    def metric(self, label: str) -> str:
        """The value of an st.metric, as shown."""
        shown = self.page.locator("[data-testid='stMetric']").filter(
            has=self.page.locator("[data-testid='stMetricLabel']", has_text=re.compile(rf"^{re.escape(label)}$"))
        )
        return shown.locator("[data-testid='stMetricValue']").inner_text().strip()

    def download(self, button: str, chart: int | None = None) -> Path:
        """Click a download button (PNG, CSV, ...): the one under the chart-th chart, or the page's first."""
        buttons = "[data-testid='stDownloadButton'] button"
        if chart is None:
            scope = self.page.locator(buttons)
        else:
            drawn = self.page.locator("[data-testid='stVegaLiteChart']").nth(chart)
            scope = drawn.locator("xpath=following::*[@data-testid='stDownloadButton']//button")
        with self.page.expect_download(timeout=60_000) as info:
            scope.filter(has_text=re.compile(rf"{button}$")).first.click()
        target = self.downloads / info.value.suggested_filename
        info.value.save_as(target)
        return target

    def no_exception(self) -> None:
        shown = self.page.locator(EXCEPTION)
        assert shown.count() == 0, shown.first.inner_text()
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs

    def save_download(self, path: Path, name: str) -> None:
        """Keep a downloaded image beside the screenshots, to be looked at."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"{name}{path.suffix}").write_bytes(path.read_bytes())

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        # The page scrolls inside Streamlit's main block, not the window: grow the window to it.
        viewport = self.page.viewport_size
        height = self.page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        self.page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], height)})
        self.page.wait_for_timeout(300)
        self.page.screenshot(path=target)
        self.page.set_viewport_size(viewport)
        return target


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@contextmanager
def open_tab(browser, server: Server, downloads: Path, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A new browser context (a new Streamlit session) on `server`, recording dialogs and page errors;
    a screenshot when the test failed."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    opened = Tab(page, server, downloads)
    page.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    try:
        yield opened
        if getattr(request.node, "failed_call", False):
            opened.screenshot(f"FAILED-{request.node.name}")
    finally:
        context.close()


@pytest.fixture
def tab(browser, server: Server, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Tab]:
    with open_tab(browser, server, tmp_path, request) as opened:
        yield opened


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS.exists():
        count = len(list(SCREENSHOTS.glob("*.png")))
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS} ({count} files)")
