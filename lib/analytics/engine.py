"""The weekly engine: pure functions on daily closes (see shared DOMAIN notes for every convention).

Inputs are daily closes: a DataFrame indexed by tz-naive session dates, one column per symbol.
`to_*` functions return series or frames; `calc_*` return numbers or small tables.
"""

from __future__ import annotations

import math

import pandas as pd

from lib.core import calendar
from lib.core.i18n import Message, message
from lib.core.settings import (
    DIRECTION_THRESHOLDS,
    SMA_MAX_MISSING_SHARE,
    WEEKS_PER_SHORT_SMA,
    WEEKS_PER_SMA,
    DirectionThresholds,
)


def to_weekly(daily: pd.DataFrame, *, as_of: pd.Timestamp, strict: bool = False) -> pd.DataFrame:
    """Weekly closes (index points or prices), indexed by each week's last NYSE session.

    A completed week takes the close of its last session. When that bar is missing, the latest
    earlier close of the same week stands in (an analyst quotes Thursday's close when Friday's is
    missing; `week_sessions` says which day was used); `strict` leaves it NaN instead. A close is
    never carried into another week. The week that contains `as_of`, when `as_of` is not its last
    session, is provisional and holds the `as_of` close (week to date).
    """
    if daily.empty:
        return daily.iloc[0:0]
    days = calendar.sessions(daily.index[0], as_of)
    if days.empty:
        return daily.iloc[0:0]
    week_of_day = calendar.week_end_sessions(days)
    by_day = daily.reindex(days)
    if not strict:
        by_day = by_day.groupby(week_of_day.to_numpy()).ffill()
    week_ends = week_of_day.unique()
    weekly = by_day.reindex(week_ends.where(week_ends <= days[-1], days[-1]))
    weekly.index = pd.DatetimeIndex(week_ends, name="week_end")
    return weekly


def week_sessions(daily: pd.Series, *, as_of: pd.Timestamp, strict: bool = False) -> pd.Series:
    """For each week, the session whose close `to_weekly` takes (NaT when the week has none)."""
    held = pd.Series(daily.index.where(daily.notna()), index=daily.index)
    return to_weekly(held.to_frame("session"), as_of=as_of, strict=strict)["session"]


def is_provisional(week_end: pd.Timestamp, as_of: pd.Timestamp) -> bool:
    """True when the week's last session comes after the data's latest closed session."""
    return week_end > as_of


def to_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Numerator ÷ denominator in percent (e.g. ^RUO/^GSPC = 24.39)."""
    return 100.0 * numerator / denominator


def to_sma(series: pd.Series, weeks: int = WEEKS_PER_SMA, *, max_missing: int = 0) -> pd.Series:
    """Simple mean of the last `weeks` values, the current one included.

    NaN until the series has run for a whole window; after that, a window with up to `max_missing`
    gaps (NaN) is the mean of the values it has, so one missing close cannot blank the average for
    the whole window that follows it.
    """
    sma = series.rolling(weeks, min_periods=weeks - max_missing).mean()
    started = series.notna().cumsum() > 0
    run_length = started.cumsum()  # 1 at the first value, counting every row after it
    return sma.where(run_length >= weeks)


def missing_allowed(window: int, *, strict: bool = False) -> int:
    """How many gaps a moving-average window of `window` closes may have (settings)."""
    return 0 if strict else int(window * SMA_MAX_MISSING_SHARE)


def to_ratio_frame(
    weekly_num: pd.Series,
    weekly_den: pd.Series,
    *,
    short_window: int = WEEKS_PER_SHORT_SMA,
    long_window: int = WEEKS_PER_SMA,
    strict: bool = False,
) -> pd.DataFrame:
    """The ratio with its 13- and 26-week averages and deviations, one row per week.

    Columns: ratio_pct and sma*_pct in percent; deviation*_pts in percentage points (the analyst's
    published convention: ratio − SMA); deviation26_rel_pct in percent of the SMA (the relative deviation).
    On daily closes pass the windows in sessions (65 and 130 for 13 and 26 weeks); the column
    names keep their weekly meaning. An average stands with a few gaps in its window (settings,
    SMA_MAX_MISSING_SHARE) unless `strict`.
    """
    ratio = to_ratio(weekly_num, weekly_den)
    sma26 = to_sma(ratio, long_window, max_missing=missing_allowed(long_window, strict=strict))
    sma13 = to_sma(ratio, short_window, max_missing=missing_allowed(short_window, strict=strict))
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


# (this week up, previous week up) -> the direction word's key in the message catalogues
# (続伸 extended gains, 反発 rebounded, 続落 extended losses, 反落 fell back).
_WORDS = {
    (True, True): "direction_extended_gains",
    (True, False): "direction_rebounded",
    (False, False): "direction_extended_losses",
    (False, True): "direction_fell_back",
}


def calc_direction_message(
    change_pct: float,
    prev_change_pct: float,
    *,
    thresholds: DirectionThresholds = DIRECTION_THRESHOLDS,
) -> Message | None:
    """The direction word for a week as a catalogue message (None without both weeks' moves).

    A previous week with no change counts as up. Moves under `flat_pct` are "little changed" whatever
    the previous week did; under `small_pct` the word is "slightly", from `large_pct` "sharply".
    """
    if math.isnan(change_pct) or math.isnan(prev_change_pct):
        return None
    size = abs(change_pct)
    if size < thresholds.flat_pct:
        return message("direction_flat")
    word = message(_WORDS[(change_pct > 0, prev_change_pct >= 0)])
    if size < thresholds.small_pct:
        return message("direction_small", word=word)
    if size >= thresholds.large_pct:
        return message("direction_large", word=word)
    return word


def calc_direction(
    change_pct: float,
    prev_change_pct: float,
    *,
    thresholds: DirectionThresholds = DIRECTION_THRESHOLDS,
) -> tuple[str, str]:
    """The direction word for a week as (Japanese, English) from the catalogues; ("", "") without both
    weeks' moves."""
    # e.g. ("小幅反落", "fell back slightly") for -0.5 % after a rise
    said = calc_direction_message(change_pct, prev_change_pct, thresholds=thresholds)
    return ("", "") if said is None else (said.text("ja"), said.text("en"))


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
