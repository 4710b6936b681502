"""Where prices come from: the store, refreshed from Yahoo when stale, else demo data; and how fresh.

Offline is a first-class path: Yahoo unreachable -> stored data with a notice; nothing stored ->
demo data with a notice. Nothing here waits on the network longer than the Yahoo deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

from lib.core import calendar
from lib.core.errors import RefreshBusy, SourceUnavailable, StoreUnavailable
from lib.core.i18n import Message, message
from lib.core.settings import (
    DENOMINATOR,
    HISTORY_START,
    LIVE_REFRESH_SECONDS,
    NUMERATOR,
    REFRESH_LOCK_WAIT_SECONDS,
    REFRESH_OVERLAP_SESSIONS,
    RETRY_AFTER_FAILURE_MINUTES,
)
from lib.data import demo, yahoo
from lib.data.access import OPERATOR, Editor
from lib.data.price_files import PriceFile
from lib.data.sources import file_source

if TYPE_CHECKING:  # a store is handed in, never made here: prices from a file need no SQLAlchemy
    from lib.data.store import PriceStore

NEW_YORK = "America/New_York"


@dataclass(frozen=True)
class PriceSet:
    """Daily closes (completed sessions only) and everything a view needs to say where they come from."""

    closes: pd.DataFrame
    source: str  # "Yahoo Finance", "file prices.csv", "demo (synthetic)"
    is_demo: bool
    last_session: pd.Timestamp  # the last completed NYSE session by the clock
    fetched_at: dt.datetime | None
    notices: tuple[Message, ...] = ()
    primary: tuple[str, ...] = (NUMERATOR, DENOMINATOR)  # the symbols the figures depend on
    live_at: dt.datetime | None = None  # set when today's intraday prices were added (not closes)
    sources: Mapping[str, str] = field(default_factory=dict)  # per symbol, when they differ (the store)

    def source_for(self, symbols: Iterable[str]) -> str:
        """Where the closes of `symbols` come from: a chart names the series it draws, not every
        file the set holds (a ratio chart never lists a fund's NAV file)."""
        if not self.sources:
            return self.source
        return ", ".join(sorted({self.sources.get(symbol, self.source) for symbol in symbols}))

    @property
    def as_of(self) -> pd.Timestamp | None:
        """The latest day on which every primary symbol has a close (any symbol, if none is held)."""
        held = [symbol for symbol in self.primary if symbol in self.closes.columns]
        filled = self.closes[held].dropna() if held else self.closes.dropna(how="all")
        return None if filled.empty else filled.index[-1]

    @property
    def is_current(self) -> bool:
        """Whether the primary symbols reach the last completed NYSE session."""
        return self.as_of is not None and self.as_of >= self.last_session


@dataclass(frozen=True)
class RefreshReport:
    rows_by_symbol: dict[str, int] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    calls: int = 0

    @property
    def rows(self) -> int:
        return sum(self.rows_by_symbol.values())


@dataclass(frozen=True)
class SeriesImported:
    symbol: str
    rows: int
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class FileImported:
    """What an import stored: its closes, how many stored ones it replaced, what it held per series."""

    rows: int
    replaced: int  # stored closes given another value or source (the store keeps the old ones)
    series: list[SeriesImported]
    source: str  # as recorded with each close; `undo-import` takes it


def import_file(
    store: PriceStore, price_file: PriceFile, *, now: dt.datetime, by: Editor = OPERATOR, replace: bool = False
) -> FileImported:
    """Store a validated price file (one transaction: all or nothing); the rows written, the stored
    closes replaced, and what the file held per series. The command line and the Data page import
    through here.

    Raises WriteRefused when `by` may not import, and ClosesWouldChange (nothing stored) when the
    file would move stored closes beyond the limit, unless `replace` (PriceStore.import_closes)."""
    source = file_source(price_file.name)
    tally = store.import_closes(price_file.closes, source=source, fetched_at=now, by=by, replace=replace)
    per_symbol = price_file.closes.groupby("symbol")["date"].agg(["count", "min", "max"])
    held = [
        SeriesImported(str(symbol), int(row["count"]), row["min"].date(), row["max"].date())
        for symbol, row in per_symbol.iterrows()
    ]
    return FileImported(tally.rows, tally.replaced, held, source)


def from_file(
    price_file: PriceFile, *, now: dt.datetime, primary: tuple[str, ...] = (NUMERATOR, DENOMINATOR)
) -> PriceSet:
    """Prices from a validated file alone (nothing is written anywhere)."""
    return PriceSet(
        closes=price_file.to_wide(),
        source=f"file {price_file.name}",
        is_demo=False,
        last_session=calendar.last_completed_session(now),
        fetched_at=None,
        primary=primary,
    )


def demo_set(*, now: dt.datetime, notice: Message, primary: tuple[str, ...] = (NUMERATOR, DENOMINATOR)) -> PriceSet:
    last = calendar.last_completed_session(now)
    return PriceSet(demo.demo_closes(last), demo.SOURCE_NAME, True, last, None, (notice,), primary)


def refresh(
    store: PriceStore,
    symbols: list[str],
    *,
    now: dt.datetime,
    fetcher: yahoo.Fetcher = yahoo.yfinance_download,
    wait_seconds: float = REFRESH_LOCK_WAIT_SECONDS,
) -> RefreshReport:
    """Fetch the sessions each stale symbol lacks (with a small overlap) and upsert them.

    One refresh at a time, whoever runs it (the worker, the command line, a page, another server):
    a second one waits for the first (RefreshBusy after `wait_seconds`), then sees what is still
    stale and fetches only that. A symbol that holds the last completed session is not fetched.
    Symbols that need the same start share one batched call (a daily update is one call).
    Raises SourceUnavailable when Yahoo cannot be reached; that call stores nothing.
    """
    with store.refresh_lock(wait_seconds=wait_seconds):
        return _refresh_stale(store, symbols, now=now, fetcher=fetcher)


def _refresh_stale(store: PriceStore, symbols: list[str], *, now: dt.datetime, fetcher: yahoo.Fetcher) -> RefreshReport:
    last = calendar.last_completed_session(now)
    coverage = store.coverage()  # read under the lock: what a refresh before this one brought counts
    by_start: dict[dt.date, list[str]] = {}
    for symbol in symbols:
        if symbol in coverage and coverage[symbol].last >= last:
            continue
        start = _refresh_start(coverage[symbol].last if symbol in coverage else None)
        by_start.setdefault(start, []).append(symbol)
    rows_by_symbol: dict[str, int] = {}
    missing: list[str] = []
    for start, group in sorted(by_start.items()):
        try:
            download = yahoo.download_closes(group, start=start, end=last.date(), fetcher=fetcher)
        except SourceUnavailable as error:
            store.record_attempt(yahoo.SOURCE_NAME, at=now, ok=False, message=str(error.reason))
            raise
        store.write(download.closes, source=yahoo.SOURCE_NAME, fetched_at=now)
        counts = download.closes.groupby("symbol").size()
        rows_by_symbol.update({symbol: int(counts.get(symbol, 0)) for symbol in group})
        missing.extend(download.missing)
    report = RefreshReport(rows_by_symbol, tuple(missing), calls=len(by_start))
    store.record_attempt(yahoo.SOURCE_NAME, at=now, ok=True, message=f"{report.rows} rows")
    return report


def load_prices(
    symbols: list[str],
    *,
    store: PriceStore | None,
    now: dt.datetime,
    offline: bool = False,
    fetcher: yahoo.Fetcher = yahoo.yfinance_download,
    primary: tuple[str, ...] = (NUMERATOR, DENOMINATOR),
    by_worker: bool = False,
) -> PriceSet:
    """The prices a view shows: stored (refreshed first when stale and Yahoo is reachable), else demo.

    `primary` names the symbols the view's figures depend on: their common last close is the as-of
    session, and their freshness decides the stale-data notice. `by_worker` (team mode): the refresh
    worker alone fetches, so nothing is fetched here and the worker's own notice (lib/data/worker.py,
    worker_status) replaces the stale-data one.
    """
    loaded = load_stored(symbols, store=store, now=now, offline=offline, fetcher=fetcher, by_worker=by_worker)
    return focused(loaded, primary, offline=offline, by_worker=by_worker)


def focused(price_set: PriceSet, primary: tuple[str, ...], *, offline: bool, by_worker: bool = False) -> PriceSet:
    """The same closes with `primary` as the symbols the figures depend on, and the stale-data notice
    for them (none `by_worker`: the worker's status says it). It costs a millisecond, so a page whose
    pair changes focuses the closes it has already read instead of reading the store again."""
    aimed = replace(price_set, primary=primary)
    if aimed.is_demo or aimed.is_current or aimed.as_of is None or by_worker:
        return aimed
    return replace(aimed, notices=(*aimed.notices, _stale_notice(aimed, offline)))


def load_stored(
    symbols: list[str],
    *,
    store: PriceStore | None,
    now: dt.datetime,
    offline: bool = False,
    fetcher: yahoo.Fetcher = yahoo.yfinance_download,
    by_worker: bool = False,
) -> PriceSet:
    """The stored closes of `symbols` (refreshed first when stale and Yahoo is reachable, unless
    `by_worker`), else demo; not yet focused on the symbols a view depends on (`focused`)."""
    last = calendar.last_completed_session(now)
    if store is None:
        return demo_set(now=now, notice=message("notice_store_unopenable"), primary=())
    notices: list[Message] = []
    try:
        coverage = store.coverage()
        stale = [s for s in symbols if s not in coverage or coverage[s].last < last]
        if stale and not offline and not by_worker:
            notices.extend(_try_refresh(store, stale, now=now, fetcher=fetcher))
            coverage = store.coverage()  # what the refresh added
        closes = store.read(symbols)
    except StoreUnavailable as error:
        return demo_set(now=now, notice=message("notice_store_error", error=error.message), primary=())
    if closes.empty:
        key = "notice_demo_team" if by_worker else "notice_demo_offline_mode" if offline else "notice_demo_unreachable"
        return demo_set(now=now, notice=message(key), primary=())
    held = [coverage[s] for s in symbols if s in coverage]
    closes = closes.loc[:last]
    return PriceSet(
        closes=closes,
        source=", ".join(sorted({c.source for c in held})),
        sources={symbol: coverage[symbol].source for symbol in symbols if symbol in coverage},
        is_demo=False,
        last_session=last,
        fetched_at=max(c.fetched_at for c in held),
        notices=tuple(notices),
        primary=(),
    )


def _try_refresh(
    store: PriceStore,
    stale: list[str],
    *,
    now: dt.datetime,
    fetcher: yahoo.Fetcher,
    wait_seconds: float = REFRESH_LOCK_WAIT_SECONDS,
) -> list[Message]:
    attempt = store.last_attempt(yahoo.SOURCE_NAME)
    retry_at = attempt.at + dt.timedelta(minutes=RETRY_AFTER_FAILURE_MINUTES) if attempt else None
    if attempt and not attempt.ok and retry_at and now < retry_at:
        return [message("notice_retry_later", at=f"{attempt.at:%H:%M}", retry=f"{retry_at:%H:%M}")]
    try:
        report = refresh(store, stale, now=now, fetcher=fetcher, wait_seconds=wait_seconds)
    except SourceUnavailable as error:
        return [message("notice_unreachable_stored", reason=error.reason)]
    except RefreshBusy:
        return [message("notice_refresh_busy")]
    if report.missing:
        return [message("notice_unknown_tickers", symbols=", ".join(report.missing))]
    return []


def _refresh_start(last_stored: pd.Timestamp | None) -> dt.date:
    if last_stored is None:
        return pd.Timestamp(HISTORY_START).date()
    recent = calendar.sessions(last_stored - pd.Timedelta(days=3 * REFRESH_OVERLAP_SESSIONS), last_stored)
    overlap_start = recent[-REFRESH_OVERLAP_SESSIONS] if len(recent) >= REFRESH_OVERLAP_SESSIONS else recent[0]
    return overlap_start.date()


def _stale_notice(priced: PriceSet, offline: bool) -> Message:
    key = "notice_stale_offline" if offline else "notice_stale_fetch"
    return message(key, last=priced.as_of.date(), session=priced.last_session.date())


def live_refresh_seconds(now: dt.datetime) -> int | None:
    """How often live figures refresh: every few minutes while the NYSE is open, never otherwise."""
    return LIVE_REFRESH_SECONDS if calendar.market_is_open(now) else None


def with_live_quotes(
    price_set: PriceSet, symbols: list[str], *, now: dt.datetime, fetcher: yahoo.Fetcher = yahoo.yfinance_download
) -> PriceSet:
    """During an NYSE session, add today's latest prices (Yahoo's intraday bar) as a provisional day.

    Nothing is stored: intraday prices are not closes. Outside a session, on demo data, or when
    Yahoo cannot be reached (a notice says so), the price set comes back unchanged.
    """
    if price_set.is_demo or not calendar.market_is_open(now):
        return price_set
    today = pd.Timestamp(now).tz_convert(NEW_YORK).tz_localize(None).normalize()
    try:
        download = yahoo.download_closes(symbols, start=today.date(), end=today.date(), fetcher=fetcher)
    except SourceUnavailable as error:
        return replace(price_set, notices=(*price_set.notices, message("notice_live_unavailable", reason=error.reason)))
    quotes = download.closes.pivot(index="date", columns="symbol", values="close")
    if quotes.empty:
        return price_set
    closes = pd.concat([price_set.closes.loc[: today - pd.Timedelta(days=1)], quotes])
    notice = message("notice_live", time=f"{pd.Timestamp(now).tz_convert(NEW_YORK):%H:%M}")
    notices = tuple(n for n in price_set.notices if n.key not in ("notice_stale_fetch", "notice_stale_offline"))
    return replace(price_set, closes=closes, live_at=now, notices=(*notices, notice))
