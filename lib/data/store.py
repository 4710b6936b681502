"""The local price store: one close per symbol and day, with where and when it was fetched.

SQLAlchemy Core, so the same code runs on a SQLite file (default, WAL mode) and on PostgreSQL for a
team deployment. Writes are upserts in one transaction: a write adds or revises rows, never deletes,
so a failed or empty fetch cannot erase good data. Each write that changes what the pages show also
moves the store's revision in the same transaction, so every process sees a change at its next read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from lib.core.errors import StoreUnavailable
from lib.core.settings import Instrument
from lib.data.db import WRITE, aware, make_engine, reason, safe_url

_BUSY_TIMEOUT_MS = 5000

metadata = sa.MetaData()

price_close = sa.Table(
    "price_close",
    metadata,
    sa.Column("symbol", sa.String(32), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("close", sa.Float, nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
)

fetch_attempt = sa.Table(
    "fetch_attempt",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
)


fund_list = sa.Table(
    "fund_list",
    metadata,
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("symbol", sa.String(32), nullable=False),
)


instrument_table = sa.Table(
    "instrument",
    metadata,
    sa.Column("symbol", sa.String(32), primary_key=True),
    sa.Column("name_en", sa.String(200), nullable=False),
    sa.Column("name_ja", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)


fund_facts_table = sa.Table(
    "fund_facts",
    metadata,
    sa.Column("symbol", sa.String(32), primary_key=True),
    sa.Column("expense_ratio_pct", sa.Float, nullable=True),
    sa.Column("net_assets", sa.Float, nullable=True),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
)


# One row: a counter moved by every write that changes closes, fund descriptions or fund facts.
store_revision = sa.Table(
    "store_revision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("revision", sa.BigInteger, nullable=False),
)
_REVISION_ROW = 1
_REVISION_SQL = f"SELECT revision FROM store_revision WHERE id = {_REVISION_ROW}"


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
            metadata.create_all(self.engine)
        except (SQLAlchemyError, ImportError, OSError) as error:
            raise StoreUnavailable(safe_url(url), reason(error)) from None

    def read(self, symbols: list[str] | tuple[str, ...]) -> pd.DataFrame:
        """Daily closes, one column per requested symbol that has rows (others are absent)."""
        query = sa.select(price_close.c.day, price_close.c.symbol, price_close.c.close).where(
            price_close.c.symbol.in_(list(symbols))
        )
        with self._connect() as connection:
            rows = connection.execute(query).all()
        tidy = pd.DataFrame(rows, columns=["date", "symbol", "close"])
        if tidy.empty:
            return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
        tidy["date"] = pd.to_datetime(tidy["date"])
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

    def write(self, tidy: pd.DataFrame, *, source: str, fetched_at: dt.datetime) -> int:
        """Upsert tidy closes (date, symbol, close) in one transaction; returns the rows written."""
        clean = tidy.dropna(subset=["close"])
        clean = clean[clean["close"] > 0]
        if clean.empty:
            return 0
        records = [
            {"symbol": symbol, "day": day.date(), "close": float(close), "source": source, "fetched_at": fetched_at}
            for day, symbol, close in clean[["date", "symbol", "close"]].itertuples(index=False)
        ]
        statement = self._upsert()
        with self._connect(write=True) as connection:
            changed = _changes_anything(connection, records)
            connection.execute(statement, records)
            if changed:
                self._bump(connection)
        return len(records)

    def record_attempt(self, source: str, *, at: dt.datetime, ok: bool, message: str) -> None:
        with self._connect(write=True) as connection:
            connection.execute(fetch_attempt.insert().values(source=source, at=at, ok=ok, message=message))

    def last_attempt(self, source: str) -> Attempt | None:
        query = (
            sa.select(fetch_attempt.c.source, fetch_attempt.c.at, fetch_attempt.c.ok, fetch_attempt.c.message)
            .where(fetch_attempt.c.source == source)
            .order_by(fetch_attempt.c.id.desc())
            .limit(1)
        )
        with self._connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else Attempt(row[0], aware(row[1]), row[2], row[3])

    def saved_funds(self) -> list[str] | None:
        """The fund list the analysts saved on the Funds page (None: never saved, use the defaults)."""
        with self._connect() as connection:
            rows = connection.execute(sa.select(fund_list.c.symbol).order_by(fund_list.c.position)).all()
        return [row[0] for row in rows] or None

    def save_funds(self, symbols: list[str]) -> None:
        """Replace the saved fund list in one transaction."""
        with self._connect(write=True) as connection:
            connection.execute(fund_list.delete())
            if symbols:
                connection.execute(fund_list.insert(), [{"position": i, "symbol": s} for i, s in enumerate(symbols)])

    def save_instrument(self, instrument: Instrument, *, note: str = "") -> None:
        """Describe a fund the store has prices for but the settings do not list (e.g. an imported NAV)."""
        values = {
            "symbol": instrument.symbol,
            "name_en": instrument.name_en,
            "name_ja": instrument.name_ja,
            "kind": instrument.kind,
            "currency": instrument.currency,
            "note": note,
        }
        with self._connect(write=True) as connection:
            connection.execute(instrument_table.delete().where(instrument_table.c.symbol == instrument.symbol))
            connection.execute(instrument_table.insert().values(**values))
            self._bump(connection)

    def instruments(self) -> dict[str, tuple[Instrument, str]]:
        """Funds described in the store, with their note."""
        with self._connect() as connection:
            rows = connection.execute(sa.select(instrument_table)).all()
        return {
            row.symbol: (Instrument(row.symbol, row.name_en, row.name_ja, row.kind, row.currency), row.note)
            for row in rows
        }

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

    def _bump(self, connection: sa.Connection) -> None:
        """Move the revision, inside the caller's write transaction (an upsert: two writers queue)."""
        statement = self._dialect().insert(store_revision).values(id=_REVISION_ROW, revision=1)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[store_revision.c.id], set_={"revision": store_revision.c.revision + 1}
            )
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


def _changes_anything(connection: sa.Connection, records: list[dict]) -> bool:
    """Whether upserting `records` adds a close or changes one's value or source (a refresh's overlap
    usually re-sends stored closes: that must not look like new data to every cache)."""
    c = price_close.c
    days = [record["day"] for record in records]
    query = sa.select(c.symbol, c.day, c.close, c.source).where(
        c.symbol.in_(sorted({record["symbol"] for record in records})), c.day.between(min(days), max(days))
    )
    stored = {(symbol, day): (close, source) for symbol, day, close, source in connection.execute(query)}
    return any(stored.get((r["symbol"], r["day"])) != (r["close"], r["source"]) for r in records)


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
