"""The weekly engine: pure functions on daily closes (see shared DOMAIN notes for every convention).

Inputs are daily closes: a DataFrame indexed by tz-naive session dates, one column per symbol.
`to_*` functions return series or frames; `calc_*` return numbers or small tables.
"""

from __future__ import annotations

import math

import pandas as pd

from lib import calendar
from lib.settings import (
    DIRECTION_THRESHOLDS,
    WEEKS_PER_SHORT_SMA,
    WEEKS_PER_SMA,
    DirectionThresholds,
)


def to_weekly(daily: pd.DataFrame, *, as_of: pd.Timestamp) -> pd.DataFrame:
    """Weekly closes (index points or prices), indexed by each week's last NYSE session.

    A completed week takes the close of its last session, or NaN when that bar is missing (a gap
    is never papered over with an earlier day). The week that contains `as_of`, when `as_of` is
    not its last session, is provisional and holds the `as_of` close (week to date).
    """
    if daily.empty:
        return daily.iloc[0:0]
    first = daily.index[0]
    days = calendar.sessions(first, as_of)
    if days.empty:
        return daily.iloc[0:0]
    week_ends = calendar.week_end_sessions(days).unique()
    taken = week_ends.where(week_ends <= days[-1], days[-1])
    weekly = daily.reindex(taken)
    weekly.index = pd.DatetimeIndex(week_ends, name="week_end")
    return weekly


def is_provisional(week_end: pd.Timestamp, as_of: pd.Timestamp) -> bool:
    """True when the week's last session comes after the data's latest closed session."""
    return week_end > as_of


def to_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Numerator ÷ denominator in percent (e.g. ^RUO/^GSPC = 24.39)."""
    return 100.0 * numerator / denominator


def to_sma(series: pd.Series, weeks: int = WEEKS_PER_SMA) -> pd.Series:
    """Simple mean of the last `weeks` values, the current one included; NaN until there are enough."""
    return series.rolling(weeks, min_periods=weeks).mean()


def to_ratio_frame(
    weekly_num: pd.Series,
    weekly_den: pd.Series,
    *,
    short_window: int = WEEKS_PER_SHORT_SMA,
    long_window: int = WEEKS_PER_SMA,
) -> pd.DataFrame:
    """The ratio with its 13- and 26-week averages and deviations, one row per week.

    Columns: ratio_pct and sma*_pct in percent; deviation*_pts in percentage points (the analyst's
    published convention: ratio − SMA); deviation26_rel_pct in percent of the SMA (乖離率).
    On daily closes pass the windows in sessions (65 and 130 for 13 and 26 weeks); the column
    names keep their weekly meaning.
    """
    ratio = to_ratio(weekly_num, weekly_den)
    sma26 = to_sma(ratio, long_window)
    sma13 = to_sma(ratio, short_window)
    return pd.DataFrame(
        {
            "ratio_pct": ratio,
            "sma13_pct": sma13,
            "sma26_pct": sma26,
            "deviation13_pts": ratio - sma13,
            "deviation26_pts": ratio - sma26,
            "deviation26_rel_pct": 100.0 * (ratio / sma26 - 1.0),
        }
    )


def to_weekly_changes(weekly_close: pd.Series) -> pd.DataFrame:
    """Close, previous week's close, change (points) and change (%) per week."""
    previous = weekly_close.shift(1)
    change = weekly_close - previous
    return pd.DataFrame(
        {
            "close": weekly_close,
            "prev_close": previous,
            "change": change,
            "change_pct": 100.0 * change / previous,
        }
    )


_WORDS = {
    # (this week up, previous week up) -> (Japanese, English)
    (True, True): ("続伸", "extended gains"),
    (True, False): ("反発", "rebounded"),
    (False, False): ("続落", "extended losses"),
    (False, True): ("反落", "fell back"),
}
_FLAT = ("ほぼ横ばい", "little changed")
_SMALL = ("小幅", "slightly")
_LARGE = ("大幅", "sharply")


def calc_direction(
    change_pct: float,
    prev_change_pct: float,
    *,
    thresholds: DirectionThresholds = DIRECTION_THRESHOLDS,
) -> tuple[str, str]:
    """The direction word for a week, as (Japanese, English), e.g. ("小幅反落", "fell back slightly").

    A previous week with no change counts as up. Moves under `flat_pct` are ほぼ横ばい whatever the
    previous week did.
    """
    if math.isnan(change_pct) or math.isnan(prev_change_pct):
        return ("", "")
    size = abs(change_pct)
    if size < thresholds.flat_pct:
        return _FLAT
    word_ja, word_en = _WORDS[(change_pct > 0, prev_change_pct >= 0)]
    if size < thresholds.small_pct:
        return (_SMALL[0] + word_ja, f"{word_en} {_SMALL[1]}")
    if size >= thresholds.large_pct:
        return (_LARGE[0] + word_ja, f"{word_en} {_LARGE[1]}")
    return (word_ja, word_en)


def to_rebased(prices: pd.DataFrame | pd.Series, *, base: float = 100.0) -> pd.DataFrame | pd.Series:
    """Each column divided by its first valid value, times `base` (relative performance)."""
    first = prices.bfill().iloc[0]
    return base * prices / first


def calc_percentile(history: pd.Series, value: float) -> float:
    """Percentile rank of `value` in `history` (percent of observations at or below it)."""
    clean = history.dropna()
    return math.nan if clean.empty else 100.0 * float((clean <= value).mean())


def calc_zscore(history: pd.Series, value: float) -> float:
    """How many standard deviations (sample, n−1) `value` sits from the mean of `history`."""
    clean = history.dropna()
    if len(clean) < 2 or clean.std() == 0:
        return math.nan
    return float((value - clean.mean()) / clean.std())
