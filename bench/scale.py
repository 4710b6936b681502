"""Scale of work: the weekly engine, the fund table and the notes search at 1x, 10x and 100x
today's data, each against the floor of one rerun (the minimal Streamlit app of bench/rerun.py,
measured in this run). `python -m bench.scale` (also part of `make bench`).

Synthetic data built from the real closes (../shared/data/daily_closes.csv): each synthetic
series chains the real daily returns of one real series back in time, cyclically and shifted per
series, so every path has real volatility, fat tails and crash days, and no two are the same.
- weekly engine: 1x = 25 years x 3 symbols (^RUO, ^GSPC, ^DJI); longer history (100 years: the
  app's calendar starts in 1990, so this run widens it to 1925) and more symbols (30, 75);
  100x = 100 years x 75 symbols;
- fund table: 1x = 50 funds x 20 years, 10x = 500 funds;
- notes search: 1x = 1,000 notes, 10x, 100x (bench/scale_notes.py).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

from bench.run import machine

REAL_CLOSES = Path(__file__).resolve().parents[2] / "shared" / "data" / "daily_closes.csv"
LAST_SESSION = pd.Timestamp("2026-08-31")  # the last real ^GSPC close in the file
MIN_SESSIONS = 1200  # a real series shorter than this (about 5 years) is not used as a source
SHIFT_PER_SERIES = 97  # sessions: each synthetic series starts its cycle of real returns here


def real_returns() -> dict[str, np.ndarray]:
    """Daily log returns of each real series in the file long enough to chain (about 5 years or more)."""
    closes = pd.read_csv(REAL_CLOSES, parse_dates=["date"]).pivot(index="date", columns="symbol", values="close")
    returns = {symbol: np.diff(np.log(closes[symbol].dropna().to_numpy())) for symbol in closes.columns}
    return {symbol: r for symbol, r in returns.items() if len(r) >= MIN_SESSIONS}


def chained_closes(days: pd.DatetimeIndex, names: list[str], sources: list[np.ndarray]) -> pd.DataFrame:
    """One column per name over `days`: the real returns of sources[i % len(sources)], repeated
    back in time from the last day and shifted by SHIFT_PER_SERIES x i, compounded from 100."""
    columns = {}
    for position, name in enumerate(names):
        source = np.roll(sources[position % len(sources)], SHIFT_PER_SERIES * position)
        steps = np.resize(source[::-1], len(days))[::-1]  # the real series ends on the last day
        columns[name] = 100 * np.exp(np.cumsum(steps) - steps.sum())
    return pd.DataFrame(columns, index=days)


@contextmanager
def calendar_from(year: int):
    """The app's NYSE calendar widened to start in `year` (it knows 1990-2040), for this process only."""
    from lib.core import calendar

    def forget() -> None:
        for cached in (calendar.nyse_schedule, calendar._all_sessions, calendar._last_session_by_monday):
            cached.cache_clear()

    first, calendar._CALENDAR_FIRST_YEAR = calendar._CALENDAR_FIRST_YEAR, year
    forget()
    try:
        yield
    finally:
        calendar._CALENDAR_FIRST_YEAR = first
        forget()


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # the first call pays for one-off work
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def rerun_floor_ms() -> float:
    """Median rerun of bench/rerun.py's minimal app (3 Altair charts, 4 metrics, a table)."""
    from bench import rerun

    with tempfile.TemporaryDirectory() as folder:
        offline = {
            "DASHBOARD_OFFLINE": "1",
            "PRICES_DATABASE_URL": f"sqlite:///{folder}/prices.sqlite",
            "NOTES_DATABASE_URL": f"sqlite:///{folder}/notes.sqlite",
        }
        with mock.patch.dict(os.environ, offline):
            floor = rerun._floor_app(rerun._chart_frames())
            return median_ms(floor.run, repeat=20)


def growth(rows: list[tuple[str, float, float]], floor_ms: float) -> None:
    """Print each row (label, data multiple, ms) with its growth over the first row and the floor."""
    base_scale, base_ms = rows[0][1], rows[0][2]
    for label, scale, ms in rows:
        grown = f"x{ms / base_ms:6.1f} for x{scale / base_scale:g} data" if scale != base_scale else " " * 22
        print(f"  {label:<58} {ms:9.1f} ms  {grown}   {ms / floor_ms:5.2f} floors")


def bench_engine(returns: dict[str, np.ndarray], floor_ms: float) -> None:
    from lib.analytics.weekly import calc_weekly_summary
    from lib.core import calendar

    print("weekly engine (calc_weekly_summary: weekly closes, ratio, SMA13/26, deviations, moves)")
    sources = [returns["IWO_adj"], returns["^GSPC"], returns["VIOG_adj"], *returns.values()]
    rows = []
    with calendar_from(1925):
        for years, symbols in ((25, 3), (100, 3), (25, 30), (100, 75)):
            days = calendar.sessions(LAST_SESSION - pd.DateOffset(years=years), LAST_SESSION)
            names = ["^RUO", "^GSPC", "^DJI"] + [f"S{n:03d}" for n in range(symbols - 3)]
            closes = chained_closes(days, names, sources)
            ms = median_ms(lambda closes=closes: calc_weekly_summary(closes, source="bench"), repeat=10)
            rows.append((f"{years} years x {symbols} symbols ({len(days)} sessions)", years * symbols, ms))
    growth(rows, floor_ms)


def bench_funds(returns: dict[str, np.ndarray], floor_ms: float) -> None:
    from lib.core import calendar
    from lib.views.funds_table import build_funds_table

    print("fund table (build_funds_table: trailing returns, risk, ranks), 20 years of daily prices")
    days = calendar.sessions("2006-11-01", "2026-10-30")
    sources = list(returns.values())
    rows = []
    for count in (50, 500):
        funds = [f"F{n:03d}" for n in range(count)]
        closes = chained_closes(days, [*funds, "BENCH"], sources)
        table = lambda closes=closes, funds=funds: build_funds_table(  # noqa: E731
            closes, funds=funds, benchmark="BENCH", as_of=days[-1]
        )
        rows.append((f"{count} funds x {len(days)} sessions", count, median_ms(table, repeat=5)))
    growth(rows, floor_ms)


def main() -> None:
    from bench import scale_notes

    print(f"machine: {machine()}")
    floor_ms = rerun_floor_ms()
    print(f"floor: one rerun of the minimal Streamlit app (bench/rerun.py) median {floor_ms:.1f} ms")
    if REAL_CLOSES.exists():
        returns = real_returns()
        bench_engine(returns, floor_ms)
        bench_funds(returns, floor_ms)
    else:
        print(f"(no {REAL_CLOSES}: engine and fund table skipped)")
    scale_notes.main(floor_ms)


if __name__ == "__main__":
    main()
