"""The notes database's tables and the migrations that build them.

A schema change is a new Migration appended to MIGRATIONS (never an edit of an applied one): a new
database runs them all in order, an existing one only those it has not recorded.
"""

from __future__ import annotations

import sqlalchemy as sa

from lib.core import settings
from lib.notes import fulltext
from lib.notes.migrations import Migration

metadata = sa.MetaData()
_Time = sa.DateTime(timezone=True)

tag = sa.Table(
    "tag",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(60), nullable=False, unique=True),
    sa.Column("label_en", sa.String(80), nullable=False),
    sa.Column("label_ja", sa.String(80), nullable=False),
    sa.Column("colour", sa.String(7), nullable=False),
    sa.Column("merged_into", sa.String(60), nullable=True),  # a retired tag points to its successor
)

note = sa.Table(
    "note",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(32), nullable=False, unique=True),
    sa.Column("week", sa.Date, nullable=False, index=True),  # the last NYSE session of the week
    sa.Column("title", sa.String(settings.NOTE_TITLE_MAX_CHARS), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("created_at", _Time, nullable=False),
    sa.Column("updated_at", _Time, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("deleted_at", _Time, nullable=True),
    sa.Column("search_text", sa.Text, nullable=False),  # title and body, normalised (lib.notes.model.normalize)
)

note_tag = sa.Table(
    "note_tag",
    metadata,
    sa.Column("note_id", sa.Integer, sa.ForeignKey("note.id"), primary_key=True),
    sa.Column("tag_key", sa.String(60), sa.ForeignKey("tag.key"), primary_key=True, index=True),
    sa.Column("position", sa.Integer, nullable=False),
)

note_version = sa.Table(
    "note_version",
    metadata,
    sa.Column("note_id", sa.Integer, sa.ForeignKey("note.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("week", sa.Date, nullable=False),
    sa.Column("title", sa.String(settings.NOTE_TITLE_MAX_CHARS), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("tags", sa.Text, nullable=False),  # JSON list of tag keys
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("saved_at", _Time, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
)


# The weekly report's template per language, as the team saved it (lib/notes/templates.py); no row:
# the default template shipped with the app.
report_template = sa.Table(
    "report_template",
    metadata,
    sa.Column("lang", sa.String(8), primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("saved_at", _Time, nullable=False),
)


# One counter that moves with every write to the notes database (notes, tags, templates), in the
# writing transaction: the app's caches are keyed on it, so every server sees a save at its next rerun.
notes_revision = sa.Table(
    "notes_revision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("revision", sa.BigInteger, nullable=False),
)
_REVISION_ROW = 1
REVISION_SQL = f"SELECT revision FROM notes_revision WHERE id = {_REVISION_ROW}"  # read bare, per lookup


def bump_revision(connection: sa.Connection) -> None:
    """Move the counter inside the caller's write transaction (created at 1 by the first write)."""
    moved = connection.execute(
        notes_revision.update()
        .where(notes_revision.c.id == _REVISION_ROW)
        .values(revision=notes_revision.c.revision + 1)
    )
    if moved.rowcount == 0:
        connection.execute(notes_revision.insert().values(id=_REVISION_ROW, revision=1))


def _create_tables(connection: sa.Connection) -> None:
    # Version 1 of the schema is the tables above as first released; a later change to them must
    # come with its own migration (ALTER TABLE ...), and this one must then create the old shape.
    metadata.create_all(connection, tables=[tag, note, note_tag, note_version])


def _seed_tags(connection: sa.Connection) -> None:
    have = set(connection.execute(sa.select(tag.c.key)).scalars())
    rows = [
        {"key": spec.key, "label_en": spec.label_en, "label_ja": spec.label_ja, "colour": spec.colour}
        for spec in settings.DEFAULT_TAGS
        if spec.key not in have
    ]
    if rows:
        connection.execute(tag.insert(), rows)


def _create_report_templates(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[report_template])


def _create_revision(connection: sa.Connection) -> None:
    metadata.create_all(connection, tables=[notes_revision])
    connection.execute(notes_revision.insert().values(id=_REVISION_ROW, revision=1))


MIGRATIONS = [
    Migration(1, "notes, versions and tags", _create_tables),
    Migration(2, "default theme vocabulary", _seed_tags),
    Migration(3, "the weekly report's templates", _create_report_templates),
    Migration(4, "full-text index of the search text", fulltext.create_index),
    Migration(5, "the notes' revision counter", _create_revision),
]
