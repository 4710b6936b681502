"""The dashboard under AppTest, offline: the data layer reads a temporary store, Yahoo is never called."""

import datetime as dt
import json

import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lib.analytics.performance import is_month_end
from lib.data.demo import demo_closes
from lib.data.store import PriceStore
from tests.conftest import FIXTURES, store_closes

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
METRICS = [
    "Ratio (%)",
    "26-week average (%)",
    "Deviation from 26-wk avg (pts)",
    "Deviation, relative (%)",
    "Deviation from 13-wk avg (pts)",
    "Percentile in range (0–100)",
    "Percentile, all history (0–100)",
    "Z-score, all history",
]


@pytest.fixture(autouse=True)
def offline_app(store_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "1")
    # AppTest re-detects the legacy pages/ directory on every run and then runs the last page
    # alone, without app.py's sidebar. A served app drops that mode at its first st.navigation
    # call; do the same here (see streamlit PR #14217).
    original_init = PagesManager.__init__

    def init_as_navigation_app(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init_as_navigation_app)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def start(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file("../../app.py", default_timeout=60)
    app.query_params.update(query or {})
    return app.run()


def chart_specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def chart_titles(app: AppTest) -> list[str]:
    return [spec["title"]["text"] for spec in chart_specs(app)]


def store_demo_as_file(store_url: str, symbols=("^RUO", "^GSPC", "^DJI")) -> pd.DataFrame:
    closes = demo_closes(pd.Timestamp("2025-12-31"))[list(symbols)]
    store_closes(store_url, closes, source="file team.csv", fetched_at=NOW)
    return closes


def test_first_start_offline_shows_labelled_demo_data():
    app = start()
    assert not app.exception
    assert "DEMO DATA" in app.warning[0].value
    assert any("No stored prices and offline mode is on" in info.value for info in app.info)
    assert [metric.label for metric in app.metric] == METRICS
    assert chart_titles(app) == [
        "Russell 2000 Growth ÷ S&P 500 (%, weekly) — DEMO DATA",
        "Deviation from the 26-week average (pts, weekly) — DEMO DATA",
        "Russell 2000 Growth and S&P 500, rebased to 100 — DEMO DATA",
    ]
    assert "demo (synthetic)" in app.sidebar.caption[-1].value
    assert app.title[0].value == "Russell 2000 Growth ÷ S&P 500"


def test_the_provisional_week_is_on_the_chart():
    app = start()
    subtitle = chart_specs(app)[0]["title"]["subtitle"]
    week = app.subheader[0].value  # e.g. "Week ending 2026-11-27 (provisional, week to date)"
    assert week.split()[2] in subtitle


def test_stored_prices_are_shown_with_their_source_and_no_demo_banner(store_url):
    closes = store_demo_as_file(store_url)
    app = start()
    assert not app.exception
    assert not [w for w in app.warning if "DEMO" in w.value]
    assert "file team.csv" in app.sidebar.caption[-1].value
    assert any("Stored prices end on 2025-12-31" in info.value for info in app.info)
    ratio = 100 * closes["^RUO"].iloc[-1] / closes["^GSPC"].iloc[-1]
    assert app.metric[0].value == f"{ratio:.2f}"
    assert not any("DEMO" in title for title in chart_titles(app))


def test_switching_to_japanese_relabels_the_page():
    app = start()
    app.radio(key="lang").set_value("日本語").run()
    assert not app.exception
    assert app.title[0].value == "ラッセル2000グロース指数 ÷ S&P500"
    assert app.metric[2].label == "26週乖離（ポイント）"
    assert "デモデータ" in app.warning[0].value
    assert app.info[0].value.startswith("保存済みの価格がなく、オフラインモードです")
    assert chart_titles(app)[0] == "ラッセル2000グロース指数 ÷ S&P500（%、週次） — デモデータ"


def test_every_preset_renders_the_three_charts():
    app = start()
    for preset in ("6M", "1Y", "3Y", "5Y", "10Y", "YTD", "2022-01", "Max"):
        app.button_group(key="range_preset").set_value(preset).run()
        assert not app.exception, preset
        assert len(chart_specs(app)) == 3, preset


def test_a_custom_range_sets_the_charts_domain():
    app = start()
    app.button_group(key="range_preset").set_value("Custom").run()
    app.date_input(key="range_start").set_value(dt.date(2024, 1, 1))
    app.date_input(key="range_end").set_value(dt.date(2024, 12, 31)).run()
    assert not app.exception
    layers = chart_specs(app)[0]["layer"]
    domain = next(layer for layer in layers if "x" in layer.get("encoding", {}))["encoding"]["x"]["scale"]["domain"]
    assert domain == ["2024-01-05T00:00:00", "2024-12-27T00:00:00"]
    markers = layers[-1]["layer"][0]  # the note markers share the domain
    assert markers["encoding"]["x"]["scale"]["domain"] == domain


def test_a_reversed_custom_range_gets_a_message():
    app = start()
    app.button_group(key="range_preset").set_value("Custom").run()
    app.date_input(key="range_start").set_value(dt.date(2025, 6, 1))
    app.date_input(key="range_end").set_value(dt.date(2025, 1, 1)).run()
    assert not app.exception
    assert "2025-06-01 to 2025-01-01 is empty" in app.sidebar.error[0].value
    # nothing else is lost: the page keeps the usual range and says so
    assert any("Showing the range since 2022-01 until the dates are fixed" in w.value for w in app.warning)
    assert len(chart_specs(app)) == 3 and len(app.metric) == 8


def test_a_reversed_range_is_explained_in_japanese_on_the_japanese_page():
    app = start({"lang": "日本語", "range_preset": "Custom", "range_start": "2025-06-01", "range_end": "2025-01-01"})
    assert not app.exception
    # Japanese dates on the Japanese page (the link keeps ISO dates)
    empty = "期間 2025年6月1日〜2025年1月1日 は空です。開始日を終了日より前にしてください。"
    assert app.sidebar.error[0].value == empty
    assert any("2022年1月以降の期間を表示しています" in w.value for w in app.warning)


def test_a_range_with_no_week_end_says_so():
    app = start()
    app.button_group(key="range_preset").set_value("Custom").run()
    app.date_input(key="range_start").set_value(dt.date(2025, 6, 2))  # Monday
    app.date_input(key="range_end").set_value(dt.date(2025, 6, 4)).run()  # Wednesday
    assert not app.exception
    assert "No weekly closes between 2025-06-02 and 2025-06-04" in app.warning[-1].value
    assert chart_specs(app) == []


def test_changing_the_pair_recomputes_everything():
    app = start()
    before = app.metric[0].value
    app.selectbox(key="ratio_num").set_value("^RUT").run()
    assert not app.exception
    assert app.title[0].value == "Russell 2000 ÷ S&P 500"
    assert app.metric[0].value != before
    assert chart_titles(app)[0].startswith("Russell 2000 ÷ S&P 500")


def test_an_unknown_ticker_gets_a_clear_message():
    app = start({"ratio_num": "^XYZ"})  # typed in the box, or pasted in a link
    assert not app.exception
    assert "Unknown symbol '^XYZ'" in app.error[0].value


def test_a_malformed_ticker_or_a_pair_of_one_is_refused():
    app = start({"ratio_num": "not a ticker"})
    assert "is not a ticker" in app.error[0].value
    app.selectbox(key="ratio_num").set_value("^GSPC").run()
    assert "both ^GSPC" in app.error[0].value


def test_the_query_string_reopens_the_same_view():
    # A link made when the URL carried labels still opens the same view (tests/pages/test_links.py
    # covers the stable keys links carry now)
    link = {"lang": "日本語", "ratio_num": "Russell 2000 (^RUT)", "ratio_freq": "Daily", "range_preset": "Max"}
    app = start({**link, "ratio_log": "true"})
    assert not app.exception
    assert app.radio(key="lang").value == "ja"  # the stable key; the radio shows 日本語
    assert app.selectbox(key="ratio_num").value == "^RUT"
    assert app.button_group(key="ratio_freq").value == "daily"
    assert app.button_group(key="range_preset").value == "Max"
    assert app.toggle(key="ratio_log").value is True
    titles = chart_titles(app)
    assert titles[0].startswith("ラッセル2000指数 ÷ S&P500（%、日次）")
    relative = chart_specs(app)[2]
    assert any(
        layer.get("encoding", {}).get("y", {}).get("scale", {}).get("type") == "log" for layer in relative["layer"]
    )


def test_a_hand_written_link_with_a_bare_ticker_works():
    app = start({"ratio_num": "^RUT", "ratio_den": "^DJI"})
    assert not app.exception
    assert app.title[0].value == "Russell 2000 ÷ Dow Jones Industrial Average"


def test_daily_frequency_plots_sessions():
    app = start()
    app.button_group(key="ratio_freq").set_value("daily").run()
    assert not app.exception
    assert chart_titles(app)[0].startswith("Russell 2000 Growth ÷ S&P 500 (%, daily)")
    assert any("65 and 130 sessions" in caption.value for caption in app.caption)


def test_the_reference_band_can_be_hidden():
    app = start()
    assert any(layer.get("mark", {}).get("type") == "rect" for layer in chart_specs(app)[0]["layer"])
    app.toggle(key="ratio_band").set_value(False).run()
    assert not any(layer.get("mark", {}).get("type") == "rect" for layer in chart_specs(app)[0]["layer"])


def test_the_signal_study_follows_its_threshold():
    app = start()
    assert app.subheader[-1].value.startswith("Signal study: what followed a 26-week deviation of -3.0 pts")
    app.number_input(key="ratio_threshold").set_value(2.0).run()
    assert not app.exception
    assert "+2.0 pts" in app.subheader[-1].value


def test_a_store_that_cannot_be_opened_falls_back_to_demo(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("PRICES_DATABASE_URL", f"sqlite:///{blocker / 'x.sqlite'}")
    app = start()
    assert not app.exception
    assert any("cannot be opened" in info.value for info in app.info)
    assert len(chart_specs(app)) == 3


def open_funds(query: dict[str, str] | None = None) -> AppTest:
    app = start(query)
    app.switch_page("pages/funds.py").run()
    assert not app.exception
    return app


def test_funds_page_offline_shows_the_demo_table_as_of_a_month_end():
    app = open_funds()
    assert "DEMO DATA" in app.warning[0].value
    as_of = pd.Timestamp(app.caption[0].value.split("as of ")[1][:10])
    assert is_month_end(as_of)  # the analyst's convention: the last completed month-end
    table = app.dataframe[0].value
    assert "VSGAX" in table["Ticker"].tolist() and table["Fund"].iloc[-1] == "Benchmark (IWO)"
    assert [json.loads(c.proto.spec)["title"]["text"] for c in app.get("vega_lite_chart")] == [
        "Growth of 10,000 since 2022-01-03 — DEMO DATA",
        "Drawdown from the running peak (%) — DEMO DATA",
    ]


def test_funds_page_latest_close_and_benchmark_from_the_link():
    app = open_funds({"funds_as_of": "Latest close", "funds_benchmark": "^RUO"})
    assert "benchmark ^RUO" in app.caption[0].value
    assert app.dataframe[0].value["Fund"].iloc[-1] == "Benchmark (^RUO)"


def test_funds_list_is_saved_for_everyone(store_url):
    app = open_funds()
    app.multiselect(key="funds_list").set_value(["VSGAX", "PRNHX"]).run()
    assert app.dataframe[0].value["Ticker"].tolist() == ["VSGAX", "PRNHX", "IWO"]
    assert PriceStore(store_url).saved_funds() == ["VSGAX", "PRNHX"]
    again = open_funds()  # a new session reads the saved list
    assert again.dataframe[0].value["Ticker"].tolist() == ["VSGAX", "PRNHX", "IWO"]


def test_a_fund_without_prices_is_named_and_the_rest_stays():
    app = open_funds()
    app.multiselect(key="funds_list").set_value(["VSGAX", "ZZZZX"]).run()
    assert not app.exception
    assert any("No prices for ZZZZX" in w.value for w in app.warning)
    assert app.dataframe[0].value["Ticker"].tolist() == ["VSGAX", "IWO"]


def test_an_unknown_benchmark_gets_a_message_and_the_funds_stay():
    app = open_funds({"funds_benchmark": "^NOPE"})
    assert any("No prices for the benchmark ^NOPE" in w.value for w in app.warning)
    assert "VSGAX" in app.dataframe[0].value["Ticker"].tolist()


def test_an_imported_nav_fund_appears_with_its_currency_and_note(store_url):
    from lib.data.nav_import import import_nav

    store_demo_as_file(store_url, symbols=("^RUO", "^GSPC", "^DJI", "IWO"))
    raw = (FIXTURES / "nav_files" / "plain_utf8.csv").read_bytes()
    import_nav(
        PriceStore(store_url),
        raw,
        name="plain_utf8.csv",
        symbol="JP-PLAIN",
        fund_name="Plain NAV fund",
        fund_name_ja="基準価額ファンド",
        currency="JPY",
        now=NOW,
    )
    app = open_funds()
    table = app.dataframe[0].value.set_index("Ticker")
    assert table.at["JP-PLAIN", "Fund"] == "Plain NAV fund" and table.at["JP-PLAIN", "Currency"] == "JPY"
    assert "JPY NAV without distributions reinvested" in table.at["JP-PLAIN", "Notes"]


def test_funds_page_reaches_a_past_month_end_and_shows_one_view_of_its_columns_at_a_time():
    app = open_funds({"funds_month": "2024-11-15", "funds_view": "risk"})
    assert not app.exception, app.exception
    assert "as of 2024-11-29" in app.caption[0].value  # November 2024's last session
    table = app.dataframe[0].value
    assert list(table.columns[:2]) == ["Fund", "Ticker"] and table.columns[-1] == "Notes"
    assert "Volatility 3Y (%)" in table.columns and "1Y (%)" not in table.columns
    app = open_funds({"lang": "ja", "funds_month": "2024-11-15"})
    assert "2024年11月29日" in app.caption[0].value


def test_a_page_left_keeps_nothing_of_its_own_for_the_session():
    """Streamlit keeps a session's widget records of pages it visited earlier; a format_func written
    in a page script held that page's whole namespace through them, so every open session kept its
    own copies of the Ratio page's model and the Funds page's tables (14 MiB a session on 25 years of
    prices, bench/memory.py). Once the session is on the report, neither page's objects are alive."""
    import gc

    from lib.views.funds import FundsPage
    from lib.views.ratio_charts import RatioPageModel

    app = open_funds()
    app.switch_page("pages/report.py").run()
    assert not app.exception
    gc.collect()
    alive = [thing for thing in gc.get_objects() if isinstance(thing, (FundsPage, RatioPageModel))]
    assert alive == []
