"""Team mode (DASHBOARD_TEAM=1): the app never calls Yahoo (no refresh on a page, no live quotes, no
fund facts, no refresh button), says where its prices come from and when the worker last refreshed
them, and warns when the worker is late; in English and Japanese. Yahoo is online here: any call
would be recorded."""

import datetime as dt

import pytest
import yfinance

from lib.core import settings
from lib.data.store import PriceStore
from tests.pages.test_app import start, store_demo_as_file

WORKER_RAN = dt.datetime(2025, 11, 28, 21, 21, tzinfo=dt.UTC)  # 16:21 New York time


class RecordingYahoo:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def download(self, tickers, start, end, **options):
        self.calls.append(f"download {tickers}")
        raise AssertionError("team mode called yf.download")

    def ticker(self, symbol):
        self.calls.append(f"Ticker {symbol}")
        raise AssertionError("team mode called yf.Ticker")


@pytest.fixture
def yahoo(monkeypatch, store_url):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "0")
    monkeypatch.setenv("DASHBOARD_TEAM", "1")
    monkeypatch.setenv("DASHBOARD_WORKER_MARGIN_MINUTES", "20")
    fake = RecordingYahoo()
    monkeypatch.setattr(yfinance, "download", fake.download)
    monkeypatch.setattr(yfinance, "Ticker", fake.ticker)
    store_demo_as_file(store_url)  # closes to 2025-12-31: stale, so a non-team app would fetch
    return fake


@pytest.fixture
def always_due(monkeypatch):
    """The worker's run counts as overdue at once, whatever the real clock says (a test at 16:30 New
    York time would otherwise be inside the grace)."""
    monkeypatch.setattr(settings, "WORKER_LATE_AFTER_MINUTES", -24 * 60)


def worker_refreshed(store_url: str, at: dt.datetime) -> None:
    PriceStore(store_url).record_attempt("Yahoo Finance", at=at, ok=True, message="30 rows")


def test_no_page_calls_yahoo_and_the_source_is_named(yahoo, store_url):
    worker_refreshed(store_url, dt.datetime.now(dt.UTC))
    app = start()
    assert not app.exception
    assert app.sidebar.caption[-1].value.startswith(
        "Prices: the team's store, refreshed by the worker after each NYSE close; last refresh "
    )
    assert not any("price worker" in warning.value for warning in app.warning)  # it is on time
    assert not any("could not be fetched" in info.value for info in app.info)
    for page in ("pages/funds.py", "pages/data.py", "pages/report.py", "pages/notes.py"):
        app.switch_page(page).run()
        assert not app.exception, page
    assert yahoo.calls == []


def test_the_data_page_offers_no_refresh(yahoo):
    app = start()
    app.switch_page("pages/data.py").run()
    assert app.button(key="data_refresh").disabled
    assert any("Team mode is on (DASHBOARD_TEAM)" in caption.value for caption in app.caption)
    assert yahoo.calls == []


def test_a_late_worker_is_named_in_english_and_japanese(yahoo, store_url, always_due):
    worker_refreshed(store_url, WORKER_RAN)
    app = start()
    assert app.sidebar.caption[-1].value == (
        "Prices: the team's store, refreshed by the worker after each NYSE close; last refresh 2025-11-28 16:21 ET"
    )
    late = [warning.value for warning in app.warning if "price worker" in warning.value]
    assert len(late) == 1
    assert late[0].startswith("The price worker has not refreshed the store since 2025-11-28 16:21 ET: ")
    app = start({"lang": "ja"})
    assert app.sidebar.caption[-1].value == (
        "価格：チームのデータベース（NYSE の各取引終了後にワーカーが更新）。最終更新 2025-11-28 16:21 ET"
    )
    assert any(
        warning.value.startswith("価格ワーカーが 2025-11-28 16:21 ET 以降データベースを更新していません。")
        for warning in app.warning
    )
    assert yahoo.calls == []


def test_a_worker_that_never_ran_is_named(yahoo, always_due):
    app = start()
    assert app.sidebar.caption[-1].value.endswith("the worker has not refreshed it yet")
    assert any(w.value.startswith("The price worker has never refreshed the store") for w in app.warning)
    assert yahoo.calls == []


def test_the_same_app_without_team_mode_does_ask_yahoo(yahoo, monkeypatch):
    """The control: the recorder sees the calls a non-team app makes on this stale store."""
    monkeypatch.delenv("DASHBOARD_TEAM")
    app = start()
    assert yahoo.calls and yahoo.calls[0].startswith("download")
    assert not any(c.value.startswith("Prices: the team's store") for c in app.sidebar.caption)
