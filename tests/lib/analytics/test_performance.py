"""Fund performance: month-end conventions, returns worked out by hand from real adjusted closes,
annualisation, and risk on hand-made series."""

import math

import numpy as np
import pandas as pd
import pytest

from lib.analytics import performance as pf


def test_month_end_is_the_last_session_even_on_a_holiday():
    # Good Friday 2024-03-29 closed the NYSE: March 2024 ends on Thursday 2024-03-28.
    assert pf.last_month_end(pd.Timestamp("2024-04-02")) == pd.Timestamp("2024-03-28")
    assert pf.is_month_end(pd.Timestamp("2024-03-28"))
    # October 2026 ends on a Saturday: its last session is Friday the 30th.
    assert pf.last_month_end(pd.Timestamp("2026-11-24")) == pd.Timestamp("2026-10-30")


def test_periods_run_from_month_end_to_month_end():
    starts = pf.period_starts(pd.Timestamp("2024-11-29"), pd.Timestamp("2014-01-02"))
    assert {period: str(day.date()) for period, day in starts.items()} == {
        "1M": "2024-10-31",
        "3M": "2024-08-30",
        "6M": "2024-05-31",
        "YTD": "2023-12-29",
        "1Y": "2023-11-30",
        "3Y": "2021-11-30",
        "5Y": "2019-11-29",
        "10Y": "2014-11-28",
        "since_inception": "2014-01-02",
    }


def test_periods_from_a_latest_close_count_calendar_months():
    starts = pf.period_starts(pd.Timestamp("2024-11-20"), pd.Timestamp("2014-01-02"))
    assert str(starts["1M"].date()) == "2024-10-18"  # 2024-10-20 is a Sunday
    assert str(starts["1Y"].date()) == "2023-11-20"


# Worked by hand (awk) from the adjusted closes in ../shared/data/daily_closes.csv:
# IWO_adj 2024-11-29 312.3081970214844; 2024-10-31 277.7261047363281; 2023-11-30 222.10772705078125;
# 2021-11-30 283.28326416015625; 2019-11-29 201.4420623779297; 2014-11-28 127.7015380859375.
# 1M = 312.308/277.726 - 1 = 12.4518695562 %; 1Y = 40.6111354920 %;
# 3Y = (312.308/283.283)^(1/3) - 1 = 3.3048762307 %; 5Y = 9.1658108186 %; 10Y = 9.3550202903 %.
# VBK_adj_2025basis: 1M 13.0527798615 %, 1Y 38.9568725603 %, 3Y 3.4522385134 %.
@pytest.mark.parametrize(
    ("symbol", "period", "expected"),
    [
        ("IWO_adj", "1M", 12.4518695562),
        ("IWO_adj", "3M", 12.5183628067),
        ("IWO_adj", "6M", 20.0259222866),
        ("IWO_adj", "YTD", 25.6126687967),
        ("IWO_adj", "1Y", 40.6111354920),
        ("IWO_adj", "3Y", 3.3048762307),
        ("IWO_adj", "5Y", 9.1658108186),
        ("IWO_adj", "10Y", 9.3550202903),
        ("VBK_adj_2025basis", "1M", 13.0527798615),
        ("VBK_adj_2025basis", "1Y", 38.9568725603),
        ("VBK_adj_2025basis", "3Y", 3.4522385134),
    ],
)
def test_trailing_returns_on_real_adjusted_closes(real_daily, symbol, period, expected):
    returns = pf.calc_trailing_returns(real_daily[[symbol]], as_of=pd.Timestamp("2024-11-29"))
    assert returns.at[symbol, period] == pytest.approx(expected, abs=1e-8)


def hand_made(values: list[float], start: str = "2020-01-31") -> pd.DataFrame:
    """Month-end closes only (a fund priced once a month is enough for month-end periods)."""
    days = pd.DatetimeIndex([pf.last_month_end(day) for day in pd.date_range(start, periods=len(values), freq="ME")])
    return pd.DataFrame({"F": values}, index=days)


def test_annualisation_is_geometric():
    # 37 month-ends from 100 to 133.1: three years of +10 % a year -> 3Y = 10 % a year, not 11.03 %.
    values = [100.0 * 1.1 ** (month / 12) for month in range(37)]
    returns = pf.calc_trailing_returns(hand_made(values), as_of=hand_made(values).index[-1])
    assert returns.at["F", "3Y"] == pytest.approx(10.0)
    assert returns.at["F", "1Y"] == pytest.approx(10.0)
    assert returns.at["F", "1M"] == pytest.approx(100 * (1.1 ** (1 / 12) - 1))


def test_a_fund_younger_than_the_period_has_no_number_and_a_reason():
    frame = hand_made([100.0 + month for month in range(20)], start="2023-01-31")  # 19 months
    as_of = frame.index[-1]
    returns = pf.calc_trailing_returns(frame, as_of=as_of)
    reasons = pf.missing_reasons(frame, as_of=as_of)
    assert math.isnan(returns.at["F", "3Y"]) and math.isnan(returns.at["F", "5Y"])
    assert returns.at["F", "1Y"] == pytest.approx(100 * (119 / 107 - 1))
    assert {period: str(reason) for period, reason in reasons["F"].items()} == {  # reasons are messages
        "3Y": "history starts 2023-01-31",
        "5Y": "history starts 2023-01-31",
        "10Y": "history starts 2023-01-31",
    }
    # since inception: 19 months (>= 1 year) annualised over the exact days
    years = (as_of - frame.index[0]).days / 365.25
    assert returns.at["F", "since_inception"] == pytest.approx(100 * ((119 / 100) ** (1 / years) - 1))


def test_risk_on_a_hand_made_series():
    # Monthly returns alternate +2 % and -1 % for three years against a flat benchmark.
    values = [100.0]
    for month in range(36):
        values.append(values[-1] * (1.02 if month % 2 == 0 else 0.99))
    frame = hand_made(values)
    bench = pd.Series(100.0, index=frame.index)
    risk = pf.calc_risk(frame, bench, as_of=frame.index[-1], risk_free_pct=0.0)
    monthly_std = np.std([0.02, -0.01] * 18, ddof=1)  # 0.015212...
    assert risk.at["F", "volatility"] == pytest.approx(100 * monthly_std * math.sqrt(12))
    assert risk.at["F", "tracking_error_3Y"] == pytest.approx(100 * monthly_std * math.sqrt(12))
    assert risk.at["F", "max_drawdown"] == pytest.approx(-1.0)  # each -1 % month is the deepest fall
    annual = (1.02 * 0.99) ** 6 - 1
    assert risk.at["F", "sharpe"] == pytest.approx(100 * annual / risk.at["F", "volatility"])


def test_max_drawdown_from_the_running_peak():
    frame = pd.DataFrame({"F": [100.0, 120.0, 90.0, 130.0]}, index=pd.bdate_range("2026-01-05", periods=4))
    drawdowns = pf.to_drawdowns(frame, start=frame.index[0], end=frame.index[-1])
    assert drawdowns["F"].tolist() == pytest.approx([0.0, 0.0, -25.0, 0.0])


def test_growth_of_ten_thousand():
    frame = pd.DataFrame({"F": [50.0, 55.0, 60.0]}, index=pd.bdate_range("2026-01-05", periods=3))
    assert pf.to_growth(frame, start=frame.index[0], end=frame.index[-1])["F"].tolist() == [10_000, 11_000, 12_000]
