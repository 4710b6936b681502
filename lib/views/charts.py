"""Chart builders: a tidy frame in, an `alt.Chart` out. No Streamlit here, so a chart is testable
through `to_dict()` and exportable from the command line with the same code (lib/views/export.py).

Every builder takes the same `ChartText` (title, subtitle, language, demo flag), an optional
events layer (dates with labels, e.g. research notes) and an optional shared x domain, so the
three charts of the Ratio page line up on one time axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from lib.core.i18n import t
from lib.core.types import Lang
from lib.views.rows import Rows

# Encodings are spelled as channel objects (alt.Y(...), not "field:Q" strings or alt.condition
# dicts): Altair turns the latter into objects by searching its whole schema, several ms each,
# which a page rerun would pay for every layer.
# Charts carry every plotted point inline; the app's largest (25 years of daily closes, three
# series) is about 20,000 rows. A process-wide setting of the library, not per-user state.
alt.data_transformers.disable_max_rows()

RATIO_COLOUR = "#1f4e79"
SMA26_COLOUR = "#e07b00"
SMA13_COLOUR = "#7a9a01"
UP_COLOUR = "#2e7d32"
DOWN_COLOUR = "#c62828"
EVENT_COLOUR = "#6a1b9a"
WEEK_COLOUR = "#37474f"
HEIGHT = 300
LABEL_LANES, LABEL_LANE_PX = 3, 13  # event labels: lanes, and the step between them (10 px text)
LABEL_ROOM_PX = 150  # a label closer than this to the plot's right edge reads leftwards from its rule


@dataclass(frozen=True)
class ChartText:
    title: str
    subtitle: str
    lang: Lang
    is_demo: bool

    def title_params(self) -> alt.TitleParams:
        title = f"{self.title} — {t('demo_mark', self.lang)}" if self.is_demo else self.title
        return alt.TitleParams(title, subtitle=self.subtitle, anchor="start", subtitleFontSize=11)


def ratio_chart(
    series: Rows | pd.DataFrame,
    *,
    text: ChartText,
    band: tuple[float, float] | None = None,
    events: pd.DataFrame | None = None,
    x_domain: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    width: int | str = "container",
) -> alt.LayerChart:
    """The ratio (%) with its moving averages; `series` is tidy: date, series (label), value_pct."""
    lang = text.lang
    labels = _labels(series)
    palette = [RATIO_COLOUR, SMA13_COLOUR, SMA26_COLOUR][: len(labels)]
    data = _data(series, "ratio")
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=1.8)
        .encode(
            x=_x(lang, x_domain),
            y=alt.Y("value_pct:Q", title=t("axis_ratio", lang), scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=labels, range=palette),
                legend=alt.Legend(title=None, orient="top", direction="horizontal", labelLimit=400),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=labels, range=[[1, 0], [2, 2], [6, 3]][: len(labels)]), legend=None
            ),
            tooltip=[
                _date_tooltip(lang),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value_pct:Q", title=t("axis_ratio", lang), format=".2f"),
            ],
        )
    )
    layers: list[alt.Chart] = []
    if band is not None:
        layers.append(_band(data, *band))
    layers.append(lines)
    return _finish(layers, events, text, width, x_domain)


def _band(data: alt.NamedData | pd.DataFrame, low: float, high: float) -> alt.Chart:
    """The reference band, drawn only where it overlaps the ratio's drawn range, so the axis follows
    the data (a band far from the ratio would otherwise squeeze the line into a corner). Computed
    by Vega from the chart's own rows: a range cut needs no second band."""
    return (
        alt.Chart(data)
        .transform_aggregate(lowest="min(value_pct)", highest="max(value_pct)")
        .transform_calculate(low=f"max({low}, datum.lowest)", high=f"min({high}, datum.highest)")
        .transform_filter("datum.low < datum.high")
        .mark_rect(color="#9e9e9e", opacity=0.15)
        .encode(y=alt.Y("low:Q"), y2=alt.Y2("high:Q"))
    )


def deviation_chart(
    deviation: Rows | pd.DataFrame,
    *,
    text: ChartText,
    guides: tuple[float, ...] = (2.0, 3.0),
    events: pd.DataFrame | None = None,
    x_domain: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    width: int | str = "container",
) -> alt.LayerChart:
    """The 26-week deviation in percentage points as bars coloured by sign, guide lines at ±guides.

    `deviation` is tidy: date, deviation_pts and sign ("up" or "down"; added to a frame without it).
    """
    lang = text.lang
    if isinstance(deviation, pd.DataFrame) and "sign" not in deviation.columns:
        deviation = deviation.assign(sign=["up" if value >= 0 else "down" for value in deviation["deviation_pts"]])
    bars = (
        alt.Chart(_data(deviation, "deviation"))
        .mark_bar()
        .encode(
            x=_x(lang, x_domain),
            y=alt.Y("deviation_pts:Q", title=t("axis_deviation", lang)),
            color=alt.Color(
                "sign:N", scale=alt.Scale(domain=["up", "down"], range=[UP_COLOUR, DOWN_COLOUR]), legend=None
            ),
            tooltip=[
                _date_tooltip(lang),
                alt.Tooltip("deviation_pts:Q", title=t("axis_deviation", lang), format="+.2f"),
            ],
        )
    )
    levels = pd.DataFrame({"level": [sign * g for g in guides for sign in (1, -1)]})
    rules = (
        alt.Chart(levels)
        .mark_rule(color="#616161", strokeDash=[4, 4], strokeWidth=1)
        .encode(y=alt.Y("level:Q"), tooltip=[alt.Tooltip("level:Q", title=t("axis_deviation", lang), format="+.0f")])
    )
    return _finish([bars, rules], events, text, width, x_domain)


def relative_chart(
    rebased: Rows | pd.DataFrame,
    *,
    text: ChartText,
    log_scale: bool = False,
    events: pd.DataFrame | None = None,
    x_domain: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    width: int | str = "container",
) -> alt.LayerChart:
    """Both indices rebased to 100 at the range start; `rebased` is tidy: date, series, value."""
    lang = text.lang
    labels = _labels(rebased)
    lines = (
        alt.Chart(_data(rebased, "relative"))
        .mark_line(strokeWidth=1.8)
        .encode(
            x=_x(lang, x_domain),
            y=alt.Y(
                "value:Q",
                title=t("axis_rebased", lang),
                scale=alt.Scale(type="log", zero=False, nice=False) if log_scale else alt.Scale(zero=False),
            ),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=labels, range=[RATIO_COLOUR, SMA26_COLOUR]),
                legend=alt.Legend(title=None, orient="top", direction="horizontal", labelLimit=400),
            ),
            tooltip=[
                _date_tooltip(lang),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=t("axis_rebased", lang), format=".1f"),
            ],
        )
    )
    base_line = alt.Chart(pd.DataFrame({"level": [100.0]})).mark_rule(color="#9e9e9e").encode(y=alt.Y("level:Q"))
    return _finish([base_line, lines], events, text, width, x_domain)


def events_layer(
    events: pd.DataFrame, x_domain: tuple[pd.Timestamp, pd.Timestamp] | None, lang: Lang, *, labels: bool = True
) -> alt.LayerChart:
    """A rule and (unless `labels` is False) a label per event; `events` has date and label,
    optionally detail (tooltip), colour ("#rrggbb", e.g. a note's first tag) and lane (the label's
    offset from the top in px; default: three lanes in turn).

    Labels read horizontally from their rule, staggered over three lanes so neighbours rarely
    overlap: rotated a quarter turn they were hard to read on the page and in the PNG. Near the
    right edge they read leftwards instead, where the page would clip them: Vega decides per label
    from the drawn x position, so it holds for any range and width."""
    tooltip = [_date_tooltip(lang), alt.Tooltip("label:N", title=" ")]
    if "detail" in events.columns:
        tooltip.append(alt.Tooltip("detail:N", title=" "))
    colour = alt.Color("colour:N", scale=None) if "colour" in events.columns else alt.ColorValue(EVENT_COLOUR)
    if labels and "lane" not in events.columns:
        events = events.assign(lane=[label_lane(position) for position in range(len(events))])
    base = alt.Chart(events).encode(x=_x(lang, x_domain), tooltip=tooltip, color=colour)
    rules = base.mark_rule(strokeDash=[2, 3], strokeWidth=1.2)
    if not labels:
        return alt.layer(rules)
    near_edge = f"scale('x', datum.date) > width - {LABEL_ROOM_PX}"
    text = base.mark_text(
        align=alt.ExprRef(f"{near_edge} ? 'right' : 'left'"),
        dx=alt.ExprRef(f"{near_edge} ? -3 : 3"),
        baseline="top",
        dy=2,
        fontSize=10,
    ).encode(text=alt.Text("label:N"), y=alt.YValue(0), yOffset=alt.YOffset("lane:Q", scale=None))
    return alt.layer(rules, text)


def label_lane(position: int) -> int:
    """The offset from the top (px) of the `position`-th label in date order: three lanes in turn."""
    return LABEL_LANE_PX * (position % LABEL_LANES)


def theme_timeline(
    timeline: pd.DataFrame, *, text: ChartText, themes: list[str], width: int | str = "container"
) -> alt.Chart:
    """Weeks x themes: a cell for every week a theme was written about. `timeline` is tidy: start
    and end (the week's Monday and the day after its last session), theme, colour, notes, titles."""
    return (
        alt.Chart(timeline)
        .mark_rect(cornerRadius=1)
        .encode(
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y-%m", labelOverlap="greedy", tickCount=8)),
            x2=alt.X2("end:T"),
            y=alt.Y("theme:N", title=None, sort=themes, axis=alt.Axis(labelLimit=220)),
            color=alt.Color("colour:N", scale=None),
            tooltip=[
                alt.Tooltip("week:T", title=t("axis_week", text.lang), format="%Y-%m-%d"),
                alt.Tooltip("theme:N", title=" "),
                alt.Tooltip("titles:N", title=" "),
            ],
        )
        .properties(title=text.title_params(), height=max(120, 26 * len(themes)), width=width)
    )


def _finish(
    layers: list,
    events: pd.DataFrame | None,
    text: ChartText,
    width: int | str,
    x_domain: tuple[pd.Timestamp, pd.Timestamp] | None,
) -> alt.LayerChart:
    if events is not None and not events.empty:
        layers = [*layers, events_layer(events, x_domain, text.lang)]
    return alt.layer(*layers).properties(title=text.title_params(), height=HEIGHT, width=width)


def spec_with_rows(chart: alt.TopLevelMixin, rows: dict[str, Rows]) -> dict:
    """The chart's Vega-Lite spec with `rows` as its named datasets. Added after `to_dict`: as a chart
    attribute Altair would walk (and validate) every record, which tripled a 25-year export."""
    spec = chart.to_dict(validate=False)
    spec["datasets"] = {**spec.get("datasets", {}), **{name: part.records for name, part in rows.items()}}
    return spec


def with_x_domain(layer: dict, domain: list[str]) -> dict:
    """A spec (or layer) with `domain` as the x scale's domain in every layer with an x channel:
    the Ratio page's charts and their note markers share one time axis."""
    if "layer" in layer:
        return {**layer, "layer": [with_x_domain(child, domain) for child in layer["layer"]]}
    x = layer.get("encoding", {}).get("x")
    if not x:
        return layer
    return {**layer, "encoding": {**layer["encoding"], "x": {**x, "scale": {**x.get("scale", {}), "domain": domain}}}}


def _data(data: Rows | pd.DataFrame, name: str) -> alt.NamedData | pd.DataFrame:
    """Rows are named (their records join the spec in `spec_with_rows`); a frame is inline."""
    return alt.NamedData(name) if isinstance(data, Rows) else data


def _labels(data: Rows | pd.DataFrame) -> list[str]:
    """The series in the order they are drawn."""
    series = (record["series"] for record in data.records) if isinstance(data, Rows) else data["series"]
    return list(dict.fromkeys(series))


def _x(lang: Lang, x_domain: tuple[pd.Timestamp, pd.Timestamp] | None) -> alt.X:
    scale = alt.Scale(domain=[d.isoformat() for d in x_domain]) if x_domain else alt.Undefined
    return alt.X(
        "date:T",
        title=None,
        scale=scale,
        axis=alt.Axis(format="%Y-%m", labelOverlap="greedy", tickCount=8),
    )


def _date_tooltip(lang: Lang) -> alt.Tooltip:
    return alt.Tooltip("date:T", title=t("axis_date", lang), format="%Y-%m-%d")


def growth_chart(
    growth: pd.DataFrame, *, text: ChartText, benchmark: str, width: int | str = "container"
) -> alt.LayerChart:
    """Growth of 10,000 per fund; `growth` is tidy: date, series, value. The benchmark is dashed."""
    return _fund_lines(growth, text=text, benchmark=benchmark, y_title=t("axis_growth", text.lang), width=width)


def drawdown_chart(
    drawdowns: pd.DataFrame, *, text: ChartText, benchmark: str, width: int | str = "container"
) -> alt.LayerChart:
    """Drawdown from the running peak (%) per fund; `drawdowns` is tidy: date, series, value."""
    return _fund_lines(drawdowns, text=text, benchmark=benchmark, y_title=t("axis_drawdown", text.lang), width=width)


def _fund_lines(
    tidy: pd.DataFrame, *, text: ChartText, benchmark: str, y_title: str, width: int | str
) -> alt.LayerChart:
    labels = list(dict.fromkeys(tidy["series"]))
    dashes = [[6, 3] if label == benchmark else [1, 0] for label in labels]
    lines = (
        alt.Chart(tidy)
        .mark_line(strokeWidth=1.5)
        .encode(
            x=_x(text.lang, None),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=labels, scheme="tableau10"),
                legend=alt.Legend(title=None, orient="top", direction="horizontal", columns=4, labelLimit=400),
            ),
            strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=labels, range=dashes), legend=None),
            tooltip=[
                _date_tooltip(text.lang),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=y_title, format=",.1f"),
            ],
        )
    )
    return _finish([lines], None, text, width, None)
