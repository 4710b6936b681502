"""Every page on the analyst's real, partial closes (../shared/data/daily_closes.csv), imported the way a
user does it (`python -m lib.cli import-prices`), in English and Japanese: no exception, no demo label,
the week's real figures, and each part that cannot be built says why while the rest is drawn.

Expected figures are read off the CSV by hand (closes) or published (the brief's week of 2025-11-28)."""

import datetime as dt
import io
from contextlib import redirect_stderr, redirect_stdout

import pytest
from streamlit.testing.v1 import AppTest

from lib.cli import main as cli
from tests.conftest import DAILY_CLOSES
from tests.pages.test_app import offline_app  # noqa: F401 - the same offline harness as the other page tests

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
JA = {"lang": "日本語"}


@pytest.fixture(autouse=True)
def real_store(store_url):
    if not DAILY_CLOSES.exists():
        pytest.skip("../shared/data/daily_closes.csv is not present on this machine")
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert cli.main(["import-prices", str(DAILY_CLOSES)], now=NOW) == 0
    return store_url


def open_page(page: str | None, query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file("../../app.py", default_timeout=60)
    app.query_params.update(query or {})
    app.run()
    if page:
        app.switch_page(page).run()
    return app


def page_text(app: AppTest) -> str:
    parts = [*app.markdown, *app.caption, *app.info, *app.warning, *app.error, *app.subheader, *app.title]
    return "\n".join(str(part.value) for part in parts)


def assert_real_and_whole(app: AppTest) -> None:
    assert not app.exception, app.exception
    text = page_text(app)
    assert "DEMO DATA" not in text and "デモデータ" not in text
    assert "Traceback" not in text


@pytest.mark.parametrize("query", [{}, JA], ids=["en", "ja"])
def test_ratio_page_shows_the_latest_week_of_the_real_data(query):
    app = open_page(None, query)
    assert_real_and_whole(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    ratio_label = "Ratio (%)" if not query else "レシオ (%)"
    # 2025-12-16 closes: ^RUO 1672.41, ^GSPC 6800.26 -> 24.59 %
    assert metrics[ratio_label] == "24.59"
    assert len(app.get("vega_lite_chart")) == 3


@pytest.mark.parametrize("query", [{}, JA], ids=["en", "ja"])
def test_a_link_to_a_past_week_headlines_that_week_with_the_window_its_average_covers(query):
    app = open_page(None, {**query, "ratio_week": "2025-11-28"})
    assert_real_and_whole(app)
    metrics = {metric.label: metric for metric in app.metric}
    labels = ("Ratio (%)", "26-week average (%)") if not query else ("レシオ (%)", "26週移動平均 (%)")
    ratio_label, average_label = labels
    # 2025-11-28 closes read off the file: ^RUO 1674.16, ^GSPC 6849.09 -> 24.44 %, 26-week mean 24.07.
    assert metrics[ratio_label].value == "24.44"
    assert metrics[average_label].value == "24.07"
    # The 26 Friday closes from 2025-06-06 to 2025-11-28 (Good Friday and July 4 are not in that span).
    window = "2025-06-06" if not query else "2025年6月6日"
    assert window in metrics[average_label].help
    subheader = "\n".join(str(part.value) for part in app.subheader)
    assert "2025-11-28" in subheader or "2025年11月28日" in subheader
    assert "provisional" not in subheader and "暫定" not in subheader


@pytest.mark.parametrize("query", [{}, JA], ids=["en", "ja"])
def test_the_russell_2000_pair_is_not_blanked_by_its_missing_friday(query):
    app = open_page(None, {**query, "ratio_num": "^RUT", "range_preset": "Max"})
    assert_real_and_whole(app)
    values = [metric.value for metric in app.metric]
    assert "—" not in values[:4]  # ratio, 26-week average and both deviations stand
    assert len(app.get("vega_lite_chart")) == 3
    assert not any("needs 26 weekly closes" in error.value for error in app.error)


@pytest.mark.parametrize("query", [{}, JA], ids=["en", "ja"])
def test_funds_page_on_funds_that_end_in_2021_draws_the_table_and_says_why_the_charts_are_missing(query):
    app = open_page("pages/funds.py", query)
    assert_real_and_whole(app)
    assert len(app.dataframe) >= 1
    # IWO (the benchmark) ends 2021-04-27; the sidebar range starts in 2022 (a Japanese date in Japanese).
    reason = "2021-04-27" if not query else "2021年4月27日"
    assert any(reason in info.value for info in app.info), [info.value for info in app.info]
    expected = "before the date range starts" if not query else "期間の開始日"
    assert any(expected in info.value for info in app.info)


@pytest.mark.parametrize("query", [{}, JA], ids=["en", "ja"])
def test_funds_page_in_yen_on_the_real_closes_says_usd_jpy_is_missing_and_how_to_get_it(query):
    app = open_page("pages/funds.py", {**query, "funds_currency": "jpy"})
    assert_real_and_whole(app)
    warnings = "\n".join(warning.value for warning in app.warning)
    # the shared closes hold no JPY=X: no figure in yen is shown, the page says how to get the rate
    assert "JPY=X" in warnings and "python -m lib.cli refresh" in warnings and "import-prices" in warnings
    frame = app.dataframe[0].value
    assert frame.iloc[:, 3].isna().all()  # 1M: empty, never a dollar figure labelled yen


def test_funds_page_charts_are_drawn_on_a_range_that_reaches_the_funds_prices():
    app = open_page("pages/funds.py", {"range_preset": "Max"})
    assert_real_and_whole(app)
    assert len(app.get("vega_lite_chart")) == 2


@pytest.mark.parametrize("query", [{}, JA], ids=["en", "ja"])
def test_report_page_drafts_the_week_with_its_index_figures_and_says_why_the_fund_table_is_left_out(query):
    app = open_page("pages/report.py", query)
    assert_real_and_whole(app)
    app.date_input(key="report_week").set_value(dt.date(2025, 11, 28)).run()
    assert not app.exception
    draft = app.text_area[0].value
    # The published figures of the week ending 2025-11-28: 1674.16, +99.37, +6.31 %, ratio 24.44 %.
    for figure in ("1674.16", "99.37", "+6.31%", "24.44%"):
        assert figure in draft
    warnings = "\n".join(w.value for w in app.warning)
    # the fund table's check names the funds' last price date (a Japanese date in Japanese)
    assert ("2021-04-27" if not query else "2021年4月27日") in warnings
    assert ("fund table" in warnings) if not query else ("ファンド表" in warnings)


@pytest.mark.parametrize("query", [{}, JA], ids=["en", "ja"])
def test_notes_page_opens_on_real_data(query):
    app = open_page("pages/notes.py", query)
    assert not app.exception, app.exception


def test_an_unexpected_error_in_the_note_markers_leaves_the_charts(monkeypatch):
    from lib.ui import notes as ui_notes

    def broken(*args, **kwargs):
        raise RuntimeError("markers crashed")

    monkeypatch.setattr(ui_notes, "charts_with_markers", broken)
    app = open_page(None)
    assert not app.exception
    assert len(app.get("vega_lite_chart")) == 3  # drawn without markers
    assert any("Note markers could not be shown" in error.value for error in app.error)
    assert not any("markers crashed" in error.value for error in app.error)
