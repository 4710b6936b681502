"""Streamlit glue of the Data page: what the price store holds, and the three ways to add to it (a price
file, a Yahoo refresh, one close entered by hand). Every write goes through PriceStore.write, so each
one moves the store's revision and every page shows it at its next rerun."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from lib.core import calendar, settings
from lib.core.errors import DashboardError, InvalidPriceFile, InvalidSymbol, SourceUnavailable, StoreUnavailable
from lib.core.i18n import Message, message, t
from lib.core.symbols import validate_symbol
from lib.core.types import DecimalMark, Lang
from lib.data import prices
from lib.data.db import safe_url
from lib.data.file_reading import Progress
from lib.data.price_files import parse_price_text
from lib.data.store import Imported
from lib.ui import cache
from lib.ui.parts import error_text

HAND_SOURCE = "entered by hand"
_COLUMNS = ("symbol", "first", "last", "rows", "source", "fetched")


@dataclass(frozen=True)
class SeriesRows:
    """What an import or a refresh stored for one symbol (first and last: None when not known)."""

    symbol: str
    rows: int
    first: dt.date | None = None
    last: dt.date | None = None


@dataclass(frozen=True)
class Outcome:
    """What an action stored, said on the run after it (the one whose pages show the new data)."""

    said: Message
    series: tuple[SeriesRows, ...] = ()
    warning: Message | None = None


class Refused(DashboardError):
    """A close entered by hand that cannot be stored; the reason names the series, the day and the fix."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason


def store_location() -> str:
    """The price store's URL without its password."""
    return safe_url(settings.database_url())


def holdings(lang: Lang) -> pd.DataFrame:
    """Per symbol: first and last close, how many, source and fetch time, labelled in `lang`.

    Raises StoreUnavailable when the store cannot be used."""
    return _holdings(settings.database_url(), cache.store_revision(), lang)


@st.cache_data(ttl=cache.PRICE_TTL_SECONDS, show_spinner=False)
def _holdings(url: str, revision: int | None, lang: Lang) -> pd.DataFrame:
    coverage = sorted(cache.price_store(url).coverage().values(), key=lambda held: held.symbol)
    rows = [
        (c.symbol, c.first.date(), c.last.date(), c.rows, c.source, f"{c.fetched_at:%Y-%m-%d %H:%M}") for c in coverage
    ]
    return pd.DataFrame(rows, columns=[t(f"data_col_{column}", lang) for column in _COLUMNS])


def series_frame(series: tuple[SeriesRows, ...], lang: Lang) -> pd.DataFrame:
    """What an action stored, one row per symbol, labelled in `lang`."""
    rows = [(s.symbol, s.first, s.last, s.rows) for s in series]
    return pd.DataFrame(rows, columns=[t(f"data_col_{column}", lang) for column in ("symbol", "first", "last", "rows")])


def import_price_file(
    raw: bytes,
    *,
    name: str,
    symbol_text: str = "",
    decimal: DecimalMark | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Validate an uploaded price file as `lib.cli import-prices` does and store it, all or nothing.

    Raises InvalidPriceFile (every bad line), InvalidSymbol, WriteRefused (this session may not import),
    ClosesWouldChange (it would move stored closes beyond the limit and `replace` was not asked) or
    StoreUnavailable; nothing is stored then. `decimal` is the file's decimal mark (None: never a
    comma, as on the command line); `progress` is told the bytes read as the file is checked.
    """
    symbol = validate_symbol(symbol_text) if symbol_text.strip() else None
    price_file = parse_price_text(raw, name=name, symbol=symbol, decimal=decimal, progress=progress)
    store = cache.price_store(settings.database_url())
    now = dt.datetime.now(dt.UTC)
    imported = prices.import_file(store, price_file, now=now, by=cache.editor(), replace=replace)
    series = tuple(SeriesRows(s.symbol, s.rows, s.first, s.last) for s in imported.series)
    said = message("data_imported", rows=imported.rows, name=name, layout=price_file.layout)
    replaced = message("data_closes_replaced", count=imported.replaced, name=name) if imported.replaced else None
    return Outcome(said, series, replaced)


def imports() -> list[Imported]:
    """The files whose closes the store holds, latest first; raises StoreUnavailable."""
    return cache.price_store(settings.database_url()).imports()


def import_labels(lang: Lang) -> Callable[[Imported], str]:
    """format_func naming an import by its file, time and closes in `lang` (a function of this module,
    not a lambda in the page: a lambda would keep the page's namespace alive in the session)."""
    return partial(_import_label, lang=lang)


def _import_label(held: Imported, *, lang: Lang) -> str:
    return t("data_undo_option", lang, source=held.source, at=f"{held.at:%Y-%m-%d %H:%M}", closes=held.closes)


def undo_import(source: str) -> Outcome:
    """Undo the latest import of a file, as `lib.cli undo-import` does: the closes it replaced come
    back, the ones it added go. Raises NothingToUndo, WriteRefused or StoreUnavailable."""
    undone = cache.price_store(settings.database_url()).undo_import(source, by=cache.editor())
    at = f"{undone.at:%Y-%m-%d %H:%M} UTC"
    return Outcome(
        message("cli_import_undone", source=undone.source, at=at, restored=undone.restored, removed=undone.removed)
    )


def refresh_from_yahoo() -> Outcome:
    """Fetch the sessions the store lacks for the indices and default funds; raises SourceUnavailable
    (nothing stored) or StoreUnavailable."""
    report = prices.refresh(
        cache.price_store(settings.database_url()), list(settings.default_symbols()), now=dt.datetime.now(dt.UTC)
    )
    series = tuple(SeriesRows(symbol, rows) for symbol, rows in report.rows_by_symbol.items())
    missing = message("data_refresh_missing", symbols=", ".join(report.missing)) if report.missing else None
    return Outcome(message("data_refreshed", rows=report.rows), series, missing)


def last_closed_session() -> dt.date:
    return calendar.last_completed_session(dt.datetime.now(dt.UTC)).date()


def hand_close(symbol_text: str, day: dt.date, close: float | None, *, now: dt.datetime) -> tuple[str, float]:
    """The symbol and close of a close typed by hand, checked; raises Refused saying what to fix.

    The day must be an NYSE session that has closed by `now`; the close a finite price above 0."""
    try:
        symbol = validate_symbol(symbol_text)
    except InvalidSymbol:
        raise Refused(message("data_bad_symbol", symbol=symbol_text.strip())) from None
    if not calendar.is_session(day):
        raise Refused(message("data_gap_not_session", symbol=symbol, day=day))
    last = calendar.last_completed_session(now).date()
    if day > last:
        raise Refused(message("data_gap_not_closed", symbol=symbol, day=day, last=last))
    if close is None:
        raise Refused(message("data_gap_no_close", symbol=symbol, day=day))
    if not math.isfinite(close) or close <= 0:
        raise Refused(message("data_gap_bad_close", symbol=symbol, day=day, close=close))
    return symbol, float(close)


def enter_close(symbol_text: str, day: dt.date, close: float | None) -> Outcome:
    """Store one close typed by hand (source HAND_SOURCE); raises Refused, WriteRefused or StoreUnavailable."""
    now = dt.datetime.now(dt.UTC)
    symbol, value = hand_close(symbol_text, day, close, now=now)
    store = cache.price_store(settings.database_url())
    held = store.read([symbol])
    before = held[symbol].get(pd.Timestamp(day)) if symbol in held.columns else None
    closes = pd.DataFrame({"date": [pd.Timestamp(day)], "symbol": [symbol], "close": [value]})
    # Typed for this one session on purpose: no limit, and the close it replaces is kept in the history.
    store.import_closes(closes, source=HAND_SOURCE, fetched_at=now, by=cache.editor(), replace=True)
    said = {"symbol": symbol, "day": day, "close": value, "source": HAND_SOURCE}
    if symbol not in held.columns:
        return Outcome(message("data_gap_new_series", **said))
    if before is not None and not math.isnan(before):
        return Outcome(message("data_gap_replaced", **said, old=before))
    return Outcome(message("data_gap_stored", **said))


def explain(error: DashboardError, lang: Lang) -> str:
    """An error of the Data page in the page's language."""
    if isinstance(error, Refused):
        return error.reason.text(lang)
    if isinstance(error, InvalidPriceFile):
        # The lines are the ones the command line prints (every bad line, up to 50, then a count).
        return f"{t('data_file_rejected', lang, name=error.name, count=error.total)}\n{error.lines().text(lang)}"
    if isinstance(error, InvalidSymbol):
        return t("data_bad_symbol", lang, symbol=error.symbol.strip())
    if isinstance(error, SourceUnavailable):
        return t("data_refresh_failed", lang, reason=error.reason)
    if isinstance(error, StoreUnavailable):
        return t("data_store_unavailable", lang, problem=error.message)
    return error_text(error, lang)
