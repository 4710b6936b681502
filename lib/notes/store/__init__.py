"""The notes database: notes with every saved version, the tag vocabulary, search.

SQLAlchemy Core on a SQLite file (default, WAL) or PostgreSQL. Nothing is ever lost:
- every save, delete and restore adds a row to `note_version` in the same transaction that
  changes the note, so a process killed half-way leaves the previous state whole;
- a save names the version it was editing; if someone saved in between, nothing is written and
  NoteConflict carries both texts (optimistic locking). A tag merge is no editor: it reads each note
  under a row lock and retries its own rare conflicts, so it never ends in NoteConflict;
- a write that finds the database busy is retried with backoff, then ends in NotesBusy, never in
  a raw "database is locked"; a value the database cannot hold is bad input, not a broken database;
- this module is the only one that writes the notes tables: an import (lib.notes.files) checks its
  records with the editor's own checks, then hands them to `import_notes`;
- a read-only deployment ([notes] read_only, NOTES_READ_ONLY) is enforced here, for every writer
  (pages, command line, imports, demo notes): each write raises NotesReadOnly. Opening a new
  database still creates its tables, which holds no note.
Row locks (PostgreSQL; SQLite's writers queue whole) keep tags and merges consistent: a merge locks
its two tags, then each note; a save locks its tags for share (waiting for a merge of them to end)
and writes a tag merged meanwhile as the tag it went into; no merge can close a loop.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError

from lib.core import settings
from lib.core.errors import (
    InvalidNote,
    InvalidTag,
    NoteConflict,
    NoteNotFound,
    NotesBusy,
    NotesReadOnly,
    NotesUnavailable,
)
from lib.core.i18n import message
from lib.data.db import WRITE, make_engine, reason, safe_url
from lib.notes import fulltext
from lib.notes.migrations import Migration, migrate
from lib.notes.model import (
    DEMO_AUTHOR,
    Note,
    NoteDraft,
    NoteQuery,
    NoteVersion,
    Tag,
    checked_author,
    searchable,
    tag_key,
)
from lib.notes.schema import MIGRATIONS, REVISION_SQL, bump_revision, note, note_tag, note_version, tag
from lib.notes.store.imports import ImportedNote, ImportOutcome, import_one
from lib.notes.store.rows import (
    conditions,
    live_tags,
    load,
    note_of_row,
    tags_where,
    version_of_row,
    write_tags,
    write_version,
)
from lib.notes.tags import (
    checked_colour,
    checked_label,
    cleaned,
    label_taken,
    refuse_bad_merge,
    refuse_loops,
)
from lib.notes.tags import tag_problems as tag_problems

__all__ = ["ImportOutcome", "ImportedNote", "NotesStore", "tag_problems", "version_of_row"]

T = TypeVar("T")
Clock = Callable[[], dt.datetime]
_BUSY_SQLSTATES = {"40001", "40P01", "55P03"}  # PostgreSQL: serialization failure, deadlock, lock timeout
_SEED_LOCK_ID = 7_260_103  # PostgreSQL advisory lock: one session at a time decides on the demo notes


class NotesStore:
    def __init__(
        self,
        url: str,
        *,
        busy_timeout_ms: int = settings.NOTES_BUSY_TIMEOUT_MS,
        attempts: int = settings.NOTES_WRITE_ATTEMPTS,
        clock: Clock | None = None,
        migrations: list[Migration] = MIGRATIONS,
        read_only: bool | None = None,
    ) -> None:
        """`read_only` None follows the setting ([notes] read_only, NOTES_READ_ONLY), asked at each write."""
        self.url, self.attempts, self._read_only = url, attempts, read_only
        self.busy_timeout_s = busy_timeout_ms / 1000
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        try:
            self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        except (SQLAlchemyError, ImportError, OSError) as error:
            raise NotesUnavailable(safe_url(url), reason(error)) from None
        self._transaction(lambda connection: migrate(connection, migrations))
        with self._read() as connection:  # decided once: the index comes with a migration, never goes
            self.fts_table = fulltext.has_fts_table(connection)

    def close(self) -> None:
        """Close the pooled connections (tests, and the CLI before it exits)."""
        self.engine.dispose()

    @property
    def read_only(self) -> bool:
        return settings.notes_access().read_only if self._read_only is None else self._read_only

    def check_writable(self) -> None:
        """NotesReadOnly on a read-only deployment: callers ask first to say so before other checks."""
        if self.read_only:
            raise NotesReadOnly()

    # --- Tags -------------------------------------------------------------------------------

    def tags(self, *, include_merged: bool = False) -> list[Tag]:
        """The vocabulary in the order it was created; merged tags only when asked (for history)."""
        with self._read() as connection:
            rows = connection.execute(sa.select(tag).order_by(tag.c.id)).all()
        found = [Tag(r.key, r.label_en, r.label_ja, r.colour, r.merged_into) for r in rows]
        return found if include_merged else [t for t in found if t.merged_into is None]

    def add_tag(self, label_en: str, label_ja: str, colour: str) -> Tag:
        label_en, label_ja = checked_label(label_en, "en"), checked_label(label_ja or label_en, "ja")
        new = Tag(tag_key(label_en), label_en, label_ja, checked_colour(colour))
        if not new.key:
            raise InvalidTag(message("tag_bad_label", label=label_en))

        def work(connection: sa.Connection) -> Tag:
            taken = connection.execute(sa.select(tag.c.label_en)).scalars()
            exists = connection.execute(sa.select(tag.c.key).where(tag.c.key == new.key)).first()
            if exists or label_taken(label_en, taken):
                raise InvalidTag(message("tag_exists", label=label_en))
            connection.execute(tag.insert().values(**dataclasses.asdict(new)))
            return new

        return self._write(work)

    def rename_tag(self, key: str, *, label_en: str, label_ja: str, colour: str) -> Tag:
        """New labels and colour; the key (what notes, history and exports refer to) stays."""
        renamed = Tag(key, checked_label(label_en, "en"), checked_label(label_ja, "ja"), checked_colour(colour))

        def work(connection: sa.Connection) -> Tag:
            others = connection.execute(sa.select(tag.c.label_en).where(tag.c.key != key)).scalars()
            if label_taken(renamed.label_en, others):
                raise InvalidTag(message("tag_name_taken", label=renamed.label_en))
            changed = connection.execute(
                tag.update()
                .where(tag.c.key == key, tag.c.merged_into.is_(None))
                .values(label_en=renamed.label_en, label_ja=renamed.label_ja, colour=renamed.colour)
            )
            if changed.rowcount != 1:
                raise InvalidTag(message("tag_unknown", tag=key))
            return renamed

        return self._write(work)

    def merge_tags(self, source: str, target: str, *, author: str) -> int:
        """Move every note tagged `source` to `target` (each such note gets a new version) and retire
        `source`; returns the number of notes changed. Editors saving meanwhile never make it fail:
        their saves wait for the merge or are merged after (see the module's notes on locks)."""
        author = checked_author(author)

        def work(connection: sa.Connection) -> int:
            locked = connection.execute(
                sa.select(tag.c.key, tag.c.merged_into)
                .where(tag.c.key.in_(sorted({source, target})))
                .order_by(tag.c.key)
                .with_for_update()
            ).all()
            refuse_bad_merge(source, target, {key: None for key, merged_into in locked if merged_into is None})
            ids = connection.execute(sa.select(note_tag.c.note_id).where(note_tag.c.tag_key == source)).scalars()
            now, moved = self.clock(), 0
            for note_id in sorted(ids):
                current = load(connection, note_id, lock=True)
                if source in current.tags:  # an editor may have taken the tag off meanwhile
                    tags = tuple(dict.fromkeys(target if key == source else key for key in current.tags))
                    merged = NoteDraft(current.week, current.title, current.body, tags)
                    _save(connection, current, merged, author=author, now=now, deleted_at=current.deleted_at)
                    moved += 1
            connection.execute(tag.update().where(tag.c.key == source).values(merged_into=target))
            return moved

        started = time.monotonic()
        for _ in range(self.attempts):
            try:
                return self._write(work)
            except NoteConflict:  # a save slipped in between the merge's read and its write: merge again
                continue
        raise NotesBusy(time.monotonic() - started)

    # --- Notes ------------------------------------------------------------------------------

    def add(self, draft: NoteDraft, *, author: str) -> Note:
        author = checked_author(author)
        return self._write(lambda connection: load(connection, self._insert(connection, draft, author)))

    def seed_demo_notes(self, drafts: list[NoteDraft]) -> int:
        """The demo notes (author DEMO_AUTHOR), added only to a database that holds no note at all;
        returns how many were added. The check and the adds are one transaction under a lock
        (SQLite: the write lock; PostgreSQL: an advisory lock), so sessions starting together on an
        empty database add them once."""

        def work(connection: sa.Connection) -> int:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SEED_LOCK_ID})
            if connection.execute(sa.select(note.c.id).limit(1)).first() is not None:
                return 0
            for draft in drafts:
                self._insert(connection, draft, DEMO_AUTHOR)
            return len(drafts)

        return self._write(work)

    def save(self, note_id: int, draft: NoteDraft, *, expected_version: int, author: str) -> Note:
        """Save an edit of the version the editor opened; NoteConflict if the note moved on since."""
        author = checked_author(author)

        def work(connection: sa.Connection) -> Note:
            tags = live_tags(connection, draft.tags)  # first, as a merge does: no lock waits on another
            current = load(connection, note_id, lock=True)
            if current.version != expected_version:
                raise NoteConflict(draft, current, expected_version)
            mine = dataclasses.replace(draft, tags=tags)
            return _save(connection, current, mine, author=author, now=self.clock(), deleted_at=current.deleted_at)

        return self._write(work)

    def delete(self, note_id: int, *, author: str) -> Note:
        """Soft delete: the note leaves the lists and the charts; `restore` brings it back."""
        return self._set_deleted(note_id, author=author, deleted=True)

    def restore(self, note_id: int, *, author: str) -> Note:
        return self._set_deleted(note_id, author=author, deleted=False)

    def get(self, note_id: int) -> Note:
        with self._read() as connection:
            return load(connection, note_id)

    def history(self, note_id: int) -> list[NoteVersion]:
        """Every saved version, the newest first."""
        query = sa.select(note_version).where(note_version.c.note_id == note_id).order_by(note_version.c.version.desc())
        with self._read() as connection:
            rows = connection.execute(query).all()
        if not rows:
            raise NoteNotFound(note_id)
        return [version_of_row(row) for row in rows]

    def find(self, query: NoteQuery | None = None) -> list[Note]:
        """Notes matching every filter, the latest week first."""
        condition = conditions(query or NoteQuery(), self.tags(include_merged=True), fts_table=self.fts_table)
        with self._read(snapshot=True) as connection:  # the tags are read from the same state as the notes
            rows = connection.execute(
                sa.select(note).where(*condition).order_by(note.c.week.desc(), note.c.id.desc())
            ).all()
            tags = tags_where(connection, condition)
        return [note_of_row(row, tags.get(row.id, ())) for row in rows]

    # --- Import ---------------------------------------------------------------------------

    def import_notes(self, tags: list[Tag], notes: list[ImportedNote]) -> ImportOutcome:
        """Write an import's tags and notes in one transaction, with their ids, uids, times and
        versions as given. lib.notes.files checks them first: the tags with `tag_problems`, every
        version of a note with the editor's checks; labels and colours are cleaned as add_tag cleans
        them, and the merges of the whole vocabulary are checked again here, under lock, so that no
        loop is ever stored. A note already here (same uid) is left alone when it holds the same
        versions, extended when its versions go on from the stored ones, and a conflict otherwise:
        nothing is overwritten."""

        def work(connection: sa.Connection) -> ImportOutcome:
            outcome = ImportOutcome()
            stored = set(connection.execute(sa.select(tag.c.key).with_for_update()).scalars())
            for t in map(cleaned, tags):  # a Tag's fields are the tag table's columns
                if t.key in stored:  # the file's labels, colour and merges win: its notes were written with them
                    connection.execute(tag.update().where(tag.c.key == t.key).values(**dataclasses.asdict(t)))
                else:
                    connection.execute(tag.insert().values(**dataclasses.asdict(t)))
                    outcome.tags_added.append(t)
            refuse_loops({row.key: row.merged_into for row in connection.execute(sa.select(tag))})
            for imported in notes:
                import_one(connection, imported, outcome)
            if connection.dialect.name == "postgresql":  # explicit ids leave the id sequence behind
                connection.execute(
                    sa.text("SELECT setval(pg_get_serial_sequence('note', 'id'), (SELECT max(id) FROM note))")
                )
            return outcome

        return self._write(work)

    # --- Transactions -----------------------------------------------------------------------

    def _insert(self, connection: sa.Connection, draft: NoteDraft, author: str) -> int:
        now, tags = self.clock(), live_tags(connection, draft.tags)
        note_id = connection.execute(
            note.insert().values(
                uid=uuid.uuid4().hex,
                week=draft.week,
                title=draft.title,
                body=draft.body,
                author=author,
                created_at=now,
                updated_at=now,
                version=1,
                deleted_at=None,
                search_text=searchable(draft.title, draft.body),
            )
        ).inserted_primary_key[0]
        write_tags(connection, note_id, tags)
        first = dataclasses.replace(draft, tags=tags)
        write_version(connection, note_id, 1, first, author=author, at=now, deleted=False)
        return note_id

    def _set_deleted(self, note_id: int, *, author: str, deleted: bool) -> Note:
        author = checked_author(author)

        def work(connection: sa.Connection) -> Note:
            current = load(connection, note_id, lock=True)
            if current.deleted == deleted:
                return current
            now = self.clock()
            draft = dataclasses.replace(current.draft(), tags=live_tags(connection, current.tags))
            return _save(connection, current, draft, author=author, now=now, deleted_at=now if deleted else None)

        return self._write(work)

    @contextmanager
    def _read(self, *, snapshot: bool = False) -> Iterator[sa.Connection]:
        """A connection for reading; with `snapshot`, its statements all see one state of the
        database (SQLite: its read transaction does; PostgreSQL: REPEATABLE READ)."""
        try:
            with self.engine.connect() as connection:
                if snapshot and connection.dialect.name == "postgresql":
                    connection.execution_options(isolation_level="REPEATABLE READ")
                yield connection
        except SQLAlchemyError as error:
            raise NotesUnavailable(safe_url(self.url), reason(error)) from None

    def revision(self) -> int:
        """A number that moves with every write to this database, from any process or server (the
        app's note caches are keyed on it). One indexed row read."""
        # One bare statement on a pooled connection, as the price store's revision: each note lookup
        # of a rerun reads it, and a Core connection's BEGIN / SELECT / ROLLBACK cost 7 times as much.
        try:
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute(REVISION_SQL)
                row = cursor.fetchone()
                cursor.close()
            finally:
                connection.close()
        except (SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error) as error:
            raise NotesUnavailable(safe_url(self.url), reason(error)) from None
        return row[0] if row else 0

    def _write(self, work: Callable[[sa.Connection], T]) -> T:
        """Run `work` in one write transaction that also moves the revision, unless the store is
        read-only (NotesReadOnly)."""
        self.check_writable()

        def counted(connection: sa.Connection) -> T:
            done = work(connection)
            bump_revision(connection)
            return done

        return self._transaction(counted)

    def _transaction(self, work: Callable[[sa.Connection], T]) -> T:
        """`work` in one write transaction; retried with backoff while the database is busy."""
        started = time.monotonic()
        for attempt in range(self.attempts):
            try:
                with self.engine.connect() as connection, connection.execution_options(**WRITE).begin():
                    if connection.dialect.name == "postgresql":  # wait for a row lock as long as SQLite would
                        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(self.busy_timeout_s * 1000)}")
                    return work(connection)
            except (DataError, OverflowError, UnicodeEncodeError) as error:  # checks run first; this is the last net
                raise InvalidNote(message("note_value_refused", reason=reason(error))) from None
            except DBAPIError as error:
                if isinstance(error, IntegrityError) or not _is_busy(error):
                    raise NotesUnavailable(safe_url(self.url), reason(error)) from None
            except SQLAlchemyError as error:
                raise NotesUnavailable(safe_url(self.url), reason(error)) from None
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))  # jitter: writers spread out
        raise NotesBusy(time.monotonic() - started)


def _save(
    connection: sa.Connection, current: Note, draft: NoteDraft, *, author: str, now: dt.datetime, deleted_at
) -> Note:
    """A new version of `current` (read under a row lock); `draft.tags` already live (see live_tags)."""
    version = current.version + 1
    changed = connection.execute(
        note.update()
        .where(note.c.id == current.id, note.c.version == current.version)
        .values(
            week=draft.week,
            title=draft.title,
            body=draft.body,
            author=author,
            updated_at=now,
            version=version,
            deleted_at=deleted_at,
            search_text=searchable(draft.title, draft.body),
        )
    )
    if changed.rowcount != 1:  # another transaction saved between our read and this update
        raise NoteConflict(draft, load(connection, current.id), current.version)
    write_tags(connection, current.id, draft.tags)
    write_version(connection, current.id, version, draft, author=author, at=now, deleted=deleted_at is not None)
    return load(connection, current.id)


def _is_busy(error: DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text or getattr(error.orig, "sqlstate", None) in _BUSY_SQLSTATES
