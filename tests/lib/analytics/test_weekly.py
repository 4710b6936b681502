import pandas as pd
import pytest

from lib.analytics.weekly import calc_weekly_summary
from lib.core.errors import MissingClose, OutsideData, UnknownSymbol


def test_independence_day_week_on_real_closes(real_daily):
    # Closes read off daily_closes.csv: 2025-06-27 and 2025-07-03 (the holiday week's last session).
    summary = calc_weekly_summary(real_daily, source="file", week_of=pd.Timestamp("2025-07-01"))
    assert summary.week_end == pd.Timestamp("2025-07-03")
    assert not summary.provisional
    ruo, dow = summary.indices["^RUO"], summary.indices["^DJI"]
    assert (ruo.close, ruo.prev_close) == (1490.64, 1453.52)
    assert ruo.change == pytest.approx(37.12)
    assert ruo.change_pct == pytest.approx(100 * 37.12 / 1453.52)
    assert (dow.close, dow.prev_close) == (44828.53, 43819.27)
    assert summary.ratio.pct == pytest.approx(100 * 1490.64 / 6279.35)
    assert summary.ratio.deviation_pts == pytest.approx(-0.1331379223, abs=1e-8)  # awk, see test_engine


def test_latest_week_is_provisional_when_the_data_ends_mid_week(real_daily):
    summary = calc_weekly_summary(real_daily, source="file")
    assert summary.as_of == pd.Timestamp("2025-12-16")  # last day with both ^RUO and ^GSPC
    assert summary.week_end == pd.Timestamp("2025-12-19")
    assert summary.provisional
    assert summary.indices["^RUO"].close == 1672.41
    assert summary.indices["^RUO"].prev_close == 1696.41  # Friday 2025-12-12
    assert any("Provisional" in str(notice) for notice in summary.notices)


def test_json_shape_is_stable(real_daily):
    data = calc_weekly_summary(real_daily, source="file x.csv", week_of=pd.Timestamp("2025-07-03")).to_dict()
    assert list(data) == ["as_of", "week_end", "provisional", "source", "indices", "ratio", "notices"]
    assert list(data["indices"]) == ["^RUO", "^DJI", "^GSPC"]
    assert set(data["indices"]["^GSPC"]) == {
        "close",
        "prev_close",
        "change",
        "change_pct",
        "direction_ja",
        "direction_en",
    }
    for key in ("pct", "sma26_pct", "deviation_pts", "deviation_rel_pct", "sma13_pct", "deviation13_pts"):
        assert isinstance(data["ratio"][key], float)


def test_any_pair_works(real_daily):
    summary = calc_weekly_summary(
        real_daily, source="file", week_of=pd.Timestamp("2025-12-05"), numerator="^RUT", denominator="^RUO"
    )
    assert summary.ratio.numerator == "^RUT"
    assert "^RUT" in summary.indices


def test_strict_the_real_gap_in_russell_2000_is_caught(real_daily):
    # SOURCES.md: the source has no ^RUT row for Friday 2025-12-12.
    with pytest.raises(MissingClose, match=r"\^RUT on 2025-12-12"):
        calc_weekly_summary(
            real_daily, source="file", week_of=pd.Timestamp("2025-12-12"), numerator="^RUT", strict=True
        )


def test_the_real_gap_in_russell_2000_uses_thursday_for_the_pair_and_says_so(real_daily):
    # Closes read off daily_closes.csv: ^RUT 2590.61 and ^GSPC 6901.00 on Thursday 2025-12-11 (^RUT has
    # no Friday row); ^RUT 2521.48 on Friday 2025-12-05; ^GSPC 6827.41 on Friday 2025-12-12.
    summary = calc_weekly_summary(real_daily, source="file", week_of=pd.Timestamp("2025-12-12"), numerator="^RUT")
    assert summary.week_end == pd.Timestamp("2025-12-12") and not summary.provisional
    assert summary.ratio.session == pd.Timestamp("2025-12-11")
    assert (summary.ratio.numerator_close, summary.ratio.denominator_close) == (2590.61, 6901.00)
    assert summary.ratio.pct == pytest.approx(37.539631937, abs=1e-8)  # 100 × 2590.61 / 6901.00
    rut = summary.indices["^RUT"]
    assert (rut.close, rut.prev_close) == (2590.61, 2521.48)
    assert rut.change_pct == pytest.approx(2.7416438, abs=1e-6)  # 100 × 69.13 / 2521.48
    assert summary.indices["^GSPC"].close == 6827.41  # each index's own move keeps its Friday close
    assert summary.ratio.sma26_pct is not None  # one missing day does not blank the averages
    texts = [str(notice) for notice in summary.notices]
    assert "^RUT has no close on 2025-12-12; the week uses 2025-12-11. Import the close to fill the gap." in texts
    assert any("uses both closes of 2025-12-11" in text for text in texts)


def test_errors_name_the_problem(real_daily):
    with pytest.raises(UnknownSymbol, match=r"\^RUX"):
        calc_weekly_summary(real_daily, source="file", numerator="^RUX")
    with pytest.raises(OutsideData, match="2030-01-01 is outside the data"):
        calc_weekly_summary(real_daily, source="file", week_of=pd.Timestamp("2030-01-01"))


def test_too_little_history_leaves_out_only_the_averages(real_daily):
    # ^RUO starts Wednesday 2024-11-20, so the week of 2024-12-10 is its 4th weekly close (11-22, 11-29,
    # 12-06, 12-13). Closes read off the file: ^RUO 1540.98 on Friday 12-13, 1593.11 on Friday 12-06.
    summary = calc_weekly_summary(real_daily, source="file", week_of=pd.Timestamp("2024-12-10"))
    assert summary.ratio.numerator_close == 1540.98
    assert summary.indices["^RUO"].prev_close == 1593.11
    assert summary.ratio.change_pts is not None
    assert summary.ratio.sma26_pct is None and summary.ratio.deviation_pts is None
    assert summary.ratio.sma13_pct is None and summary.ratio.deviation13_pts is None
    texts = [str(notice) for notice in summary.notices]
    # 26 weeks from 2024-11-22: the week ending 2025-05-16 is the 26th.
    assert any("needs 26 weekly closes; the data has 4 (from 2024-11-22)" in t and "2025-05-16" in t for t in texts)
    assert summary.to_dict()["ratio"]["sma26_pct"] is None


def test_strict_a_missing_friday_is_reported_not_replaced(real_daily):
    gappy = real_daily.drop(pd.Timestamp("2025-12-12"))
    with pytest.raises(MissingClose, match=r"\^RUO on 2025-12-12"):
        calc_weekly_summary(gappy, source="file", week_of=pd.Timestamp("2025-12-12"), strict=True)


def test_a_week_with_no_common_close_at_all_is_refused(real_daily):
    no_week = real_daily.drop(pd.date_range("2025-12-08", "2025-12-12"))
    with pytest.raises(MissingClose, match=r"\^RUO on 2025-12-12"):
        calc_weekly_summary(no_week, source="file", week_of=pd.Timestamp("2025-12-12"))


def test_a_mover_without_data_becomes_a_notice(real_daily):
    no_dow = real_daily.drop(columns=["^DJI"])
    summary = calc_weekly_summary(no_dow, source="file", week_of=pd.Timestamp("2025-07-03"))
    assert "^DJI" not in summary.indices
    assert any("^DJI" in str(notice) for notice in summary.notices)


def test_a_live_day_makes_even_the_last_session_of_the_week_provisional(real_daily):
    # Friday 2025-12-12 is the week's last session; while it trades, the week is not final.
    upto_friday = real_daily.loc[:"2025-12-12"]
    final = calc_weekly_summary(upto_friday, source="file")
    live = calc_weekly_summary(upto_friday, source="file", last_closed=pd.Timestamp("2025-12-11"))
    assert not final.provisional and live.provisional
