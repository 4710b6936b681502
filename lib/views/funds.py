"""What the Funds page shows besides the table: growth of 10,000 and drawdowns, as chart specs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.analytics import performance
from lib.core.i18n import Message, message, t
from lib.core.ranges import DateRange
from lib.core.types import Lang, TableCurrency
from lib.data.prices import PriceSet
from lib.views import charts
from lib.views.charts import ChartText
from lib.views.funds_currency import plan_currency
from lib.views.funds_table import FundsTable, build_funds_table, table_frame


@dataclass(frozen=True)
class FundsPage:
    table: FundsTable
    frame: pd.DataFrame  # the table as shown and exported
    growth: pd.DataFrame  # tidy: date, series, value
    drawdowns: pd.DataFrame  # tidy: date, series, value
    specs: dict[str, dict]  # Vega-Lite specs of the charts that could be drawn: growth, drawdown
    left_out: dict[str, Message] = field(default_factory=dict)  # chart -> why it is not drawn


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
    currency: TableCurrency = "native",
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
        currency=currency,
    )
    frame = table_frame(table, lang)
    shown = [row.symbol for row in table.rows if not row.stale]
    if benchmark in price_set.closes.columns and not table.notes:
        shown.append(benchmark)
    start, end = date_range.start, min(date_range.end, as_of)
    closes = _charted(price_set.closes, shown, benchmark, currency, described, as_of)
    window = closes.loc[start:end, shown].dropna(how="all", axis=1).dropna(how="all")
    if window.empty:
        left_out = {
            name: _why_no_chart(t(key, lang), price_set.closes, [*funds, benchmark], start, end, as_of)
            for name, key in (("growth", "funds_growth_part"), ("drawdown", "funds_drawdown_title"))
        }
        empty = pd.DataFrame(columns=["date", "series", "value"])
        return FundsPage(table, frame, empty, empty, {}, left_out)
    start = window.index[0]  # the charts start where the listed series have prices
    growth = _tidy(performance.to_growth(window, start=start, end=end))
    drawdowns = _tidy(performance.to_drawdowns(window, start=start, end=end))
    subtitle = t(
        "chart_subtitle", lang, start=start.date(), end=end.date(), session=as_of.date(), source=price_set.source
    )
    specs = {
        "growth": charts.growth_chart(
            growth,
            text=ChartText(t("funds_growth_title", lang, start=start.date()), subtitle, lang, price_set.is_demo),
            benchmark=benchmark,
        ).to_dict(validate=False),
        "drawdown": charts.drawdown_chart(
            drawdowns,
            text=ChartText(t("funds_drawdown_title", lang), subtitle, lang, price_set.is_demo),
            benchmark=benchmark,
        ).to_dict(validate=False),
    }
    return FundsPage(table, frame, growth, drawdowns, specs)


def _charted(
    closes: pd.DataFrame,
    shown: list[str],
    benchmark: str,
    currency: TableCurrency,
    described: dict | None,
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    """The charts' closes in the table's currency (in `native`, each series in its own)."""
    if currency == "native":
        return closes
    funds = [symbol for symbol in shown if symbol != benchmark]
    if benchmark not in closes.columns:
        closes = closes.assign(**{benchmark: float("nan")})
    plan = plan_currency(closes, held=funds, benchmark=benchmark, choice=currency, described=described, as_of=as_of)
    headline = plan.benchmarks[currency.upper()]
    return plan.closes.rename(columns={headline: benchmark})[[*funds, *([benchmark] if benchmark in shown else [])]]


def _why_no_chart(
    chart: str, closes: pd.DataFrame, listed: list[str], start: pd.Timestamp, end: pd.Timestamp, as_of: pd.Timestamp
) -> Message:
    """The range lies after the table's as-of date, or the listed series have no price in it."""
    if end < start:
        return message("funds_chart_before_range", chart=chart, as_of=as_of.date(), start=start.date())
    held = closes[[s for s in dict.fromkeys(listed) if s in closes.columns]].dropna(how="all")
    last = held.index[-1].date() if not held.empty else "—"
    return message("funds_chart_no_prices", chart=chart, start=start.date(), end=end.date(), last=last)


def _tidy(wide: pd.DataFrame) -> pd.DataFrame:
    """Tickers label the lines: a dozen fund names would bury the chart under its legend."""
    return wide.rename_axis(index="date", columns="series").stack().rename("value").reset_index()
