"""Bad input and an unreachable Yahoo in a real browser: a message, the rest of the page kept."""

import datetime as dt
import io
import re
import zipfile

import pandas as pd
import pytest

from lib.data.demo import demo_closes
from tests.browser import served_app, server_env
from tests.conftest import store_closes
from tests.e2e.conftest import open_tab


def test_an_unknown_ticker_typed_in_the_box_gets_a_message(tab):
    tab.open()
    tab.wait_for_charts(3)
    box = tab.page.locator("[data-testid='stSelectbox']").filter(has_text="Numerator").locator("input")
    box.click()
    box.fill("^XYZQ")
    box.press("Enter")
    tab.settle()
    tab.wait_for_text("Unknown symbol '^XYZQ'")
    tab.screenshot("bad-unknown-ticker")
    tab.no_exception()


def test_a_reversed_custom_range_gets_a_message_and_the_usual_range(tab):
    tab.open()
    tab.wait_for_charts(3)
    tab.page.locator("[data-testid='stSidebar'] button").filter(has_text=re.compile("^Custom$")).click()
    tab.settle()
    tab.type_date("Start", "2025-06-01")
    tab.type_date("End", "2025-01-01")
    tab.wait_for_text("The date range 2025-06-01 to 2025-01-01 is empty")
    tab.wait_for_text("Showing the range since 2022-01 until the dates are fixed")
    tab.wait_for_charts(3)
    tab.screenshot("bad-reversed-range")
    tab.no_exception()


def test_a_broken_nav_file_is_refused_line_by_line_and_the_table_stays(tab, tmp_path):
    broken = tmp_path / "broken_nav.csv"
    broken.write_text("基準日,基準価額\n2024/10/31,10000\n2024/13/01,10100\n2024/11/29,abc\n", encoding="utf-8")
    tab.open("funds")
    tab.wait_for_text("US small-cap growth funds")
    tab.page.get_by_text("Import a NAV file (a fund not on Yahoo", exact=False).click()
    tab.page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(broken)
    tab.page.get_by_label("Identifier", exact=True).fill("JP-TEST-SCG")
    tab.page.get_by_label("Fund name", exact=True).fill("Test fund")
    tab.page.get_by_role("button", name=re.compile("Import")).click()
    tab.settle()
    tab.wait_for_text("line 3: date '2024/13/01' does not exist")
    tab.wait_for_text("line 4: 基準価額 'abc' is not a number")
    assert tab.page.get_by_text("JP-TEST-SCG", exact=True).count() == 0  # nothing was added to the table
    tab.screenshot("bad-nav-file")
    tab.no_exception()


def test_the_weekly_report_downloads_carry_the_ratio_of_the_week(tab):
    tab.open()
    tab.wait_for_charts(3)
    ratio_csv = tab.download("CSV", chart=0)
    assert ratio_csv.name.startswith("ratio_RUO_GSPC_")
    weekly = pd.read_csv(ratio_csv, comment="#", parse_dates=["date"], index_col="date")
    tab.click_nav("Weekly report")
    tab.wait_for_text("Weekly report draft")
    markdown = tab.download("Markdown")
    week = re.match(r"weekly_(\d{4}-\d{2}-\d{2})_en\.md", markdown.name)[1]
    text = markdown.read_text(encoding="utf-8")
    assert f"{weekly.loc[pd.Timestamp(week), 'Ratio']:.2f}%" in text  # the Ratio page's figure, same week
    with zipfile.ZipFile(io.BytesIO(tab.download("CSVs").read_bytes())) as archive:
        names = archive.namelist()
        assert archive.read("draft.md").decode("utf-8") == text
    assert any(name.endswith(".png") for name in names) and any(name.endswith(".csv") for name in names)
    tab.no_exception()


@pytest.fixture(scope="module")
def unreachable_yahoo(browser, tmp_path_factory):
    """A server that is online (not offline mode) but cannot reach Yahoo: every connection goes to
    a closed local port, on any machine. Its store holds closes up to 2026-10-30, from a file."""
    folder = tmp_path_factory.mktemp("unreachable")
    env = server_env(folder, DASHBOARD_OFFLINE="0", NO_PROXY="", no_proxy="")
    for variable in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        env[variable] = "http://127.0.0.1:9"
    closes = demo_closes(pd.Timestamp("2026-10-30"))[["^RUO", "^GSPC", "^DJI"]]
    store_closes(
        env["PRICES_DATABASE_URL"], closes, source="file team.csv", fetched_at=dt.datetime(2026, 10, 31, tzinfo=dt.UTC)
    )
    with served_app(folder, env) as served:
        yield served


def test_yahoo_unreachable_keeps_the_stored_prices_with_a_notice(browser, unreachable_yahoo, tmp_path, request):
    with open_tab(browser, unreachable_yahoo, tmp_path, request) as tab:
        tab.open()
        tab.wait_for_charts(3)
        tab.wait_for_text("Yahoo Finance is unreachable")
        tab.wait_for_text("showing stored data")
        tab.wait_for_text("Stored prices end on 2026-10-30")
        assert tab.page.get_by_text("DEMO DATA", exact=False).count() == 0
        assert tab.page.get_by_text("source file team.csv", exact=False).count() >= 1
        tab.screenshot("yahoo-unreachable")
        tab.no_exception()
        tab.open("funds")  # the funds were never stored: demo funds, said so, and the page works
        tab.wait_for_text("US small-cap growth funds")
        tab.no_exception()
    assert "Traceback" not in unreachable_yahoo.log_text()
