"""Schema migrations recorded in the database itself, one history table per store.

Each migration is a numbered function run once, in order, in the same transaction as the row that
records it, so a migration either happened completely or not at all (SQLite and PostgreSQL both
have transactional DDL). Processes that start together take a lock first (SQLite: BEGIN
IMMEDIATE; PostgreSQL: an advisory lock), so exactly one of them applies a migration.

The price store and the notes store keep separate histories (`price_schema_migration`,
`schema_migration`): a team may put both in one PostgreSQL database, and their numbers are their own.

Alembic does this for large schemas; for a handful of tables a runner that locks against
concurrent starters fits in this file and needs no configuration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sa.Connection], None]


@dataclass(frozen=True)
class History:
    """Where a store records its migrations, and the advisory lock its starters queue on (PostgreSQL)."""

    table: sa.Table
    lock_id: int


class NewerSchema(RuntimeError):
    """The database was migrated by a newer version of the app: this one must not touch it."""

    def __init__(self, unknown: list[int], known: int) -> None:
        super().__init__(
            f"the database has migrations {unknown} that this version of the app does not know: "
            "it was upgraded by a newer version"
        )
        self.unknown = unknown
        self.known = known


def history(name: str, *, lock_id: int) -> History:
    """A history table `name` (version, name, applied_at) in its own MetaData."""
    table = sa.Table(
        name,
        sa.MetaData(),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )
    return History(table, lock_id)


def pending(connection: sa.Connection, migrations: list[Migration], record: History) -> list[int]:
    """The versions this database has not recorded, by a read alone (no lock: a store that is up to
    date opens without waiting for a writer). Raises NewerSchema like `migrate`."""
    done = _recorded(connection, record)
    known = [migration.version for migration in migrations]
    _refuse_newer(done, known)
    return [version for version in known if version not in done]


def migrate(connection: sa.Connection, migrations: list[Migration], record: History) -> list[int]:
    """Apply the migrations this database has not recorded in `record`; returns the versions applied.

    `connection` must be in a write transaction: the lock is taken inside it. Raises NewerSchema,
    before anything is written, when the database records a version this list does not know.
    """
    numbers = [migration.version for migration in migrations]
    if numbers != sorted(set(numbers)):
        raise ValueError(f"migration versions must increase: {numbers}")
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": record.lock_id})
    table = record.table
    done = _recorded(connection, record)
    _refuse_newer(done, numbers)
    table.create(connection, checkfirst=True)
    applied = []
    for migration in migrations:
        if migration.version in done:
            continue
        migration.apply(connection)
        connection.execute(
            table.insert().values(version=migration.version, name=migration.name, applied_at=dt.datetime.now(dt.UTC))
        )
        applied.append(migration.version)
    return applied


def _recorded(connection: sa.Connection, record: History) -> set[int]:
    if not sa.inspect(connection).has_table(record.table.name):
        return set()
    return set(connection.execute(sa.select(record.table.c.version)).scalars())


def _refuse_newer(done: set[int], known: list[int]) -> None:
    unknown = sorted(done - set(known))
    if unknown:
        raise NewerSchema(unknown, max(known, default=0))


def applied_versions(connection: sa.Connection, record: History) -> list[int]:
    table = record.table
    return list(connection.execute(sa.select(table.c.version).order_by(table.c.version)).scalars())


def add_column_if_missing(connection: sa.Connection, table: sa.Table, name: str) -> None:
    """ALTER TABLE ... ADD COLUMN for `table.c[name]` as declared, unless the database has it already
    (a database whose migration 1 ran after the column was declared made it with the table)."""
    present = {column["name"] for column in sa.inspect(connection).get_columns(table.name)}
    if name in present:
        return
    column = table.c[name]
    kind = column.type.compile(dialect=connection.dialect)
    default = f" DEFAULT {column.server_default.arg}" if column.server_default is not None else ""
    null = "" if column.nullable else " NOT NULL"
    connection.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{name}" {kind}{default}{null}'))
