"""Chart builders: a tidy frame in, an `alt.Chart` out. No Streamlit here, so a chart is testable
through `to_dict()` and exportable from the command line with the same code."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lib.i18n import t
from lib.options import Lang

_RATIO_COLOUR = "#1f4e79"
_SMA_COLOUR = "#e07b00"


def ratio_chart(series: pd.DataFrame, *, lang: Lang, subtitle: str, is_demo: bool) -> alt.Chart:
    """The weekly ratio and its 26-week average.

    `series` is tidy: week_end (date), series (label), value_pct (percent).
    """
    title_lines = t("chart_ratio_title", lang)
    if is_demo:
        title_lines = f"{title_lines} — {t('demo_mark', lang)}"
    labels = [t("series_ratio", lang), t("series_sma26", lang)]
    base = alt.Chart(series).encode(
        x=alt.X(
            "week_end:T", title=t("axis_week", lang), axis=alt.Axis(format="%Y-%m", labelOverlap="greedy", tickCount=8)
        ),
        y=alt.Y("value_pct:Q", title=t("axis_ratio", lang), scale=alt.Scale(zero=False)),
        color=alt.Color(
            "series:N",
            scale=alt.Scale(domain=labels, range=[_RATIO_COLOUR, _SMA_COLOUR]),
            legend=alt.Legend(title=None, orient="top", direction="horizontal"),
        ),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=labels, range=[[1, 0], [6, 3]]), legend=None),
        tooltip=[
            alt.Tooltip("week_end:T", title=t("axis_week", lang), format="%Y-%m-%d"),
            alt.Tooltip("series:N", title=" "),
            alt.Tooltip("value_pct:Q", title="%", format=".2f"),
        ],
    )
    return (
        base.mark_line(strokeWidth=2)
        .properties(
            title=alt.TitleParams(title_lines, subtitle=subtitle, anchor="start"),
            height=340,
            width="container",
        )
        .interactive(bind_y=False)
    )
