import math

import pandas as pd
import pytest

from lib.analytics.signals import calc_signal_study


def hand_made() -> pd.DataFrame:
    weeks = pd.date_range("2025-01-03", periods=10, freq="W-FRI")
    return pd.DataFrame(
        {
            "deviation26_pts": [-1, -2, -3.2, -3.5, -1, 0, -3.0, -2, -1, 0],
            "ratio_pct": [20, 19.5, 19, 18.8, 19.5, 20, 19, 18.5, 19.2, 20.5],
        },
        index=weeks,
    )


def test_crossings_of_minus_three_and_what_followed():
    # Crossings (from above −3 to at-or-below): week 2 (−2 → −3.2) and week 6 (0 → −3.0);
    # week 3 (−3.2 → −3.5) stays below and is not a new crossing.
    study = calc_signal_study(hand_made(), threshold_pts=-3.0, horizons=(2, 3, 4))
    assert study.events["week_end"].tolist() == [pd.Timestamp("2025-01-17"), pd.Timestamp("2025-02-14")]
    # 2 weeks later: 19 → 19.5 (+0.5) and 19 → 19.2 (+0.2): both hits
    assert study.events["change_2w_pts"].tolist() == pytest.approx([0.5, 0.2])
    summary = study.summary.set_index("horizon_weeks")
    assert summary.loc[2, "hit_rate_pct"] == 100.0
    # 3 weeks later: 19 → 20 and 19 → 20.5: mean +1.25
    assert summary.loc[3, "mean_change_pts"] == pytest.approx(1.25)
    # 4 weeks later: 19 → 19 (no rise, not a hit); the second event has no 4-week future
    assert (summary.loc[4, "events"], summary.loc[4, "hits"], summary.loc[4, "hit_rate_pct"]) == (1, 0, 0.0)
    assert math.isnan(study.events["change_4w_pts"].iloc[1])


def test_a_positive_threshold_counts_upward_crossings_and_falls_as_hits():
    frame = hand_made()
    frame["deviation26_pts"] = -frame["deviation26_pts"]
    study = calc_signal_study(frame, threshold_pts=3.0, horizons=(2,))
    assert len(study.events) == 2
    assert study.summary["hit_rate_pct"].iloc[0] == 0.0  # the ratio rose both times


def test_no_crossing_gives_an_empty_study():
    frame = hand_made().assign(deviation26_pts=0.0)
    study = calc_signal_study(frame, threshold_pts=-3.0, horizons=(4,))
    assert study.events.empty
    assert study.summary["events"].iloc[0] == 0
    assert math.isnan(study.summary["hit_rate_pct"].iloc[0])
