"""Streamlit glue shared by app.py and the pages: cached data access and the shared sidebar.

The only module of lib/ that imports Streamlit; everything it shows is computed elsewhere.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lib import prices, settings
from lib.errors import DashboardError, EmptyRange, StoreUnavailable
from lib.fund_facts import refresh_facts
from lib.funds_page import FundsPage, build_funds_page
from lib.funds_view import default_as_of
from lib.i18n import t
from lib.nav_import import import_nav
from lib.options import Lang
from lib.prices import PriceSet
from lib.ranges import DEFAULT_PRESET, PRESETS, DateRange, preset_label, resolve_range
from lib.ratio_charts import RatioPageBase, RatioPageModel, build_ratio_page_base
from lib.store import PriceStore

PRICE_TTL_SECONDS = 600


@st.cache_resource
def price_store(url: str) -> PriceStore:
    return PriceStore(url)  # a failure raises and is not cached: the next run tries again


def store_revision() -> int | None:
    """The price store's revision, read on every rerun and part of every price cache's key, so a
    CLI import or another server's refresh shows at the next rerun. None when the store cannot be
    used: the caches then keep their entries for PRICE_TTL_SECONDS, as before."""
    try:
        return price_store(settings.database_url()).revision()
    except StoreUnavailable:
        return None


# `revision` is only part of the key (store_revision); the TTL still lets a stale store be refreshed.
@st.cache_data(ttl=PRICE_TTL_SECONDS, show_spinner="Loading prices…")
def load_price_set(
    symbols: tuple[str, ...], url: str, offline: bool, primary: tuple[str, ...], revision: int | None
) -> PriceSet:
    try:
        store = price_store(url)
    except StoreUnavailable:
        store = None
    now = dt.datetime.now(dt.UTC)
    return prices.load_prices(list(symbols), store=store, now=now, offline=offline, primary=primary)


@st.cache_data(ttl=settings.LIVE_REFRESH_SECONDS, show_spinner=False)
def load_live_price_set(
    symbols: tuple[str, ...], url: str, offline: bool, primary: tuple[str, ...], revision: int | None
) -> PriceSet:
    stored = load_price_set(symbols, url, offline, primary, revision)
    return prices.with_live_quotes(stored, list(primary), now=dt.datetime.now(dt.UTC))


def dashboard_prices(numerator: str = settings.NUMERATOR, denominator: str = settings.DENOMINATOR) -> PriceSet:
    """The prices the pages share (indices, default funds and the chosen pair), from the store.

    While the NYSE is open (and not offline), today's live prices of the pair are added.
    """
    args = _price_args(numerator, denominator)
    if not settings.offline_mode() and live_refresh_seconds():
        return load_live_price_set(*args)
    return load_price_set(*args)


# cache_resource, not cache_data: the base is immutable (a frozen dataclass whose specs are only
# ever copied, never changed) and a cache_data copy of its ~10,000 chart rows on every rerun cost
# more than drawing the page.
@st.cache_resource(ttl=PRICE_TTL_SECONDS, max_entries=16, show_spinner=False)
def _stored_ratio_base(
    symbols: tuple[str, ...],
    url: str,
    offline: bool,
    primary: tuple[str, ...],
    revision: int | None,
    **options: object,
) -> RatioPageBase:
    price_set = load_price_set(symbols, url, offline, primary, revision)
    return build_ratio_page_base(price_set, numerator=primary[0], denominator=primary[1], **options)


def ratio_model(
    price_set: PriceSet,
    numerator: str,
    denominator: str,
    *,
    lang: Lang,
    frequency: str,
    date_range: DateRange,
    **drawing: object,
) -> RatioPageModel:
    """The Ratio page's figures and chart specs for a range and drawing options.

    The all-history base is cached per pair, language and frequency (built fresh on live prices);
    the range, the band, the log scale and the study's threshold only cut or adjust it.
    """
    if price_set.live_at is not None:
        base = build_ratio_page_base(
            price_set, numerator=numerator, denominator=denominator, lang=lang, frequency=frequency
        )
    else:
        base = _stored_ratio_base(*_price_args(numerator, denominator), lang=lang, frequency=frequency)
    return base.for_range(date_range, **drawing)


def _price_args(numerator: str, denominator: str) -> tuple:
    """The cache key of a price set: symbols, store, offline mode, the pair and the store's revision."""
    symbols = tuple(dict.fromkeys((*settings.default_symbols(), numerator, denominator)))
    return symbols, settings.database_url(), settings.offline_mode(), (numerator, denominator), store_revision()


def fund_prices(funds: tuple[str, ...], benchmark: str) -> PriceSet:
    """Prices of the shown funds and the benchmark (the benchmark's freshness drives the notices)."""
    symbols = tuple(dict.fromkeys((*settings.default_symbols(), *funds, benchmark)))
    return load_price_set(symbols, settings.database_url(), settings.offline_mode(), (benchmark,), store_revision())


def funds_page(
    funds: tuple[str, ...], benchmark: str, as_of_mode: str, date_range: DateRange, lang: Lang, risk_free_pct: float
) -> FundsPage:
    return _funds_page(funds, benchmark, as_of_mode, date_range, lang, risk_free_pct, store_revision())


@st.cache_data(ttl=PRICE_TTL_SECONDS, max_entries=32, show_spinner=False)
def _funds_page(
    funds: tuple[str, ...],
    benchmark: str,
    as_of_mode: str,
    date_range: DateRange,
    lang: Lang,
    risk_free_pct: float,
    revision: int | None,
) -> FundsPage:
    price_set = fund_prices(funds, benchmark)
    as_of = default_as_of(price_set.closes, benchmark, month_end=as_of_mode == "month_end", funds=list(funds))
    return build_funds_page(
        price_set,
        funds=list(funds),
        benchmark=benchmark,
        as_of=as_of,
        date_range=date_range,
        lang=lang,
        risk_free_pct=risk_free_pct,
        described=described_funds(),
        facts=_fund_facts(list(funds)),
    )


def _fund_facts(funds: list[str]) -> dict:
    """Expense ratios and net assets: refreshed from Yahoo at most weekly (not offline), cached."""
    try:
        store = price_store(settings.database_url())
        if not settings.offline_mode():
            refresh_facts(store, funds, now=dt.datetime.now(dt.UTC))
        return store.fund_facts()
    except StoreUnavailable:
        return {}


def described_funds() -> dict:
    """Funds described in the store (imported NAVs): their names, currency and note."""
    try:
        return price_store(settings.database_url()).instruments()
    except StoreUnavailable:
        return {}


def import_nav_file(raw: bytes, *, name: str, symbol: str, fund_name: str, currency: str) -> str:
    """Store an uploaded NAV file; raises DashboardError (nothing written) when it is rejected."""
    summary = import_nav(
        price_store(settings.database_url()),
        raw,
        name=name,
        symbol=symbol,
        fund_name=fund_name,
        fund_name_ja=fund_name,
        currency=currency,
        now=dt.datetime.now(dt.UTC),
    )
    st.cache_data.clear()  # the new prices must show at once
    return summary


def saved_funds() -> list[str]:
    """The Funds page's list: as saved by the analysts, else the default universe."""
    try:
        return price_store(settings.database_url()).saved_funds() or list(settings.DEFAULT_FUNDS)
    except StoreUnavailable:
        return list(settings.DEFAULT_FUNDS)


def save_funds(symbols: list[str]) -> str | None:
    """Keep the list for everyone; returns the reason when it could not be saved."""
    try:
        price_store(settings.database_url()).save_funds(symbols)
    except StoreUnavailable as error:
        return str(error)
    return None


def live_refresh_seconds() -> int | None:
    return prices.live_refresh_seconds(dt.datetime.now(dt.UTC))


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
