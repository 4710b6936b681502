"""The price store's tables (SQLAlchemy Core), shared by the store and its writers, and the numbered
migrations that build them (MIGRATIONS, recorded in `price_schema_migration`).

A schema change is a new Migration appended to MIGRATIONS, never an edit of an applied one: a new
database runs them all in order, an existing one only those it has not recorded. Version 1 is the
schema that `metadata.create_all` made before migrations existed, so a database made that way is
recognised as version 1 (create_all skips what exists) without any change.
"""

from __future__ import annotations

import sqlalchemy as sa

from lib.data.migrations import Migration, add_column_if_missing, history
from lib.data.sources import TEXT_MAX_CHARS

metadata = sa.MetaData()

price_close = sa.Table(
    "price_close",
    metadata,
    sa.Column("symbol", sa.String(32), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("close", sa.Float, nullable=False),
    sa.Column("source", sa.String(TEXT_MAX_CHARS), nullable=False),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
)

# Every close a write replaced, with its source and time, and which write replaced it: an import can
# be undone (PriceStore.undo_import) and a wrong one leaves a trace.
price_history = sa.Table(
    "price_close_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("symbol", sa.String(32), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("close", sa.Float, nullable=False),
    sa.Column("source", sa.String(TEXT_MAX_CHARS), nullable=False),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("replaced_by", sa.String(TEXT_MAX_CHARS), nullable=False),  # the replacing write's source
    sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),  # and its time
    sa.Index("price_close_history_by_write", "replaced_by", "replaced_at"),
)

fetch_attempt = sa.Table(
    "fetch_attempt",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(TEXT_MAX_CHARS), nullable=False),
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
    sa.Column("name_en", sa.String(TEXT_MAX_CHARS), nullable=False),
    sa.Column("name_ja", sa.String(TEXT_MAX_CHARS), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    # 為替ヘッジあり: compared with the benchmark in its own currency of exposure (dollars)
    sa.Column("hedged", sa.Boolean, nullable=False, server_default=sa.false()),
)

fund_facts_table = sa.Table(
    "fund_facts",
    metadata,
    sa.Column("symbol", sa.String(32), primary_key=True),
    sa.Column("expense_ratio_pct", sa.Float, nullable=True),
    sa.Column("net_assets", sa.Float, nullable=True),
    sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
)

# Counters, one a row. Row REVISION_ROW moves with every write that changes closes, fund descriptions
# or fund facts (what the pages cache). The others are queues: a writer moves its row first, in its
# own transaction, which makes concurrent writers of the same thing wait for each other (PostgreSQL
# holds the row lock to the commit; SQLite's BEGIN IMMEDIATE already queues every writer).
store_revision = sa.Table(
    "store_revision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("revision", sa.BigInteger, nullable=False),
)
REVISION_ROW = 1
FUND_LIST_ROW = 2  # its count is the fund list's version; the row exists once the list was saved
CLOSES_ROW = 3  # writers of closes queue here
REFRESH_LOCK_ROW = 4  # not a counter: SQLite's refresh lease, its expiry in µs (lib/data/refresh_lock.py)


# --- Migrations ------------------------------------------------------------------------------

PRICE_HISTORY = history("price_schema_migration", lock_id=7_260_103)
# Version 1's tables: the store's whole schema as create_all made it.
_VERSION_1 = (price_close, price_history, fetch_attempt, fund_list, instrument_table, fund_facts_table, store_revision)


def _create_tables(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=list(_VERSION_1))


MIGRATIONS = [
    Migration(1, "closes, history, attempts, fund list, instruments, fund facts, counters", _create_tables),
    # A new column is added to its Table above (migration 1 then creates it in a new database) and
    # gets a migration like 2's, so an existing database gains it (with a server_default when NOT NULL).
    Migration(2, "instrument.hedged", lambda c: add_column_if_missing(c, instrument_table, "hedged")),
]
