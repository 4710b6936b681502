"""Two refreshes at once fetch once: the second waits on the store's lock (PostgreSQL: an advisory
lock; SQLite: a lease row), then finds nothing stale. A lock held too long ends in RefreshBusy."""

import datetime as dt
import os
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from lib.core.errors import RefreshBusy
from lib.data import prices
from lib.data.store import PriceStore
from tests.conftest import PROJECT_ROOT, yfinance_frame

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)  # after the 2026-01-07 close
SESSIONS = ["2026-01-05", "2026-01-06", "2026-01-07"]
SYMBOLS = ["^RUO", "^GSPC"]


class SlowCountingYahoo:
    """yf.download's shape for the last three sessions, slow enough that a second refresh arrives
    while the first is fetching; counts the calls."""

    def __init__(self, seconds: float = 0.6) -> None:
        self.seconds = seconds
        self.calls: list[tuple[str, ...]] = []
        self._guard = threading.Lock()

    def __call__(self, symbols, start, end, repair):
        with self._guard:
            self.calls.append(tuple(symbols))
        time.sleep(self.seconds)
        return yfinance_frame({"^RUO": [1598.42, 1611.07, 1620.5], "^GSPC": [6816.51, 6800.26, 6850.0]}, SESSIONS)


def stored_until_jan_2(url: str) -> None:
    store = PriceStore(url)
    tidy = pd.DataFrame({"date": pd.to_datetime(["2026-01-02"] * 2), "symbol": SYMBOLS, "close": [1590.0, 6850.0]})
    store.write(tidy, source="Yahoo Finance", fetched_at=NOW - dt.timedelta(days=5))


def test_two_refreshes_at_once_fetch_once(price_url):
    stored_until_jan_2(price_url)
    yahoo = SlowCountingYahoo()
    reports = {}

    def refresh(name: str) -> None:
        store = PriceStore(price_url)  # its own engine, as another process would have
        reports[name] = prices.refresh(store, SYMBOLS, now=NOW, fetcher=yahoo)

    threads = [threading.Thread(target=refresh, args=(name,)) for name in ("worker", "page")]
    for thread in threads:
        thread.start()
        time.sleep(0.1)  # the second starts while the first is fetching
    for thread in threads:
        thread.join(timeout=30)
    assert yahoo.calls == [("^RUO", "^GSPC")]
    assert sorted(report.rows for report in reports.values()) == [0, 6]
    assert PriceStore(price_url).read(["^RUO"])["^RUO"].loc["2026-01-07"] == 1620.5


def test_a_refresh_that_cannot_have_the_lock_says_so_and_fetches_nothing(price_url):
    stored_until_jan_2(price_url)
    holder, waiter = PriceStore(price_url), PriceStore(price_url)
    yahoo = SlowCountingYahoo(seconds=0)
    started = time.monotonic()
    with holder.refresh_lock(wait_seconds=1), pytest.raises(RefreshBusy) as busy:
        prices.refresh(waiter, SYMBOLS, now=NOW, fetcher=yahoo, wait_seconds=0.5)
    waited = time.monotonic() - started
    assert 0.4 < waited < 5  # it waited its half second, then gave up: no hang
    assert yahoo.calls == []
    assert "Another refresh of the price store has been running for over 0.5 seconds" in busy.value.text("en")
    assert "0.5 秒以上続いている" in busy.value.text("ja")
    prices.refresh(waiter, SYMBOLS, now=NOW, fetcher=yahoo, wait_seconds=0.5)  # released: it runs now
    assert yahoo.calls == [("^RUO", "^GSPC")]


def test_a_page_load_during_a_refresh_shows_stored_data_with_a_notice(price_url):
    stored_until_jan_2(price_url)
    holder, page = PriceStore(price_url), PriceStore(price_url)
    yahoo = SlowCountingYahoo(seconds=0)
    with holder.refresh_lock(wait_seconds=1):
        notices = prices._try_refresh(page, SYMBOLS, now=NOW, fetcher=yahoo, wait_seconds=0.3)
    assert [notice.key for notice in notices] == ["notice_refresh_busy"]
    assert yahoo.calls == []


REFRESH_IN_A_PROCESS = """
import datetime as dt, sys, time
from lib.data import prices
from lib.data.store import PriceStore
from tests.lib.data.test_refresh_lock import NOW, SYMBOLS, SlowCountingYahoo
yahoo = SlowCountingYahoo(seconds=3.0)
report = prices.refresh(PriceStore(sys.argv[1]), SYMBOLS, now=NOW, fetcher=yahoo)
print(len(yahoo.calls), report.rows)
"""


def test_two_processes_refreshing_at_once_fetch_once(price_url):
    stored_until_jan_2(price_url)
    workers = []
    for _ in range(2):
        workers.append(
            subprocess.Popen(
                [sys.executable, "-c", REFRESH_IN_A_PROCESS, price_url],
                cwd=PROJECT_ROOT,
                env={**os.environ},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        time.sleep(0.3)
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    calls_and_rows = sorted(tuple(int(n) for n in out.split()) for out, _ in outputs)
    assert calls_and_rows == [(0, 0), (1, 6)]
