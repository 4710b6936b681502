"""Streamlit glue for data: the price store, cached price sets, chart bases and fund tables, keyed on
the store's revision so a write by any process shows at the next rerun. Nothing here draws but the
spinner of a slow price load, in the page's language."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Literal

import pandas as pd
import streamlit as st

from lib.core import settings
from lib.core.errors import StoreUnavailable, WriteRefused
from lib.core.i18n import Message, t
from lib.core.ranges import DateRange
from lib.core.types import AsOfMode, Frequency, Lang, TableCurrency
from lib.data import prices, worker
from lib.data.access import Editor, check_may_write
from lib.data.fund_facts import refresh_facts
from lib.data.nav_import import import_nav
from lib.data.prices import PriceSet
from lib.data.store import PriceStore
from lib.data.worker import WorkerStatus
from lib.ui.frame import language
from lib.views.funds import FundsPage, build_funds_page
from lib.views.funds_table import default_as_of
from lib.views.ratio import RatioView
from lib.views.ratio_charts import RatioPageBase, RatioPageModel, build_ratio_page_base, build_whole_view

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
@st.cache_data(ttl=PRICE_TTL_SECONDS, show_spinner=False)  # `loading` says it in the page's language
def load_price_set(
    symbols: tuple[str, ...], url: str, fetching: Fetching, primary: tuple[str, ...], revision: int | None
) -> PriceSet:
    stored = _stored_prices(symbols, url, fetching, revision)
    return prices.focused(stored, primary, offline=fetching == "offline", by_worker=fetching == "worker")


# Apart from the pair: a new pair of held symbols focuses these closes (1 ms) instead of reading
# the store again (60 ms on the real closes).
@st.cache_data(ttl=PRICE_TTL_SECONDS, max_entries=8, show_spinner=False)
def _stored_prices(symbols: tuple[str, ...], url: str, fetching: Fetching, revision: int | None) -> PriceSet:
    try:
        store = price_store(url)
    except StoreUnavailable:
        store = None
    now = dt.datetime.now(dt.UTC)
    return prices.load_stored(
        list(symbols), store=store, now=now, offline=fetching == "offline", by_worker=fetching == "worker"
    )


@st.cache_data(ttl=settings.LIVE_REFRESH_SECONDS, show_spinner=False)
def load_live_price_set(
    symbols: tuple[str, ...], url: str, fetching: Fetching, primary: tuple[str, ...], revision: int | None
) -> PriceSet:
    stored = load_price_set(symbols, url, fetching, primary, revision)
    return prices.with_live_quotes(stored, list(primary), now=dt.datetime.now(dt.UTC))


def dashboard_prices(numerator: str = settings.NUMERATOR, denominator: str = settings.DENOMINATOR) -> PriceSet:
    """The prices the pages share (indices, default funds and the chosen pair), from the store.

    While the NYSE is open (and Yahoo may be asked: not offline, not team mode), today's live prices
    of the pair are added.
    """
    args = _price_args(numerator, denominator)
    with loading():
        if live_refresh_seconds():
            return load_live_price_set(*args)
        return load_price_set(*args)


def loading() -> AbstractContextManager:
    """A spinner shown while prices load, once loading takes longer than half a second."""
    return st.spinner(t("loading_prices", language()))


# cache_resource, not cache_data: the base is immutable (a frozen dataclass whose specs are only
# ever copied, never changed) and a cache_data copy of its ~10,000 chart rows on every rerun cost
# more than drawing the page.
@st.cache_resource(ttl=PRICE_TTL_SECONDS, max_entries=16, show_spinner=False)
def _stored_ratio_base(
    symbols: tuple[str, ...],
    url: str,
    fetching: Fetching,
    primary: tuple[str, ...],
    revision: int | None,
    *,
    lang: Lang,
    frequency: Frequency,
    band: bool,
    log_scale: bool,
) -> RatioPageBase:
    price_set = load_price_set(symbols, url, fetching, primary, revision)
    view = _stored_ratio_view(symbols, url, fetching, primary, revision, lang=lang, frequency=frequency)
    return build_ratio_page_base(
        price_set,
        numerator=primary[0],
        denominator=primary[1],
        lang=lang,
        frequency=frequency,
        band=band,
        log_scale=log_scale,
        view=view,
    )


# The pair's all-history view, apart from the drawing options: a band or log-scale toggle draws the
# charts again (about 30 ms) without recomputing the figures (40-80 ms).
@st.cache_resource(ttl=PRICE_TTL_SECONDS, max_entries=8, show_spinner=False)
def _stored_ratio_view(
    symbols: tuple[str, ...],
    url: str,
    fetching: Fetching,
    primary: tuple[str, ...],
    revision: int | None,
    *,
    lang: Lang,
    frequency: Frequency,
) -> RatioView:
    price_set = load_price_set(symbols, url, fetching, primary, revision)
    return build_whole_view(price_set, numerator=primary[0], denominator=primary[1], lang=lang, frequency=frequency)


def ratio_model(
    price_set: PriceSet,
    numerator: str,
    denominator: str,
    *,
    lang: Lang,
    frequency: Frequency,
    date_range: DateRange,
    threshold_pts: float,
    band: bool,
    log_scale: bool,
    week: pd.Timestamp | None = None,
) -> RatioPageModel:
    """The Ratio page's figures and chart specs for a range and drawing options.

    The all-history base is cached per pair, language, frequency and drawing option set (built
    fresh on live prices); the range and the study's threshold only cut it.
    """
    options = {"lang": lang, "frequency": frequency, "band": band, "log_scale": log_scale}
    if price_set.live_at is not None:
        base = build_ratio_page_base(price_set, numerator=numerator, denominator=denominator, **options)
    else:
        base = _stored_ratio_base(*_price_args(numerator, denominator), **options)
    return base.for_range(date_range, threshold_pts=threshold_pts, week=week)


def _price_args(numerator: str, denominator: str) -> tuple:
    """The cache key of a price set: symbols, store, who fetches, the pair and the store's revision."""
    symbols = tuple(dict.fromkeys((*settings.default_symbols(), numerator, denominator)))
    return symbols, settings.database_url(), fetching(), (numerator, denominator), store_revision()


def fund_prices(funds: tuple[str, ...], benchmark: str) -> PriceSet:
    """Prices of the shown funds and the benchmark (the benchmark's freshness drives the notices)."""
    with loading():
        return load_price_set(*fund_price_args(funds, benchmark))


def fund_price_args(funds: tuple[str, ...], benchmark: str) -> tuple:
    """The cache key of the funds' price set; cached callers use it with load_price_set (no spinner)."""
    symbols = tuple(dict.fromkeys((*settings.default_symbols(), *funds, benchmark)))
    return symbols, settings.database_url(), fetching(), (benchmark,), store_revision()


def funds_page(
    funds: tuple[str, ...],
    benchmark: str,
    as_of_mode: AsOfMode,
    date_range: DateRange,
    lang: Lang,
    risk_free_pct: float,
    month: dt.date | None = None,
    currency: TableCurrency = "native",
) -> FundsPage:
    """The Funds page as of the benchmark's last month-end (or its latest close), or as of the
    month-end of `month` (any day of it) when given in month-end mode; figures in `currency`."""
    return _funds_page(funds, benchmark, as_of_mode, date_range, lang, risk_free_pct, month, currency, store_revision())


@st.cache_data(ttl=PRICE_TTL_SECONDS, max_entries=32, show_spinner=False)
def _funds_page(
    funds: tuple[str, ...],
    benchmark: str,
    as_of_mode: AsOfMode,
    date_range: DateRange,
    lang: Lang,
    risk_free_pct: float,
    month: dt.date | None,
    currency: TableCurrency,
    revision: int | None,
) -> FundsPage:
    price_set = load_price_set(*fund_price_args(funds, benchmark))  # no spinner inside a cached function
    closes = price_set.closes
    if month is not None and as_of_mode == "month_end":
        closes = closes.loc[: pd.Timestamp(month) + pd.offsets.MonthEnd(0)]  # up to that month's last day
    as_of = default_as_of(closes, benchmark, month_end=as_of_mode == "month_end", funds=list(funds))
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
        currency=currency,
    )


def _fund_facts(funds: list[str]) -> dict:
    """Expense ratios and net assets: refreshed from Yahoo at most weekly (only when this app may ask
    Yahoo: not offline, not team mode), cached."""
    try:
        store = price_store(settings.database_url())
        if fetching() == "yahoo":
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


def import_nav_file(
    raw: bytes,
    *,
    name: str,
    symbol: str,
    fund_name: str,
    currency: str,
    hedged: bool = False,
    replace: bool = False,
) -> Message:
    """Store an uploaded NAV file as this session's user; raises DashboardError (nothing written) when it
    is rejected or refused (ClosesWouldChange: it needs `replace`). A fund of config/funds.toml takes
    its names, currency and hedge from there when no name is given."""
    known = settings.KNOWN_FUNDS.get(symbol)  # e.g. a 投信 whose NAV file the analyst downloaded
    if known is not None and not fund_name.strip():
        fund_name, currency = known.name_en, known.currency
    summary = import_nav(
        price_store(settings.database_url()),
        raw,
        name=name,
        symbol=symbol,
        fund_name=fund_name,
        fund_name_ja=known.name_ja if known and fund_name == known.name_en else fund_name,
        currency=currency,
        hedged=hedged or bool(known and known.hedged),
        now=dt.datetime.now(dt.UTC),
        by=editor(),
        replace=replace,
    )
    st.cache_data.clear()  # the new prices must show at once
    return summary


def saved_funds() -> list[str]:
    """The Funds page's list: as saved by the analysts, else the default universe (also when the store
    cannot be used)."""
    try:
        return saved_fund_list()
    except StoreUnavailable:
        return list(settings.DEFAULT_FUNDS)


def saved_fund_list() -> list[str]:
    """The list as saved now (the default universe when never saved); raises StoreUnavailable."""
    saved = price_store(settings.database_url()).saved_funds()
    return list(settings.DEFAULT_FUNDS) if saved is None else saved


def change_funds(added: list[str], removed: list[str]) -> list[str]:
    """Apply this session's additions and removals to the shared list; the list now saved. Raises
    WriteRefused (the access rules) or StoreUnavailable, and nothing changes then."""
    return price_store(settings.database_url()).change_funds(added=added, removed=removed, by=editor())


def editor() -> Editor:
    """Who writes from this session: the logged-in user's e-mail (st.login), else no one in particular."""
    if not st.user.get("is_logged_in"):
        return Editor()
    return Editor(email=str(st.user.get("email") or "") or None)


def write_refusal() -> Message | None:
    """Why this session may not change the price data and the fund list (None: it may): the rule the
    store applies to each write, asked beforehand so that a page can say so instead of offering it."""
    try:
        check_may_write(editor())
    except WriteRefused as error:
        return error.message
    return None


def live_refresh_seconds() -> int | None:
    """How often the live figures refresh; None when they do not (market shut, offline, team mode)."""
    if fetching() != "yahoo":
        return None
    return prices.live_refresh_seconds(dt.datetime.now(dt.UTC))


Fetching = Literal["yahoo", "offline", "worker"]


def fetching() -> Fetching:
    """Who brings new closes: this app from Yahoo, nobody (DASHBOARD_OFFLINE), or the team's refresh
    worker (DASHBOARD_TEAM: the app never calls Yahoo)."""
    if settings.offline_mode():
        return "offline"
    return "worker" if settings.team_mode() else "yahoo"


def worker_status() -> WorkerStatus | None:
    """In team mode, the worker's last refresh and whether it is late (read fresh on every rerun:
    two small queries); None otherwise or when the store cannot be used."""
    if fetching() != "worker":
        return None
    try:
        store = price_store(settings.database_url())
        return worker.worker_status(store, now=dt.datetime.now(dt.UTC), margin=settings.worker_margin())
    except StoreUnavailable:
        return None
