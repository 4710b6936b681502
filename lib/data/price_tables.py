"""The price store's tables (SQLAlchemy Core), shared by the store and its writers.

New tables are created by `metadata.create_all` when a store opens, so an existing database gains
them on its next start; no column is ever added to an existing table.
"""

from __future__ import annotations

import sqlalchemy as sa

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
