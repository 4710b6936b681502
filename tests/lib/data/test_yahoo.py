"""The Yahoo provider fed frames shaped exactly as yfinance 1.x returns them."""

import datetime as dt
import time

import pytest
from yfinance.exceptions import YFRateLimitError

from lib.core.errors import SourceUnavailable
from lib.data import yahoo
from tests.conftest import offline_yfinance_frame, yfinance_frame

START, END = dt.date(2026, 1, 5), dt.date(2026, 1, 7)
DATES = ["2026-01-05", "2026-01-06", "2026-01-07"]


def fetcher_returning(frame):
    calls = []

    def fetch(symbols, start, end, repair):
        calls.append((tuple(symbols), start, end, repair))
        return frame

    fetch.calls = calls
    return fetch


def test_closes_come_out_tidy_and_null_bars_are_dropped():
    frame = yfinance_frame({"^RUO": [1680.0, None, 1690.0], "^GSPC": [6900.0, 6910.0, 6920.0]}, DATES)
    download = yahoo.download_closes(["^RUO", "^GSPC"], start=START, end=END, fetcher=fetcher_returning(frame))
    ruo = download.closes[download.closes["symbol"] == "^RUO"]
    assert ruo["close"].tolist() == [1680.0, 1690.0]
    assert list(download.closes.columns) == ["date", "symbol", "close"]
    assert download.missing == ()


def test_one_call_for_all_symbols_end_exclusive_and_repair_only_for_funds():
    frame = yfinance_frame({"^RUO": [1.0, 2.0, 3.0]}, DATES)
    indices = fetcher_returning(frame)
    yahoo.download_closes(["^RUO", "^GSPC"], start=START, end=END, fetcher=indices)
    assert indices.calls == [(("^RUO", "^GSPC"), START, dt.date(2026, 1, 8), False)]
    funds = fetcher_returning(frame)
    yahoo.download_closes(["^RUO", "VSGAX"], start=START, end=END, fetcher=funds)
    assert funds.calls[0][3] is True


def test_a_partial_frame_reports_the_missing_symbol():
    frame = yfinance_frame({"^RUO": [1.0, 2.0, 3.0], "^RUX": [None, None, None]}, DATES)
    download = yahoo.download_closes(["^RUO", "^RUX"], start=START, end=END, fetcher=fetcher_returning(frame))
    assert download.missing == ("^RUX",)
    assert set(download.closes["symbol"]) == {"^RUO"}


def test_the_empty_frame_of_an_offline_call_means_unavailable():
    fetch = fetcher_returning(offline_yfinance_frame(["^RUO", "^GSPC"]))
    with pytest.raises(SourceUnavailable, match="Yahoo Finance is unreachable"):
        yahoo.download_closes(["^RUO", "^GSPC"], start=START, end=END, fetcher=fetch)


@pytest.mark.parametrize(
    "error", [YFRateLimitError(), ConnectionError("Could not resolve host"), TimeoutError("read timed out")]
)
def test_exceptions_mean_unavailable(error):
    def fetch(*_):
        raise error

    with pytest.raises(SourceUnavailable, match="unreachable"):
        yahoo.download_closes(["^RUO"], start=START, end=END, fetcher=fetch)


def test_a_hanging_fetch_is_abandoned_at_the_deadline():
    def fetch(*_):
        time.sleep(5)

    started = time.perf_counter()
    with pytest.raises(SourceUnavailable, match="no answer within"):
        yahoo.download_closes(["^RUO"], start=START, end=END, fetcher=fetch, deadline_seconds=0.2)
    assert time.perf_counter() - started < 2


def test_the_real_fetcher_asks_yfinance_for_adjusted_daily_bars(monkeypatch):
    import yfinance

    seen = {}

    def fake_download(tickers, **options):
        seen.update(options, tickers=tickers)
        return yfinance_frame({"IWO": [300.0, 301.0, 302.0]}, DATES)

    monkeypatch.setattr(yfinance, "download", fake_download)
    frame = yahoo.yfinance_download(["IWO"], START, dt.date(2026, 1, 8), True)
    assert frame[("Close", "IWO")].tolist() == [300.0, 301.0, 302.0]
    assert seen["tickers"] == ["IWO"]
    assert (seen["auto_adjust"], seen["repair"], seen["interval"], seen["progress"]) == (True, True, "1d", False)
    assert seen["timeout"] > 0
    assert (seen["start"], seen["end"]) == ("2026-01-05", "2026-01-08")


def test_the_real_fetcher_turns_yfinances_logged_failure_into_the_reason(monkeypatch):
    import logging

    import yfinance

    def fake_download(tickers, **_):
        logging.getLogger("yfinance").error("Failed to get ticker '^RUO' reason: Could not resolve host")
        return offline_yfinance_frame(tickers)

    monkeypatch.setattr(yfinance, "download", fake_download)
    with pytest.raises(SourceUnavailable, match="Could not resolve host"):
        yahoo.download_closes(["^RUO"], start=START, end=END, fetcher=yahoo.yfinance_download)
