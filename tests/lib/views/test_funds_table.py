import re

import pandas as pd
import pytest

from lib.core import calendar
from lib.core.errors import OutsideData, UnknownSymbol
from lib.core.settings import Instrument
from lib.views.funds_style import style_table
from lib.views.funds_table import build_funds_table, default_as_of, table_frame

AS_OF = pd.Timestamp("2024-11-29")


def test_the_table_against_the_benchmark_on_real_closes(real_daily):
    table = build_funds_table(
        real_daily, funds=["VBK_adj_2025basis", "VIOG_adj"], benchmark="IWO_adj", as_of=AS_OF, risk_free_pct=4.0
    )
    vbk = {row.symbol: row for row in table.rows}["VBK_adj_2025basis"]
    # by hand: VBK 1Y 38.9568725603 % - IWO 1Y 40.6111354920 % = -1.6542629317 points
    assert vbk.risk["excess_1Y"] == pytest.approx(-1.6542629317, abs=1e-8)
    # 3Y: 3.4522385134 % - 3.3048762307 % = 0.1473622827
    assert vbk.risk["excess_3Y"] == pytest.approx(0.1473622827, abs=1e-8)
    assert table.benchmark_returns["1Y"] == pytest.approx(40.6111354920, abs=1e-8)
    assert vbk.last_price_date == AS_OF and not vbk.stale
    assert [row.rank_1y for row in table.rows] == [1, 2]


def test_json_shape(real_daily):
    data = build_funds_table(real_daily, funds=["VIOG_adj"], benchmark="IWO_adj", as_of=AS_OF).to_dict()
    assert list(data) == [
        "as_of",
        "currency",
        "benchmark",
        "risk_free_pct",
        "benchmark_currency",
        "benchmark_returns",
        "benchmark_returns_by_currency",
        "notes",
        "funds",
    ]
    assert data["currency"] == "native" and data["funds"]["VIOG_adj"]["currency"] == "USD"
    fund = data["funds"]["VIOG_adj"]
    assert list(fund["returns"]) == ["1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y", "since_inception"]
    assert list(fund["risk"]) == ["volatility", "max_drawdown", "sharpe", "excess_1Y", "excess_3Y", "tracking_error_3Y"]
    assert fund["last_price_date"] == "2024-11-29"


def synthetic(columns: dict[str, list[float]], days: pd.DatetimeIndex) -> pd.DataFrame:
    return pd.DataFrame(columns, index=days)


def test_a_stale_fund_is_flagged_and_a_young_one_explained():
    days = pd.bdate_range("2021-01-04", "2024-11-29")
    bench = [100.0 + 0.01 * i for i in range(len(days))]
    stale = bench[:-10] + [None] * 10  # no price in the last two weeks
    young = [None] * (len(days) - 200) + [50.0 + 0.01 * i for i in range(200)]  # 200 sessions < 1 year
    table = build_funds_table(
        synthetic({"B": bench, "OLD": stale, "NEW": young}, days), funds=["OLD", "NEW"], benchmark="B", as_of=AS_OF
    )
    rows = {row.symbol: row for row in table.rows}
    assert rows["OLD"].stale and not rows["NEW"].stale
    # a stale price carried forward would read as 0 %: the cells stay empty, with the reason
    assert rows["OLD"].returns["1M"] is None and rows["OLD"].risk["volatility"] is None
    assert str(rows["OLD"].missing["1Y"]) == "no price since 2024-11-15"  # a message, in English
    assert rows["NEW"].returns["3Y"] is None and rows["NEW"].returns["1Y"] is None
    assert str(rows["NEW"].missing["1Y"]).startswith("history starts 2024-")
    assert rows["NEW"].risk["volatility"] is None  # less than 3 years


def test_quartiles_from_the_1y_rank():
    days = pd.bdate_range("2023-01-02", "2024-11-29")
    growth = {f"F{n}": [100.0 * (1 + 0.0001 * n) ** i for i in range(len(days))] for n in range(1, 9)}
    table = build_funds_table(
        synthetic({"B": [100.0] * len(days), **growth}, days), funds=list(growth), benchmark="B", as_of=AS_OF
    )
    by_rank = sorted(table.rows, key=lambda row: row.rank_1y)
    assert [row.symbol for row in by_rank][:2] == ["F8", "F7"]
    assert [row.quartile_1y for row in by_rank] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_without_benchmark_prices_the_funds_stand_and_comparisons_are_empty(real_daily):
    table = build_funds_table(real_daily, funds=["VIOG_adj"], benchmark="XYZ", as_of=AS_OF)
    row = table.rows[0]
    assert row.returns["1Y"] is not None and row.risk["volatility"] is not None
    assert row.risk["excess_1Y"] is None and row.risk["tracking_error_3Y"] is None
    assert [str(note) for note in table.notes] == [
        "No prices for the benchmark XYZ: excess return and tracking error are empty."
    ]


def test_errors_name_the_benchmark_and_the_date(real_daily):
    with pytest.raises(UnknownSymbol, match="'XYZ'"):
        build_funds_table(real_daily, funds=["NOPE"], benchmark="XYZ", as_of=AS_OF)
    with pytest.raises(OutsideData, match="2030-01-31 is outside the data"):
        build_funds_table(real_daily, funds=["VIOG_adj"], benchmark="IWO_adj", as_of=pd.Timestamp("2030-01-31"))


def test_default_as_of_is_the_last_month_end_of_the_benchmark(real_daily):
    # IWO_adj ends 2026-06-08: the last completed month-end is 2026-05-29.
    assert default_as_of(real_daily, "IWO_adj") == pd.Timestamp("2026-05-29")
    assert default_as_of(real_daily, "IWO_adj", month_end=False) == pd.Timestamp("2026-06-08")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_empty_cells_read_as_a_dash_never_none(lang):
    days = pd.bdate_range("2021-01-04", "2024-11-29")
    bench = [100.0 + 0.01 * i for i in range(len(days))]
    young = [None] * (len(days) - 200) + [50.0 + 0.01 * i for i in range(200)]  # no 3Y, 5Y or risk figures
    table = build_funds_table(synthetic({"B": bench, "NEW": young}, days), funds=["NEW"], benchmark="B", as_of=AS_OF)
    frame = table_frame(table, lang)
    assert frame.isna().to_numpy().any()  # the table has empty cells to show
    shown = style_table(frame, lang).to_html()
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", shown)
    assert "—" in cells and not {"None", "nan", "NaN", "<NA>"} & set(cells)


# --- Japanese calendar for NAVs (issue 15): a fund priced in yen lives on Tokyo business days ----

JAPANESE = {"JP": (Instrument("JP", "Japanese fund", "日本のファンド", "mutual_fund", "JPY"), "")}


def tokyo_fund(start: str, end: str, nav_of, *, us_of=None) -> pd.DataFrame:
    """B (a benchmark at 100) on NYSE sessions, JP's NAVs on Tokyo business days (XTKS), and US, a
    USD fund, on NYSE sessions; `nav_of(day)` gives a NAV, `us_of(day)` US's close."""
    nyse, tokyo = calendar.sessions(start, end), calendar.tokyo_sessions(start, end)
    columns = {"B": pd.Series(100.0, index=nyse), "JP": pd.Series([nav_of(d) for d in tokyo], index=tokyo, dtype=float)}
    if us_of is not None:
        columns["US"] = pd.Series([us_of(d) for d in nyse], index=nyse, dtype=float)
    return pd.DataFrame(columns).sort_index()


def golden_week_2019_frame() -> pd.DataFrame:
    """Tokyo closed 2019-04-27 to 05-06 (the imperial succession's ten days); NYSE traded 04-29 to
    05-03 and 05-06. JP's last NAV is 04-26, US's last close too."""
    frame = tokyo_fund("2018-01-02", "2019-05-10", lambda day: 10000.0, us_of=lambda day: 50.0)
    frame.loc["2019-04-27":, ["JP", "US"]] = float("nan")
    return frame


@pytest.mark.parametrize("day", ["2019-04-29", "2019-04-30", "2019-05-01", "2019-05-02", "2019-05-03", "2019-05-06"])
def test_a_yen_fund_is_not_stale_over_a_japanese_holiday(day):
    # Tokyo business days up to any of these days end ..., 04-23, 04-24, 04-25, 04-26: the NAV of
    # 04-26 is the latest there can be (STALE after 3 sessions: before 04-23 would be stale)
    table = build_funds_table(
        golden_week_2019_frame(), funds=["JP", "US"], benchmark="B", as_of=pd.Timestamp(day), described=JAPANESE
    )
    rows = {row.symbol: row for row in table.rows}
    assert not rows["JP"].stale and rows["JP"].last_price_date == pd.Timestamp("2019-04-26")
    # the USD fund with the same last close is stale from 05-02: NYSE sessions 04-29, 04-30, 05-01, 05-02
    # make it 4 sessions old (stale before 04-29, the 4th last session)
    assert rows["US"].stale == (pd.Timestamp(day) >= pd.Timestamp("2019-05-02"))


def test_a_yen_fund_is_stale_once_tokyo_has_traded_without_its_nav():
    # as of 05-10, Tokyo traded 05-07, 05-08, 05-09, 05-10 with no NAV: 04-26 is older than 05-07
    table = build_funds_table(
        golden_week_2019_frame(), funds=["JP"], benchmark="B", as_of=pd.Timestamp("2019-05-10"), described=JAPANESE
    )
    assert table.rows[0].stale


def test_a_yen_funds_november_2024_month_end_is_its_last_nav_of_november():
    # NAV 10000 up to 10-31, 10200 in November but 10500 on 11-29 (a Tokyo business day), 11000 in December
    def nav(day):
        if day <= pd.Timestamp("2024-10-31"):
            return 10000.0
        return 10500.0 if day == pd.Timestamp("2024-11-29") else 10200.0 if day.month == 11 else 11000.0

    frame = tokyo_fund("2023-10-02", "2024-12-30", nav)
    table = build_funds_table(frame, funds=["JP"], benchmark="B", as_of=AS_OF, described=JAPANESE)
    row = table.rows[0]
    assert row.last_price_date == pd.Timestamp("2024-11-29") and not row.stale
    assert row.returns["1M"] == pytest.approx(5.0)  # 10500 / 10000 - 1
    assert row.currency == "JPY"


def good_friday_nav(day: pd.Timestamp) -> float:
    """10000 to February 2024, 10200 in March but 10300 on 03-28 and 10600 on 03-29, 10800 after."""
    if day <= pd.Timestamp("2024-02-29"):
        return 10000.0
    special = {pd.Timestamp("2024-03-28"): 10300.0, pd.Timestamp("2024-03-29"): 10600.0}
    return special.get(day, 10200.0 if day.month == 3 else 10800.0)


def test_a_yen_funds_march_ends_on_its_nav_of_good_friday():
    # NYSE's March 2024 ends 03-28 (Good Friday closed the 29th); Tokyo traded 03-29: JP's month-end
    # NAV is 10600, so 1M = 10600 / 10000 - 1 = 6.0 % (NYSE's month-end would give 10300: 3.0 %);
    # US, the same closes on NYSE sessions, ends March on 03-28: 10300 / 10000 - 1 = 3.0 %
    frame = tokyo_fund("2023-01-03", "2024-04-30", good_friday_nav, us_of=good_friday_nav)
    table = build_funds_table(
        frame, funds=["JP", "US"], benchmark="B", as_of=pd.Timestamp("2024-03-28"), described=JAPANESE
    )
    rows = {row.symbol: row for row in table.rows}
    assert rows["JP"].returns["1M"] == pytest.approx(6.0) and rows["US"].returns["1M"] == pytest.approx(3.0)
    assert rows["JP"].last_price_date == pd.Timestamp("2024-03-29")
    assert rows["US"].last_price_date == pd.Timestamp("2024-03-28")
    # April: JP from its own March month-end, 10800 / 10600 - 1 = 1.8867924528 %; US 10800 / 10300 - 1 = 4.8543689320 %
    april = build_funds_table(
        frame, funds=["JP", "US"], benchmark="B", as_of=pd.Timestamp("2024-04-30"), described=JAPANESE
    )
    rows = {row.symbol: row for row in april.rows}
    assert rows["JP"].returns["1M"] == pytest.approx(1.8867924528)
    assert rows["US"].returns["1M"] == pytest.approx(4.8543689320)


def test_a_december_month_end_is_12_30_for_a_yen_fund_and_12_31_for_a_us_fund():
    # Tokyo's last business day of 2024 is 12-30; NYSE traded 12-31. JP: 10000 to 11-29, 11000 after:
    # 1M = 11000 / 10000 - 1 = 10.0 %, not stale on 12-31; US: 50 to 11-29, 55 after: 10.0 % too
    def nav(day):
        return 10000.0 if day <= pd.Timestamp("2024-11-29") else 11000.0

    frame = tokyo_fund("2023-10-02", "2024-12-31", nav, us_of=lambda day: 50.0 if day <= AS_OF else 55.0)
    table = build_funds_table(
        frame, funds=["JP", "US"], benchmark="B", as_of=pd.Timestamp("2024-12-31"), described=JAPANESE
    )
    rows = {row.symbol: row for row in table.rows}
    assert rows["JP"].last_price_date == pd.Timestamp("2024-12-30") and not rows["JP"].stale
    assert rows["US"].last_price_date == pd.Timestamp("2024-12-31")
    assert rows["JP"].returns["1M"] == pytest.approx(10.0) and rows["US"].returns["1M"] == pytest.approx(10.0)


def test_a_young_funds_note_names_its_periods_in_the_pages_language():
    days = pd.bdate_range("2021-01-04", "2024-11-29")
    bench = [100.0 + 0.01 * i for i in range(len(days))]
    young = [None] * (len(days) - 200) + [50.0 + 0.01 * i for i in range(200)]  # 200 sessions: no YTD, 1Y or longer
    table = build_funds_table(synthetic({"B": bench, "NEW": young}, days), funds=["NEW"], benchmark="B", as_of=AS_OF)
    notes = {lang: table_frame(table, lang).iloc[0, -1] for lang in ("en", "ja")}
    assert notes["en"].startswith("YTD, 1Y, 3Y, 5Y, 10Y: history starts 2024-02-26")  # 200 sessions before 11-29
    assert notes["ja"].startswith("年初来、1年、3年、5年、10年：")
