import re

import pandas as pd
import pytest

from lib.core.errors import OutsideData, UnknownSymbol
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
    assert list(data) == ["as_of", "benchmark", "risk_free_pct", "benchmark_returns", "notes", "funds"]
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
