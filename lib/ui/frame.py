"""Streamlit glue for the frame every page shares: language, date range, the data badge and notices,
charts with their downloads. Data comes from lib/ui/cache.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import pandas as pd
import streamlit as st

from lib.core import settings
from lib.core.errors import DashboardError
from lib.core.i18n import format_date, t
from lib.core.ranges import DEFAULT_PRESET, DateRange, preset_label, resolve_range
from lib.core.types import LANGS, PRESETS, Lang
from lib.data.prices import PriceSet
from lib.data.worker import WorkerStatus
from lib.ui.parts import error_text

TEAM_KEY = "team_worker"  # cross-page: the worker's status in team mode (set by the sidebar)


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


# --- Labels of a widget's choices ------------------------------------------------------------
# A widget's format_func is made here, never as a lambda in a page script: Streamlit keeps a
# session's widget records of the pages it visited earlier, and a function written in a page holds
# that page's whole namespace (its tables, charts and copies of the prices) for as long as the
# session lives: 14 MiB a session on 25 years of prices (bench/memory.py).


def message_labels(prefix: str, lang: Lang, names: Mapping[object, str] | None = None) -> Callable[[object], str]:
    """format_func showing each choice as the message `prefix` + the choice (or its name in `names`)."""
    return partial(_message_label, prefix, names or {}, lang=lang)


def _message_label(prefix: str, names: Mapping[object, str], choice: object, *, lang: Lang) -> str:
    return t(f"{prefix}{names.get(choice, choice)}", lang)


def symbol_labels(lang: Lang) -> Callable[[str], str]:
    """format_func showing a symbol as 'Russell 2000 Growth (^RUO)' in `lang`."""
    return partial(settings.choice_label, lang=lang)


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


# --- Choices kept in the link by a stable key -------------------------------------------------
# Streamlit's bind="query-params" writes a widget's *label* (its format_func text) into the URL, so
# translated labels would make a link depend on the language it was made in. The few choices whose
# labels are translated are kept by hand instead: the link holds the key (?lang=ja&ratio_freq=weekly
# &range_preset=2022-01&ratio_num=^RUT), and a link with an old label (English, 日本語, Weekly,
# Since 2022-01, Russell 2000 (^RUT), Month-end) still opens the same view.

_READ_FROM_LINK = "link_read"  # the keys already taken from the link in this session
Label = Callable[[str, Lang], str]


def from_link(key: str, options: Sequence[str], label: Label, *, free_text: bool = False) -> bool:
    """Before the widget `key` is drawn for the first time in a session: its value from the link's
    ?key=, given as an option or as any language's label of one; with `free_text` (a typed ticker)
    any other text is taken as it stands, else it is ignored. True when it set the value: the widget
    then gets no default of its own (Streamlit warns when both are given)."""
    read = st.session_state.setdefault(_READ_FROM_LINK, set())
    if key in read:
        return False
    read.add(key)
    text = st.query_params.get(key)
    if text is None:
        return False
    chosen = next((option for option in options if text in (option, *(label(option, lang) for lang in LANGS))), None)
    if chosen is None and not free_text:
        return False
    st.session_state[key] = chosen if chosen is not None else text
    return True


def to_link(key: str, value: str | None, default: str) -> None:
    """After the widget: its stable key in the link, or nothing there when it is the default."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def language_label(code: str, lang: Lang) -> str:
    """Each language by its own name, whatever the page's language; any other text as it stands
    (AppTest sets a radio by its label)."""
    return t(f"lang_name_{code}", code) if code in LANGS else code


def language() -> Lang:
    """The page's language: the sidebar's choice, taken from the link (?lang=ja) before it is drawn."""
    from_link("lang", LANGS, language_label)
    code = st.session_state.get("lang", "en")
    return code if code in LANGS else "en"


def sidebar(price_set: PriceSet, team: WorkerStatus | None = None) -> DateRange:
    """Language, date range and the data badge; returns the chosen range, or the default one while
    the chosen one is invalid (the message is in st.session_state["range_problem"]). In team mode,
    `team` says where prices come from; the pages' notices say when the worker is late."""
    st.session_state[TEAM_KEY] = team
    st.session_state["range_problem"] = None
    with st.sidebar:
        language()  # the link's language, before the radio is drawn
        st.radio(
            t("language_picker", "en"),
            LANGS,
            key="lang",
            format_func=lambda code: language_label(code, "en"),
            horizontal=True,
        )
        lang = language()
        to_link("lang", lang, default=LANGS[0])
        date_range = _range_inputs(price_set, lang)
        st.divider()
        st.caption(t("data_source", lang))
        st.markdown(_badge(price_set, lang))
        st.caption(as_of_line(price_set, lang))
        if team is not None:
            st.caption(team.source_line().text(lang))
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
    team = st.session_state.get(TEAM_KEY)
    late = team.notice() if team is not None else None
    if late is not None:
        st.warning(late.text(lang), icon=":material/schedule:")
    for notice in price_set.notices:
        st.info(notice.text(lang), icon=":material/cloud_off:")


def range_notice(lang: Lang) -> None:
    """While the sidebar's dates are invalid, the page says it shows the usual range instead."""
    if st.session_state.get("range_problem"):
        base = format_date(pd.Timestamp(settings.BASE_DATE), lang, "month_number")
        problem = st.session_state["range_problem"]
        st.warning(t("range_fallback", lang, problem=problem, base=base), icon=":material/event_busy:")


def _range_inputs(price_set: PriceSet, lang: Lang) -> DateRange:
    held = [symbol for symbol in price_set.primary if symbol in price_set.closes.columns]
    filled = price_set.closes[held or price_set.closes.columns].dropna(how="all")
    first, last = filled.index[0], price_set.as_of
    linked = from_link("range_preset", PRESETS, preset_label)
    preset = st.segmented_control(
        t("date_range", lang),
        PRESETS,
        key="range_preset",
        default=None if linked else DEFAULT_PRESET,
        format_func=lambda preset: preset_label(preset, lang),
        required=True,
        width="stretch",
    )
    to_link("range_preset", preset, default=DEFAULT_PRESET)
    custom_start = custom_end = None
    if preset == "Custom":
        # One under the other: side by side, the sidebar clipped the dates ("2022/01/0").
        custom_start = st.date_input(
            t("start", lang), value=pd.Timestamp(settings.BASE_DATE).date(), key="range_start", bind="query-params"
        )
        custom_end = st.date_input(t("end", lang), value=last.date(), key="range_end", bind="query-params")
    try:
        return resolve_range(preset, data_first=first, data_last=last, custom_start=custom_start, custom_end=custom_end)
    except DashboardError as error:
        problem = error_text(error, lang)
        st.error(problem, icon=":material/event_busy:")
        # The pages keep working on the usual range, and say so, until the dates are fixed.
        st.session_state["range_problem"] = problem
        return resolve_range(DEFAULT_PRESET, data_first=first, data_last=last)
