"""Benchmarks: `make bench` (or `python -m bench.run`). Prints figures for the README's "Speed" table.

- engine: the weekly summary (weekly closes, ratio, SMA13/26, deviations, moves) over 25 years of
  daily closes for three symbols; the target is under 50 ms.
- bench/cli.py: each command of `python -m lib.cli` in a fresh process against the import floor
  (`import pandas, pandas_market_calendars`); the target is `weekly` within 1.5 x the floor.
- bench/rerun.py: the Ratio page's rerun against a minimal Streamlit app, and PNG export.
- bench/refresh.py: the calls and rows a day's update asks Yahoo for (injected fetcher).
- bench/browser.py: the served pages in Chromium against minimal apps with the same widgets (a new
  session, a pair change, opening each page), points drawn per pixel column, cold start.
- bench/memory.py: server memory with 5 / 10 / 20 sessions that visit every page, and after they close.
- bench/scale.py: the weekly engine, the fund table and the notes search at 1x, 10x and 100x
  today's data, against the floor of one rerun (bench/scale_notes.py: the search, before and
  after the full-text index, on SQLite and PostgreSQL).
- bench/team.py: a team deployment's costs: opening an up-to-date price store, the refresh lock,
  the notes' revision read, each against a `SELECT 1` floor (SQLite, and PostgreSQL when set).
- bench/load.py: 1, 10 and 30 sessions through nginx and two replicas against one server alone.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

import pandas as pd

from lib.analytics.weekly import calc_weekly_summary
from lib.data.demo import demo_closes

SYMBOLS = ["^RUO", "^GSPC", "^DJI"]


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = names[0] if names else cpu
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, pandas {pd.__version__}"


def timed(action, repeat: int) -> list[float]:
    started = time.perf_counter()
    action()  # the first call pays for one-off work (the NYSE calendar, imports in a fresh process)
    print(f"  (first call: {(time.perf_counter() - started) * 1000:.1f} ms)")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def report(name: str, seconds: list[float], target: str) -> None:
    median, worst = statistics.median(seconds), max(seconds)
    print(f"{name:<52} median {median * 1000:8.1f} ms   max {worst * 1000:8.1f} ms   target {target}")


def bench_engine() -> None:
    closes = demo_closes(pd.Timestamp("2026-11-20"), start="2001-11-20")[SYMBOLS]
    years = (closes.index[-1] - closes.index[0]).days / 365.25
    print(f"engine input: {len(closes)} sessions x {len(SYMBOLS)} symbols ({years:.1f} years)")
    report(
        "weekly summary, 25 years x 3 symbols",
        timed(lambda: calc_weekly_summary(closes, source="bench"), repeat=30),
        "< 50 ms",
    )


def bench_funds() -> None:
    """The fund table for 50 funds with 20 years of daily prices (synthetic random walks)."""
    import numpy as np

    from lib.core import calendar
    from lib.views.funds_table import build_funds_table

    days = calendar.sessions("2006-11-01", "2026-10-30")
    rng = np.random.default_rng(7)
    walks = 100 * np.exp(np.cumsum(rng.normal(0.0003, 0.012, size=(len(days), 51)), axis=0))
    closes = pd.DataFrame(walks, index=days, columns=[f"F{n:02d}" for n in range(50)] + ["BENCH"])
    funds = list(closes.columns[:50])
    as_of = pd.Timestamp("2026-10-30")
    print(f"fund table input: {len(funds)} funds x {len(days)} sessions (20 years)")
    report(
        "fund table, 50 funds x 20 years (returns, risk, ranks)",
        timed(lambda: build_funds_table(closes, funds=funds, benchmark="BENCH", as_of=as_of), repeat=10),
        "< 100 ms",
    )
    # The same table in yen: every close converted with USD/JPY first (against the table above, same run).
    with_fx = closes.assign(**{"JPY=X": 150 * np.exp(np.cumsum(rng.normal(0.0, 0.006, size=len(days))))})
    report(
        "fund table in yen (50 conversions with JPY=X)",
        timed(
            lambda: build_funds_table(with_fx, funds=funds, benchmark="BENCH", as_of=as_of, currency="jpy"),
            repeat=10,
        ),
        "< 1.5 x the table above",
    )


def main() -> None:
    from bench import browser, cli, load, memory, refresh, rerun, scale, team

    print(f"machine: {machine()}")
    bench_engine()
    bench_funds()
    cli.main()
    rerun.main()
    refresh.main()
    browser.main()
    memory.main(("default",), data="real")
    memory.main(("default", "MALLOC_ARENA_MAX=2"), data="demo")  # 25 years of prices, the demo notes
    scale.main()
    team.main()
    load.main()


if __name__ == "__main__":
    main()
