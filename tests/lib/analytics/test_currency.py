"""Closes converted with USD/JPY: which rate a close takes, by hand."""

import pandas as pd
import pytest

from lib.analytics.currency import rate_on, to_currency


def series(values: dict[str, float]) -> pd.Series:
    return pd.Series(list(values.values()), index=pd.DatetimeIndex(list(values)), dtype=float)


def test_a_close_takes_the_latest_rate_on_or_before_its_day_and_none_older_than_a_week():
    fx = series({"2024-11-27": 151.0, "2024-11-28": 151.5})  # no FX close on 11-29, nor after
    closes = series({"2024-11-28": 100.0, "2024-11-29": 102.0, "2024-12-05": 103.0, "2024-12-09": 104.0})
    yen = to_currency(closes, fx, native="USD", target="JPY")
    # by hand: 100 x 151.5 = 15150; 11-29 takes 11-28's 151.5: 102 x 151.5 = 15453;
    # 12-05 is 7 days after 11-28: still 151.5 -> 15604.5; 12-09 is 11 days after: no rate, empty
    assert yen.tolist()[:3] == [15150.0, 15453.0, 15604.5]
    assert pd.isna(yen.iloc[3])


def test_a_yen_close_is_divided_and_a_day_before_the_first_rate_has_none():
    fx = series({"2024-11-28": 150.0})
    navs = series({"2024-11-27": 20000.0, "2024-11-28": 21000.0})
    dollars = to_currency(navs, fx, native="JPY", target="USD")
    assert pd.isna(dollars.iloc[0]) and dollars.iloc[1] == 140.0  # 21000 / 150
    assert rate_on(fx, pd.DatetimeIndex(["2024-11-27"])).isna().all()


def test_only_dollars_and_yen_convert():
    with pytest.raises(ValueError, match="no rate from EUR to JPY"):
        to_currency(series({"2024-11-28": 1.0}), series({"2024-11-28": 150.0}), native="EUR", target="JPY")
