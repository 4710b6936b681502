"""What the Funds page shows besides the table: growth of 10,000 and drawdowns, as chart specs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib import charts, performance
from lib.charts import ChartText
from lib.funds_view import FundsTable, build_funds_table, table_frame
from lib.i18n import t
from lib.options import Lang
from lib.prices import PriceSet
from lib.ranges import DateRange


@dataclass(frozen=True)
class FundsPage:
    table: FundsTable
    frame: pd.DataFrame  # the table as shown and exported
    growth: pd.DataFrame  # tidy: date, series, value
    drawdowns: pd.DataFrame  # tidy: date, series, value
    specs: dict[str, dict]  # Vega-Lite specs: growth, drawdown


def build_funds_page(
    price_set: PriceSet,
    *,
    funds: list[str],
    benchmark: str,
    as_of: pd.Timestamp,
    date_range: DateRange,
    lang: Lang,
    risk_free_pct: float,
    described: dict | None = None,
    facts: dict | None = None,
) -> FundsPage:
    table = build_funds_table(
        price_set.closes,
        funds=funds,
        benchmark=benchmark,
        as_of=as_of,
        lang=lang,
        risk_free_pct=risk_free_pct,
        described=described,
        facts=facts,
    )
    shown = [row.symbol for row in table.rows if not row.stale]
    if benchmark in price_set.closes.columns:
        shown.append(benchmark)
    window = price_set.closes[shown]
    start, end = date_range.start, min(date_range.end, as_of)
    growth = _tidy(performance.to_growth(window, start=start, end=end))
    drawdowns = _tidy(performance.to_drawdowns(window, start=start, end=end))
    bench_label = benchmark
    subtitle = t(
        "chart_subtitle", lang, start=start.date(), end=end.date(), session=as_of.date(), source=price_set.source
    )
    specs = {
        "growth": charts.growth_chart(
            growth,
            text=ChartText(t("funds_growth_title", lang, start=start.date()), subtitle, lang, price_set.is_demo),
            benchmark=bench_label,
        ).to_dict(validate=False),
        "drawdown": charts.drawdown_chart(
            drawdowns,
            text=ChartText(t("funds_drawdown_title", lang), subtitle, lang, price_set.is_demo),
            benchmark=bench_label,
        ).to_dict(validate=False),
    }
    return FundsPage(table, table_frame(table, lang), growth, drawdowns, specs)


def _tidy(wide: pd.DataFrame) -> pd.DataFrame:
    """Tickers label the lines: a dozen fund names would bury the chart under its legend."""
    return wide.rename_axis(index="date", columns="series").stack().rename("value").reset_index()
