"""Yahoo's faults seen from the dashboard (AppTest, online mode): yfinance's own download is replaced
by one that behaves as yfinance 1.7 does when the network is down, when Yahoo rate-limits, and when
one symbol comes back empty with null bars elsewhere. The page keeps serving what is stored and says
why; nothing stored is lost."""

import logging

import pandas as pd
import pytest
import yfinance

from lib.core import calendar
from lib.data.store import PriceStore
from tests.conftest import offline_yfinance_frame, yfinance_frame
from tests.pages.test_app import chart_specs, start, store_demo_as_file

STORED_UNTIL = pd.Timestamp("2025-12-31")


class FakeYahoo:
    """yf.download and yf.Ticker as they fail; every call is recorded."""

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.calls: list[tuple[tuple[str, ...], str, str]] = []

    def download(self, tickers, start, end, **options):
        tickers = [tickers] if isinstance(tickers, str) else list(tickers)
        self.calls.append((tuple(tickers), start, end))
        log = logging.getLogger("yfinance")
        if self.behaviour == "unreachable":  # yfinance logs each failure and returns an empty frame
            log.error("%d Failed download:", len(tickers))
            log.error(f"Failed to get ticker '{tickers[0]}' reason: Could not resolve host")
            return offline_yfinance_frame(tickers)
        if self.behaviour == "rate limited":
            log.error("%d Failed downloads:", len(tickers))
            log.error(f"['{tickers[0]}']: YFRateLimitError('Too Many Requests. Rate limited. Try after a while.')")
            return offline_yfinance_frame(tickers)
        days = [d.strftime("%Y-%m-%d") for d in calendar.sessions(start, pd.Timestamp(end) - pd.Timedelta(days=1))]
        closes = {ticker: [1000.0 + n for n in range(len(days))] for ticker in tickers}
        closes["^DJI"] = [None] * len(days)  # the partial frame: one symbol without a single bar
        if "^GSPC" in closes and len(days) > 1:
            closes["^GSPC"][0] = closes["^GSPC"][-1] = None  # null bars: on a stored day, and on a new one
        return yfinance_frame({t: closes[t] for t in tickers}, days)

    def ticker(self, symbol):
        raise ConnectionError("Could not resolve host: query2.finance.yahoo.com")


@pytest.fixture
def yahoo(request, monkeypatch, store_url):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "0")
    fake = FakeYahoo(request.param)
    monkeypatch.setattr(yfinance, "download", fake.download)
    monkeypatch.setattr(yfinance, "Ticker", fake.ticker)
    store_demo_as_file(store_url)  # closes to 2025-12-31 from "file team.csv"
    return fake


def stored_rows(store_url: str) -> pd.DataFrame:
    return PriceStore(store_url).read(["^RUO", "^GSPC", "^DJI"])


@pytest.mark.parametrize(
    ("yahoo", "reason"),
    [("unreachable", "Could not resolve host"), ("rate limited", "Too Many Requests")],
    indirect=["yahoo"],
)
def test_yahoo_down_or_rate_limited_keeps_the_stored_prices_with_a_notice(yahoo, reason, store_url):
    before = stored_rows(store_url)
    app = start()
    assert not app.exception
    assert yahoo.calls, "the page asked Yahoo for the missing sessions"
    assert len({call[1] for call in yahoo.calls}) == len(yahoo.calls)  # one batched call per start date
    notices = [notice.value for notice in app.info]
    assert any("Yahoo Finance is unreachable (" in n and reason in n and "showing stored data" in n for n in notices)
    assert any("Stored prices end on 2025-12-31" in n for n in notices)
    assert "file team.csv" in app.sidebar.caption[-1].value
    assert len(chart_specs(app)) == 3 and not any("DEMO" in w.value for w in app.warning)
    pd.testing.assert_frame_equal(stored_rows(store_url), before)  # nothing lost, nothing half-written
    calls = len(yahoo.calls)
    start()  # the next visit within minutes does not ask again, and says when it will
    assert len(yahoo.calls) == calls


@pytest.mark.parametrize("yahoo", ["partial"], indirect=True)
def test_a_partial_frame_stores_what_came_names_what_did_not_and_keeps_the_rest(yahoo, store_url):
    before = stored_rows(store_url)
    app = start()
    assert not app.exception
    assert any("Yahoo Finance has no prices for ^DJI" in notice.value for notice in app.info)
    after = stored_rows(store_url)
    assert after["^RUO"].last_valid_index() > STORED_UNTIL  # the symbols that came are stored
    assert after["^DJI"].last_valid_index() == STORED_UNTIL  # the missing one keeps its stored closes
    assert after.loc[:STORED_UNTIL, "^DJI"].notna().sum() > 1000
    (_, first_asked, _), *_ = [call for call in yahoo.calls if "^GSPC" in call[0]]
    overlap_day = pd.Timestamp(first_asked)  # asked again (revisions), already stored, null in the frame
    assert overlap_day <= STORED_UNTIL and after.loc[overlap_day, "^GSPC"] == before.loc[overlap_day, "^GSPC"]
    last = after.index[-1]
    assert pd.isna(after.loc[last, "^GSPC"]) and after.loc[last, "^RUO"] > 0  # a null bar is no close
    assert len(chart_specs(app)) == 3
