"""Funds page: the fund performance table as of a month-end, growth of 10,000 and drawdowns."""

import streamlit as st

from lib.core import settings
from lib.core.errors import ClosesWouldChange, DashboardError, StoreUnavailable
from lib.core.i18n import message, t
from lib.core.symbols import validate_symbol
from lib.core.types import AS_OF_MODES, TABLE_CURRENCIES
from lib.ui import cache, frame, fund_list, replace_confirm
from lib.ui.parts import error_text, part
from lib.views import export, funds_publication
from lib.views.funds_style import style_table
from lib.views.funds_table import TABLE_VIEWS, table_view

frame.require_frame()
lang = frame.language()
date_range = st.session_state["date_range"]
st.title(t("funds_title", lang))

mode_col, bench_col, currency_col, rf_col = st.columns([2.4, 2.5, 3.4, 1.7], vertical_alignment="bottom")
# The link keeps the keys (?funds_as_of=latest&funds_benchmark=^RUO), the labels are in the page's language.
linked = frame.from_link("funds_as_of", AS_OF_MODES, lambda mode, lang: t(f"funds_option_{mode}", lang))
as_of_mode = mode_col.segmented_control(
    t("funds_as_of", lang),
    AS_OF_MODES,
    default=None if linked else "month_end",
    key="funds_as_of",
    required=True,
    format_func=frame.message_labels("funds_option_", lang),
    persist_state="session",
)
frame.to_link("funds_as_of", as_of_mode, "month_end")
month = mode_col.date_input(
    t("funds_month", lang),
    value=None,
    key="funds_month",
    bind="query-params",
    help=t("funds_month_help", lang),
    disabled=as_of_mode != "month_end",
)
frame.from_link("funds_benchmark", settings.BENCHMARK_CHOICES, settings.choice_label, free_text=True)
benchmark_choices = list(dict.fromkeys((*settings.BENCHMARK_CHOICES, st.session_state.get("funds_benchmark", ""))))
benchmark_text = bench_col.selectbox(
    t("funds_benchmark", lang),
    [choice for choice in benchmark_choices if choice],
    key="funds_benchmark",
    format_func=frame.symbol_labels(lang),
    accept_new_options=True,
    help=t("funds_benchmark_help", lang),
    persist_state="session",
)
frame.to_link("funds_benchmark", benchmark_text, settings.BENCHMARK_CHOICES[0])
# ?funds_currency=jpy: every fund in yen (usd: in dollars); each in its own currency by default.
linked = frame.from_link("funds_currency", TABLE_CURRENCIES, lambda choice, lang: t(f"funds_currency_{choice}", lang))
table_currency = currency_col.segmented_control(
    t("funds_currency", lang),
    TABLE_CURRENCIES,
    default=None if linked else "native",
    key="funds_currency",
    required=True,
    format_func=frame.message_labels("funds_currency_", lang),
    help=t("funds_currency_help", lang),
    persist_state="session",
)
frame.to_link("funds_currency", table_currency, "native")
risk_free = rf_col.number_input(
    t("funds_risk_free", lang),
    value=settings.DEFAULT_RISK_FREE_PCT,
    min_value=-5.0,
    max_value=20.0,
    step=0.25,
    key="funds_rf",
    bind="query-params",
)

refusal = cache.write_refusal()  # the store refuses this session's changes: say so, offer none
listed = fund_list.reconcile()
if st.session_state.get("funds_just_imported"):  # a NAV file imported on the last run has joined the list
    st.success(st.session_state.pop("funds_just_imported").text(lang), icon=":material/check:")
if listed.elsewhere is not None:
    st.info(listed.elsewhere.text(lang), icon=":material/group:")
if isinstance(listed.problem, StoreUnavailable):
    st.warning(t("funds_not_saved", lang, problem=error_text(listed.problem, lang)), icon=":material/sync_problem:")
elif listed.problem is not None:
    st.error(error_text(listed.problem, lang), icon=":material/error:")
if refusal is not None:
    st.info(refusal.text(lang), icon=":material/lock:")
st.multiselect(
    t("funds_selected", lang),
    list(dict.fromkeys((*settings.DEFAULT_FUNDS, *settings.NAV_FUNDS, *listed.funds))),
    key=fund_list.LIST_KEY,
    format_func=frame.symbol_labels(lang),
    accept_new_options=True,
    placeholder=t("select_placeholder", lang),
    help=t("funds_list_help", lang),
    disabled=refusal is not None,
)
funds = listed.funds
try:
    benchmark = validate_symbol(benchmark_text)
except DashboardError as error:
    st.error(error_text(error, lang), icon=":material/error:")
    st.stop()


def nav_source_lines(sources: dict) -> list[str]:
    """'<name> (JP-SBI-SCG): https://toushin-lib...', where each fund of `sources` publishes its NAV file."""
    return [
        t("funds_nav_source_line", lang, name=settings.display_name(symbol, lang), symbol=symbol, url=source.url)
        for symbol, source in sources.items()
    ]


def import_nav(upload: dict, *, replace: bool = False) -> None:
    """Import a NAV upload; refused for moving stored NAVs, it waits for the analyst's answer."""
    try:
        summary = cache.import_nav_file(**upload, replace=replace)
    except ClosesWouldChange as refused:
        replace_confirm.hold("funds_nav_pending", refused, **upload)
        return
    except DashboardError as error:
        frame.error_lines(error_text(error, lang))
        return
    st.session_state["funds_just_imported"] = summary
    st.session_state[fund_list.RELOAD_KEY] = True  # the import put the fund on the saved list
    st.rerun()


with st.expander(t("nav_import_title", lang), icon=":material/upload_file:"):
    with st.form("funds_nav_form", clear_on_submit=True, border=False):
        upload = st.file_uploader(t("nav_file", lang), type=["csv"], key="funds_nav_file")
        id_col, name_col, currency_col = st.columns([2, 4, 1])
        nav_symbol = id_col.text_input(t("nav_symbol", lang), placeholder="JP-SBI-SCG", key="funds_nav_symbol")
        nav_name = name_col.text_input(t("nav_name", lang), key="funds_nav_name")
        nav_currency = currency_col.selectbox(t("nav_currency", lang), ["JPY", "USD", "EUR"])
        nav_hedged = st.checkbox(t("nav_hedged", lang), key="funds_nav_hedged", help=t("nav_hedged_help", lang))
        st.markdown("  \n".join([t("funds_nav_sources", lang), *nav_source_lines(settings.NAV_SOURCES)]))
        submitted = st.form_submit_button(
            t("nav_import", lang), icon=":material/upload:", key="funds_nav_import", disabled=refusal is not None
        )
    if submitted:
        try:
            known = nav_symbol.strip() in settings.KNOWN_FUNDS  # a 投信 of the universe brings its own name
            if upload is None or not nav_symbol.strip() or not (nav_name.strip() or known):
                raise DashboardError(message("nav_missing"))
            symbol = validate_symbol(nav_symbol)
        except DashboardError as error:
            frame.error_lines(error_text(error, lang))
        else:
            nav = {"raw": upload.getvalue(), "name": upload.name, "symbol": symbol, "fund_name": nav_name}
            import_nav({**nav, "currency": nav_currency, "hedged": nav_hedged})
    confirmed = replace_confirm.ask("funds_nav_pending", lang)
    if confirmed is not None:
        import_nav(confirmed, replace=True)

price_set = cache.fund_prices(tuple(funds), benchmark)
frame.notices(price_set, lang)
unpriced = [symbol for symbol in funds if symbol not in price_set.closes.columns]
from_files = [symbol for symbol in unpriced if symbol in settings.NAV_SOURCES]  # a 投信: its NAV file, not Yahoo
if from_files:
    lines = nav_source_lines({symbol: settings.NAV_SOURCES[symbol] for symbol in from_files})
    st.info("  \n".join([t("funds_nav_sources", lang), *lines]), icon=":material/download:")
unpriced = [symbol for symbol in unpriced if symbol not in from_files]
if unpriced:
    st.warning(t("funds_unpriced", lang, symbols=", ".join(unpriced), source=price_set.source), icon=":material/help:")
try:
    page = cache.funds_page(tuple(funds), benchmark, as_of_mode, date_range, lang, risk_free, month, table_currency)
except DashboardError as error:
    st.error(t("funds_no_table", lang, reason=error_text(error, lang)), icon=":material/error:")
    st.stop()

table = page.table
linked = frame.from_link("funds_view", TABLE_VIEWS, lambda view, lang: t(f"funds_view_{view}", lang))
view = st.segmented_control(
    t("funds_view", lang),
    TABLE_VIEWS,
    default=None if linked else "returns",
    key="funds_view",
    required=True,
    format_func=frame.message_labels("funds_view_", lang),
    persist_state="session",
)
frame.to_link("funds_view", view, "returns")
for note in table.notes:
    st.warning(note.text(lang), icon=":material/compare_arrows:")
currency_said = (
    t("funds_caption_native", lang)
    if table.currency == "native"
    else t("funds_caption_in", lang, currency=t(f"funds_currency_{table_currency}", lang))
)
caption = t("funds_caption", lang, as_of=table.as_of.date(), benchmark=benchmark, rf=table.risk_free_pct)
st.caption(f"{caption} {currency_said}")
if not table.rows:
    st.info(t("funds_none", lang))
with part(t("funds_title", lang), lang):
    st.dataframe(
        style_table(table_view(page.frame, view, lang), lang),
        hide_index=True,
        placeholder="—",  # an empty cell, never a grey "None"
        height=36 * (len(page.frame) + 1) + 2,
        column_config={
            t("fund_col_fund", lang): st.column_config.TextColumn(pinned=True, width="medium"),
            t("fund_col_symbol", lang): st.column_config.TextColumn(width="small"),
            t("fund_col_currency", lang): st.column_config.TextColumn(width="small"),
        },
    )
demo_tag = "-DEMO" if price_set.is_demo else ""
downloads = st.container(horizontal=True)
downloads.download_button(
    "CSV",
    data=lambda: export.to_csv(page.frame.set_index(page.frame.columns[0]), is_demo=price_set.is_demo),
    file_name=f"funds_{table.as_of.date()}_{benchmark.replace('^', '')}_{table_currency}{demo_tag}.csv",
    mime="text/csv",
    key="funds_csv",
    on_click="ignore",
    icon=":material/table:",
)
published = funds_publication.publication_files(
    page.frame, as_of=table.as_of, source=price_set.source, lang=lang, is_demo=price_set.is_demo
)
for file in published:  # the blog's table: PNG and HTML, each made only when clicked
    downloads.download_button(
        t(f"funds_publication_{file.suffix}", lang),
        data=file.make,
        file_name=f"funds_table_{table.as_of.date()}_{lang}{demo_tag}.{file.suffix}",
        mime=file.mime,
        key=f"funds_publication_{file.suffix}",
        on_click="ignore",
        icon=file.icon,
        help=t("funds_publication_help", lang),
    )

for reason in page.left_out.values():
    st.info(reason.text(lang), icon=":material/hide_source:")
plotted = {"growth": page.growth, "drawdown": page.drawdowns}
chart_names = {"growth": t("funds_growth_part", lang), "drawdown": t("funds_drawdown_title", lang)}
for name, spec in page.specs.items():
    with part(chart_names[name], lang):
        series = plotted[name].pivot(index="date", columns="series", values="value")
        files = export.chart_files(spec, lambda series=series: series, is_demo=price_set.is_demo)
        frame.chart_with_downloads(
            spec, files, stem=f"funds_{name}_{table.as_of.date()}{demo_tag}", key=f"funds_{name}"
        )
