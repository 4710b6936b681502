"""The notes database's migration history (table `schema_migration`), run by the runner the price
store shares (lib/data/migrations.py: numbered, transactional, locked against concurrent starters)."""

from __future__ import annotations

import sqlalchemy as sa

from lib.data import migrations as runner
from lib.data.migrations import Migration as Migration
from lib.data.migrations import NewerSchema as NewerSchema

NOTES_HISTORY = runner.history("schema_migration", lock_id=7_260_102)  # the id the notes always used
schema_migration = NOTES_HISTORY.table


def migrate(connection: sa.Connection, migrations: list[Migration]) -> list[int]:
    """Apply the notes migrations this database has not recorded; returns the versions applied."""
    return runner.migrate(connection, migrations, NOTES_HISTORY)


def applied_versions(connection: sa.Connection) -> list[int]:
    return runner.applied_versions(connection, NOTES_HISTORY)
