"""The local price store: one close per symbol and day, with where and when it was fetched.

SQLAlchemy Core, so the same code runs on a SQLite file (default, WAL mode) and on PostgreSQL for a
team deployment. Writes are upserts in one transaction: a write adds or revises rows, never deletes,
so a failed or empty fetch cannot erase good data; a close it replaces is kept in the history, and
only undoing an import removes the closes that import added. Each write that changes what the pages
show also moves the store's revision in the same transaction, so every process sees a change at its
next read.

Imports, hand-entered closes and the fund list are shared data: the store checks the access rules
(lib/data/access.py) before each of those writes, whoever asks. An import that would move stored
closes by more than CLOSE_CHANGE_LIMIT_PCT is refused unless it says `replace`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from lib.core.errors import ClosesWouldChange, StoreUnavailable
from lib.core.i18n import message
from lib.core.settings import CLOSE_CHANGE_LIMIT_PCT, Instrument
from lib.data import fund_list as funds
from lib.data.access import OPERATOR, Editor, check_may_write
from lib.data.close_writes import Tally, Undone, undo_write, write_closes
from lib.data.db import WRITE, aware, make_engine, reason, safe_url
from lib.data.migrations import NewerSchema, migrate, pending
from lib.data.price_tables import (
    CLOSES_ROW,
    FUND_LIST_ROW,
    MIGRATIONS,
    PRICE_HISTORY,
    REVISION_ROW,
    fetch_attempt,
    fund_facts_table,
    price_close,
    store_revision,
)
from lib.data.refresh_lock import refresh_lock

_BUSY_TIMEOUT_MS = 5000
_REVISION_SQL = f"SELECT revision FROM store_revision WHERE id = {REVISION_ROW}"


@dataclass(frozen=True)
class FundFacts:
    """A fund's expense ratio and net assets from Yahoo's profile, as the store keeps them."""

    expense_ratio_pct: float | None  # percent a year
    net_assets: float | None  # in the fund's currency
    fetched_at: dt.datetime


@dataclass(frozen=True)
class Coverage:
    """What the store holds for one symbol."""

    symbol: str
    first: pd.Timestamp
    last: pd.Timestamp
    rows: int
    fetched_at: dt.datetime
    source: str


@dataclass(frozen=True)
class Imported:
    """A file whose closes the store holds: its source as recorded, when it was last imported, how
    many closes it holds now."""

    source: str
    at: dt.datetime
    closes: int


@dataclass(frozen=True)
class Attempt:
    source: str
    at: dt.datetime
    ok: bool
    message: str


class PriceStore:
    def __init__(self, url: str, *, busy_timeout_ms: int = _BUSY_TIMEOUT_MS) -> None:
        self.url = url
        try:
            self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
            with self.engine.connect() as connection:
                behind = pending(connection, MIGRATIONS, PRICE_HISTORY)
            if behind:  # an older store gains what it lacks, under the migrations' lock
                with self.engine.connect() as connection, connection.execution_options(**WRITE).begin():
                    migrate(connection, MIGRATIONS, PRICE_HISTORY)
        except NewerSchema as newer:
            self.engine.dispose()
            said = message("reason_schema_too_new", found=max(newer.unknown), known=newer.known)
            raise StoreUnavailable(safe_url(url), said) from None
        except (SQLAlchemyError, ImportError, OSError) as error:
            raise StoreUnavailable(safe_url(url), reason(error)) from None

    def read(self, symbols: list[str] | tuple[str, ...]) -> pd.DataFrame:
        """Daily closes, one column per requested symbol that has rows (others are absent)."""
        query = sa.select(price_close.c.day, price_close.c.symbol, price_close.c.close).where(
            price_close.c.symbol.in_(list(symbols))
        )
        # The driver's own rows, read as columns: SQLAlchemy's Row objects made the first page load
        # of the server 5x slower for 100,000 closes (each row built, then probed by pandas for
        # namedtuple fields, a caught KeyError per probe). Days come back as ISO text (SQLite) or
        # dates (PostgreSQL), closes as floats.
        with self._connect() as connection:
            result = connection.execute(query)
            rows = result.cursor.fetchall()
            result.close()
        if not rows:
            return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
        days, symbols, closes = zip(*rows, strict=True)
        tidy = pd.DataFrame({"date": pd.to_datetime(days).as_unit("s"), "symbol": symbols, "close": closes})
        wide = tidy.pivot(index="date", columns="symbol", values="close").sort_index()
        wide.columns.name = None
        return wide

    def revision(self) -> int:
        """A number that changes whenever closes, fund descriptions or fund facts change, whoever wrote
        them (another process, another server); 0 for a store never written. One indexed row read.

        Not moved by the fund list or fetch attempts (read fresh, never cached), nor by a write that
        only confirms stored closes (a refresh that brings nothing new)."""
        # One bare statement on a pooled connection: every rerun of every page reads it, and in the
        # server this cost a third of the BEGIN / SELECT / ROLLBACK a Core connection sends.
        try:
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute(_REVISION_SQL)
                row = cursor.fetchone()
                cursor.close()
            finally:
                connection.close()
        except (SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error) as error:
            raise StoreUnavailable(safe_url(self.url), reason(error)) from None
        return row[0] if row else 0

    def coverage(self) -> dict[str, Coverage]:
        c = price_close.c
        query = sa.select(
            c.symbol,
            sa.func.min(c.day),
            sa.func.max(c.day),
            sa.func.count(),
            sa.func.max(c.fetched_at),
            sa.func.max(c.source),
        ).group_by(c.symbol)
        with self._connect() as connection:
            rows = connection.execute(query).all()
        return {
            symbol: Coverage(symbol, pd.Timestamp(first), pd.Timestamp(last), count, aware(fetched), source)
            for symbol, first, last, count, fetched, source in rows
        }

    def imports(self) -> list[Imported]:
        """The files whose closes the store holds, the latest import first: what undo_import can take."""
        c = price_close.c
        latest = sa.func.max(c.fetched_at)
        query = (
            sa.select(c.source, latest, sa.func.count())
            .where(c.source.startswith("file ", autoescape=True))
            .group_by(c.source)
            .order_by(latest.desc(), c.source)
        )
        with self._connect() as connection:
            return [Imported(source, aware(at), count) for source, at, count in connection.execute(query)]

    # --- Writing closes ---------------------------------------------------------------------

    def write(self, tidy: pd.DataFrame, *, source: str, fetched_at: dt.datetime) -> int:
        """Upsert tidy closes (date, symbol, close) fetched from a source (Yahoo) in one transaction;
        returns the rows written. A cache refresh: no access rule, no limit (a revision is Yahoo's)."""
        with self._connect(write=True) as connection:
            tally = self._write_closes(connection, tidy, source=source, fetched_at=fetched_at)
        return tally.rows

    def import_closes(
        self,
        tidy: pd.DataFrame,
        *,
        source: str,
        fetched_at: dt.datetime,
        by: Editor,
        replace: bool = False,
    ) -> Tally:
        """Store closes from a file or typed by hand, all or nothing, if `by` may write. Raises
        ClosesWouldChange (nothing written) when a stored close would move by more than the limit,
        unless `replace`; the closes replaced are kept in the history either way."""
        check_may_write(by)
        with self._connect(write=True) as connection:
            return self._write_closes(connection, tidy, source=source, fetched_at=fetched_at, replace=replace)

    def import_nav(
        self,
        tidy: pd.DataFrame,
        *,
        fund: Instrument,
        note: str,
        source: str,
        fetched_at: dt.datetime,
        by: Editor,
        replace: bool = False,
    ) -> Tally:
        """A fund's NAVs, its description and its place at the end of the fund list, in one transaction.

        Raises WriteRefused, SymbolTaken (the symbol is recorded with another kind or currency) or
        ClosesWouldChange before anything is kept."""
        check_may_write(by)
        with self._connect(write=True) as connection:
            connection.execute(self._queue(CLOSES_ROW))
            funds.check_identity(connection, fund)
            tally = self._write_closes(connection, tidy, source=source, fetched_at=fetched_at, replace=replace)
            funds.save_instrument(connection, fund, note)
            funds.change(connection, self._queue(FUND_LIST_ROW), added=[fund.symbol], removed=[])
            self._bump(connection)
        return tally

    def undo_import(self, source: str, *, by: Editor) -> Undone:
        """Undo the latest import from `source` ("file prices.csv") that still holds closes: the
        closes it replaced come back with their source and time, the ones it added are removed.
        Fund descriptions and the fund list stay. Raises NothingToUndo or WriteRefused."""
        check_may_write(by)
        with self._connect(write=True) as connection:
            connection.execute(self._queue(CLOSES_ROW))
            undone = undo_write(connection, source)
            self._bump(connection)
        return undone

    def _write_closes(
        self,
        connection: sa.Connection,
        tidy: pd.DataFrame,
        *,
        source: str,
        fetched_at: dt.datetime,
        replace: bool | None = None,
    ) -> Tally:
        """The closes written inside the caller's transaction (replace None: no limit, a refresh)."""
        connection.execute(self._queue(CLOSES_ROW))
        limit = None if replace in (None, True) else CLOSE_CHANGE_LIMIT_PCT
        tally = write_closes(connection, self._upsert(), tidy, source=source, fetched_at=fetched_at, limit_pct=limit)
        if tally.beyond:
            largest = tally.largest
            said = message(
                "closes_largest_change",
                symbol=largest.symbol,
                day=largest.day,
                old=f"{largest.old:,.4f}".rstrip("0").rstrip("."),
                new=f"{largest.new:,.4f}".rstrip("0").rstrip("."),
                change=f"{largest.change_pct:+.2f}",
            )
            raise ClosesWouldChange(source, tally.beyond, said, CLOSE_CHANGE_LIMIT_PCT)
        if tally.changed:
            self._bump(connection)
        return tally

    # --- Fetch attempts, the fund list, fund descriptions and facts -------------------------

    def record_attempt(self, source: str, *, at: dt.datetime, ok: bool, message: str) -> None:
        with self._connect(write=True) as connection:
            connection.execute(fetch_attempt.insert().values(source=source, at=at, ok=ok, message=message))

    def last_attempt(self, source: str, *, ok_only: bool = False) -> Attempt | None:
        """The latest fetch from `source` (with `ok_only`: the latest that worked), None when none."""
        query = (
            sa.select(fetch_attempt.c.source, fetch_attempt.c.at, fetch_attempt.c.ok, fetch_attempt.c.message)
            .where(fetch_attempt.c.source == source)
            .order_by(fetch_attempt.c.id.desc())
            .limit(1)
        )
        if ok_only:
            query = query.where(fetch_attempt.c.ok.is_(True))
        with self._connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else Attempt(row[0], aware(row[1]), row[2], row[3])

    def saved_funds(self) -> list[str] | None:
        """The fund list the analysts saved on the Funds page (None: never saved, use the defaults)."""
        with self._connect() as connection:
            return funds.saved(connection)

    def change_funds(self, *, added: list[str], removed: list[str], by: Editor) -> list[str]:
        """Add funds (at the end) and remove funds from the list as it stands in the store, in one
        transaction; returns the list now saved. Another session's changes in between stay."""
        check_may_write(by)
        with self._connect(write=True) as connection:
            return funds.change(connection, self._queue(FUND_LIST_ROW), added=added, removed=removed)

    def save_funds(self, symbols: list[str], *, by: Editor = OPERATOR) -> None:
        """Replace the saved fund list whole, in one transaction (set-up; the pages change it instead)."""
        check_may_write(by)
        with self._connect(write=True) as connection:
            connection.execute(self._queue(FUND_LIST_ROW))
            funds.replace(connection, symbols)

    def save_instrument(self, instrument: Instrument, *, note: str = "", by: Editor = OPERATOR) -> None:
        """Describe a fund the store has prices for but the settings do not list (set-up; a NAV import
        describes its fund itself, in its own transaction)."""
        check_may_write(by)
        with self._connect(write=True) as connection:
            funds.save_instrument(connection, instrument, note)
            self._bump(connection)

    def instruments(self) -> dict[str, tuple[Instrument, str]]:
        """Funds described in the store, with their note."""
        with self._connect() as connection:
            return funds.stored_instruments(connection)

    def fund_facts(self) -> dict[str, FundFacts]:
        """Cached expense ratios and net assets, by symbol."""
        with self._connect() as connection:
            rows = connection.execute(sa.select(fund_facts_table)).all()
        return {r.symbol: FundFacts(r.expense_ratio_pct, r.net_assets, aware(r.fetched_at)) for r in rows}

    def save_fund_facts(self, symbol: str, facts: FundFacts) -> None:
        with self._connect(write=True) as connection:
            connection.execute(fund_facts_table.delete().where(fund_facts_table.c.symbol == symbol))
            connection.execute(
                fund_facts_table.insert().values(
                    symbol=symbol,
                    expense_ratio_pct=facts.expense_ratio_pct,
                    net_assets=facts.net_assets,
                    fetched_at=facts.fetched_at,
                )
            )
            self._bump(connection)

    # --- Plumbing ---------------------------------------------------------------------------

    def refresh_lock(self, *, wait_seconds: float) -> AbstractContextManager[None]:
        """One refresh at a time across processes and servers (lib/data/refresh_lock.py); raises
        RefreshBusy when another holds it for longer than `wait_seconds`."""
        return refresh_lock(self.engine, wait_seconds=wait_seconds)

    def _bump(self, connection: sa.Connection) -> None:
        """Move the revision, inside the caller's write transaction (an upsert: two writers queue)."""
        connection.execute(self._queue(REVISION_ROW))

    def _queue(self, row: int) -> sa.Insert:
        """Move counter `row` (created at 1): the writer holds the row until its commit, so writers of
        the same row take turns."""
        statement = self._dialect().insert(store_revision).values(id=row, revision=1)
        return statement.on_conflict_do_update(
            index_elements=[store_revision.c.id], set_={"revision": store_revision.c.revision + 1}
        )

    def _dialect(self):
        return sqlite if self.engine.dialect.name == "sqlite" else postgresql

    def _upsert(self) -> sa.Insert:
        statement = self._dialect().insert(price_close)
        return statement.on_conflict_do_update(
            index_elements=[price_close.c.symbol, price_close.c.day],
            set_={name: statement.excluded[name] for name in ("close", "source", "fetched_at")},
        )

    def _connect(self, write: bool = False):
        return _guarded(self.engine, write, safe_url(self.url))


@contextmanager
def _guarded(engine: sa.Engine, write: bool, url: str) -> Iterator[sa.Connection]:
    """A connection (a transaction when writing) whose database errors become StoreUnavailable."""
    try:
        with engine.connect() as connection:
            if not write:
                yield connection
                return
            with connection.execution_options(**WRITE).begin():
                yield connection
    except SQLAlchemyError as error:
        raise StoreUnavailable(url, reason(error)) from None
