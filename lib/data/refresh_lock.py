"""The refresh lock: one refresh of the price store at a time, across processes and servers.

A lock in the database, not a file, so it holds for replicas on other machines:
- PostgreSQL: a transaction-level advisory lock, held while the refresh runs and released by its
  end (or by the server when the holder's connection dies). `lock_timeout` bounds the wait.
- SQLite: a lease in the store's counters table (row REFRESH_LOCK_ROW holds the lease's expiry in
  microseconds since the epoch), taken and given back in short BEGIN IMMEDIATE transactions, so the
  refresh's own writes are not blocked by it; a crashed holder's lease lapses after
  REFRESH_LEASE_SECONDS. The waiter polls every POLL_SECONDS.
Either way a refresh that cannot have the lock within its wait raises RefreshBusy, never hangs.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from lib.core.errors import RefreshBusy, StoreUnavailable
from lib.core.settings import REFRESH_LEASE_SECONDS
from lib.data.db import WRITE, reason
from lib.data.price_tables import REFRESH_LOCK_ROW, store_revision

ADVISORY_LOCK_ID = 7_260_104  # the refresh's own: the migrations of each store have theirs
POLL_SECONDS = 0.1
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout that ran out


@contextmanager
def refresh_lock(engine: sa.Engine, *, wait_seconds: float) -> Iterator[None]:
    """Hold the store's refresh lock for the `with` block; raises RefreshBusy after `wait_seconds`."""
    hold = _advisory_lock if engine.dialect.name == "postgresql" else _lease
    with hold(engine, wait_seconds):
        yield


@contextmanager
def _advisory_lock(engine: sa.Engine, wait_seconds: float) -> Iterator[None]:
    with _unavailable_as_error(engine):
        connection = engine.connect()
    try:
        with _unavailable_as_error(engine):
            connection.begin()
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(wait_seconds * 1000))}")
            try:
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK_ID})
            except OperationalError as error:
                if getattr(error.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                    raise RefreshBusy(wait_seconds) from None
                raise
        yield
    finally:
        with contextlib.suppress(SQLAlchemyError):  # a dead connection's lock dies with it
            connection.rollback()  # ends the transaction: releases the lock
        connection.close()


@contextmanager
def _lease(engine: sa.Engine, wait_seconds: float) -> Iterator[None]:
    deadline = time.monotonic() + wait_seconds
    while (token := _take_lease(engine)) is None:
        if time.monotonic() >= deadline:
            raise RefreshBusy(wait_seconds)
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        _give_back(engine, token)


def _take_lease(engine: sa.Engine) -> int | None:
    """The lease's token (its expiry) when no live lease is held, else None."""
    with _unavailable_as_error(engine):
        return _try_lease(engine)


def _try_lease(engine: sa.Engine) -> int | None:
    now_us = int(time.time() * 1_000_000)
    token = now_us + REFRESH_LEASE_SECONDS * 1_000_000
    row = store_revision.c
    with engine.connect() as connection, connection.execution_options(**WRITE).begin():
        held = connection.execute(sa.select(row.revision).where(row.id == REFRESH_LOCK_ROW)).scalar()
        if held is not None and held > now_us:
            return None
        upsert = sqlite.insert(store_revision).values(id=REFRESH_LOCK_ROW, revision=token)
        connection.execute(upsert.on_conflict_do_update(index_elements=[row.id], set_={"revision": token}))
    return token


def _give_back(engine: sa.Engine, token: int) -> None:
    row = store_revision.c
    with _unavailable_as_error(engine), engine.connect() as connection, connection.execution_options(**WRITE).begin():
        mine = (row.id == REFRESH_LOCK_ROW) & (row.revision == token)  # a lapsed lease taken over stays
        connection.execute(store_revision.update().where(mine).values(revision=0))


@contextmanager
def _unavailable_as_error(engine: sa.Engine) -> Iterator[None]:
    """The lock's own database errors as StoreUnavailable (the refresh it guards reports its own)."""
    try:
        yield
    except SQLAlchemyError as error:
        raise StoreUnavailable(engine.url.render_as_string(hide_password=True), reason(error)) from None
