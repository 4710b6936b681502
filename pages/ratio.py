"""Ratio page: the pair's weekly figures, the index moves, three charts on one time axis with their
exports, and the signal study. Every control is kept in the URL, so a link reopens the same view."""

import math

import pandas as pd
import streamlit as st

from lib.core import settings
from lib.core.errors import DashboardError
from lib.core.i18n import t
from lib.core.symbols import validate_symbol
from lib.core.types import FREQUENCIES
from lib.ui import cache, frame
from lib.ui import notes as ui_notes
from lib.ui.parts import error_text, part
from lib.views import export
from lib.views.ratio_charts import RatioPageModel, file_stem
from lib.views.weekly_text import figure

frame.require_frame()
lang = frame.language()
date_range = st.session_state["date_range"]


def pair_picker(label: str, key: str, default: str) -> str:
    linked = frame.from_link(key, settings.PAIR_CHOICES, settings.choice_label, free_text=True)
    options = list(dict.fromkeys((*settings.PAIR_CHOICES, st.session_state.get(key, default))))
    chosen = st.selectbox(
        label,
        options,
        index=None if linked else options.index(default),
        key=key,
        format_func=frame.symbol_labels(lang),
        accept_new_options=True,
        help=t("pair_help", lang),
        persist_state="session",  # the pair stays while another page is open
    )
    frame.to_link(key, chosen, default)  # the ticker, whatever the label's language
    return chosen


title_slot = st.empty()  # the title names the pair, which the controls below choose
num_col, den_col, freq_col, band_col, log_col = st.columns([3, 3, 2, 2, 1.5], vertical_alignment="bottom")
with num_col:
    numerator_text = pair_picker(t("pair_numerator", lang), "ratio_num", settings.NUMERATOR)
with den_col:
    denominator_text = pair_picker(t("pair_denominator", lang), "ratio_den", settings.DENOMINATOR)
linked = frame.from_link("ratio_freq", FREQUENCIES, lambda freq, lang: t(f"freq_option_{freq}", lang))
frequency = freq_col.segmented_control(
    t("frequency", lang),
    FREQUENCIES,
    default=None if linked else "weekly",
    key="ratio_freq",
    required=True,
    format_func=frame.message_labels("freq_option_", lang),
    persist_state="session",
)
frame.to_link("ratio_freq", frequency, "weekly")
low, high = settings.REFERENCE_BAND_PCT
show_band = band_col.toggle(
    t("band_toggle", lang, low=low, high=high), value=True, key="ratio_band", bind="query-params"
)
log_scale = log_col.toggle(t("log_toggle", lang), value=False, key="ratio_log", bind="query-params")

try:
    numerator, denominator = validate_symbol(numerator_text), validate_symbol(denominator_text)
except DashboardError as error:
    st.error(error_text(error, lang), icon=":material/error:")
    st.stop()
if numerator == denominator:
    st.error(t("pair_same", lang, symbol=numerator), icon=":material/error:")
    st.stop()

title_slot.title(
    t(
        "ratio_page_title",
        lang,
        num=settings.display_name(numerator, lang),
        den=settings.display_name(denominator, lang),
    )
)


def week_picker() -> pd.Timestamp | None:
    """The week the headline shows: any day of it (in the link as ?ratio_week=2025-11-28); empty, the
    range's last week. A date input, not a list of weeks: 25 years are 1,300 options to send on
    every rerun."""
    price_set = cache.dashboard_prices(numerator, denominator)
    if price_set.as_of is None:
        return None
    chosen = st.date_input(
        t("week_picker", lang),
        value=None,
        min_value=price_set.closes.index[0].date(),
        max_value=price_set.as_of.date(),
        key="ratio_week",
        bind="query-params",
        help=t("week_picker_help", lang),
        width=220,
    )
    return None if chosen is None else pd.Timestamp(chosen)


def _known(value: float) -> float | None:
    return None if math.isnan(value) else value


@st.fragment(run_every=cache.live_refresh_seconds())
def figures() -> RatioPageModel | None:
    """The week's figures; while the NYSE is open this part alone refreshes every few minutes."""
    price_set = cache.dashboard_prices(numerator, denominator)
    frame.notices(price_set, lang)
    try:
        model = cache.ratio_model(
            price_set,
            numerator,
            denominator,
            date_range=date_range,
            lang=lang,
            frequency=frequency,
            threshold_pts=st.session_state.get("ratio_threshold", settings.SIGNAL_THRESHOLD_PTS),
            band=show_band,
            log_scale=log_scale,
            week=week,
        )
    except DashboardError as error:
        st.error(t("no_figures", lang, reason=error_text(error, lang)), icon=":material/error:")
        return None
    view = model.view
    summary, ratio, standing = view.summary, view.summary.ratio, view.standing
    status = t("provisional", lang) if summary.provisional else t("final", lang)
    st.subheader(t("week_line", lang, week=summary.week_end.date(), status=status))
    st.caption(frame.as_of_line(price_set, lang))
    change = None if ratio.change_pts is None else f"{ratio.change_pts:+.2f} {t('ratio_change', lang)}"
    top = st.columns(4)
    top[0].metric(t("ratio_metric", lang), f"{ratio.pct:.2f}", change, help=t("ratio_currency_free", lang))
    window = view.average_window()
    covers = None if window is None else t("sma26_window", lang, first=window[0].date(), last=window[1].date())
    top[1].metric(t("sma26_metric", lang), figure(ratio.sma26_pct, ".2f"), help=covers)
    top[2].metric(t("dev26_metric", lang), figure(ratio.deviation_pts, "+.2f"), help=covers)
    top[3].metric(t("dev26_rel_metric", lang), figure(ratio.deviation_rel_pct, "+.2f"))
    second = st.columns(4)
    second[0].metric(t("dev13_metric", lang), figure(ratio.deviation13_pts, "+.2f"))
    second[1].metric(t("pct_range_metric", lang), figure(_known(standing.percentile_in_range), ".0f"))
    second[2].metric(t("pct_all_metric", lang), figure(_known(standing.percentile_all), ".0f"))
    second[3].metric(t("zscore_metric", lang), figure(_known(standing.zscore_all), "+.2f"))
    for notice in summary.notices:
        st.caption(f":material/info: {notice.text(lang)}")
    st.markdown(f"**{t('weekly_moves', lang)}**")
    st.dataframe(
        view.moves,
        hide_index=True,
        placeholder="—",
        column_config={
            t("col_close", lang): st.column_config.NumberColumn(format="%.2f"),
            t("col_prev", lang): st.column_config.NumberColumn(format="%.2f"),
            t("col_change", lang): st.column_config.NumberColumn(format="%+.2f"),
            t("col_change_pct", lang): st.column_config.NumberColumn(format="%+.2f%%"),
        },
    )
    return model


week = week_picker()
model = figures()
if model is None:
    st.stop()
view = model.view
if view.x_domain is None:
    st.warning(t("empty_range", lang, start=date_range.start.date(), end=date_range.end.date()))
    st.stop()

price_set = cache.dashboard_prices(numerator, denominator)
if frequency == "daily":
    st.caption(t("daily_windows_note", lang))
specs = model.specs
with part(t("markers_part", lang), lang):  # the charts are drawn with or without their note markers
    specs = ui_notes.charts_with_markers(model.specs, date_range, view.x_domain, lang)
    ui_notes.notes_after_data(price_set.as_of, lang)
off_axis = view.band_off_axis(settings.REFERENCE_BAND_PCT) if show_band else None
if off_axis is not None:
    where, lowest, highest = off_axis
    st.caption(f":material/info: {t(f'band_{where}', lang, low=low, high=high, lowest=lowest, highest=highest)}")
for name, spec in specs.items():
    plotted = lambda name=name: view.csv_frames()[name]  # noqa: E731 - computed only on a click
    files = export.chart_files(spec, plotted, is_demo=price_set.is_demo)
    frame.chart_with_downloads(
        spec, files, stem=file_stem(name, view, price_set, numerator, denominator), key=f"ratio_{name}"
    )

st.divider()
with part(t("signal_part", lang), lang):
    study = view.study
    st.subheader(t("signal_title", lang, threshold=study.threshold_pts))
    st.number_input(
        t("signal_threshold", lang),
        value=settings.SIGNAL_THRESHOLD_PTS,
        step=0.5,
        key="ratio_threshold",
        width=200,
        bind="query-params",
    )
    st.caption(t("signal_caption", lang))
    if study.events.empty:
        st.info(t("signal_none", lang, threshold=study.threshold_pts))
    else:
        summary_table = study.summary.rename(
            columns={
                "horizon_weeks": t("col_horizon", lang),
                "events": t("col_events", lang),
                "hits": t("col_hits", lang),
                "hit_rate_pct": t("col_hit_rate", lang),
                "mean_change_pts": t("col_mean_change", lang),
            }
        )
        st.dataframe(
            summary_table,
            hide_index=True,
            placeholder="—",
            column_config={
                t("col_hit_rate", lang): st.column_config.NumberColumn(format="%.0f"),
                t("col_mean_change", lang): st.column_config.NumberColumn(format="%+.2f"),
            },
        )
        with st.expander(t("signal_events", lang, count=len(study.events))):
            events = study.events.rename(
                columns={
                    "week_end": t("col_week", lang),
                    "deviation_pts": t("col_deviation", lang),
                    "ratio_pct": t("col_ratio", lang),
                    **{
                        f"change_{w}w_pts": t("col_change_after", lang, weeks=w) for w in settings.SIGNAL_HORIZONS_WEEKS
                    },
                }
            )
            st.dataframe(
                events,
                hide_index=True,
                placeholder="—",
                column_config={t("col_week", lang): st.column_config.DateColumn()},
            )
