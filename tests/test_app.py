"""The dashboard under AppTest, offline: the data layer reads a temporary store, Yahoo is never called."""

import datetime as dt

import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from lib.demo import demo_closes
from lib.store import PriceStore

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)


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


def start() -> AppTest:
    return AppTest.from_file("../app.py", default_timeout=60).run()


def charts(app: AppTest) -> list:
    return app.get("vega_lite_chart")


def test_first_start_offline_shows_labelled_demo_data():
    app = start()
    assert not app.exception
    assert "DEMO DATA" in app.warning[0].value
    assert any("No stored prices and offline mode is on" in info.value for info in app.info)
    labels = [metric.label for metric in app.metric]
    assert labels == [
        "Ratio (%)",
        "26-week average (%)",
        "Deviation from 26-wk avg (pts)",
        "Deviation, relative (%)",
    ]
    assert len(charts(app)) == 1
    assert "demo (synthetic)" in app.sidebar.caption[-1].value


def test_stored_prices_are_shown_with_their_source_and_no_demo_banner(store_url):
    closes = demo_closes(pd.Timestamp("2025-12-31"))[["^RUO", "^GSPC", "^DJI"]]
    tidy = closes.rename_axis(index="date", columns="symbol").stack().rename("close").reset_index()
    PriceStore(store_url).write(tidy, source="file team.csv", fetched_at=NOW)
    app = start()
    assert not app.exception
    assert not [w for w in app.warning if "DEMO" in w.value]
    assert "file team.csv" in app.sidebar.caption[-1].value
    assert any("Stored prices end on 2025-12-31" in info.value for info in app.info)
    ratio = 100 * closes["^RUO"].iloc[-1] / closes["^GSPC"].iloc[-1]
    assert app.metric[0].value == f"{ratio:.2f}"


def test_switching_to_japanese_relabels_the_page():
    app = start()
    app.radio(key="lang").set_value("ja").run()
    assert not app.exception
    assert app.title[0].value == "ラッセル2000グロース ÷ S&P500"
    assert app.metric[2].label == "26週乖離（ポイント）"
    assert "デモデータ" in app.warning[0].value
    assert app.info[0].value.startswith("保存済みの価格がなく、オフラインモードです")


def test_a_reversed_custom_range_gets_a_message_and_the_figures_stay():
    app = start()
    app.button_group(key="range_preset").set_value("Custom").run()
    app.date_input(key="range_start").set_value(dt.date(2025, 6, 1))
    app.date_input(key="range_end").set_value(dt.date(2025, 1, 1)).run()
    assert not app.exception
    assert "2025-06-01 to 2025-01-01 is empty" in app.sidebar.error[0].value
    assert app.title[0].value  # the page still renders its title and notices


def test_every_preset_renders_a_chart():
    app = start()
    for preset in ("6M", "1Y", "3Y", "5Y", "10Y", "YTD", "2022-01", "Max"):
        app.button_group(key="range_preset").set_value(preset).run()
        assert not app.exception, preset
        assert len(charts(app)) == 1, preset


def test_a_store_that_cannot_be_opened_falls_back_to_demo(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("PRICES_DATABASE_URL", f"sqlite:///{blocker / 'x.sqlite'}")
    app = start()
    assert not app.exception
    assert any("cannot be opened" in info.value for info in app.info)
    assert len(charts(app)) == 1
