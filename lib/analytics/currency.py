"""Closes in another currency: dollars into yen and back, with USD/JPY (Yahoo's `JPY=X`, yen per dollar).

A fund's return in yen over a period is (1 + r_USD)(1 + r_USDJPY) − 1; in dollars, a yen fund's is
(1 + r_JPY) / (1 + r_USDJPY) − 1. Both follow from converting the closes day by day before any
return is taken, which is what is done here: every figure of the fund table (returns, volatility,
tracking error, drawdown) then comes from one converted series, and the benchmark converted the same
way keeps excess return and tracking error in one currency.

Which rate converts a close: the latest USD/JPY close on or before the close's own date. FX trades on
days the NYSE or Tokyo is shut (a Japanese holiday, Good Friday) and Yahoo's FX bars have their own
gaps; taking the same date only would blank a fund's month-end whenever the FX bar of that date is
missing, while the last rate known that day is what a reader converting by hand would use. A rate
older than FX_STALE_DAYS calendar days converts nothing: the close is left empty rather than priced at
an old rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FX_STALE_DAYS = 7  # a week without a USD/JPY close (Yahoo's series has gaps of a day or two, not more)
CONVERTIBLE = ("USD", "JPY")  # the table converts between these; USD/JPY is the one rate it holds


def rate_on(fx: pd.Series, days: pd.DatetimeIndex) -> pd.Series:
    """USD/JPY (yen per dollar) to use on each of `days`: the latest close on or before the day, or
    NaN when that close is more than FX_STALE_DAYS old or there is none yet."""
    rates = fx.dropna().sort_index()
    taken = np.full(len(days), np.nan)
    if not rates.empty:
        position = rates.index.searchsorted(days, side="right") - 1
        known = position >= 0
        picked = position[known]
        age_days = (days[known] - rates.index[picked]).days.to_numpy()
        taken[known] = np.where(age_days <= FX_STALE_DAYS, rates.to_numpy()[picked], np.nan)
    return pd.Series(taken, index=days)


def to_currency(closes: pd.Series, fx: pd.Series, *, native: str, target: str) -> pd.Series:
    """`closes` (in `native`) in `target` on their own dates: a dollar close times USD/JPY is yen, a
    yen close divided by it is dollars. Raises ValueError for a pair other than USD and JPY."""
    if native == target:
        return closes
    if {native, target} != set(CONVERTIBLE):
        raise ValueError(f"no rate from {native} to {target}")
    held = closes.dropna()
    rates = rate_on(fx, pd.DatetimeIndex(held.index))
    converted = held * rates.to_numpy() if target == "JPY" else held / rates.to_numpy()
    return converted.reindex(closes.index)
