"""Streamlit glue for the frame every page shares: language, date range, the data badge and notices,
charts with their downloads. Data comes from lib/ui/cache.py."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.core.errors import DashboardError, EmptyRange
from lib.core.i18n import t
from lib.core.ranges import DEFAULT_PRESET, PRESETS, DateRange, preset_label, resolve_range
from lib.core.types import Lang
from lib.data.prices import PriceSet


def error_lines(message: str) -> None:
    """An error whose lines stay lines (a rejected file lists one reason per line)."""
    st.error(message.replace("\n", "  \n"), icon=":material/error:")


def chart_with_downloads(spec: dict, files: list, *, stem: str, key: str) -> None:
    """A chart and, under it, its PNG / SVG / CSV downloads (each made only when clicked)."""
    # Streamlit's default ("fit") squeezes title, legend and axes into the spec's height, which left
    # the ratio plot half as tall as the PNG export; fit-x keeps the plot's height, like the export.
    st.vega_lite_chart({**spec, "autosize": {"type": "fit-x", "contains": "padding"}}, width="stretch")
    buttons = st.container(horizontal=True)
    for file in files:
        buttons.download_button(
            file.suffix.upper(),
            data=file.make,
            file_name=f"{stem}.{file.suffix}",
            mime=file.mime,
            key=f"{key}_{file.suffix}",
            on_click="ignore",
            icon=file.icon,
        )


def require_frame() -> None:
    """Make sure app.py drew the frame (sidebar, shared state) around the page.

    With a pages/ folder present, Streamlit 1.67 serves a server's very first request in its legacy
    multipage mode, which runs a deep-linked page (/funds) alone, without app.py; st.navigation
    turns that mode off, but only once app.py has run. Turn it off here and run again through
    app.py (seen in the browser: the first request to /funds after a restart failed).
    """
    if "date_range" not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


LANGUAGES: dict[str, Lang] = {"English": "en", "日本語": "ja"}


def language() -> Lang:
    return LANGUAGES[st.session_state.get("lang", "English")]


def sidebar(price_set: PriceSet) -> DateRange:
    """Language, date range and the data badge; returns the chosen range, or the default one while
    the chosen one is invalid (the message is in st.session_state["range_problem"])."""
    st.session_state["range_problem"] = None
    with st.sidebar:
        # The options are their own labels, so the URL reads ?lang=日本語 in any language.
        st.radio("Language · 言語", list(LANGUAGES), key="lang", horizontal=True, bind="query-params")
        lang = language()
        date_range = _range_inputs(price_set, lang)
        st.divider()
        st.caption(t("data_source", lang))
        st.markdown(_badge(price_set, lang))
        st.caption(as_of_line(price_set, lang))
    return date_range


def _badge(price_set: PriceSet, lang: Lang) -> str:
    """A coloured source badge: orange for demo, green when current, yellow when behind."""
    if price_set.is_demo:
        return f":orange-badge[:material/science: {t('demo_mark', lang)}]"
    if price_set.is_current:
        return f":green-badge[:material/check_circle: {price_set.source}]"
    return f":yellow-badge[:material/schedule: {price_set.source}]"


def as_of_line(price_set: PriceSet, lang: Lang) -> str:
    fetched = f"{price_set.fetched_at:%Y-%m-%d %H:%M} UTC" if price_set.fetched_at else t("not_fetched", lang)
    session = price_set.as_of.date() if price_set.as_of is not None else "—"
    return t("as_of_line", lang, session=session, source=price_set.source, fetched=fetched)


def notices(price_set: PriceSet, lang: Lang) -> None:
    """The banner every page shows first: demo data, offline, stale data, an invalid range."""
    if price_set.is_demo:
        st.warning(t("demo_banner", lang), icon=":material/science:")
    range_notice(lang)
    for notice in price_set.notices:
        st.info(notice.text(lang), icon=":material/cloud_off:")


def range_notice(lang: Lang) -> None:
    """While the sidebar's dates are invalid, the page says it shows the usual range instead."""
    if st.session_state.get("range_problem"):
        st.warning(t("range_fallback", lang, problem=st.session_state["range_problem"]), icon=":material/event_busy:")


def _range_inputs(price_set: PriceSet, lang: Lang) -> DateRange:
    held = [symbol for symbol in price_set.primary if symbol in price_set.closes.columns]
    filled = price_set.closes[held or price_set.closes.columns].dropna(how="all")
    first, last = filled.index[0], price_set.as_of
    preset = st.segmented_control(
        t("date_range", lang),
        PRESETS,
        key="range_preset",
        default=DEFAULT_PRESET,
        format_func=preset_label,  # language-independent: the URL keeps the label
        required=True,
        width="stretch",
        bind="query-params",
    )
    custom_start = custom_end = None
    if preset == "Custom":
        left, right = st.columns(2)
        custom_start = left.date_input(
            t("start", lang), value=pd.Timestamp("2022-01-03").date(), key="range_start", bind="query-params"
        )
        custom_end = right.date_input(t("end", lang), value=last.date(), key="range_end", bind="query-params")
    try:
        return resolve_range(preset, data_first=first, data_last=last, custom_start=custom_start, custom_end=custom_end)
    except DashboardError as error:
        problem = (
            t("range_empty", lang, start=error.start, end=error.end) if isinstance(error, EmptyRange) else str(error)
        )
        st.error(problem, icon=":material/event_busy:")
        # The pages keep working on the usual range, and say so, until the dates are fixed.
        st.session_state["range_problem"] = problem
        return resolve_range(DEFAULT_PRESET, data_first=first, data_last=last)
