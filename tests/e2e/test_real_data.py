"""The analyst's first day on real data, in a real browser: empty stores show demo data; the real closes
(../shared/data/daily_closes.csv) are imported with the CLI while the server runs; a reload shows them
on every page, in English and Japanese, with no demo label, no demo note and no exception."""

import subprocess
import sys

import pytest

from tests.browser import ROOT, served_app, server_env
from tests.conftest import DAILY_CLOSES
from tests.e2e.conftest import open_tab

NAV = {
    "en": ["Ratio", "Funds", "Notes", "Weekly report", "Data"],
    "ja": ["レシオ", "ファンド", "メモ", "週次レポート", "データ"],
}
DEMO = {"en": "DEMO DATA", "ja": "デモデータ"}


def import_real_closes(env: dict[str, str]) -> subprocess.CompletedProcess:
    """The real closes imported as a user does, with the command line, into the server's stores."""
    imported = subprocess.run(
        [sys.executable, "-m", "lib.cli", "import-prices", str(DAILY_CLOSES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    return imported


@pytest.fixture
def fresh_server(browser, tmp_path):
    if not DAILY_CLOSES.exists():
        pytest.skip("../shared/data/daily_closes.csv is not present on this machine")
    env = server_env(tmp_path)
    with served_app(tmp_path, env) as served:
        yield served, env
        assert "Traceback" not in served.log_text(), served.log_text()[-3000:]


def test_import_while_the_server_runs_then_reload_shows_real_data_on_every_page(
    browser, fresh_server, tmp_path, request
):
    served, env = fresh_server
    with open_tab(browser, served, tmp_path, request) as tab:
        tab.open()
        tab.wait_for_charts(3)
        tab.wait_for_text("DEMO DATA")  # empty stores: labelled demo data, with the demo notes

        imported = import_real_closes(env)
        assert "^RUT: 267 rows, 2024-11-20 to 2025-12-16" in imported.stdout

        tab.page.reload()  # no restart, no wait for a cache to expire
        tab.settle()
        tab.wait_for_charts(3)
        # The 2025-12-16 closes read off the file: 1672.41 / 6800.26 = 24.59 %.
        assert tab.metric("Ratio (%)") == "24.59"
        for lang in ("en", "ja"):
            if lang == "ja":
                tab.page.get_by_text("日本語", exact=True).click()
                tab.settle()
            for label in NAV[lang]:
                tab.click_nav(label)
                tab.settle()
                body = tab.page.locator("[data-testid='stMain']").inner_text()
                assert DEMO[lang] not in body, f"{label}: demo label on real data"
                assert "Traceback" not in body
                tab.no_exception()
                tab.screenshot(f"real-{label}-{lang}")
        tab.click_nav("レシオ")
        tab.wait_for_charts(3)
        labels = " ".join(tab.chart_texts(0))
        assert "ベネズエラ" not in labels and "Venezuela" not in labels  # no demo note on a real chart


def test_the_russell_2000_pair_on_real_data_keeps_its_figures(browser, fresh_server, tmp_path, request):
    served, env = fresh_server
    import_real_closes(env)
    with open_tab(browser, served, tmp_path, request) as tab:
        tab.open(query="ratio_num=%5ERUT&range_preset=Max")
        tab.wait_for_charts(3)
        assert tab.metric("26-week average (%)") != "—"
        tab.no_exception()
        tab.screenshot("real-rut-pair")


def test_a_link_to_the_week_of_2025_11_28_reads_its_ratio_and_the_weeks_its_average_covers(
    browser, fresh_server, tmp_path, request
):
    served, env = fresh_server
    import_real_closes(env)
    with open_tab(browser, served, tmp_path, request) as tab:
        tab.open(query="ratio_week=2025-11-28")
        tab.wait_for_charts(3)
        # 2025-11-28 closes read off the file: ^RUO 1674.16 / ^GSPC 6849.09 = 24.44 %.
        assert tab.metric("Ratio (%)") == "24.44"
        tab.wait_for_text("Week ending 2025-11-28 (final)")
        average = tab.page.locator("[data-testid='stMetric']").filter(has_text="26-week average (%)")
        average.locator("[data-testid='stTooltipIcon']").first.hover()
        tab.wait_for_text("from the week ending 2025-06-06 to the week ending 2025-11-28")
        tab.no_exception()
        tab.screenshot("real-week-2025-11-28")
