"""Database plumbing shared by the price store and the notes store: engines, and messages that
never show a password.

SQLite (the default) runs in WAL mode so readers work while one process writes, waits up to a
busy timeout for a lock, and starts write transactions with BEGIN IMMEDIATE so two writers queue
instead of failing half-way. PostgreSQL is used as is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from lib.core.i18n import Message, message

# Execution option asking for a write transaction (SQLite: BEGIN IMMEDIATE takes the lock first).
WRITE = {"write_transaction": True}


def make_engine(url: str, *, busy_timeout_ms: int) -> sa.Engine:
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    path = sa.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(connection, _record) -> None:
        connection.isolation_level = None  # transactions are begun below, not by the driver
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        # A deferred transaction that reads and then writes can fail at once with "database is
        # locked" when another writer got there first; IMMEDIATE waits for the lock up front.
        immediate = connection.get_execution_options().get("write_transaction")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def reason(error: Exception) -> str | Message:
    """The first line of a database error, in words a user can act on (the driver's own words when
    there is nothing to add)."""
    text = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    if "locked" in text:
        return message("reason_locked")
    return text


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is shown as given
        return url


def aware(moment: dt.datetime | None) -> dt.datetime:
    """A stored time as UTC-aware (SQLite hands times back without their zone)."""
    if moment is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
