"""The store's rows: reading notes and versions as values, writing a note's tags and versions, the
conditions of a search. Each function works inside a connection the store (lib.notes.store) opened."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from lib.core.errors import NoteNotFound, UnknownTag
from lib.data.db import aware
from lib.notes import fulltext
from lib.notes.model import (
    DEMO_AUTHOR,
    Note,
    NoteDraft,
    NoteQuery,
    NoteVersion,
    Tag,
    end_of_merges,
    normalize,
    search_terms,
)
from lib.notes.schema import note, note_tag, note_version, tag

_IN_CHUNK = 500  # ids per IN (...): under every database's limit on bound parameters


def load(connection: sa.Connection, note_id: int, *, lock: bool = False) -> Note:
    """The note as it stands; with `lock`, its row is locked for this transaction (PostgreSQL: a
    save or merge in progress is waited for, and the row read is the one it committed)."""
    query = sa.select(note).where(note.c.id == note_id)
    row = connection.execute(query.with_for_update(key_share=True) if lock else query).first()
    if row is None:
        raise NoteNotFound(note_id)
    return note_of_row(row, tags_of(connection, [note_id]).get(note_id, ()))


def live_tags(connection: sa.Connection, keys: tuple[str, ...]) -> tuple[str, ...]:
    """`keys` as they stand now: a tag merged since the editor opened is written as the tag it went
    into (each once, in order). Their rows are locked for share, so a merge of them waits for this
    transaction and one that ran first is seen."""
    if not keys:
        return ()
    connection.execute(sa.select(tag.c.key).where(tag.c.key.in_(keys)).with_for_update(read=True)).all()
    rows = connection.execute(sa.select(tag.c.key, tag.c.merged_into, tag.c.label_en).order_by(tag.c.id)).all()
    merges = {row.key: row.merged_into for row in rows}
    unknown = [key for key in keys if key not in merges]
    if unknown:
        raise UnknownTag(unknown[0], [row.label_en for row in rows if row.merged_into is None])
    return tuple(dict.fromkeys(end_of_merges(key, merges) for key in keys))


def write_tags(connection: sa.Connection, note_id: int, keys: tuple[str, ...]) -> None:
    connection.execute(note_tag.delete().where(note_tag.c.note_id == note_id))
    if keys:
        connection.execute(
            note_tag.insert(), [{"note_id": note_id, "tag_key": key, "position": i} for i, key in enumerate(keys)]
        )


def write_version(
    connection: sa.Connection,
    note_id: int,
    version: int,
    draft: NoteDraft,
    *,
    author: str,
    at: dt.datetime,
    deleted: bool,
) -> None:
    connection.execute(
        note_version.insert().values(
            note_id=note_id,
            version=version,
            week=draft.week,
            title=draft.title,
            body=draft.body,
            tags=json.dumps(list(draft.tags)),
            author=author,
            saved_at=at,
            deleted=deleted,
        )
    )


def tags_of(connection: sa.Connection, ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        rows = connection.execute(
            sa.select(note_tag.c.note_id, note_tag.c.tag_key)
            .where(note_tag.c.note_id.in_(ids[start : start + _IN_CHUNK]))
            .order_by(note_tag.c.note_id, note_tag.c.position)
        )
        for note_id, key in rows:
            found.setdefault(note_id, []).append(key)
    return {note_id: tuple(keys) for note_id, keys in found.items()}


def tags_where(connection: sa.Connection, condition: list) -> dict[int, tuple[str, ...]]:
    """The tags of the notes that meet `condition` (a search's), in one statement: a list of
    thousands of ids costs more to send than the join costs to run."""
    owned = note_tag.alias("owned")  # the tag filter's EXISTS on note_tag stays its own subquery
    rows = connection.execute(
        sa.select(owned.c.note_id, owned.c.tag_key)
        .join_from(owned, note, owned.c.note_id == note.c.id)
        .where(*condition)
        .order_by(owned.c.note_id, owned.c.position)
    )
    found: dict[int, list[str]] = {}
    for note_id, key in rows:
        found.setdefault(note_id, []).append(key)
    return {note_id: tuple(keys) for note_id, keys in found.items()}


def note_of_row(row: sa.Row, tags: tuple[str, ...]) -> Note:
    return Note(
        id=row.id,
        uid=row.uid,
        week=row.week,
        title=row.title,
        body=row.body,
        tags=tags,
        author=row.author,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        version=row.version,
        deleted_at=aware(row.deleted_at) if row.deleted_at is not None else None,
    )


def version_of_row(row: sa.Row) -> NoteVersion:
    return NoteVersion(
        row.version,
        row.week,
        row.title,
        row.body,
        tuple(json.loads(row.tags)),
        row.author,
        aware(row.saved_at),
        row.deleted,
    )


def stored_versions(connection: sa.Connection, note_id: int) -> list[NoteVersion]:
    """Every version of a note, the oldest first."""
    query = sa.select(note_version).where(note_version.c.note_id == note_id).order_by(note_version.c.version)
    return [version_of_row(row) for row in connection.execute(query)]


def conditions(query: NoteQuery, vocabulary: list[Tag], *, fts_table: bool = False) -> list:
    """The WHERE clauses of `query`; `fts_table`: SQLite with lib.notes.fulltext's index."""
    condition = [] if query.include_deleted else [note.c.deleted_at.is_(None)]
    if query.start is not None:
        condition.append(note.c.week >= query.start)
    if query.end is not None:
        condition.append(note.c.week <= query.end)
    if query.demo != "include":
        condition.append(note.c.author == DEMO_AUTHOR if query.demo == "only" else note.c.author != DEMO_AUTHOR)
    if query.tags:
        tagged = [_has_tag([key]) for key in query.tags]
        condition.append(sa.and_(*tagged) if query.match == "all" else _has_tag(list(query.tags)))
    for term in search_terms(query.search):
        labelled = [t.key for t in vocabulary if term in normalize(t.label_en) or term in normalize(t.label_ja)]
        condition.append(_holding(term, labelled, fts_table=fts_table))
    return condition


def _holding(term: str, labelled: list[str], *, fts_table: bool) -> sa.ColumnElement[bool]:
    """Notes whose search text holds `term` as a substring (`%`, `_` and `\\` are plain characters)
    or that carry one of the `labelled` tags. With the SQLite index a term of three characters or
    more is looked up in it; other terms go by LIKE, which pg_trgm's index serves on PostgreSQL.
    With tags, one list of ids: an OR of two lookups would make either database scan every note."""
    tagged = sa.select(note_tag.c.note_id).where(note_tag.c.tag_key.in_(labelled))
    if fts_table and len(term) >= fulltext.TRIGRAM:
        match = sa.literal_column(fulltext.FTS_TABLE).op("MATCH")(fulltext.phrase(term))
        found = sa.select(sa.literal_column("rowid")).select_from(sa.table(fulltext.FTS_TABLE)).where(match)
        return note.c.id.in_(sa.union(found, tagged) if labelled else found)
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if not labelled:  # a filter: on the notes another term found first, when there is one
        return note.c.search_text.like(pattern, escape="\\")
    matched = note.alias("matched")  # not correlated with the outer note
    return note.c.id.in_(
        sa.union(sa.select(matched.c.id).where(matched.c.search_text.like(pattern, escape="\\")), tagged)
    )


def _has_tag(keys: list[str]) -> sa.ColumnElement[bool]:
    return sa.exists().where(note_tag.c.note_id == note.c.id, note_tag.c.tag_key.in_(keys))
