"""Nothing lost: several processes writing at once, a process killed in the middle of a save,
processes starting together on a new database, a lock held by someone else. On both backends."""

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from lib.core.errors import NotesBusy
from lib.notes.model import NoteQuery, make_draft
from lib.notes.store import NotesStore
from tests.conftest import PROJECT_ROOT

WORKER = [sys.executable, "-m", "tests.lib.notes.worker"]


def start(*args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [*WORKER, *map(str, args)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return err


@pytest.fixture
def store(notes_url):
    opened = NotesStore(notes_url)
    yield opened
    opened.close()


def test_processes_starting_together_migrate_a_new_database_once(notes_url):
    processes = [start(notes_url, "open") for _ in range(4)]
    for process in processes:
        finish(process)
    store = NotesStore(notes_url)
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version FROM schema_migration ORDER BY version")).scalars().all() == [
            1,
            2,
            3,  # the weekly report's templates
            4,  # the full-text index
            5,  # the revision counter the app's caches are keyed on
        ]
    assert len(store.tags()) == 10  # seeded once
    store.close()


def test_four_processes_writing_at_once_lose_no_write_and_never_see_a_lock(store, notes_url):
    vocabulary = store.tags()
    shared = store.add(make_draft("2026-01-02", "Shared", "", [], vocabulary), author="start")
    workers, count = 4, 12
    processes = [start(notes_url, "edit", f"w{n}", count, shared.id) for n in range(workers)]
    errors = [finish(process) for process in processes]
    assert not any("locked" in err.lower() for err in errors)
    lines = store.get(shared.id).body.splitlines()
    assert sorted(lines) == sorted(f"w{n}-{i}" for n in range(workers) for i in range(count))  # every edit is there
    assert store.get(shared.id).version == 1 + workers * count
    assert len(store.history(shared.id)) == 1 + workers * count
    assert len(store.find(NoteQuery(search="note"))) == workers * count


def test_a_process_killed_inside_a_save_leaves_the_previous_version_whole(store, notes_url):
    note = store.add(make_draft("2026-01-02", "Before", "the saved text", ["Venezuela"], store.tags()), author="a")
    process = start(notes_url, "hang-in-commit", note.id)
    assert process.stdout.readline().strip() == "in-commit"  # the update and the version row are written, not committed
    process.kill()
    process.wait(timeout=30)
    after = store.get(note.id)
    assert (after.title, after.body, after.version, after.tags) == ("Before", "the saved text", 1, ("venezuela",))
    assert [v.version for v in store.history(note.id)] == [1]
    saved = store.save(
        note.id, make_draft("2026-01-02", "Next", "works", [], store.tags()), expected_version=1, author="b"
    )
    assert saved.version == 2


def test_killing_a_writer_at_random_moments_never_breaks_the_invariants(store, notes_url):
    note = store.add(make_draft("2026-01-02", "Loop", "", [], store.tags()), author="a")
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55):
        process = start(notes_url, "save-forever", note.id)
        assert process.stdout.readline().strip() == "saving"
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    for current in store.find(NoteQuery(include_deleted=True)):
        history = store.history(current.id)
        assert [v.version for v in history] == list(range(current.version, 0, -1))
        assert (history[0].title, history[0].body, history[0].tags) == (current.title, current.body, current.tags)
    if notes_url.startswith("sqlite"):
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_lock_held_elsewhere_ends_in_a_clear_busy_message_and_the_save_works_after(notes_url):
    store = NotesStore(notes_url, busy_timeout_ms=150, attempts=2)
    note = store.add(make_draft("2026-01-02", "Locked", "before", [], store.tags()), author="a")
    other = sa.create_engine(notes_url).connect()
    holder = other.begin()
    other.execute(sa.text("UPDATE note SET author = 'holder' WHERE id = :id"), {"id": note.id})
    with pytest.raises(NotesBusy, match="nothing was saved and your text is kept"):
        store.save(
            note.id, make_draft("2026-01-02", "Locked", "after", [], store.tags()), expected_version=1, author="a"
        )
    holder.rollback()
    other.close()
    assert (
        store.save(
            note.id, make_draft("2026-01-02", "Locked", "after", [], store.tags()), expected_version=1, author="a"
        ).body
        == "after"
    )
    store.close()
