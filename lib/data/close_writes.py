"""Writing closes inside the price store's transaction: what a write adds, what it replaces (kept in
the history with its source and time), whether it moves stored closes beyond the import limit, and
undoing an import.

A write is read and written in chunks of CHUNK_ROWS closes, so its memory does not grow with the
file; the caller's transaction still makes it all or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from lib.core.errors import NothingToUndo
from lib.data.db import aware
from lib.data.price_tables import price_close, price_history

CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class CloseChange:
    """A stored close and the value a write brings for it."""

    symbol: str
    day: dt.date
    old: float
    new: float

    @property
    def change_pct(self) -> float:
        """The change in percent of the stored close."""
        return 100.0 * (self.new / self.old - 1.0)


@dataclass
class Tally:
    """What a write did (or, refused, would have done)."""

    rows: int = 0  # closes in the write
    added: int = 0  # closes the store did not hold
    replaced: int = 0  # stored closes given another value or source (the old ones are in the history)
    beyond: int = 0  # replaced closes that moved by more than the limit
    largest: CloseChange | None = None  # the largest of those moves

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced)


@dataclass(frozen=True)
class Undone:
    """What undoing an import did: closes given back their previous value, closes it had added removed."""

    source: str
    at: dt.datetime  # the time of the import undone
    restored: int
    removed: int


def write_closes(
    connection: sa.Connection,
    upsert: sa.Insert,
    tidy: pd.DataFrame,
    *,
    source: str,
    fetched_at: dt.datetime,
    limit_pct: float | None = None,
) -> Tally:
    """Upsert tidy closes (date, symbol, close; NaN and non-positive ones left out), keeping every
    replaced close in the history. With `limit_pct`, nothing is written once a close would move by more
    than that: the tally says how many would and the largest move, and the caller refuses."""
    clean = tidy.dropna(subset=["close"])
    clean = clean[clean["close"] > 0].sort_values(["symbol", "date"], kind="stable")
    tally = Tally(rows=len(clean))
    for start in range(0, len(clean), CHUNK_ROWS):
        _write_chunk(connection, upsert, clean.iloc[start : start + CHUNK_ROWS], tally, source, fetched_at, limit_pct)
    return tally


def _write_chunk(
    connection: sa.Connection,
    upsert: sa.Insert,
    chunk: pd.DataFrame,
    tally: Tally,
    source: str,
    fetched_at: dt.datetime,
    limit_pct: float | None,
) -> None:
    keys = list(zip(chunk["symbol"].tolist(), chunk["date"].to_numpy().astype("datetime64[D]").tolist(), strict=True))
    stored = _stored(connection, keys)
    fresh, history = [], []
    for (symbol, day), close in zip(keys, chunk["close"].astype(float).tolist(), strict=True):
        before = stored.get((symbol, day))
        if before is not None and before[:2] == (close, source):
            continue  # already stored: keep its time, so undoing this write leaves it alone
        fresh.append({"symbol": symbol, "day": day, "close": close, "source": source, "fetched_at": fetched_at})
        if before is None:
            tally.added += 1
            continue
        tally.replaced += 1
        old, old_source, old_time = before
        history.append(
            {
                "symbol": symbol,
                "day": day,
                "close": old,
                "source": old_source,
                "fetched_at": old_time,
                "replaced_by": source,
                "replaced_at": fetched_at,
            }
        )
        if limit_pct is not None and abs(100.0 * (close / old - 1.0)) > limit_pct:
            _beyond(tally, CloseChange(symbol, day, old, close))
    if tally.beyond:
        return  # refused: the caller rolls back; the rest is only counted
    if history:
        connection.execute(price_history.insert(), history)
    if fresh:
        connection.execute(upsert, fresh)


def _beyond(tally: Tally, change: CloseChange) -> None:
    tally.beyond += 1
    if tally.largest is None or abs(change.change_pct) > abs(tally.largest.change_pct):
        tally.largest = change


def _stored(connection: sa.Connection, keys: list[tuple[str, dt.date]]) -> dict[tuple[str, dt.date], tuple]:
    """Close, source and time stored for the chunk's symbols over its days (a sorted chunk: a narrow range)."""
    c = price_close.c
    days = [day for _, day in keys]
    query = sa.select(c.symbol, c.day, c.close, c.source, c.fetched_at).where(
        c.symbol.in_(sorted({symbol for symbol, _ in keys})), c.day.between(min(days), max(days))
    )
    return {(symbol, day): (close, source, at) for symbol, day, close, source, at in connection.execute(query)}


def undo_write(connection: sa.Connection, source: str) -> Undone:
    """Undo the latest write from `source` that still holds closes: each of its closes gets back the
    value, source and time it replaced, and a close it added is removed. Raises NothingToUndo."""
    c = price_close.c
    at = connection.execute(sa.select(sa.func.max(c.fetched_at)).where(c.source == source)).scalar()
    if at is None:
        raise NothingToUndo(source)
    written = connection.execute(sa.select(c.symbol, c.day).where(c.source == source, c.fetched_at == at)).all()
    h = price_history.c
    previous = {
        (row.symbol, row.day): row
        for row in connection.execute(
            sa.select(h.symbol, h.day, h.close, h.source, h.fetched_at)
            .where(h.replaced_by == source, h.replaced_at == at)
            .order_by(h.id)
        )
    }
    restore = [
        {"key_symbol": symbol, "key_day": day, **_values(previous[(symbol, day)])}
        for symbol, day in written
        if (symbol, day) in previous
    ]
    remove = [{"key_symbol": symbol, "key_day": day} for symbol, day in written if (symbol, day) not in previous]
    same_close = sa.and_(c.symbol == sa.bindparam("key_symbol"), c.day == sa.bindparam("key_day"))
    if restore:
        connection.execute(price_close.update().where(same_close), restore)
    if remove:
        connection.execute(price_close.delete().where(same_close), remove)
    connection.execute(price_history.delete().where(h.replaced_by == source, h.replaced_at == at))
    return Undone(source, aware(at), len(restore), len(remove))


def _values(row: sa.Row) -> dict:
    return {"close": row.close, "source": row.source, "fetched_at": row.fetched_at}
