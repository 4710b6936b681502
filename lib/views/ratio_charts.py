"""The Ratio page's three charts from a RatioView: shared by the page and `python -m lib.cli chart`."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from lib.core.i18n import t
from lib.core.ranges import DateRange
from lib.core.settings import DEVIATION_GUIDES_PTS, REFERENCE_BAND_PCT, display_name
from lib.core.types import Frequency, Lang
from lib.data.prices import PriceSet
from lib.views import charts
from lib.views.charts import ChartText, with_x_domain
from lib.views.ratio import RatioView, build_ratio_view


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
    subtitle = _subtitle(view, price_set.as_of, price_set.source, lang)

    def text(title: str) -> ChartText:
        return ChartText(title, subtitle, lang, price_set.is_demo)

    return {
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
    as_of: pd.Timestamp
    source: str

    def for_range(self, date_range: DateRange, *, threshold_pts: float) -> RatioPageModel:
        """The page for a range and the study's threshold: neither rebuilds the charts."""
        view = self.view.for_range(date_range, threshold_pts=threshold_pts)
        if view.x_domain is None:
            return RatioPageModel(view, {})
        domain = [day.isoformat() for day in view.x_domain]
        subtitle = _subtitle(view, self.as_of, self.source, self.lang)
        rows = view.chart_rows()
        specs = {
            name: {
                **with_x_domain(spec, domain),
                "datasets": {**spec["datasets"], name: rows[name].records},
                "title": {**spec["title"], "subtitle": subtitle},
            }
            for name, spec in self.specs.items()
        }
        return RatioPageModel(view, specs)


def build_ratio_page_base(
    price_set: PriceSet,
    *,
    numerator: str,
    denominator: str,
    lang: Lang,
    frequency: Frequency,
    band: bool = True,
    log_scale: bool = False,
) -> RatioPageBase:
    """The all-history base drawn with these options (see `for_range`)."""
    whole = DateRange(price_set.closes.index[0], price_set.as_of)
    view = build_ratio_view(
        price_set,
        numerator=numerator,
        denominator=denominator,
        date_range=whole,
        lang=lang,
        frequency=frequency,
    )
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
    # Validated by the tests through to_dict(); validating on every build would cost more than
    # drawing the page.
    specs = {name: chart.to_dict(validate=False) for name, chart in built.items()}
    return RatioPageBase(view, specs, lang, price_set.as_of, price_set.source)


def _subtitle(view: RatioView, as_of: pd.Timestamp, source: str, lang: Lang) -> str:
    start, end = (day.date() for day in view.x_domain)
    return t("chart_subtitle", lang, start=start, end=end, session=as_of.date(), source=source)
