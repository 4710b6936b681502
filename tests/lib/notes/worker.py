"""A separate process writing notes, for the concurrency and kill tests (tests/lib/notes/test_durability.py).

python -m tests.lib.notes.worker URL edit NAME COUNT SHARED_ID   # COUNT new notes and COUNT edits
python -m tests.lib.notes.worker URL hang-in-commit NOTE_ID      # stops inside a save's commit
python -m tests.lib.notes.worker URL save-forever NOTE_ID        # saves until killed
python -m tests.lib.notes.worker URL open                        # opens (migrates) and exits
"""

from __future__ import annotations

import sys
import time

import sqlalchemy as sa

from lib.core.errors import NoteConflict
from lib.notes.model import make_draft
from lib.notes.store import NotesStore


def edit(store: NotesStore, name: str, count: int, shared_id: int) -> None:
    vocabulary = store.tags()
    for i in range(count):
        store.add(make_draft("2026-01-02", f"{name} note {i}", f"by {name}", ["Venezuela"], vocabulary), author=name)
        while True:  # what an editor does after a conflict: take the latest text, add the line, save
            current = store.get(shared_id)
            body = f"{current.body}{name}-{i}\n"
            try:
                store.save(
                    shared_id,
                    make_draft(current.week, current.title, body, [], vocabulary),
                    expected_version=current.version,
                    author=name,
                )
                break
            except NoteConflict:
                continue


def hang_in_commit(store: NotesStore, note_id: int) -> None:
    @sa.event.listens_for(store.engine, "commit")
    def _hang(_connection) -> None:  # fires after the statements, before COMMIT reaches the database
        print("in-commit", flush=True)
        time.sleep(60)

    current = store.get(note_id)
    store.save(
        note_id,
        make_draft(current.week, "half-saved title", "half-saved body", [], store.tags()),
        expected_version=current.version,
        author="killed",
    )


def save_forever(store: NotesStore, note_id: int) -> None:
    vocabulary = store.tags()
    print("saving", flush=True)
    while True:
        current = store.get(note_id)
        draft = make_draft(current.week, current.title, f"{current.body}x", ["Venezuela"], vocabulary)
        store.save(note_id, draft, expected_version=current.version, author="loop")
        store.add(draft, author="loop")


if __name__ == "__main__":
    url, mode, *rest = sys.argv[1:]
    notes = NotesStore(url)
    if mode == "edit":
        edit(notes, rest[0], int(rest[1]), int(rest[2]))
    elif mode == "hang-in-commit":
        hang_in_commit(notes, int(rest[0]))
    elif mode == "save-forever":
        save_forever(notes, int(rest[0]))
