"""The analyst's rule of thumb, tested on history: what the ratio did after the 26-week deviation
crossed a threshold (e.g. −3 points, which has preceded rebounds)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.core.settings import SIGNAL_HORIZONS_WEEKS, SIGNAL_THRESHOLD_PTS


@dataclass(frozen=True)
class SignalStudy:
    threshold_pts: float
    events: pd.DataFrame  # week_end, deviation_pts, ratio_pct, then change_<h>w_pts per horizon
    summary: pd.DataFrame  # per horizon: events (with a full horizon), hits, hit_rate_pct, mean_change_pts


def calc_signal_study(
    ratio: pd.DataFrame,
    *,
    threshold_pts: float = SIGNAL_THRESHOLD_PTS,
    horizons: tuple[int, ...] = SIGNAL_HORIZONS_WEEKS,
) -> SignalStudy:
    """Every week the deviation crossed `threshold_pts` and the ratio's change over each horizon.

    `ratio` is a weekly ratio frame (ratio_pct, deviation26_pts). A negative threshold counts
    crossings from above to at-or-below it, and a hit is a ratio higher h weeks later; a positive
    threshold counts crossings upward, and a hit is a ratio lower h weeks later. Events too recent
    to have a full horizon have an empty change and are left out of that horizon's hit rate.
    """
    deviation, level = ratio["deviation26_pts"], ratio["ratio_pct"]
    before = deviation.shift(1)
    if threshold_pts < 0:
        crossed = (before > threshold_pts) & (deviation <= threshold_pts)
    else:
        crossed = (before < threshold_pts) & (deviation >= threshold_pts)
    events = pd.DataFrame(
        {"week_end": ratio.index[crossed], "deviation_pts": deviation[crossed], "ratio_pct": level[crossed]}
    ).reset_index(drop=True)
    rows = []
    for weeks in horizons:
        change = (level.shift(-weeks) - level)[crossed].to_numpy()
        events[f"change_{weeks}w_pts"] = change
        known = pd.Series(change).dropna()
        hits = int((known > 0).sum() if threshold_pts < 0 else (known < 0).sum())
        rows.append(
            {
                "horizon_weeks": weeks,
                "events": len(known),
                "hits": hits,
                "hit_rate_pct": 100.0 * hits / len(known) if len(known) else float("nan"),
                "mean_change_pts": float(known.mean()) if len(known) else float("nan"),
            }
        )
    return SignalStudy(threshold_pts, events, pd.DataFrame(rows))
