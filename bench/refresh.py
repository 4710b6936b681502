"""Refresh: what a day's update asks Yahoo for, counted with an injected fetcher.

A store holds 25 years of closes for the indices and the default funds up to the session
before the last one; the update runs the morning after the last session. The fetcher answers like
yf.download (a (Price, Ticker) frame) and records every call: the number of calls, the symbols in
each, and the rows requested (symbols x sessions in the window). The first fill of an empty store is
shown for comparison.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time

import numpy as np
import pandas as pd

from lib.core import calendar, settings
from lib.data import prices
from lib.data.demo import demo_closes
from lib.data.store import PriceStore
from tests.conftest import store_closes


class CountingYahoo:
    """Answers as yf.download does, with a close for every symbol on every session asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dt.date, dt.date, int]] = []

    def __call__(self, symbols: list[str], start: dt.date, end: dt.date, repair: bool) -> pd.DataFrame:
        days = calendar.sessions(start, end - dt.timedelta(days=1))
        self.calls.append((list(symbols), start, end, len(days) * len(symbols)))
        index = pd.DatetimeIndex(days, name="Date")
        values = 100 + np.arange(len(days), dtype=float)
        columns = pd.MultiIndex.from_product([["Close", "High", "Low", "Open", "Volume"], sorted(symbols)])
        frame = pd.DataFrame({column: values for column in columns}, index=index)
        frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["Price", "Ticker"])
        return frame

    def rows(self) -> int:
        return sum(call[3] for call in self.calls)


def main() -> None:
    symbols = [*settings.INDICES, *settings.DEFAULT_FUNDS]
    now = dt.datetime.now(dt.UTC)
    last = calendar.last_completed_session(now)
    previous = calendar.sessions(last - pd.Timedelta(days=10), last)[-2]
    morning = (last + pd.Timedelta(hours=34)).tz_localize("America/New_York").tz_convert("UTC").to_pydatetime()
    with tempfile.TemporaryDirectory() as folder:
        store = store_closes(
            f"sqlite:///{folder}/prices.sqlite", demo_closes(previous)[symbols], source="bench", fetched_at=now
        )
        yahoo = CountingYahoo()
        started = time.perf_counter()
        report = prices.refresh(store, symbols, now=morning, fetcher=yahoo)
        elapsed = time.perf_counter() - started
        window = sorted({call[1] for call in yahoo.calls})
        print(
            f"daily update ({len(symbols)} symbols stored to {previous.date()}, last session {last.date()}): "
            f"{len(yahoo.calls)} call(s), {len(yahoo.calls[0][0])} symbols in it, from {window[0]} "
            f"({prices.REFRESH_OVERLAP_SESSIONS} sessions of overlap for revisions), "
            f"{yahoo.rows()} rows requested, {report.rows} written, {elapsed * 1000:.0f} ms"
        )
        empty = PriceStore(f"sqlite:///{folder}/empty.sqlite")
        first = CountingYahoo()
        started = time.perf_counter()
        report = prices.refresh(empty, symbols, now=morning, fetcher=first)
        elapsed = time.perf_counter() - started
        print(
            f"first fill of an empty store: {len(first.calls)} call(s), {first.rows()} rows requested "
            f"from {first.calls[0][1]}, {report.rows} written, {elapsed * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
