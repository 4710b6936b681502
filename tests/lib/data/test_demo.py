import numpy as np
import pandas as pd

from lib.core import calendar
from lib.data.demo import DEMO_SYMBOLS, demo_closes


def test_demo_is_deterministic_and_past_values_never_change():
    early = demo_closes(pd.Timestamp("2026-01-07"))
    later = demo_closes(pd.Timestamp("2026-06-30"))
    pd.testing.assert_frame_equal(early, later.loc[: early.index[-1]])


def test_demo_levels_match_the_briefs_example_week():
    day = demo_closes(pd.Timestamp("2026-01-07")).loc["2026-01-02"]
    assert (day["^RUO"], day["^GSPC"]) == (1672.67, 6858.47)


def test_demo_covers_nyse_sessions_up_to_the_requested_day():
    closes = demo_closes(pd.Timestamp("2026-04-10"))
    assert closes.index[-1] == pd.Timestamp("2026-04-10")
    assert pd.Timestamp("2026-04-03") not in closes.index  # Good Friday
    assert closes.index.equals(calendar.sessions(closes.index[0], "2026-04-10"))
    assert set(DEMO_SYMBOLS) >= {"^RUO", "^GSPC", "^DJI", "VSGAX", "IWO"}


def test_demo_volatility_and_ratio_are_of_a_realistic_order():
    closes = demo_closes(pd.Timestamp("2026-01-07"))
    yearly_vol = np.log(closes).diff().std() * np.sqrt(252)
    assert 0.12 < yearly_vol["^GSPC"] < 0.25
    assert 0.17 < yearly_vol["^RUO"] < 0.35
    ratio = 100 * closes["^RUO"] / closes["^GSPC"]
    assert ratio.between(12, 60).all()
