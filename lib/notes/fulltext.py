"""The full-text index of the notes' search text, so that a search stays fast at 100,000 notes.

A search term matches when it is a substring of a note's `search_text` (title and body, normalised:
lib.notes.model.normalize). Both databases have an index that answers exactly that question:
- SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34+), `note_fts`, whose rows are the
  note table's (external content) and kept in step by triggers on `note`, so every write path of
  the store, an import or a hand-made UPDATE alike, leaves it right. A term is looked up as a
  quoted phrase: its trigrams in a row, which is a substring match. `case_sensitive 1`: the text
  is case-folded already, and folding again could only add matches the LIKE search never made;
- PostgreSQL: pg_trgm's GIN index on `search_text`, which serves the store's LIKE '%term%' as it
  stands: the query does not change, only its plan.
A trigram index cannot serve a term of fewer than three characters (two kanji for crude oil, "%"):
such a term goes the way every term went before, LIKE over the column (on the notes another term
found first, when there is one). Where the index cannot be built (an SQLite without FTS5 or
trigram, a PostgreSQL role that may not install pg_trgm) the migration records itself without it
and every term goes that way, slower and with the same results.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

FTS_TABLE = "note_fts"
PG_INDEX = "note_search_trgm"
TRIGRAM = 3  # characters: a term shorter than this has no trigram to look up
_SQLITE_TRIGRAM = (3, 34, 0)  # the release that added FTS5's trigram tokenizer

_SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='note', content_rowid='id', tokenize='trigram case_sensitive 1')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON note BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON note BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF search_text ON note BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",  # the notes already stored
]


def create_index(connection: sa.Connection) -> None:
    """The migration: the index this database offers, or none (the search then scans, as before)."""
    if connection.dialect.name == "sqlite":
        if sqlite_has_trigram(connection):
            for statement in _SQLITE_INDEX:
                connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        schema = _pg_trgm_schema(connection) or _install_pg_trgm(connection)
        if schema is not None:
            opclass = f"{connection.dialect.identifier_preparer.quote(schema)}.gin_trgm_ops"
            connection.exec_driver_sql(f"CREATE INDEX {PG_INDEX} ON note USING gin (search_text {opclass})")


def has_fts_table(connection: sa.Connection) -> bool:
    """Whether the terms of a search are to be looked up in `note_fts` (SQLite with the index)."""
    if connection.dialect.name != "sqlite":
        return False
    found = connection.exec_driver_sql(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{FTS_TABLE}'")
    return found.first() is not None


def has_index(connection: sa.Connection) -> bool:
    """Whether this database has the full-text index (for benchmarks, tests and operators)."""
    if connection.dialect.name == "postgresql":
        found = connection.execute(
            sa.text("SELECT 1 FROM pg_indexes WHERE indexname = :name AND schemaname = current_schema()"),
            {"name": PG_INDEX},
        )
        return found.first() is not None
    return has_fts_table(connection)


def phrase(term: str) -> str:
    """`term` as an FTS5 phrase: inside double quotes every character is literal but `"`, doubled."""
    return '"' + term.replace('"', '""') + '"'


def sqlite_has_trigram(connection: sa.Connection) -> bool:
    version = connection.exec_driver_sql("SELECT sqlite_version()").scalar_one()
    options = set(connection.exec_driver_sql("PRAGMA compile_options").scalars())
    return tuple(int(part) for part in version.split(".")) >= _SQLITE_TRIGRAM and "ENABLE_FTS5" in options


def _pg_trgm_schema(connection: sa.Connection) -> str | None:
    return connection.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
    ).scalar()


def _install_pg_trgm(connection: sa.Connection) -> str | None:
    """pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may install it. A role
    that may not gets no index; the savepoint keeps the migration's transaction usable."""
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError:
        return None
    return _pg_trgm_schema(connection)
