"""Fund performance as the analyst tabulates it (see shared DOMAIN notes, "Fund performance").

Total returns from adjusted closes, trailing periods from month-end to month-end (or from the
latest close), periods of a year or more annualised geometrically, risk over the last 3 years from
monthly returns. Inputs are wide daily closes (one column per fund); every function works on all
funds at once, so a table of 50 funds over 20 years takes milliseconds.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lib.analytics import engine
from lib.core import calendar
from lib.core.i18n import Message, message

PERIODS = ("1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y", "since_inception")
PERIOD_MONTHS = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12, "3Y": 36, "5Y": 60, "10Y": 120}
RISK_MONTHS = 36
MONTHS_PER_YEAR = 12
DAYS_PER_YEAR = 365.25


def month_end_sessions(start: object, end: object) -> pd.DatetimeIndex:
    """The last NYSE session of each calendar month from start to end (2024-03-28 for March 2024:
    Good Friday closed the 29th)."""
    end = calendar.parse_date(end)
    days = calendar.sessions(start, end + pd.offsets.MonthEnd(0))  # whole months, then cut at `end`
    ends = pd.DatetimeIndex(pd.Series(days, index=days).groupby(days.to_period("M")).max().to_numpy())
    return ends[ends <= end]


def last_month_end(as_of: pd.Timestamp) -> pd.Timestamp:
    """The latest month-end session at or before `as_of` (the analyst's default as-of date)."""
    ends = month_end_sessions(as_of - pd.DateOffset(months=2), as_of)
    return ends[ends <= as_of][-1]


def is_month_end(day: pd.Timestamp) -> bool:
    return last_month_end(day) == day


def on_own_month_ends(prices: pd.DataFrame, symbols: list[str], *, as_of: pd.Timestamp) -> pd.DataFrame:
    """`prices` with each of `symbols` (funds priced on another calendar: a Japanese investment trust
    on Tokyo's) valued at its own month-end, its last NAV of the month, on the NYSE month-end session.

    A Japanese fund's March 2024 ends on its NAV of 03-29, a Tokyo business day after NYSE's last session of
    March (03-28, Good Friday): that NAV is moved onto 03-28, in place of the 03-28 one, so that every
    month-end to month-end return takes it. A month whose last NAV comes before the NYSE month-end
    (12-30 before 12-31) needs nothing: the NAV is carried forward to the session."""
    ends = month_end_sessions(prices.index.min(), as_of)
    moved = prices.reindex(prices.index.union(ends))
    for symbol in symbols:
        navs = moved[symbol].dropna()
        last_of_month = pd.Series(navs.index, index=navs.index).groupby(navs.index.to_period("M")).max()
        nyse_end = pd.Series(ends, index=ends.to_period("M")).reindex(last_of_month.index)
        late = last_of_month[(last_of_month > nyse_end) & nyse_end.notna()]
        for month, day in late.items():
            moved.loc[nyse_end[month], symbol] = navs[day]
            moved.loc[day, symbol] = np.nan
    return moved


def period_starts(as_of: pd.Timestamp, first_day: pd.Timestamp) -> dict[str, pd.Timestamp]:
    """The start date of each trailing period ending at `as_of`.

    From a month-end, an n-month period starts at the month-end session n months earlier; from
    any other day, at the last session on or before the same day n months earlier. YTD starts at
    the last session of the previous year; since inception at the fund's first day.
    """
    starts: dict[str, pd.Timestamp] = {}
    month_end = is_month_end(as_of)
    for period, months in PERIOD_MONTHS.items():
        if month_end:
            target = (as_of.to_period("M") - months).to_timestamp(how="end").normalize()
            starts[period] = last_month_end(target)
        else:
            back = as_of - pd.DateOffset(months=months)
            starts[period] = calendar.sessions(back - pd.Timedelta(days=10), back)[-1]
    starts["YTD"] = last_month_end(pd.Timestamp(year=as_of.year - 1, month=12, day=31))
    starts["since_inception"] = first_day
    return dict(sorted(starts.items(), key=lambda item: PERIODS.index(item[0])))


def calc_trailing_returns(prices: pd.DataFrame, *, as_of: pd.Timestamp) -> pd.DataFrame:
    """Trailing total returns in percent, one row per fund, one column per period; periods of a
    year or more annualised. NaN where the fund's history starts after the period does."""
    history = prices.loc[:as_of]
    filled = history.ffill()
    end_values = filled.iloc[-1]
    first_days = history.apply(pd.Series.first_valid_index)
    starts = period_starts(as_of, as_of)
    table = {}
    for period in PERIODS:
        if period == "since_inception":
            table[period] = _since_inception(history, end_values, first_days, as_of)
            continue
        start = starts[period]
        start_values = filled.loc[:start].iloc[-1] if not filled.loc[:start].empty else end_values * np.nan
        growth = end_values / start_values
        months = PERIOD_MONTHS.get(period)
        table[period] = _annualised(growth, months / MONTHS_PER_YEAR) if months and months >= 12 else growth - 1
    return 100.0 * pd.DataFrame(table)


def missing_reasons(prices: pd.DataFrame, *, as_of: pd.Timestamp) -> dict[str, dict[str, Message]]:
    """Why a period has no return, per fund and period (e.g. {"5Y": "history starts 2021-02-01"} in English)."""
    first_days = prices.loc[:as_of].apply(pd.Series.first_valid_index)
    starts = period_starts(as_of, as_of)
    reasons: dict[str, dict[str, Message]] = {}
    for symbol, first in first_days.items():
        if first is None or pd.isna(first):
            reasons[symbol] = {period: message("fund_no_prices_up_to", day=as_of.date()) for period in PERIODS}
            continue
        starts_late = message("fund_history_starts", day=first.date())
        late = {p: starts_late for p, s in starts.items() if p != "since_inception" and first > s}
        if late:
            reasons[symbol] = late
    return reasons


def calc_risk(prices: pd.DataFrame, benchmark: pd.Series, *, as_of: pd.Timestamp, risk_free_pct: float) -> pd.DataFrame:
    """Over the last 3 years: annualised volatility (%) from monthly returns, maximum drawdown (%)
    from daily closes, Sharpe ratio, and tracking error (%) against the benchmark. NaN for a fund
    with less than 3 years of history."""
    start = period_starts(as_of, as_of)["3Y"]
    ends = month_end_sessions(start, as_of)
    ends = ends.union(pd.DatetimeIndex([start, as_of]))
    filled = prices.loc[:as_of].ffill()
    monthly = filled.reindex(ends, method="ffill").pct_change().iloc[1:]
    bench_monthly = benchmark.loc[:as_of].ffill().reindex(ends, method="ffill").pct_change().iloc[1:]
    window = prices.loc[start:as_of]
    complete = window.iloc[0].notna() if not window.empty else pd.Series(False, index=prices.columns)
    volatility = 100.0 * monthly.std(ddof=1) * math.sqrt(MONTHS_PER_YEAR)
    drawdown = 100.0 * (window.ffill() / window.ffill().cummax() - 1.0).min()
    growth = filled.iloc[-1] / filled.reindex([start], method="ffill").iloc[0]
    annual = 100.0 * _annualised(growth, RISK_MONTHS / MONTHS_PER_YEAR)
    tracking = 100.0 * monthly.sub(bench_monthly, axis=0).std(ddof=1) * math.sqrt(MONTHS_PER_YEAR)
    risk = pd.DataFrame(
        {
            "volatility": volatility,
            "max_drawdown": drawdown,
            "sharpe": (annual - risk_free_pct) / volatility,
            "tracking_error_3Y": tracking,
        }
    )
    return risk.where(complete, np.nan)


def to_growth(prices: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp, base: float = 10_000.0) -> pd.DataFrame:
    """Growth of `base` invested at each fund's first close on or after `start`."""
    return engine.to_rebased(prices.loc[start:end].ffill(), base=base)


def to_drawdowns(prices: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Drawdown from the running peak within the window, in percent (0 at a new high)."""
    window = prices.loc[start:end].ffill()
    return 100.0 * (window / window.cummax() - 1.0)


def _annualised(growth: pd.Series, years: float) -> pd.Series:
    return growth ** (1.0 / years) - 1.0


def _since_inception(
    history: pd.DataFrame, end_values: pd.Series, first_days: pd.Series, as_of: pd.Timestamp
) -> pd.Series:
    result = {}
    for symbol, first in first_days.items():
        if first is None or pd.isna(first):
            result[symbol] = np.nan
            continue
        growth = end_values[symbol] / history.at[first, symbol]
        years = (as_of - first).days / DAYS_PER_YEAR
        result[symbol] = growth ** (1.0 / years) - 1.0 if years >= 1 else growth - 1.0
    return pd.Series(result, dtype=float)
