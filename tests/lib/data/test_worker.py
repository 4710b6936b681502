"""The refresh worker's schedule, on a fake clock: after each NYSE close plus the margin, early
closes, holidays and weekends skipped, daylight saving as the exchange keeps it. Expected moments
are worked by hand from the NYSE's published 2024-2025 calendar."""

import datetime as dt

import pandas as pd
import pytest

from lib.core import calendar
from lib.data import worker
from lib.data.store import PriceStore
from tests.conftest import offline_yfinance_frame, yfinance_frame

MARGIN = dt.timedelta(minutes=20)
ET = "America/New_York"


def et(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=ET)


@pytest.mark.parametrize(
    ("now", "expected_utc"),
    [
        (et("2025-11-26 15:00"), "2025-11-26 21:20"),  # a normal session: 16:00 ET + 20 min (EST = UTC-5)
        (et("2025-11-26 16:10"), "2025-11-26 21:20"),  # after the close, before the margin: still today
        (et("2025-11-26 16:20"), "2025-11-28 18:20"),  # due now -> the next: Thanksgiving shut, 11-28 13:00
        (et("2024-11-28 10:00"), "2024-11-29 18:20"),  # Thanksgiving 2024 -> the early close of 11-29
        (et("2024-11-29 13:10"), "2024-11-29 18:20"),  # between the early close and its margin
        (et("2024-11-30 12:00"), "2024-12-02 21:20"),  # Saturday -> Monday
        (et("2025-03-07 17:00"), "2025-03-10 20:20"),  # spring forward (03-09): 16:20 EDT = 20:20 UTC
        (et("2025-10-31 17:00"), "2025-11-03 21:20"),  # fall back (11-02): 16:20 EST = 21:20 UTC
        (et("2025-12-24 12:00"), "2025-12-24 18:20"),  # Christmas Eve closes at 13:00
        (et("2025-12-24 14:00"), "2025-12-26 21:20"),  # Christmas Day shut
    ],
)
def test_the_next_run_is_the_next_close_plus_the_margin(now, expected_utc):
    assert worker.next_refresh_at(now, margin=MARGIN) == pd.Timestamp(expected_utc, tz="UTC")


class FakeClock:
    """Time that moves only when the worker sleeps."""

    def __init__(self, start: pd.Timestamp) -> None:
        self.moment = start.tz_convert("UTC")
        self.slept: list[float] = []

    def now(self) -> dt.datetime:
        return self.moment.to_pydatetime()

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.moment += pd.Timedelta(seconds=seconds)


class RecentYahoo:
    """yf.download's shape: the last three sessions up to `end` for every symbol asked; counts calls.
    `fail_first`: the first call finds Yahoo unreachable."""

    def __init__(self, fail_first: bool = False) -> None:
        self.calls: list[tuple[dt.date, dt.date]] = []
        self.fail_first = fail_first

    def __call__(self, symbols, start, end, repair):
        self.calls.append((start, end))
        if self.fail_first and len(self.calls) == 1:
            return offline_yfinance_frame(list(symbols))
        days = calendar.sessions(pd.Timestamp(end) - pd.Timedelta(days=7), pd.Timestamp(end) - pd.Timedelta(days=1))
        days = [d.strftime("%Y-%m-%d") for d in days[-3:]]
        return yfinance_frame({symbol: [100.0, 101.0, 102.0] for symbol in symbols}, days)


def test_the_worker_runs_after_each_close_and_sleeps_between(store_url):
    clock = FakeClock(et("2024-11-27 17:00"))  # Wednesday evening before Thanksgiving
    yahoo, lines = RecentYahoo(), []
    worker.serve(
        PriceStore(store_url),
        fetcher=yahoo,
        margin=MARGIN,
        say=lambda said: lines.append((said.text("en"), said.text("ja"))),
        clock=clock.now,
        sleep=clock.sleep,
        runs=3,
    )
    assert clock.moment == pd.Timestamp("2024-12-02 21:20", tz="UTC")  # woke for run 3 on Monday 16:20 ET
    assert [end for _, end in yahoo.calls] == [dt.date(2024, 11, 28), dt.date(2024, 11, 30), dt.date(2024, 12, 3)]
    english = [line for line, _ in lines]
    assert english[0].startswith("refresh at 2024-11-27 17:00 ET: ")
    assert "up to the 2024-11-27 close; next run 2024-11-29 13:20 ET" in english[0]
    assert english[1].startswith("refresh at 2024-11-29 13:20 ET: ")
    assert "up to the 2024-11-29 close; next run 2024-12-02 16:20 ET" in english[1]
    assert "2024-11-29 13:20 ET の更新" in lines[1][1] and "次回 2024-12-02 16:20 ET" in lines[1][1]
    assert max(clock.slept) <= worker.SLEEP_CHUNK_SECONDS


def test_a_failed_run_is_tried_again_a_little_later(store_url):
    clock = FakeClock(et("2025-11-26 16:20"))
    yahoo, lines = RecentYahoo(fail_first=True), []
    worker.serve(
        PriceStore(store_url),
        fetcher=yahoo,
        margin=MARGIN,
        say=lambda said: lines.append(said.text("en")),
        clock=clock.now,
        sleep=clock.sleep,
        runs=2,
    )
    assert lines[0].startswith("refresh at 2025-11-26 16:20 ET failed: Yahoo Finance is unreachable")
    assert lines[0].endswith("Next try 2025-11-26 16:35 ET")  # RETRY_AFTER_FAILURE_MINUTES later
    assert lines[1].startswith("refresh at 2025-11-26 16:35 ET: ")
    assert "up to the 2025-11-26 close" in lines[1]
    assert clock.moment == pd.Timestamp("2025-11-26 21:35", tz="UTC")


def test_the_worker_leaves_out_funds_whose_prices_come_from_nav_files(store_url):
    from lib.core.settings import Instrument

    store = PriceStore(store_url)
    store.save_funds(["VSGAX", "JP-SBI-SCG"])
    store.save_instrument(Instrument("JP-SBI-SCG", "SBI small cap", "SBI小型", "mutual_fund", "JPY"))
    symbols = worker.worker_symbols(store)
    assert "VSGAX" in symbols and "^RUO" in symbols and "^GSPC" in symbols and "IWO" in symbols
    assert "JP-SBI-SCG" not in symbols
    assert len(symbols) == len(set(symbols))
