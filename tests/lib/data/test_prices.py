"""The data layer's paths: online refresh, offline with stored data, offline with nothing stored."""

import datetime as dt

import pandas as pd
import pytest

from lib.core.errors import SourceUnavailable
from lib.data import prices
from lib.data.store import PriceStore
from tests.conftest import offline_yfinance_frame, yfinance_frame

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)  # after the 2026-01-07 close


class CountingFetcher:
    """Stands in for Yahoo: answers from a frame per call and counts what was asked."""

    def __init__(self, *frames):
        self.frames = list(frames)
        self.calls = []

    def __call__(self, symbols, start, end, repair):
        self.calls.append((tuple(symbols), start, end))
        frame = self.frames.pop(0)
        if isinstance(frame, Exception):
            raise frame
        return frame


def stored(store_url, rows, source="Yahoo Finance") -> PriceStore:
    store = PriceStore(store_url)
    frame = pd.DataFrame(rows, columns=["date", "symbol", "close"])
    frame["date"] = pd.to_datetime(frame["date"])
    store.write(frame, source=source, fetched_at=NOW - dt.timedelta(days=2))
    return store


def test_refresh_fetches_only_recent_sessions_in_one_call(store_url):
    store = stored(store_url, [(d, s, 100.0) for d in ("2025-12-31", "2026-01-02", "2026-01-05") for s in ("A", "B")])
    fetch = CountingFetcher(
        yfinance_frame({"A": [1.0, 2.0, 3.0], "B": [4.0, 5.0, 6.0]}, ["2026-01-05", "2026-01-06", "2026-01-07"])
    )
    report = prices.refresh(store, ["A", "B"], now=NOW, fetcher=fetch)
    # one batched call, from 5 sessions before the last stored one (2025-12-26..2026-01-05), to the last close
    assert fetch.calls == [(("A", "B"), dt.date(2025, 12, 29), dt.date(2026, 1, 8))]
    assert report.calls == 1 and report.rows == 6
    assert store.read(["A"])["A"].loc["2026-01-07"] == 3.0
    assert store.read(["A"])["A"].loc["2026-01-05"] == 1.0  # the overlap picks up a revision


def test_a_failed_refresh_keeps_every_stored_row(store_url):
    store = stored(store_url, [("2026-01-05", "A", 100.0)])
    fetch = CountingFetcher(offline_yfinance_frame(["A"]))
    with pytest.raises(SourceUnavailable):
        prices.refresh(store, ["A"], now=NOW, fetcher=fetch)
    assert store.read(["A"])["A"].tolist() == [100.0]
    assert not store.last_attempt("Yahoo Finance").ok


def test_offline_with_stored_data_shows_it_with_a_notice(store_url):
    store = stored(store_url, [("2026-01-05", "^RUO", 1680.0), ("2026-01-05", "^GSPC", 6900.0)])
    price_set = prices.load_prices(
        ["^RUO", "^GSPC"], store=store, now=NOW, fetcher=CountingFetcher(ConnectionError("no route"))
    )
    assert not price_set.is_demo
    assert price_set.source == "Yahoo Finance"
    assert price_set.closes.loc["2026-01-05", "^RUO"] == 1680.0
    assert any("unreachable" in str(n) for n in price_set.notices)
    assert any("end on 2026-01-05, before the last NYSE close (2026-01-07)" in str(n) for n in price_set.notices)


def test_after_a_failure_yahoo_is_not_asked_again_for_a_while(store_url):
    store = stored(store_url, [("2026-01-05", "A", 1.0)])
    store.record_attempt("Yahoo Finance", at=NOW - dt.timedelta(minutes=3), ok=False, message="DNS")
    fetch = CountingFetcher()
    price_set = prices.load_prices(["A"], store=store, now=NOW, fetcher=fetch)
    assert fetch.calls == []
    assert any("next try after" in str(n) for n in price_set.notices)


def test_nothing_stored_and_offline_gives_labelled_demo_data(store_url):
    price_set = prices.load_prices(
        ["^RUO", "^GSPC"],
        store=PriceStore(store_url),
        now=NOW,
        fetcher=CountingFetcher(offline_yfinance_frame(["^RUO"])),
    )
    assert price_set.is_demo
    assert price_set.source == "demo (synthetic)"
    assert "DEMO" in str(price_set.notices[0])
    assert price_set.as_of == pd.Timestamp("2026-01-07")


def test_offline_mode_never_calls_yahoo(store_url):
    fetch = CountingFetcher()
    price_set = prices.load_prices(["^RUO"], store=PriceStore(store_url), now=NOW, offline=True, fetcher=fetch)
    assert fetch.calls == [] and price_set.is_demo


def test_no_store_at_all_still_gives_demo_data():
    price_set = prices.load_prices(["^RUO"], store=None, now=NOW)
    assert price_set.is_demo
    assert "cannot be opened" in str(price_set.notices[0])


def test_a_current_store_is_not_refreshed(store_url):
    store = stored(store_url, [("2026-01-07", "A", 1.0)])
    fetch = CountingFetcher()
    price_set = prices.load_prices(["A"], store=store, now=NOW, fetcher=fetch)
    assert fetch.calls == [] and price_set.is_current and price_set.notices == ()


def test_intraday_bars_after_the_last_close_are_not_kept(store_url):
    store = stored(store_url, [("2026-01-06", "A", 1.0)])
    during_session = dt.datetime(2026, 1, 8, 16, 0, tzinfo=dt.UTC)  # 11:00 New York
    fetch = CountingFetcher(yfinance_frame({"A": [2.0, 3.0]}, ["2026-01-07", "2026-01-08"]))
    prices.load_prices(["A"], store=store, now=during_session, fetcher=fetch)
    assert store.read(["A"]).index[-1] == pd.Timestamp("2026-01-07")


def test_as_of_is_the_last_close_common_to_the_pair(store_url):
    store = stored(
        store_url,
        [("2026-01-05", "^RUO", 1680.0), ("2026-01-05", "^GSPC", 6900.0), ("2026-01-07", "^GSPC", 6950.0)],
    )
    price_set = prices.load_prices(["^RUO", "^GSPC"], store=store, now=NOW, offline=True)
    assert price_set.as_of == pd.Timestamp("2026-01-05")  # ^GSPC alone reaches 2026-01-07
    assert not price_set.is_current
    assert any("end on 2026-01-05" in str(n) and "offline mode" in str(n) for n in price_set.notices)


def test_one_read_serves_every_pair_with_the_stale_notice_of_each(store_url):
    store = stored(
        store_url,
        [("2026-01-05", "^RUO", 1680.0), ("2026-01-07", "^RUT", 2500.0)]
        + [("2026-01-05", "^GSPC", 6900.0), ("2026-01-07", "^GSPC", 6950.0)],
    )
    loaded = prices.load_stored(["^RUO", "^RUT", "^GSPC"], store=store, now=NOW, offline=True)
    current = prices.focused(loaded, ("^RUT", "^GSPC"), offline=True)
    behind = prices.focused(loaded, ("^RUO", "^GSPC"), offline=True)
    assert current.as_of == pd.Timestamp("2026-01-07") and current.notices == ()
    assert behind.as_of == pd.Timestamp("2026-01-05")  # ^RUO's last close: two sessions behind
    assert [str(n) for n in behind.notices] == [
        str(n)
        for n in prices.load_prices(
            ["^RUO", "^RUT", "^GSPC"], store=store, now=NOW, offline=True, primary=("^RUO", "^GSPC")
        ).notices
    ]
    assert any("end on 2026-01-05" in str(n) for n in behind.notices)


def test_live_quotes_only_while_the_market_is_open(store_url):
    assert prices.live_refresh_seconds(dt.datetime(2026, 1, 8, 16, 0, tzinfo=dt.UTC)) == 300  # 11:00 New York
    assert prices.live_refresh_seconds(dt.datetime(2026, 1, 8, 22, 0, tzinfo=dt.UTC)) is None  # after the close
    assert prices.live_refresh_seconds(dt.datetime(2026, 1, 10, 16, 0, tzinfo=dt.UTC)) is None  # Saturday


def test_live_quotes_add_today_as_a_provisional_day_and_store_nothing(store_url):
    store = stored(store_url, [("2026-01-07", s, 100.0) for s in ("^RUO", "^GSPC")])
    during = dt.datetime(2026, 1, 8, 16, 0, tzinfo=dt.UTC)
    base = prices.load_prices(["^RUO", "^GSPC"], store=store, now=during, offline=True)
    fetch = CountingFetcher(yfinance_frame({"^RUO": [101.0], "^GSPC": [99.0]}, ["2026-01-08"]))
    live = prices.with_live_quotes(base, ["^RUO", "^GSPC"], now=during, fetcher=fetch)
    assert live.closes.loc["2026-01-08", ["^RUO", "^GSPC"]].tolist() == [101.0, 99.0]
    assert live.as_of == pd.Timestamp("2026-01-08") and live.live_at == during
    assert any("Live: today's prices at 11:00 New York time" in str(n) for n in live.notices)
    assert store.read(["^RUO"]).index[-1] == pd.Timestamp("2026-01-07")


def test_live_quotes_unreachable_keep_the_last_close_with_a_notice(store_url):
    store = stored(store_url, [("2026-01-07", "^RUO", 100.0)])
    during = dt.datetime(2026, 1, 8, 16, 0, tzinfo=dt.UTC)
    base = prices.load_prices(["^RUO"], store=store, now=during, offline=True)
    live = prices.with_live_quotes(base, ["^RUO"], now=during, fetcher=CountingFetcher(ConnectionError("down")))
    assert live.closes.equals(base.closes)
    assert any("live prices could not be fetched" in str(n) for n in live.notices)


def usdjpy_with_a_fund_frame() -> pd.DataFrame:
    """yf.download(["IWO", "JPY=X"], auto_adjust=True) for 2024-11-25..29, shaped as yfinance 1.x gives it:
    (Price, Ticker) columns sorted by price, a tz-naive Date index holding every day either ticker has a
    bar on. USD/JPY trades on Thanksgiving (11-28), when the NYSE is shut and IWO's cells are NaN, and
    Yahoo gives FX pairs no volume (0). Closes of USD/JPY as Yahoo quoted them that week, rounded."""
    index = pd.DatetimeIndex(pd.to_datetime(["2024-11-25", "2024-11-26", "2024-11-27", "2024-11-28", "2024-11-29"]))
    index.name = "Date"
    iwo = [311.2, 309.9, 307.5, None, 310.3]
    usdjpy = [154.2, 154.4, 153.1, 151.6, 151.3]
    frame = pd.DataFrame(
        {
            ("Close", "IWO"): iwo,
            ("Close", "JPY=X"): usdjpy,
            ("High", "IWO"): iwo,
            ("High", "JPY=X"): [v + 0.5 for v in usdjpy],
            ("Low", "IWO"): iwo,
            ("Low", "JPY=X"): [v - 0.5 for v in usdjpy],
            ("Open", "IWO"): iwo,
            ("Open", "JPY=X"): usdjpy,
            ("Volume", "IWO"): [800_000.0, 700_000.0, 650_000.0, None, 400_000.0],
            ("Volume", "JPY=X"): [0.0] * 5,
        },
        index=index,
    )
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["Price", "Ticker"])
    return frame


def test_a_refresh_stores_usd_jpy_with_its_own_days(store_url):
    store = PriceStore(store_url)
    fetch = CountingFetcher(usdjpy_with_a_fund_frame())
    report = prices.refresh(store, ["IWO", "JPY=X"], now=dt.datetime(2024, 11, 30, 12, tzinfo=dt.UTC), fetcher=fetch)
    assert len(fetch.calls) == 1 and fetch.calls[0][0] == ("IWO", "JPY=X")  # one batched call with the funds
    assert report.rows_by_symbol == {"IWO": 4, "JPY=X": 5}
    held = store.read(["IWO", "JPY=X"])
    # the rate of Thanksgiving is kept (a 投信's NAV of 11-28, a Tokyo business day, converts with it)
    assert held["JPY=X"].loc["2024-11-28"] == 151.6 and pd.isna(held["IWO"].get(pd.Timestamp("2024-11-28")))
    assert held["JPY=X"].loc["2024-11-29"] == 151.3
