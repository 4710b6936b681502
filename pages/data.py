"""Data page: what the price store holds, and adding to it: a price file, a refresh from Yahoo, a close by hand."""

import datetime as dt

import streamlit as st

from lib.core import settings
from lib.core.errors import ClosesWouldChange, DashboardError, StoreUnavailable
from lib.core.i18n import t
from lib.core.types import DECIMAL_MARKS
from lib.ui import cache, frame, replace_confirm
from lib.ui import data_page as ui_data

DECIMAL_NAMES = {None: "auto", ".": "point", ",": "comma"}  # message keys of the choices

frame.require_frame()
lang = frame.language()
st.title(t("data_title", lang))
frame.notices(cache.dashboard_prices(), lang)


def done(outcome: ui_data.Outcome) -> None:
    """Keep what was stored for the next run, which every page draws from the new data."""
    st.session_state["data_outcome"] = outcome
    st.rerun()


outcome = st.session_state.pop("data_outcome", None)
if outcome is not None:
    st.success(outcome.said.text(lang), icon=":material/check:")
    if outcome.series:
        st.dataframe(ui_data.series_frame(outcome.series, lang), hide_index=True, placeholder="—", height="content")
    if outcome.warning is not None:
        st.warning(outcome.warning.text(lang), icon=":material/help:")

st.subheader(t("data_holdings", lang))
st.caption(t("data_location", lang, url=ui_data.store_location()))
try:
    holdings = ui_data.holdings(lang)
except StoreUnavailable as error:
    st.error(ui_data.explain(error, lang), icon=":material/error:")
    st.stop()
if holdings.empty:
    st.info(t("data_empty", lang), icon=":material/database:")
else:
    st.dataframe(holdings, hide_index=True, placeholder="—", height="content")


def import_file(upload: dict, *, replace: bool = False) -> None:
    """Import an uploaded price file, with a progress bar while it is checked; refused for moving
    stored closes, it waits for the analyst's answer."""
    bar = st.progress(0.0, text=t("data_reading", lang, name=upload["name"]))

    def progress(done_bytes: int, total: int) -> None:
        bar.progress(min(done_bytes / max(total, 1), 1.0), text=t("data_reading", lang, name=upload["name"]))

    try:
        outcome = ui_data.import_price_file(**upload, replace=replace, progress=progress)
        bar.empty()
        done(outcome)
    except ClosesWouldChange as refused:
        bar.empty()
        replace_confirm.hold("data_pending", refused, **upload)
    except DashboardError as error:
        bar.empty()
        frame.error_lines(ui_data.explain(error, lang))


refusal = cache.write_refusal()  # the store refuses imports and closes typed by this session: say so
st.subheader(t("data_import_title", lang))
st.caption(t("data_import_caption", lang))
if refusal is not None:
    st.info(refusal.text(lang), icon=":material/lock:")
with st.form("data_import_form", clear_on_submit=True, border=False):
    upload = st.file_uploader(t("data_file", lang), type=["csv"], key="data_file")
    symbol_text = st.text_input(
        t("data_import_symbol", lang), key="data_import_symbol", help=t("data_import_symbol_help", lang)
    )
    decimal = st.selectbox(
        t("data_decimal", lang),
        [None, *DECIMAL_MARKS],
        format_func=frame.message_labels("data_decimal_", lang, DECIMAL_NAMES),
        key="data_decimal",
        help=t("data_decimal_help", lang),
    )
    imported = st.form_submit_button(
        t("data_import", lang), key="data_import", icon=":material/upload:", disabled=refusal is not None
    )
if imported:
    if upload is None:
        st.error(t("data_no_file", lang), icon=":material/error:")
    else:
        import_file({"raw": upload.getvalue(), "name": upload.name, "symbol_text": symbol_text, "decimal": decimal})
confirmed = replace_confirm.ask("data_pending", lang)
if confirmed is not None:
    import_file(confirmed, replace=True)

st.subheader(t("data_undo_title", lang))
st.caption(t("data_undo_caption", lang))
held_imports = ui_data.imports()
if not held_imports:
    st.caption(t("data_undo_none", lang))
else:
    with st.form("data_undo_form", border=False):
        chosen = st.selectbox(
            t("data_undo_source", lang),
            held_imports,
            format_func=ui_data.import_labels(lang),
            key="data_undo_source",
        )
        undo = st.form_submit_button(
            t("data_undo", lang), key="data_undo", icon=":material/undo:", disabled=refusal is not None
        )
    if undo:
        try:
            done(ui_data.undo_import(chosen.source))
        except DashboardError as error:
            st.error(ui_data.explain(error, lang), icon=":material/error:")

st.subheader(t("data_refresh_title", lang))
st.caption(t("data_refresh_caption", lang, symbols=", ".join(settings.default_symbols())))
by_whom = cache.fetching()
if by_whom != "yahoo":
    st.caption(t("data_refresh_offline" if by_whom == "offline" else "data_refresh_team", lang))
if st.button(t("data_refresh", lang), key="data_refresh", disabled=by_whom != "yahoo", icon=":material/sync:"):
    try:
        done(ui_data.refresh_from_yahoo())
    except DashboardError as error:
        st.error(ui_data.explain(error, lang), icon=":material/cloud_off:")

st.subheader(t("data_gap_title", lang))
st.caption(t("data_gap_caption", lang, source=ui_data.HAND_SOURCE))
with st.form("data_gap_form", border=False):
    symbol_col, day_col, close_col = st.columns(3)
    gap_symbol = symbol_col.text_input(t("data_gap_symbol", lang), key="data_gap_symbol", placeholder="^RUO")
    gap_day = day_col.date_input(
        t("data_gap_date", lang),
        value=ui_data.last_closed_session(),
        min_value=dt.date(1990, 1, 1),  # the calendar's first year
        key="data_gap_date",
    )
    gap_close = close_col.number_input(t("data_gap_close", lang), value=None, format="%.4f", key="data_gap_close")
    entered = st.form_submit_button(
        t("data_gap_store", lang), key="data_gap_store", icon=":material/save:", disabled=refusal is not None
    )
if entered:
    try:
        done(ui_data.enter_close(gap_symbol, gap_day, gap_close))
    except DashboardError as error:
        st.error(ui_data.explain(error, lang), icon=":material/error:")
