"""The notes database: notes with every saved version, the tag vocabulary, search.

SQLAlchemy Core on a SQLite file (default, WAL) or PostgreSQL. Nothing is ever lost:
- every save, delete and restore adds a row to `note_version` in the same transaction that
  changes the note, so a process killed half-way leaves the previous state whole;
- a save names the version it was editing; if someone saved in between, the update matches no
  row, nothing is written, and NoteConflict carries both texts (optimistic locking);
- a write that finds the database busy is retried with backoff, then ends in NotesBusy, never in
  a raw "database is locked";
- this module is the only one that writes the notes tables: an import (lib.notes.files) checks its
  records with the editor's own checks, then hands them to `import_notes`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from lib.core import settings
from lib.core.errors import InvalidTag, NoteConflict, NoteNotFound, NotesBusy, NotesUnavailable
from lib.data.db import WRITE, aware, make_engine, reason, safe_url
from lib.notes.migrations import Migration, migrate
from lib.notes.model import (
    DEMO_AUTHOR,
    Note,
    NoteDraft,
    NoteQuery,
    NoteVersion,
    Tag,
    normalize,
    search_terms,
    searchable,
    tag_key,
)
from lib.notes.schema import MIGRATIONS, note, note_tag, note_version, tag

T = TypeVar("T")
Clock = Callable[[], dt.datetime]
_BUSY_SQLSTATES = {"40001", "40P01", "55P03"}  # PostgreSQL: serialization failure, deadlock, lock timeout


class NotesStore:
    def __init__(
        self,
        url: str,
        *,
        busy_timeout_ms: int = settings.NOTES_BUSY_TIMEOUT_MS,
        attempts: int = settings.NOTES_WRITE_ATTEMPTS,
        clock: Clock | None = None,
        migrations: list[Migration] = MIGRATIONS,
    ) -> None:
        self.url, self.attempts = url, attempts
        self.busy_timeout_s = busy_timeout_ms / 1000
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        try:
            self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        except (SQLAlchemyError, ImportError, OSError) as error:
            raise NotesUnavailable(safe_url(url), reason(error)) from None
        self._write(lambda connection: migrate(connection, migrations))

    def close(self) -> None:
        """Close the pooled connections (tests, and the CLI before it exits)."""
        self.engine.dispose()

    # --- Tags -------------------------------------------------------------------------------

    def tags(self, *, include_merged: bool = False) -> list[Tag]:
        """The vocabulary in the order it was created; merged tags only when asked (for history)."""
        with self._read() as connection:
            rows = connection.execute(sa.select(tag).order_by(tag.c.id)).all()
        found = [Tag(r.key, r.label_en, r.label_ja, r.colour, r.merged_into) for r in rows]
        return found if include_merged else [t for t in found if t.merged_into is None]

    def add_tag(self, label_en: str, label_ja: str, colour: str) -> Tag:
        label_en, label_ja = _label(label_en, "English"), _label(label_ja or label_en, "Japanese")
        key = tag_key(label_en)
        _refuse_empty_key(key, label_en)

        def work(connection: sa.Connection) -> Tag:
            taken = connection.execute(sa.select(tag.c.label_en)).scalars()
            exists = connection.execute(sa.select(tag.c.key).where(tag.c.key == key)).first()
            if exists or _label_taken(label_en, taken):
                raise InvalidTag(f"A tag {label_en!r} already exists.")
            connection.execute(
                tag.insert().values(key=key, label_en=label_en, label_ja=label_ja, colour=_colour(colour))
            )
            return Tag(key, label_en, label_ja, _colour(colour))

        return self._write(work)

    def rename_tag(self, key: str, *, label_en: str, label_ja: str, colour: str) -> Tag:
        """New labels and colour; the key (what notes, history and exports refer to) stays."""
        label_en, label_ja = _label(label_en, "English"), _label(label_ja, "Japanese")

        def work(connection: sa.Connection) -> Tag:
            others = connection.execute(sa.select(tag.c.label_en).where(tag.c.key != key)).scalars()
            _refuse_taken_label(label_en, others)
            changed = connection.execute(
                tag.update()
                .where(tag.c.key == key, tag.c.merged_into.is_(None))
                .values(label_en=label_en, label_ja=label_ja, colour=_colour(colour))
            )
            if changed.rowcount != 1:
                raise InvalidTag(f"There is no tag {key!r}.")
            return Tag(key, label_en, label_ja, _colour(colour))

        return self._write(work)

    def merge_tags(self, source: str, target: str, *, author: str) -> int:
        """Move every note tagged `source` to `target` (each such note gets a new version) and retire
        `source`; returns the number of notes changed."""

        def work(connection: sa.Connection) -> int:
            live = set(connection.execute(sa.select(tag.c.key).where(tag.c.merged_into.is_(None))).scalars())
            _refuse_bad_merge(source, target, dict.fromkeys(live))
            ids = list(connection.execute(sa.select(note_tag.c.note_id).where(note_tag.c.tag_key == source)).scalars())
            now = self.clock()
            for note_id in ids:
                current = _load(connection, note_id)
                tags = tuple(dict.fromkeys(target if key == source else key for key in current.tags))
                merged = NoteDraft(current.week, current.title, current.body, tags)
                _save(connection, current, merged, author=author, now=now, deleted_at=current.deleted_at)
            connection.execute(tag.update().where(tag.c.key == source).values(merged_into=target))
            return len(ids)

        return self._write(work)

    # --- Notes ------------------------------------------------------------------------------

    def add(self, draft: NoteDraft, *, author: str) -> Note:
        def work(connection: sa.Connection) -> Note:
            now = self.clock()
            note_id = connection.execute(
                note.insert().values(
                    uid=uuid.uuid4().hex,
                    week=draft.week,
                    title=draft.title,
                    body=draft.body,
                    author=_author(author),
                    created_at=now,
                    updated_at=now,
                    version=1,
                    deleted_at=None,
                    search_text=searchable(draft.title, draft.body),
                )
            ).inserted_primary_key[0]
            _write_tags(connection, note_id, draft.tags)
            _write_version(connection, note_id, 1, draft, author=_author(author), at=now, deleted=False)
            return _load(connection, note_id)

        return self._write(work)

    def save(self, note_id: int, draft: NoteDraft, *, expected_version: int, author: str) -> Note:
        """Save an edit of the version the editor opened; NoteConflict if the note moved on since."""

        def work(connection: sa.Connection) -> Note:
            current = _load(connection, note_id)
            if current.version != expected_version:
                raise NoteConflict(draft, current, expected_version)
            return _save(connection, current, draft, author=author, now=self.clock(), deleted_at=current.deleted_at)

        return self._write(work)

    def delete(self, note_id: int, *, author: str) -> Note:
        """Soft delete: the note leaves the lists and the charts; `restore` brings it back."""
        return self._set_deleted(note_id, author=author, deleted=True)

    def restore(self, note_id: int, *, author: str) -> Note:
        return self._set_deleted(note_id, author=author, deleted=False)

    def get(self, note_id: int) -> Note:
        with self._read() as connection:
            return _load(connection, note_id)

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
        condition = _conditions(query or NoteQuery(), self.tags(include_merged=True))
        with self._read() as connection:
            rows = connection.execute(
                sa.select(note).where(*condition).order_by(note.c.week.desc(), note.c.id.desc())
            ).all()
            tags = _tags_of(connection, [row.id for row in rows])
        return [_note(row, tags.get(row.id, ())) for row in rows]

    # --- Transactions -----------------------------------------------------------------------

    def _set_deleted(self, note_id: int, *, author: str, deleted: bool) -> Note:
        def work(connection: sa.Connection) -> Note:
            current = _load(connection, note_id)
            if current.deleted == deleted:
                return current
            now = self.clock()
            return _save(
                connection, current, current.draft(), author=author, now=now, deleted_at=now if deleted else None
            )

        return self._write(work)

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except SQLAlchemyError as error:
            raise NotesUnavailable(safe_url(self.url), reason(error)) from None

    def _write(self, work: Callable[[sa.Connection], T]) -> T:
        """Run `work` in one write transaction; retried with backoff while the database is busy."""
        started = time.monotonic()
        for attempt in range(self.attempts):
            try:
                with self.engine.connect() as connection, connection.execution_options(**WRITE).begin():
                    if connection.dialect.name == "postgresql":  # wait for a row lock as long as SQLite would
                        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(self.busy_timeout_s * 1000)}")
                    return work(connection)
            except DBAPIError as error:
                if isinstance(error, IntegrityError) or not _is_busy(error):
                    raise NotesUnavailable(safe_url(self.url), reason(error)) from None
            except SQLAlchemyError as error:
                raise NotesUnavailable(safe_url(self.url), reason(error)) from None
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))  # jitter: writers spread out
        raise NotesBusy(time.monotonic() - started)

    # --- Import ---------------------------------------------------------------------------

    def import_notes(self, tags: list[Tag], notes: list[ImportedNote]) -> ImportOutcome:
        """Write an import's tags and notes in one transaction, with their ids, uids, times and
        versions as given. lib.notes.files checks them first: the tags with `tag_problems`, every
        version of a note with the editor's checks; labels and colours are cleaned as add_tag cleans
        them. A note already here (same uid) is left alone when it holds the same versions, extended
        when its versions go on from the stored ones, and a conflict otherwise: nothing is overwritten."""

        def work(connection: sa.Connection) -> ImportOutcome:
            outcome = ImportOutcome()
            stored = set(connection.execute(sa.select(tag.c.key)).scalars())
            for t in map(_cleaned, tags):  # a Tag's fields are the tag table's columns
                if t.key in stored:  # the file's labels, colour and merges win: its notes were written with them
                    connection.execute(tag.update().where(tag.c.key == t.key).values(**asdict(t)))
                else:
                    connection.execute(tag.insert().values(**asdict(t)))
                    outcome.tags_added.append(t)
            for imported in notes:
                _import_note(connection, imported, outcome)
            if connection.dialect.name == "postgresql":  # explicit ids leave the id sequence behind
                connection.execute(
                    sa.text("SELECT setval(pg_get_serial_sequence('note', 'id'), (SELECT max(id) FROM note))")
                )
            return outcome

        return self._write(work)


@dataclass(frozen=True)
class ImportedNote:
    """A note as an export carries it: its current state and every version, oldest first (the
    current one last)."""

    note: Note
    versions: tuple[NoteVersion, ...]


@dataclass
class ImportOutcome:
    """What `import_notes` did, note by note (the notes as the import carried them)."""

    added: list[Note] = field(default_factory=list)
    extended: list[Note] = field(default_factory=list)
    unchanged: list[Note] = field(default_factory=list)
    conflicts: list[Note] = field(default_factory=list)  # the database holds a different history
    tags_added: list[Tag] = field(default_factory=list)


def tag_problems(candidate: Tag, vocabulary: list[Tag]) -> list[str]:
    """Every reason add_tag, rename_tag or merge_tags would refuse `candidate` beside `vocabulary` (every
    tag there will be, merged ones and `candidate` included): a key without letters or digits, a label
    empty or over 80 characters, a colour not #rrggbb, an English label another tag has, merges that do
    not end in a tag in use."""
    found: list[str] = []

    def run(rule: Callable[..., T], *args: object) -> T | None:
        try:
            return rule(*args)
        except InvalidTag as error:
            found.append(str(error))
            return None

    run(_refuse_empty_key, tag_key(candidate.key), candidate.key)
    label_en = run(_label, candidate.label_en, "English")
    run(_label, candidate.label_ja, "Japanese")
    run(_colour, candidate.colour)
    if label_en is not None:
        run(_refuse_taken_label, label_en, [t.label_en for t in vocabulary if t.key != candidate.key])
    if candidate.merged_into is not None:
        run(_refuse_bad_merge, candidate.key, candidate.merged_into, {t.key: t.merged_into for t in vocabulary})
    return found


def _cleaned(t: Tag) -> Tag:
    """A checked tag with its labels and colour as add_tag stores them (InvalidTag if it was not checked)."""
    return Tag(t.key, _label(t.label_en, "English"), _label(t.label_ja, "Japanese"), _colour(t.colour), t.merged_into)


def _import_note(connection: sa.Connection, imported: ImportedNote, outcome: ImportOutcome) -> None:
    incoming, versions = imported.note, list(imported.versions)
    existing = connection.execute(sa.select(note.c.id).where(note.c.uid == incoming.uid)).first()
    values = {**asdict(incoming), "search_text": searchable(incoming.title, incoming.body)}
    del values["tags"]  # a Note's other fields are the note table's columns
    if existing is None:
        if connection.execute(sa.select(note.c.id).where(note.c.id == incoming.id)).first():
            values.pop("id")  # the id is taken here: the note gets a new one, its uid stays
        note_id = connection.execute(note.insert().values(**values)).inserted_primary_key[0]
        _insert_versions(connection, note_id, versions)
        outcome.added.append(incoming)
    else:
        note_id = existing.id
        query = sa.select(note_version).where(note_version.c.note_id == note_id).order_by(note_version.c.version)
        stored = [version_of_row(row) for row in connection.execute(query)]
        if versions[: len(stored)] != stored:
            outcome.conflicts.append(incoming)
            return
        if len(versions) == len(stored):
            outcome.unchanged.append(incoming)
            return
        del values["id"], values["uid"]
        connection.execute(note.update().where(note.c.id == note_id).values(**values))
        _insert_versions(connection, note_id, versions[len(stored) :])
        outcome.extended.append(incoming)
    _write_tags(connection, note_id, incoming.tags)


def _insert_versions(connection: sa.Connection, note_id: int, versions: list[NoteVersion]) -> None:
    for v in versions:
        draft = NoteDraft(v.week, v.title, v.body, v.tags)
        _write_version(connection, note_id, v.version, draft, author=v.author, at=v.saved_at, deleted=v.deleted)


# --- Rows ---------------------------------------------------------------------------------------


def _save(
    connection: sa.Connection, current: Note, draft: NoteDraft, *, author: str, now: dt.datetime, deleted_at
) -> Note:
    version = current.version + 1
    changed = connection.execute(
        note.update()
        .where(note.c.id == current.id, note.c.version == current.version)
        .values(
            week=draft.week,
            title=draft.title,
            body=draft.body,
            author=_author(author),
            updated_at=now,
            version=version,
            deleted_at=deleted_at,
            search_text=searchable(draft.title, draft.body),
        )
    )
    if changed.rowcount != 1:  # another transaction saved between our read and this update
        raise NoteConflict(draft, _load(connection, current.id), current.version)
    _write_tags(connection, current.id, draft.tags)
    _write_version(
        connection, current.id, version, draft, author=_author(author), at=now, deleted=deleted_at is not None
    )
    return _load(connection, current.id)


def _write_tags(connection: sa.Connection, note_id: int, keys: tuple[str, ...]) -> None:
    connection.execute(note_tag.delete().where(note_tag.c.note_id == note_id))
    if keys:
        connection.execute(
            note_tag.insert(), [{"note_id": note_id, "tag_key": key, "position": i} for i, key in enumerate(keys)]
        )


def _write_version(
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


def _load(connection: sa.Connection, note_id: int) -> Note:
    row = connection.execute(sa.select(note).where(note.c.id == note_id)).first()
    if row is None:
        raise NoteNotFound(note_id)
    return _note(row, _tags_of(connection, [note_id]).get(note_id, ()))


def _tags_of(connection: sa.Connection, ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):  # stay under the database's limit on bound parameters
        rows = connection.execute(
            sa.select(note_tag.c.note_id, note_tag.c.tag_key)
            .where(note_tag.c.note_id.in_(ids[start : start + 500]))
            .order_by(note_tag.c.note_id, note_tag.c.position)
        )
        for note_id, key in rows:
            found.setdefault(note_id, []).append(key)
    return {note_id: tuple(keys) for note_id, keys in found.items()}


def _note(row: sa.Row, tags: tuple[str, ...]) -> Note:
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


def _conditions(query: NoteQuery, vocabulary: list[Tag]) -> list:
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
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        labelled = [t.key for t in vocabulary if term in normalize(t.label_en) or term in normalize(t.label_ja)]
        matches = [note.c.search_text.like(pattern, escape="\\")]
        if labelled:
            matches.append(_has_tag(labelled))
        condition.append(sa.or_(*matches))
    return condition


def _has_tag(keys: list[str]) -> sa.ColumnElement[bool]:
    return sa.exists().where(note_tag.c.note_id == note.c.id, note_tag.c.tag_key.in_(keys))


def _is_busy(error: DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text or getattr(error.orig, "sqlstate", None) in _BUSY_SQLSTATES


def _author(name: str) -> str:
    return " ".join((name or "").split())[:200] or "unknown"


def _refuse_empty_key(key: str, name: str) -> None:
    if not key:
        raise InvalidTag(f"{name!r} cannot name a tag: use letters or digits.")


def _label_taken(label_en: str, others: Iterable[str]) -> bool:
    return normalize(label_en) in {normalize(label) for label in others}


def _refuse_taken_label(label_en: str, others: Iterable[str]) -> None:
    if _label_taken(label_en, others):
        raise InvalidTag(f"Another tag is already called {label_en!r}: merge them instead.")


def _refuse_bad_merge(source: str, target: str | None, merges: dict[str, str | None]) -> None:
    """`merges`: each tag's key and the key it was merged into (None for a tag in use). A chain of
    merges must end in a tag in use, never loop back (a tag resolves to the end of its chain)."""
    seen = {source}
    while target is not None:
        if target in seen:
            raise InvalidTag("A tag cannot be merged into itself.")
        for key in (source, target):
            if key not in merges:
                raise InvalidTag(f"There is no tag {key!r} to merge.")
        seen.add(target)
        target = merges[target]


def _label(text: str, language: str) -> str:
    clean = " ".join((text or "").split())
    if not clean or len(clean) > 80:
        raise InvalidTag(f"The {language} label must have 1 to 80 characters.")
    return clean


def _colour(text: str) -> str:
    value = (text or "").strip().lower()
    if len(value) != 7 or value[0] != "#" or any(c not in "0123456789abcdef" for c in value[1:]):
        raise InvalidTag(f"{text!r} is not a colour: write it as #rrggbb.")
    return value
