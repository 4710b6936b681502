"""Ratio page: the week's figures, the weekly moves and the ratio against its 26-week average."""

import streamlit as st

from lib import charts, settings, ui
from lib.errors import DashboardError
from lib.i18n import t
from lib.ranges import preset_label
from lib.ratio_view import build_ratio_view

lang = ui.language()
price_set = ui.dashboard_prices()
date_range = st.session_state.get("date_range")

st.title(t("ratio_title", lang))
ui.notices(price_set, lang)

if date_range is None:
    st.stop()
try:
    view = build_ratio_view(
        price_set, numerator=settings.NUMERATOR, denominator=settings.DENOMINATOR, date_range=date_range, lang=lang
    )
except DashboardError as error:
    st.error(t("no_figures", lang, reason=error), icon=":material/error:")
    st.stop()

summary, ratio = view.summary, view.summary.ratio
status = t("provisional", lang) if summary.provisional else t("final", lang)
st.subheader(t("week_line", lang, week=summary.week_end.date(), status=status))
st.caption(ui.as_of_line(price_set, lang))

ratio_col, sma_col, dev_col, rel_col = st.columns(4)
ratio_col.metric(t("ratio_metric", lang), f"{ratio.pct:.2f}", f"{ratio.change_pts:+.2f} {t('ratio_change', lang)}")
sma_col.metric(t("sma26_metric", lang), f"{ratio.sma26_pct:.2f}")
dev_col.metric(t("dev26_metric", lang), f"{ratio.deviation_pts:+.2f}")
rel_col.metric(t("dev26_rel_metric", lang), f"{ratio.deviation_rel_pct:+.2f}")

st.markdown(f"**{t('weekly_moves', lang)}**")
st.dataframe(
    view.moves,
    hide_index=True,
    column_config={
        t("col_close", lang): st.column_config.NumberColumn(format="%.2f"),
        t("col_prev", lang): st.column_config.NumberColumn(format="%.2f"),
        t("col_change", lang): st.column_config.NumberColumn(format="%+.2f"),
        t("col_change_pct", lang): st.column_config.NumberColumn(format="%+.2f%%"),
    },
)

if view.shown is None:
    st.warning(t("empty_range", lang, start=date_range.start.date(), end=date_range.end.date()))
    st.stop()
first_week, last_week = view.shown
range_text = f"{first_week.date()} – {last_week.date()} ({preset_label(st.session_state['range_preset'], lang)})"
subtitle = f"{range_text} · {ui.as_of_line(price_set, lang)}"
st.altair_chart(charts.ratio_chart(view.chart_series, lang=lang, subtitle=subtitle, is_demo=price_set.is_demo))
