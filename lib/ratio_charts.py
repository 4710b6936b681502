"""The Ratio page's three charts from a RatioView: shared by the page and `python -m lib.cli chart`."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from lib import charts
from lib.charts import ChartText
from lib.i18n import t
from lib.options import Lang
from lib.prices import PriceSet
from lib.ranges import DateRange
from lib.ratio_view import Frequency, RatioView, build_ratio_view
from lib.settings import DEVIATION_GUIDES_PTS, REFERENCE_BAND_PCT, display_name


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
) -> dict[str, alt.LayerChart]:
    """The ratio, deviation and relative-performance charts, titled and sharing one time axis."""
    num, den = display_name(numerator, lang), display_name(denominator, lang)
    freq = t(f"freq_{frequency}", lang)
    start, end = (day.date() for day in view.x_domain)
    subtitle = t("chart_subtitle", lang, start=start, end=end, session=price_set.as_of.date(), source=price_set.source)

    def text(title: str) -> ChartText:
        return ChartText(title, subtitle, lang, price_set.is_demo)

    return {
        "ratio": charts.ratio_chart(
            view.ratio_series,
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
            view.rebased,
            text=text(t("chart_relative", lang, num=num, den=den)),
            log_scale=log_scale,
            events=events,
            x_domain=view.x_domain,
        ),
    }


def file_stem(name: str, view: RatioView, price_set: PriceSet, numerator: str, denominator: str) -> str:
    """e.g. ratio_RUO_GSPC_2022-01-07_2026-11-27-DEMO: what, which pair, which dates, demo or not."""
    start, end = (day.date() for day in view.x_domain)
    stem = f"{name}_{numerator}_{denominator}_{start}_{end}".replace("^", "")
    return f"{stem}-DEMO" if price_set.is_demo else stem


@dataclass(frozen=True)
class RatioPageModel:
    """Everything the Ratio page draws, computed once per choice of pair, range and options."""

    view: RatioView
    specs: dict[str, dict]  # Vega-Lite specs of the three charts (empty when the range has no data)


def build_ratio_page_model(
    price_set: PriceSet,
    *,
    numerator: str,
    denominator: str,
    date_range: DateRange,
    lang: Lang,
    frequency: Frequency,
    threshold_pts: float,
    band: bool,
    log_scale: bool,
) -> RatioPageModel:
    view = build_ratio_view(
        price_set,
        numerator=numerator,
        denominator=denominator,
        date_range=date_range,
        lang=lang,
        frequency=frequency,
        signal_threshold_pts=threshold_pts,
    )
    if view.x_domain is None:
        return RatioPageModel(view, {})
    built = build_ratio_charts(
        view,
        price_set,
        numerator=numerator,
        denominator=denominator,
        lang=lang,
        frequency=frequency,
        band=band,
        log_scale=log_scale,
    )
    # Validated by the tests through to_dict(); validating again on every page build costs more
    # than drawing the page.
    return RatioPageModel(view, {name: chart.to_dict(validate=False) for name, chart in built.items()})
