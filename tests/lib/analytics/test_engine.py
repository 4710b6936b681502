"""Engine checks: hand-worked examples, published figures, real closes, metamorphic relations."""

import math

import numpy as np
import pandas as pd
import pytest

from lib.analytics import engine


def daily(values: dict[str, float], symbol: str = "X") -> pd.DataFrame:
    return pd.DataFrame({symbol: list(values.values())}, index=pd.DatetimeIndex(list(values), name="date"))


def test_weekly_close_is_the_last_session_of_each_week_good_friday_included():
    closes = daily(
        {
            "2026-03-26": 10.0,
            "2026-03-27": 11.0,  # Friday
            "2026-03-30": 12.0,
            "2026-04-01": 13.0,
            "2026-04-02": 14.0,  # Thursday before Good Friday: the week's close
            "2026-04-06": 15.0,
            "2026-04-10": 16.0,
        }
    )
    weekly = engine.to_weekly(closes, as_of=pd.Timestamp("2026-04-10"))
    assert list(weekly.index.strftime("%Y-%m-%d")) == ["2026-03-27", "2026-04-02", "2026-04-10"]
    assert list(weekly["X"]) == [11.0, 14.0, 16.0]


def test_strict_a_missing_last_session_is_a_gap_not_an_earlier_day():
    closes = daily({"2026-01-05": 10.0, "2026-01-08": 11.0, "2026-01-16": 12.0})  # 2026-01-09 missing
    weekly = engine.to_weekly(closes, as_of=pd.Timestamp("2026-01-16"), strict=True)
    assert math.isnan(weekly.loc["2026-01-09", "X"])
    assert weekly.loc["2026-01-16", "X"] == 12.0


def test_a_missing_last_session_takes_the_weeks_latest_close_and_never_another_weeks():
    # Friday 2026-01-09 missing: Thursday's 11.0 stands in. The week of 01-12 has no close at all:
    # Friday 01-09's stand-in is not carried into it.
    closes = daily({"2026-01-05": 10.0, "2026-01-08": 11.0, "2026-01-20": 12.0, "2026-01-23": 13.0})
    weekly = engine.to_weekly(closes, as_of=pd.Timestamp("2026-01-23"))
    assert weekly.loc["2026-01-09", "X"] == 11.0
    assert math.isnan(weekly.loc["2026-01-16", "X"])
    assert weekly.loc["2026-01-23", "X"] == 13.0
    used = engine.week_sessions(closes["X"], as_of=pd.Timestamp("2026-01-23"))
    assert used["2026-01-09"] == pd.Timestamp("2026-01-08")
    assert pd.isna(used["2026-01-16"])


def test_the_week_containing_as_of_holds_the_week_to_date_close():
    closes = daily({"2026-01-09": 10.0, "2026-01-12": 11.0, "2026-01-13": 12.0})
    weekly = engine.to_weekly(closes, as_of=pd.Timestamp("2026-01-13"))
    assert weekly.index[-1] == pd.Timestamp("2026-01-16")  # labelled by the week's last session
    assert weekly["X"].iloc[-1] == 12.0
    assert engine.is_provisional(weekly.index[-1], pd.Timestamp("2026-01-13"))
    assert not engine.is_provisional(pd.Timestamp("2026-01-09"), pd.Timestamp("2026-01-13"))


def test_weekly_change_of_the_briefs_example_week():
    # Brief: Russell 2000 Growth 1672.67 on 2026-01-02, −17.96 points (−1.06%) versus 1690.63.
    weekly = pd.Series([1690.63, 1672.67], index=pd.to_datetime(["2025-12-26", "2026-01-02"]))
    week = engine.to_weekly_changes(weekly).iloc[-1]
    assert week["change"] == pytest.approx(-17.96, abs=1e-9)
    assert round(week["change_pct"], 2) == -1.06


def test_ratio_of_the_briefs_example_week():
    # Brief: 1672.71 / 6858.47 = 24.39%
    assert round(engine.to_ratio(1672.71, 6858.47), 2) == 24.39


def test_sma_includes_the_current_week_and_waits_for_26_weeks():
    series = pd.Series(np.arange(1.0, 28.0))  # 1, 2, ..., 27
    sma = engine.to_sma(series, 26)
    assert sma.iloc[:25].isna().all()
    assert sma.iloc[25] == pytest.approx(13.5)  # mean of 1..26
    assert sma.iloc[26] == pytest.approx(14.5)  # mean of 2..27


def test_deviation_in_points_and_relative_on_a_worked_example():
    # 25 weeks at 24.0% then 26.6%: SMA26 = (25 × 24 + 26.6) / 26 = 24.1;
    # deviation = 26.6 − 24.1 = 2.5 points; relative = 2.5 / 24.1 = 10.373 %.
    numerator = pd.Series([24.0] * 25 + [26.6])
    frame = engine.to_ratio_frame(numerator, pd.Series([100.0] * 26))
    last = frame.iloc[-1]
    assert last["sma26_pct"] == pytest.approx(24.1)
    assert last["deviation26_pts"] == pytest.approx(2.5)
    assert last["deviation26_rel_pct"] == pytest.approx(10.3734, abs=1e-4)
    # 13-week: 12 × 24 + 26.6 = 314.6, / 13 = 24.2; deviation 2.4 points
    assert last["deviation13_pts"] == pytest.approx(2.4)


@pytest.mark.parametrize(
    ("change", "previous", "ja", "en"),
    [
        (1.5, 0.8, "続伸", "extended gains"),
        (1.5, -0.8, "反発", "rebounded"),
        (-1.06, 0.5, "反落", "fell back"),  # the brief's example week
        (-1.5, -0.8, "続落", "extended losses"),
        (0.5, 0.8, "小幅続伸", "extended gains slightly"),
        (-0.99, 2.0, "小幅反落", "fell back slightly"),
        (3.0, -1.0, "大幅反発", "rebounded sharply"),
        (-4.2, -1.0, "大幅続落", "extended losses sharply"),
        (0.05, -2.0, "ほぼ横ばい", "little changed"),
        (-0.09, 2.0, "ほぼ横ばい", "little changed"),
    ],
)
def test_direction_words(change, previous, ja, en):
    assert engine.calc_direction(change, previous) == (ja, en)


def test_direction_thresholds_are_settings():
    from lib.core.settings import DirectionThresholds

    strict = DirectionThresholds(flat_pct=0.0, small_pct=0.5, large_pct=1.0)
    assert engine.calc_direction(-1.06, 0.5, thresholds=strict) == ("大幅反落", "fell back sharply")


# --- Real closes from ../shared/data ----------------------------------------------------------
# Expected values below were worked out outside this code: closes read off daily_closes.csv, and
# the ratio averages computed with awk over the last close of each ISO week (the file has no gaps
# for ^RUO and ^GSPC in 2024-11-20..2025-12-16, so that equals the last NYSE session of the week).


def test_sp500_weekly_move_matches_the_published_figure(real_daily):
    # Brief: S&P 500 −1.03% in the week to 2026-01-02; close 6858.47 (FRED).
    weekly = engine.to_weekly(real_daily[["^GSPC"]], as_of=pd.Timestamp("2026-08-31"))
    week = engine.to_weekly_changes(weekly["^GSPC"]).loc["2026-01-02"]
    assert week["close"] == 6858.47
    assert round(week["change_pct"], 2) == -1.03


def test_good_friday_2026_week_closes_on_thursday(real_daily):
    weekly = engine.to_weekly(real_daily[["^GSPC"]], as_of=pd.Timestamp("2026-08-31"))
    assert weekly.loc["2026-04-02", "^GSPC"] == 6582.69  # the 2026-04-02 row of the file
    assert pd.Timestamp("2026-04-03") not in weekly.index


@pytest.mark.parametrize(
    ("week", "ratio", "sma26", "deviation", "relative", "sma13"),
    [
        ("2025-07-03", 23.7387627700, 23.8719006923, -0.1331379223, -0.5577181473, 23.4735638154),
        ("2025-08-29", 24.2957713776, 23.5548074649, 0.7409639127, 3.1457014192, 23.6835371079),
        ("2025-11-28", 24.4435392147, 24.0743860887, 0.3691531260, 1.5333854190, 24.4652350695),
        ("2025-12-12", 24.8470503456, 24.1541058574, 0.6929444882, 2.8688476084, 24.5209683023),
    ],
)
def test_ratio_and_deviation_on_real_closes(real_daily, week, ratio, sma26, deviation, relative, sma13):
    pair = real_daily[["^RUO", "^GSPC"]].dropna()
    weekly = engine.to_weekly(pair, as_of=pair.index[-1])
    row = engine.to_ratio_frame(weekly["^RUO"], weekly["^GSPC"]).loc[week]
    assert row["ratio_pct"] == pytest.approx(ratio, abs=1e-8)
    assert row["sma26_pct"] == pytest.approx(sma26, abs=1e-8)
    assert row["deviation26_pts"] == pytest.approx(deviation, abs=1e-8)
    assert row["deviation26_rel_pct"] == pytest.approx(relative, abs=1e-8)
    assert row["sma13_pct"] == pytest.approx(sma13, abs=1e-8)


# --- Metamorphic relations ---------------------------------------------------------------------


def random_pair(seed: int = 7, days: int = 400) -> pd.DataFrame:
    index = pd.bdate_range("2024-01-02", periods=days, name="date")
    rng = np.random.default_rng(seed)
    steps = rng.normal(0, 0.01, size=(days, 2))
    return pd.DataFrame(100 * np.exp(np.cumsum(steps, axis=0)), index=index, columns=["N", "D"])


def ratio_frame(closes: pd.DataFrame) -> pd.DataFrame:
    weekly = engine.to_weekly(closes, as_of=closes.index[-1])
    return engine.to_ratio_frame(weekly["N"], weekly["D"])


def test_scaling_both_indices_leaves_ratio_and_deviation_unchanged():
    closes = random_pair()
    base, scaled = ratio_frame(closes), ratio_frame(closes * 37.5)
    pd.testing.assert_frame_equal(base, scaled, rtol=1e-12)


def test_scaling_the_numerator_scales_points_but_not_the_relative_deviation():
    closes = random_pair()
    scaled_closes = closes.assign(N=closes["N"] * 2.0)
    base, scaled = ratio_frame(closes), ratio_frame(scaled_closes)
    pd.testing.assert_series_equal(base["deviation26_pts"] * 2.0, scaled["deviation26_pts"], rtol=1e-12)
    pd.testing.assert_series_equal(base["deviation26_rel_pct"], scaled["deviation26_rel_pct"], rtol=1e-9)


def test_mid_week_closes_do_not_move_completed_weekly_closes():
    closes = random_pair()
    weekly = engine.to_weekly(closes, as_of=closes.index[-1])
    mid_week = closes.index.day_of_week < 3
    perturbed = closes.mul(np.where(mid_week, 5.0, 1.0), axis=0)
    completed = weekly.index[:-1]
    pd.testing.assert_frame_equal(
        weekly.loc[completed], engine.to_weekly(perturbed, as_of=closes.index[-1]).loc[completed]
    )


def test_rebased_series_start_at_100():
    closes = random_pair()
    rebased = engine.to_rebased(closes)
    assert rebased.iloc[0].tolist() == [100.0, 100.0]
    assert rebased["N"].iloc[10] == pytest.approx(100 * closes["N"].iloc[10] / closes["N"].iloc[0])


def test_percentile_rank_and_zscore_on_worked_examples():
    # 3 is at or above 3 of the 4 values: 75th percentile
    assert engine.calc_percentile(pd.Series([1.0, 2.0, 3.0, 4.0]), 3.0) == 75.0
    # mean 3, sample standard deviation √2.5 = 1.5811; (5 − 3) / 1.5811 = 1.2649
    assert engine.calc_zscore(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]), 5.0) == pytest.approx(1.264911, abs=1e-6)
    assert math.isnan(engine.calc_zscore(pd.Series([2.0, 2.0]), 2.0))


def test_daily_windows_are_sessions():
    # 130 sessions at 24.0 then one at 37.0: SMA130 = (129 × 24 + 37) / 130 = 24.1
    ratio = pd.Series([24.0] * 130 + [37.0])
    frame = engine.to_ratio_frame(ratio, pd.Series([100.0] * 131), short_window=65, long_window=130)
    assert frame["sma26_pct"].iloc[-1] == pytest.approx(24.1)
    assert frame["deviation26_pts"].iloc[-1] == pytest.approx(12.9)


def test_an_average_stands_with_a_gap_in_its_window_but_not_before_a_whole_window():
    # 28 weeks: 1, 2, ..., 28 with week 10 missing. Hand-worked: at week 26 the window holds 1..26
    # without 10, so the mean is (351 - 10) / 25 = 13.64; at week 27 the window is 2..27 without 10:
    # (377 - 10) / 25 = 14.68. Before week 26 there is no 26-week average, gap or not.
    values = [float(v) for v in range(1, 29)]
    values[9] = math.nan
    series = pd.Series(values)
    sma = engine.to_sma(series, 26, max_missing=2)
    assert sma.iloc[:25].isna().all()
    assert sma.iloc[25] == pytest.approx(13.64)
    assert sma.iloc[26] == pytest.approx(14.68)
    strict = engine.to_sma(series, 26)
    assert strict.iloc[25:28].isna().all()  # strict: every close of the window is needed
    assert engine.missing_allowed(26) == 2 and engine.missing_allowed(130) == 13
    assert engine.missing_allowed(26, strict=True) == 0


def test_an_average_with_more_gaps_than_allowed_is_left_out():
    values = [1.0] * 30
    for week in (20, 21, 22):
        values[week] = math.nan
    sma = engine.to_sma(pd.Series(values), 26, max_missing=2)
    assert math.isnan(sma.iloc[25]) and math.isnan(sma.iloc[29])
