"""Migrations recorded in the database: applied once, in order, whole or not at all."""

import pytest
import sqlalchemy as sa

from lib.data.db import make_engine
from lib.notes.migrations import Migration, applied_versions, migrate
from lib.notes.schema import MIGRATIONS
from lib.notes.store import NotesStore


def test_a_database_made_by_an_older_version_gets_only_the_new_migrations(notes_url):
    engine = sa.create_engine(notes_url)
    with engine.begin() as connection:
        assert migrate(connection, MIGRATIONS[:1]) == [1]  # an app that knew only the tables
    store = NotesStore(notes_url)  # today's app: adds the vocabulary, the templates, the index and the revision
    with store.engine.connect() as connection:
        assert applied_versions(connection) == [1, 2, 3, 4, 5]
    assert len(store.tags()) == 10
    store.close()
    engine.dispose()


def test_a_failing_migration_leaves_no_trace(notes_url):
    engine = make_engine(notes_url, busy_timeout_ms=1000)  # as the notes store opens it

    def half_done(connection: sa.Connection) -> None:
        connection.execute(sa.text("CREATE TABLE half (id INTEGER)"))
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"), engine.begin() as connection:
        migrate(connection, [Migration(1, "breaks half-way", half_done)])
    assert sa.inspect(engine).get_table_names() == []  # neither the table nor the record
    engine.dispose()


def test_a_database_from_a_newer_version_is_refused_with_a_reason(notes_url):
    engine = make_engine(notes_url, busy_timeout_ms=1000)
    with engine.begin() as connection:
        migrate(connection, [*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "from the future", lambda c: None)])
    refused = rf"migrations \[{len(MIGRATIONS) + 1}\] that this version of the app does not know"
    with pytest.raises(RuntimeError, match=refused), engine.begin() as connection:
        migrate(connection, MIGRATIONS)
    engine.dispose()
