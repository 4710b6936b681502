"""What the Ratio page shows, computed from a PriceSet: the week's figures and the charted series."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib import engine
from lib.i18n import t
from lib.options import Lang
from lib.prices import PriceSet
from lib.ranges import DateRange
from lib.settings import display_name
from lib.weekly import WeeklySummary, calc_weekly_summary, latest_common_session


@dataclass(frozen=True)
class RatioView:
    summary: WeeklySummary
    chart_series: pd.DataFrame  # tidy: week_end, series, value_pct
    moves: pd.DataFrame  # one row per index, labelled columns

    @property
    def shown(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The first and last week actually plotted (the data may start after the range does)."""
        if self.chart_series.empty:
            return None
        return self.chart_series["week_end"].min(), self.chart_series["week_end"].max()


def build_ratio_view(
    price_set: PriceSet, *, numerator: str, denominator: str, date_range: DateRange, lang: Lang
) -> RatioView:
    """The week's figures (latest week) and the ratio with its 26-week average within the range."""
    closes = price_set.closes
    summary = calc_weekly_summary(closes, source=price_set.source, numerator=numerator, denominator=denominator)
    as_of = latest_common_session(closes, [numerator, denominator])
    weekly = engine.to_weekly(closes[[numerator, denominator]], as_of=as_of)
    ratio = engine.to_ratio_frame(weekly[numerator], weekly[denominator])
    in_range = ratio.loc[date_range.start : date_range.end, ["ratio_pct", "sma26_pct"]]
    in_range.columns = [t("series_ratio", lang), t("series_sma26", lang)]
    chart_series = (
        in_range.rename_axis(index="week_end", columns="series")
        .stack(future_stack=True)
        .rename("value_pct")
        .dropna()
        .reset_index()
    )
    return RatioView(summary, chart_series, _moves_table(summary, lang))


def _moves_table(summary: WeeklySummary, lang: Lang) -> pd.DataFrame:
    rows = [
        {
            t("col_index", lang): display_name(symbol, lang),
            t("col_close", lang): move.close,
            t("col_prev", lang): move.prev_close,
            t("col_change", lang): move.change,
            t("col_change_pct", lang): move.change_pct,
            t("col_direction", lang): move.direction_ja if lang == "ja" else move.direction_en,
        }
        for symbol, move in summary.indices.items()
    ]
    return pd.DataFrame(rows)
