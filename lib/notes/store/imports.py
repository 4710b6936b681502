"""An import's notes written by the store (NotesStore.import_notes), inside its transaction.

The records were checked before (lib.notes.files): every version with the editor's checks, ids,
uids and times within what the tables hold. Here a note is matched by its uid: added when new,
extended when the file's versions go on from the stored ones, left alone when they are the same,
and reported as a conflict otherwise; nothing stored is ever overwritten.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import sqlalchemy as sa

from lib.notes.model import Note, NoteDraft, NoteVersion, Tag, searchable
from lib.notes.schema import note
from lib.notes.store.rows import stored_versions, write_tags, write_version


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


def import_one(connection: sa.Connection, imported: ImportedNote, outcome: ImportOutcome) -> None:
    incoming, versions = imported.note, list(imported.versions)
    existing = connection.execute(sa.select(note.c.id).where(note.c.uid == incoming.uid)).first()
    values = {**dataclasses.asdict(incoming), "search_text": searchable(incoming.title, incoming.body)}
    del values["tags"]  # a Note's other fields are the note table's columns
    if existing is None:
        if connection.execute(sa.select(note.c.id).where(note.c.id == incoming.id)).first():
            values.pop("id")  # the id is taken here: the note gets a new one, its uid stays
        note_id = connection.execute(note.insert().values(**values)).inserted_primary_key[0]
        _insert_versions(connection, note_id, versions)
        outcome.added.append(incoming)
    else:
        note_id = existing.id
        stored = stored_versions(connection, note_id)
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
    write_tags(connection, note_id, incoming.tags)


def _insert_versions(connection: sa.Connection, note_id: int, versions: list[NoteVersion]) -> None:
    for v in versions:
        draft = NoteDraft(v.week, v.title, v.body, v.tags)
        write_version(connection, note_id, v.version, draft, author=v.author, at=v.saved_at, deleted=v.deleted)
