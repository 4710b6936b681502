"""What the Ratio page shows, computed from a PriceSet: the week's figures, the charted series and
the signal study. The page only lays these out; the CLI's `chart` command uses the same view."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from lib.analytics import engine
from lib.analytics.signals import SignalStudy, calc_signal_study
from lib.analytics.weekly import WeeklySummary, calc_weekly_summary, latest_common_session
from lib.core import calendar, settings
from lib.core.i18n import t
from lib.core.ranges import DateRange
from lib.core.settings import SESSIONS_PER_SHORT_SMA, SESSIONS_PER_SMA, WEEKS_PER_SMA, display_name
from lib.core.types import Frequency, Lang
from lib.data.prices import PriceSet
from lib.views.rows import DRAWN_COLUMNS, Rows
from lib.views.weekly_text import DASH


@dataclass(frozen=True)
class Standing:
    """Where this week's ratio stands: percentile ranks (%) and z-score (standard deviations)."""

    percentile_in_range: float
    percentile_all: float
    zscore_all: float


@dataclass(frozen=True)
class RatioView:
    summary: WeeklySummary
    standing: Standing
    ratio: Rows  # date, series, value_pct: the ratio and its averages, in range
    deviation: Rows  # date, deviation_pts, sign ("up"/"down"): the 26-week deviation, in range
    levels: Rows  # date, series, value: both indices' closes, in range
    relative: Rows  # the levels rebased to 100 at the range's first date
    moves: pd.DataFrame  # one row per index, labelled columns
    study: SignalStudy  # over all history, weekly
    x_domain: tuple[pd.Timestamp, pd.Timestamp] | None  # the first and last date plotted
    weekly_ratio: pd.DataFrame  # all history (ratio and deviations), for standing and the study
    data_end: pd.Timestamp  # the pair's last common close
    frequency: Frequency
    lang: Lang

    def for_range(self, date_range: DateRange, *, threshold_pts: float | None = None) -> RatioView:
        """This view cut to `date_range` (and its study redone for another threshold): the one
        range cut and the one rebase of the Ratio page. Exact when this view spans all history
        (build_ratio_view builds it so)."""
        first = date_range.start.isoformat()
        last = _last_label(date_range, self.data_end, self.frequency).isoformat()
        ratio = self.ratio.between(first, last)
        levels = self.levels.between(first, last)
        return replace(
            self,
            standing=_standing(self.weekly_ratio["ratio_pct"], date_range, self.summary.ratio.pct),
            ratio=ratio,
            deviation=self.deviation.between(first, last),
            levels=levels,
            relative=levels.rebased(),
            x_domain=(pd.Timestamp(ratio.dates[0]), pd.Timestamp(ratio.dates[-1])) if len(ratio) else None,
            study=self._study_at(threshold_pts),
        )

    def _study_at(self, threshold_pts: float | None) -> SignalStudy:
        if threshold_pts is None or threshold_pts == self.study.threshold_pts:
            return self.study
        return calc_signal_study(self.weekly_ratio, threshold_pts=threshold_pts)

    def at_week(self, summary: WeeklySummary, date_range: DateRange) -> RatioView:
        """This view with the headline figures, moves and standing of another week's `summary`."""
        return replace(
            self,
            summary=summary,
            standing=_standing(self.weekly_ratio["ratio_pct"], date_range, summary.ratio.pct),
            moves=_moves_table(summary, self.lang),
        )

    def average_window(self, weeks: int = WEEKS_PER_SMA) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """The first and last week end of the weekly closes the headline's `weeks`-week average
        covers (e.g. 2025-06-06 to 2025-11-28 for 26 weeks); None before the data holds that many."""
        labels = self.weekly_ratio.index[self.weekly_ratio.index <= self.summary.week_end]
        return None if len(labels) < weeks else (labels[-weeks], labels[-1])

    def band_off_axis(self, band: tuple[float, float]) -> tuple[str, float, float] | None:
        """("above" or "below", lowest, highest) when the reference band lies outside the values
        the ratio chart draws, whose axis follows its data (so the band is not drawn); else None."""
        values = [record["value_pct"] for record in self.ratio.records]
        if not values:
            return None
        lowest, highest = min(values), max(values)
        if band[0] > highest:
            return "above", lowest, highest
        if band[1] < lowest:
            return "below", lowest, highest
        return None

    def chart_rows(self, columns: int = DRAWN_COLUMNS, *, extremes: bool = False) -> dict[str, Rows]:
        """The rows each chart draws, by chart name: what `columns` pixel columns can show of the
        view's rows (25 years of daily bars are 6,400 on 1,800 columns); `extremes`: each column's
        lowest and highest point only (the page: `PAGE_COLUMNS`). The CSV files keep every row
        (`csv_frames`)."""
        return {
            "ratio": self.ratio.downsampled(columns, "value_pct", extremes=extremes),
            "deviation": self.deviation.downsampled(columns, "deviation_pts", bars=True),
            "relative": self.relative.downsampled(columns, "value", extremes=extremes),
        }

    def csv_frames(self) -> dict[str, pd.DataFrame]:
        """The plotted series, wide, one frame per chart (for CSV export): every row the charts are
        drawn from (`chart_rows` may draw fewer)."""
        return {
            "ratio": _wide(self.ratio.frame(), "value_pct"),
            "deviation": self.deviation.frame().set_index("date")[["deviation_pts"]],
            "relative": _wide(self.relative.frame(), "value"),
        }


def build_ratio_view(
    price_set: PriceSet,
    *,
    numerator: str,
    denominator: str,
    date_range: DateRange,
    lang: Lang,
    frequency: Frequency = "weekly",
    signal_threshold_pts: float | None = None,
    week_of: pd.Timestamp | None = None,
) -> RatioView:
    """The view of a pair over `date_range`; its headline figures are those of the week containing
    `week_of` (default: the latest week in the data)."""
    closes = price_set.closes
    strict = settings.strict_closes()
    summary = calc_weekly_summary(
        closes,
        source=price_set.source,
        week_of=week_of,
        numerator=numerator,
        denominator=denominator,
        last_closed=price_set.last_session,
        strict=strict,
    )
    as_of = latest_common_session(closes, [numerator, denominator])
    pair = closes.loc[:as_of, [numerator, denominator]].dropna()  # a ratio takes both closes of one day
    weekly = engine.to_weekly(pair, as_of=as_of, strict=strict)
    weekly_ratio = engine.to_ratio_frame(weekly[numerator], weekly[denominator], strict=strict)
    if frequency == "daily":
        daily = pair
        plotted = engine.to_ratio_frame(
            daily[numerator],
            daily[denominator],
            short_window=SESSIONS_PER_SHORT_SMA,
            long_window=SESSIONS_PER_SMA,
            strict=strict,
        )
        levels = daily
    else:
        plotted, levels = weekly_ratio, weekly
    study_kwargs = {} if signal_threshold_pts is None else {"threshold_pts": signal_threshold_pts}
    whole = RatioView(
        summary=summary,
        standing=_standing(weekly_ratio["ratio_pct"], date_range, summary.ratio.pct),
        ratio=Rows.from_tidy(_ratio_series(plotted, lang)),
        deviation=Rows.from_tidy(_deviation(plotted)),
        levels=Rows.from_tidy(_levels(levels.dropna(), lang)),
        relative=Rows([], []),
        moves=_moves_table(summary, lang),
        study=calc_signal_study(weekly_ratio, **study_kwargs),
        x_domain=None,
        weekly_ratio=weekly_ratio,
        data_end=as_of,
        frequency=frequency,
        lang=lang,
    )
    return whole.for_range(date_range)


def _last_label(date_range: DateRange, data_end: pd.Timestamp, frequency: Frequency) -> pd.Timestamp:
    """A weekly row is labelled by its week's last session; the provisional week's label falls after
    the data's last day, so a range that reaches the data's end keeps that week."""
    if frequency == "weekly" and date_range.end >= data_end:
        return calendar.week_end_sessions(pd.DatetimeIndex([data_end]))[0]
    return date_range.end


def _wide(tidy: pd.DataFrame, values: str) -> pd.DataFrame:
    """One column per series, in the order the series are drawn (pivot would sort them)."""
    order = list(dict.fromkeys(tidy["series"]))
    return tidy.pivot(index="date", columns="series", values=values)[order].rename_axis(columns=None)


def _standing(ratio: pd.Series, date_range: DateRange, value: float) -> Standing:
    in_range = ratio.loc[date_range.start : date_range.end]
    return Standing(
        percentile_in_range=engine.calc_percentile(in_range, value),
        percentile_all=engine.calc_percentile(ratio, value),
        zscore_all=engine.calc_zscore(ratio, value),
    )


def _ratio_series(in_range: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    labelled = in_range[["ratio_pct", "sma13_pct", "sma26_pct"]]
    labelled.columns = [t("series_ratio", lang), t("series_sma13", lang), t("series_sma26", lang)]
    return (
        labelled.rename_axis(index="date", columns="series")
        .stack(future_stack=True)
        .rename("value_pct")
        .dropna()
        .reset_index()
    )


def _deviation(plotted: pd.DataFrame) -> pd.DataFrame:
    deviation = plotted["deviation26_pts"].dropna().rename_axis("date").rename("deviation_pts").reset_index()
    return deviation.assign(sign=["up" if value >= 0 else "down" for value in deviation["deviation_pts"]])


def _levels(levels: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    named = levels.set_axis([display_name(symbol, lang) for symbol in levels.columns], axis="columns")
    return named.rename_axis(index="date", columns="series").stack().rename("value").reset_index()


def _moves_table(summary: WeeklySummary, lang: Lang) -> pd.DataFrame:
    rows = [
        {
            t("col_index", lang): display_name(symbol, lang),
            t("col_close", lang): move.close,
            t("col_prev", lang): move.prev_close,
            t("col_change", lang): move.change,
            t("col_change_pct", lang): move.change_pct,
            t("col_direction", lang): (move.direction_ja if lang == "ja" else move.direction_en) or DASH,
        }
        for symbol, move in summary.indices.items()
    ]
    return pd.DataFrame(rows)
