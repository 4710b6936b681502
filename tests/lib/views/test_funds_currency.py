"""The fund table in dollars, in yen, or each fund in its own currency: worked by hand.

A US fund USF and the benchmark B in dollars, a 投信 JF in yen (and JH, the same NAVs, hedged), USD/JPY
as Yahoo's JPY=X, on month-end closes only. Every expected number below is computed by hand from the
closes in the comments, with the formula (1 + r_USD)(1 + r_USDJPY) − 1 (or the quotient for yen into
dollars), never by converting the closes the way the code does.
"""

import pandas as pd
import pytest

from lib.core import calendar
from lib.core.settings import Instrument
from lib.views.funds_table import build_funds_table, table_frame

AS_OF = pd.Timestamp("2024-11-29")
DAYS = pd.DatetimeIndex(["2023-11-30", "2024-08-30", "2024-09-30", "2024-10-31", "2024-11-29"])
CLOSES = pd.DataFrame(
    {
        "USF": [80.0, 100.0, 105.0, 110.0, 121.0],
        "B": [150.0, 200.0, 204.0, 210.0, 231.0],
        "JF": [16000.0, 18000.0, 18500.0, 20000.0, 21000.0],
        "JH": [16000.0, 18000.0, 18500.0, 20000.0, 21000.0],
        "JPY=X": [147.0, 146.0, 143.0, 152.0, 150.0],
    },
    index=DAYS,
)
DESCRIBED = {
    "JF": (Instrument("JF", "Yen fund", "円のファンド", "mutual_fund", "JPY"), ""),
    "JH": (Instrument("JH", "Yen fund, hedged", "円のファンド（ヘッジあり）", "mutual_fund", "JPY", hedged=True), ""),
}


def table(currency: str, closes: pd.DataFrame = CLOSES, as_of: pd.Timestamp = AS_OF, lang: str = "en"):
    funds = [column for column in closes.columns if column not in ("B", "JPY=X")]
    return build_funds_table(
        closes, funds=funds, benchmark="B", as_of=as_of, described=DESCRIBED, currency=currency, lang=lang
    )


def rows(currency: str, **kwargs) -> dict:
    return {row.symbol: row for row in table(currency, **kwargs).rows}


def test_a_dollar_fund_and_its_benchmark_in_yen():
    usf = rows("jpy")["USF"]
    # 1M: USF 110 -> 121 (+10 %), USD/JPY 152 -> 150; in yen 1.10 x 150/152 - 1 = 13/152 = 8.552631578947 %
    assert usf.currency == "JPY" and usf.benchmark_currency == "JPY"
    assert usf.returns["1M"] == pytest.approx(8.552631578947368, abs=1e-9)
    # 3M: 100 -> 121 and 146 -> 150: 1.21 x 150/146 - 1 = 35.5/146 = 24.315068493151 %
    assert usf.returns["3M"] == pytest.approx(24.315068493150685, abs=1e-9)
    # 1Y: 80 -> 121 and 147 -> 150: 1.5125 x 150/147 - 1 = 54.336734693878 %
    assert usf.returns["1Y"] == pytest.approx(54.33673469387755, abs=1e-9)
    # the benchmark in yen, 1Y: 150 -> 231 (+54 %): 1.54 x 150/147 - 1 = 231/147 - 1 = 57.142857142857 %
    yen_table = table("jpy")
    assert yen_table.currency == "JPY" and yen_table.benchmark_currency == "JPY"
    assert yen_table.benchmark_returns["1Y"] == pytest.approx(57.142857142857146, abs=1e-9)
    # excess in yen: 54.336734693878 - 57.142857142857 = -2.806122448980 points (in dollars: 51.25 - 54 = -2.75)
    assert usf.risk["excess_1Y"] == pytest.approx(-2.806122448979593, abs=1e-9)
    assert rows("usd")["USF"].risk["excess_1Y"] == pytest.approx(-2.75, abs=1e-9)


def test_a_yen_fund_in_dollars_and_in_its_own_currency():
    jf = rows("usd")["JF"]
    # 1M: 20000 -> 21000 (+5 %) while USD/JPY 152 -> 150: 1.05 / (150/152) - 1 = 1.05 x 152/150 - 1 = 6.4 %
    assert jf.currency == "USD" and jf.returns["1M"] == pytest.approx(6.4, abs=1e-9)
    # 1Y: 16000 -> 21000 and 147 -> 150: 1.3125 x 147/150 - 1 = 28.625 %; benchmark 1Y in dollars 54 %
    assert jf.returns["1Y"] == pytest.approx(28.625, abs=1e-9)
    assert jf.risk["excess_1Y"] == pytest.approx(28.625 - 54.0, abs=1e-9)
    # native: the 投信 in yen (31.25 %) against the benchmark in yen (57.142857142857 %), never in dollars
    native = rows("native")["JF"]
    assert native.currency == "JPY" and native.benchmark_currency == "JPY"
    assert native.returns["1Y"] == pytest.approx(31.25, abs=1e-9)
    assert native.risk["excess_1Y"] == pytest.approx(31.25 - 57.142857142857146, abs=1e-9)
    # ... while the dollar fund in the same native table stays in dollars, against the dollar benchmark
    assert rows("native")["USF"].risk["excess_1Y"] == pytest.approx(51.25 - 54.0, abs=1e-9)


def test_a_hedged_fund_keeps_its_own_figures_against_the_dollar_benchmark():
    for currency in ("native", "jpy", "usd"):
        jh = rows(currency)["JH"]
        # its yen NAVs: 1Y 31.25 %; the benchmark in dollars: 54 % -> -22.75 points, in every choice
        assert (jh.currency, jh.benchmark_currency, jh.hedged) == ("JPY", "USD", True), currency
        assert jh.returns["1Y"] == pytest.approx(31.25, abs=1e-9)
        assert jh.risk["excess_1Y"] == pytest.approx(-22.75, abs=1e-9)
    notes = table_frame(table("jpy"), "en").set_index("Ticker").loc["JH", "Notes"]
    assert "hedged: its own figures, compared with the benchmark in USD" in notes
    notes_ja = table_frame(table("jpy", lang="ja"), "ja").set_index("ティッカー").loc["JH", "注記"]
    assert "為替ヘッジあり" in notes_ja


def test_the_table_lists_the_benchmark_in_each_currency_compared():
    frame = table_frame(table("native"), "en")
    benchmark_rows = frame[frame["Ticker"] == "B"]
    assert benchmark_rows["Fund"].tolist() == ["Benchmark (B, USD)", "Benchmark (B, JPY)"]
    assert benchmark_rows["1Y (%)"].tolist() == pytest.approx([54.0, 57.142857142857146], abs=1e-9)
    data = table("native").to_dict()
    assert data["currency"] == "native" and set(data["benchmark_returns_by_currency"]) == {"USD", "JPY"}


def test_december_ends_on_the_30th_for_the_toushin_and_the_31st_for_the_us_fund():
    # Tokyo's last session of 2024 is 12-30 (no NAV 12-31 to 01-03); NYSE's is 12-31
    assert calendar.tokyo_sessions("2024-12-27", "2025-01-06")[:2].strftime("%m-%d").tolist() == ["12-27", "12-30"]
    days = pd.DatetimeIndex(["2024-11-29", "2024-12-30", "2024-12-31"])
    closes = pd.DataFrame(
        {
            "USF": [100.0, 101.0, 102.0],
            "B": [200.0, 201.0, 202.0],
            "JF": [20000.0, 20800.0, None],
            "JPY=X": [150.0, 157.0, 157.2],
        },
        index=days,
    )
    as_of = pd.Timestamp("2024-12-31")
    yen = rows("jpy", closes=closes, as_of=as_of)
    # the US fund in yen at NYSE's 12-31: 102 x 157.2 / (100 x 150) - 1 = 16034.4/15000 - 1 = 6.896 %
    # (taking 12-30 instead would give 101 x 157 / 15000 - 1 = 5.713 %)
    assert yen["USF"].returns["1M"] == pytest.approx(6.896, abs=1e-9)
    # the 投信 at its own month-end, 12-30, converted with 12-30's rate:
    # (20800/157) / (20000/150) - 1 = 3120000/3140000 - 1 = -0.636942675159 % (12-31's 157.2: -0.763 %)
    dollars = rows("usd", closes=closes, as_of=as_of)
    assert dollars["JF"].returns["1M"] == pytest.approx(-0.6369426751592357, abs=1e-9)
    assert not dollars["JF"].stale and dollars["JF"].last_price_date == pd.Timestamp("2024-12-30")
    assert rows("native", closes=closes, as_of=as_of)["JF"].returns["1M"] == pytest.approx(4.0, abs=1e-9)


def test_without_usd_jpy_the_converted_figures_are_empty_and_the_table_says_how_to_get_them():
    closes = CLOSES.drop(columns="JPY=X")
    yen = table("jpy", closes=closes)
    by_symbol = {row.symbol: row for row in yen.rows}
    assert by_symbol["USF"].returns["1M"] is None and by_symbol["USF"].risk["excess_1Y"] is None
    assert str(by_symbol["USF"].missing["1M"]) == "needs USD/JPY closes (JPY=X)"
    assert yen.benchmark_returns["1Y"] is None
    assert by_symbol["JF"].returns["1M"] == pytest.approx(5.0, abs=1e-9)  # already in yen: no rate needed
    said = [note.text("ja") for note in yen.notes]
    assert len(said) == 1 and "python -m lib.cli refresh" in said[0] and "import-prices" in said[0]
    # in its own currencies the table needs no rate, except for the 投信's benchmark in yen
    native = {row.symbol: row for row in table("native", closes=closes).rows}
    assert native["USF"].returns["1Y"] == pytest.approx(51.25, abs=1e-9)
    assert native["JF"].returns["1Y"] == pytest.approx(31.25, abs=1e-9) and native["JF"].risk["excess_1Y"] is None


def test_usd_jpy_ending_weeks_before_the_as_of_converts_nothing():
    closes = CLOSES.copy()
    closes.loc["2024-11-29", "JPY=X"] = None  # the rate ends 10-31, four weeks before
    usf = rows("jpy", closes=closes)["USF"]
    assert usf.returns["1M"] is None
    assert "end 2024-10-31" in str(table("jpy", closes=closes).notes[0])


def test_volatility_and_tracking_error_come_from_the_converted_monthly_returns():
    from lib.analytics.performance import month_end_sessions

    ends = month_end_sessions("2021-10-01", "2024-11-29")  # 2021-10-29 ... 2024-11-29: 38 month-ends
    steps = range(len(ends))
    closes = pd.DataFrame(
        {
            "USF": [100.0 * 1.01**i for i in steps],  # +1 % every month in dollars: no volatility of its own
            "B": [100.0 * 1.005**i for i in steps],  # +0.5 % every month
            "JPY=X": [150.0 if i % 2 == 0 else 153.0 for i in steps],  # the yen swings 2 % each month
        },
        index=ends,
    )
    in_dollars, in_yen = rows("usd", closes=closes)["USF"], rows("jpy", closes=closes)["USF"]
    assert in_dollars.risk["volatility"] == pytest.approx(0.0, abs=1e-9)
    # in yen the 36 monthly returns alternate 1.01 x 1.02 - 1 = 3.02 % and 1.01 x 150/153 - 1 = -0.98039216 %,
    # 18 of each: sample std = sqrt(36/35) x (3.02 + 0.98039216)/2 % = 2.02856900 %, x sqrt(12) = 7.02717 %
    assert in_yen.risk["volatility"] == pytest.approx(7.0271694, abs=1e-6)
    # against the benchmark converted the same way (2.51 % and -1.47058824 %), the monthly gaps are
    # 0.51 % and 0.49019608 %: tracking error sqrt(36/35) x 0.00990196 % x sqrt(12) = 0.0347880 %, not the yen's swing
    assert in_yen.risk["tracking_error_3Y"] == pytest.approx(0.0347880, abs=1e-6)
