"""Schema migrations recorded in the database itself (table `schema_migration`).

Each migration is a numbered function run once, in order, in the same transaction as the row that
records it, so a migration either happened completely or not at all (SQLite and PostgreSQL both
have transactional DDL). Processes that start together take a lock first (SQLite: BEGIN
IMMEDIATE; PostgreSQL: an advisory lock), so exactly one of them applies a migration.

Alembic does this for large schemas; for a handful of tables a runner that locks against
concurrent starters fits in this file and needs no configuration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

_ADVISORY_LOCK_ID = 7_260_102  # any constant shared by the processes of this app

_history = sa.MetaData()
schema_migration = sa.Table(
    "schema_migration",
    _history,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sa.Connection], None]


def migrate(connection: sa.Connection, migrations: list[Migration]) -> list[int]:
    """Apply the migrations this database has not recorded; returns the versions applied.

    `connection` must be in a write transaction (see NotesStore): the lock is taken inside it.
    """
    numbers = [migration.version for migration in migrations]
    if numbers != sorted(set(numbers)):
        raise ValueError(f"migration versions must increase: {numbers}")
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _ADVISORY_LOCK_ID})
    _history.create_all(connection)
    done = set(connection.execute(sa.select(schema_migration.c.version)).scalars())
    unknown = done - set(numbers)
    if unknown:
        raise RuntimeError(
            f"the database has migrations {sorted(unknown)} that this version of the app does not know: "
            "it was upgraded by a newer version"
        )
    applied = []
    for migration in migrations:
        if migration.version in done:
            continue
        migration.apply(connection)
        connection.execute(
            schema_migration.insert().values(
                version=migration.version, name=migration.name, applied_at=dt.datetime.now(dt.UTC)
            )
        )
        applied.append(migration.version)
    return applied


def applied_versions(connection: sa.Connection) -> list[int]:
    return list(
        connection.execute(sa.select(schema_migration.c.version).order_by(schema_migration.c.version)).scalars()
    )
