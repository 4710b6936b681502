"""The Ratio page's three charts from a RatioView: shared by the page and `python -m lib.cli chart`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.analytics.weekly import WeeklySummary, calc_weekly_summary
from lib.core import calendar, settings
from lib.core.i18n import t
from lib.core.ranges import DateRange
from lib.core.settings import DEVIATION_GUIDES_PTS, REFERENCE_BAND_PCT, display_name
from lib.core.types import Frequency, Lang
from lib.data.prices import PriceSet
from lib.views import charts
from lib.views.charts import WEEK_COLOUR, ChartText, with_x_domain
from lib.views.ratio import RatioView, build_ratio_view
from lib.views.rows import DRAWN_COLUMNS, PAGE_COLUMNS


def build_ratio_charts(
    view: RatioView,
    price_set: PriceSet,
    *,
    numerator: str,
    denominator: str,
    lang: Lang,
    frequency: Frequency = "weekly",
    band: bool = True,
    log_scale: bool = False,
    events: pd.DataFrame | None = None,
    as_of: pd.Timestamp | None = None,
    columns: int = DRAWN_COLUMNS,
    extremes: bool = False,
) -> dict[str, dict]:
    """The ratio, deviation and relative-performance charts' Vega-Lite specs, titled, sharing one time
    axis, each carrying the view's rows as its named dataset (the page swaps in a range's rows).
    The subtitle names the pair's sources and the close the charts are as of (default: the data's
    last; the report gives its week's). The rows are what `columns` pixel columns show
    (`RatioView.chart_rows`): an exported file's by default, the page's with `PAGE_COLUMNS`."""
    num, den = display_name(numerator, lang), display_name(denominator, lang)
    freq = t(f"freq_{frequency}", lang)
    sources = price_set.source_for((numerator, denominator))
    subtitle = _subtitle(view, as_of if as_of is not None else price_set.as_of, sources, lang)

    def text(title: str) -> ChartText:
        return ChartText(title, subtitle, lang, price_set.is_demo)

    built = {
        "ratio": charts.ratio_chart(
            view.ratio,
            text=text(t("chart_ratio", lang, num=num, den=den, freq=freq)),
            band=REFERENCE_BAND_PCT if band else None,
            events=events,
            x_domain=view.x_domain,
        ),
        "deviation": charts.deviation_chart(
            view.deviation,
            text=text(t("chart_deviation", lang, freq=freq)),
            guides=DEVIATION_GUIDES_PTS,
            events=events,
            x_domain=view.x_domain,
        ),
        "relative": charts.relative_chart(
            view.relative,
            text=text(t("chart_relative", lang, num=num, den=den)),
            log_scale=log_scale,
            events=events,
            x_domain=view.x_domain,
        ),
    }
    rows = view.chart_rows(columns, extremes=extremes)
    return {name: charts.spec_with_rows(chart, {name: rows[name]}) for name, chart in built.items()}


def file_stem(name: str, view: RatioView, price_set: PriceSet, numerator: str, denominator: str) -> str:
    """e.g. ratio_RUO_GSPC_2022-01-07_2026-11-27-DEMO: what, which pair, which dates, demo or not."""
    start, end = (day.date() for day in view.x_domain)
    stem = f"{name}_{numerator}_{denominator}_{start}_{end}".replace("^", "")
    return f"{stem}-DEMO" if price_set.is_demo else stem


@dataclass(frozen=True)
class RatioPageModel:
    """Everything the Ratio page draws for one range."""

    view: RatioView
    specs: dict[str, dict]  # Vega-Lite specs of the three charts (empty when the range has no data)


@dataclass(frozen=True)
class RatioPageBase:
    """The Ratio page over all history for one pair and one set of drawing options (band, log scale:
    applied where the charts are built); cut to a range in a few ms.

    Building three layered Altair charts costs several times a Streamlit rerun, so they are built
    once over all history per option set; a range cuts the view (`RatioView.for_range`), whose rows
    replace the charts' named datasets, and moves the shared x domain. Tests check the result
    against a direct build.
    """

    view: RatioView  # all history
    specs: dict[str, dict]
    lang: Lang
    price_set: PriceSet
    numerator: str
    denominator: str
    _weeks: dict[pd.Timestamp, WeeklySummary] = field(default_factory=dict, compare=False, repr=False)

    def for_range(
        self, date_range: DateRange, *, threshold_pts: float, week: pd.Timestamp | None = None
    ) -> RatioPageModel:
        """The page for a range, the study's threshold and the headline's week (default: the range's
        last week, so a range ending 2025-11-28 shows that week): none rebuilds the charts."""
        view = self.view.for_range(date_range, threshold_pts=threshold_pts)
        if view.x_domain is None:
            return RatioPageModel(view, {})
        headline = self._summary(week if week is not None else view.x_domain[1])
        if headline is not self.view.summary:
            view = view.at_week(headline, date_range)
        domain = [day.isoformat() for day in view.x_domain]
        sources = self.price_set.source_for((self.numerator, self.denominator))
        subtitle = _subtitle(view, self.price_set.as_of, sources, self.lang)
        rows = view.chart_rows(PAGE_COLUMNS, extremes=True)  # the page's width, not an export's
        marked = [] if headline.week_end >= view.x_domain[1] else [_week_rule(headline.week_end)]
        specs = {
            name: {
                **with_x_domain({**spec, "layer": [*spec["layer"], *marked]}, domain),
                "datasets": {**spec["datasets"], name: rows[name].records},
                "title": {**spec["title"], "subtitle": subtitle},
            }
            for name, spec in self.specs.items()
        }
        return RatioPageModel(view, specs)

    def _summary(self, week_of: pd.Timestamp) -> WeeklySummary:
        """The figures of the week containing `week_of`: the latest week's are the view's own,
        another week's are computed once per base."""
        latest = self.view.summary
        week_end = calendar.week_end_sessions(pd.DatetimeIndex([week_of]))[0]
        if pd.isna(week_end) or week_end >= latest.week_end:
            return latest
        if week_end not in self._weeks:
            self._weeks[week_end] = calc_weekly_summary(
                self.price_set.closes,
                source=self.price_set.source,
                week_of=week_end,
                numerator=self.numerator,
                denominator=self.denominator,
                last_closed=self.price_set.last_session,
                strict=settings.strict_closes(),
            )
        return self._weeks[week_end]


def build_ratio_page_base(
    price_set: PriceSet,
    *,
    numerator: str,
    denominator: str,
    lang: Lang,
    frequency: Frequency,
    band: bool = True,
    log_scale: bool = False,
    view: RatioView | None = None,
) -> RatioPageBase:
    """The all-history base drawn with these options (see `for_range`); `view` is the pair's
    all-history view when the caller keeps one (it does not depend on the drawing options)."""
    if view is None:
        view = build_whole_view(price_set, numerator=numerator, denominator=denominator, lang=lang, frequency=frequency)
    specs = build_ratio_charts(
        view,
        price_set,
        numerator=numerator,
        denominator=denominator,
        lang=lang,
        frequency=frequency,
        band=band,
        log_scale=log_scale,
    )
    return RatioPageBase(view, specs, lang, price_set, numerator, denominator)


def build_whole_view(
    price_set: PriceSet, *, numerator: str, denominator: str, lang: Lang, frequency: Frequency
) -> RatioView:
    """The pair's view over all history: what every range and drawing option of the page cuts."""
    whole = DateRange(price_set.closes.index[0], price_set.as_of)
    return build_ratio_view(
        price_set, numerator=numerator, denominator=denominator, date_range=whole, lang=lang, frequency=frequency
    )


def _subtitle(view: RatioView, as_of: pd.Timestamp, source: str, lang: Lang) -> str:
    start, end = (day.date() for day in view.x_domain)
    return t("chart_subtitle", lang, start=start, end=end, session=as_of.date(), source=source)


def _week_rule(week_end: pd.Timestamp) -> dict:
    """A wide, faint rule at the headline's week when it is not the range's last: the charts show
    which week the figures above them describe."""
    return {
        "data": {"values": [{"date": week_end.isoformat()}]},  # parsed as the charts' rows are
        "mark": {"type": "rule", "color": WEEK_COLOUR, "strokeWidth": 7, "opacity": 0.22},
        "encoding": {"x": {"field": "date", "type": "temporal"}},
    }
