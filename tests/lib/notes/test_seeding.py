"""Demo notes are added once, however many sessions start together (issue 18, item 11), on both backends.

Reproduced: 6 simultaneous first sessions on an empty database wrote 135 demo notes instead of 27 (each
session saw an empty database, then added the notes one transaction at a time).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from lib.notes.model import DEMO_AUTHOR, NoteQuery
from lib.notes.store import NotesStore
from lib.ui import notes as ui_notes

DEMO_NOTES = 27  # config/demo_notes.toml
SESSIONS = 6


def together(action: Callable[[], object], count: int = SESSIONS) -> list:
    """`action` in `count` threads released at the same moment; their results (or exceptions)."""
    start, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = action()
        except Exception as error:  # noqa: BLE001 - returned, so the test shows it
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_six_app_sessions_starting_together_on_an_empty_database_add_the_demo_notes_once(notes_url):
    st.cache_data.clear()
    st.cache_resource.clear()
    assert together(lambda: ui_notes.ensure_demo_notes(True)) == [True] * SESSIONS  # what app.py keeps
    found = NotesStore(notes_url).find(NoteQuery(include_deleted=True))
    assert len(found) == DEMO_NOTES
    assert {note.author for note in found} == {DEMO_AUTHOR}
    assert len({note.title for note in found}) == DEMO_NOTES


def test_six_servers_seeding_together_add_them_once_and_say_who_did(notes_url):
    stores = [NotesStore(notes_url) for _ in range(SESSIONS)]  # one engine each, as separate app servers
    drafts = ui_notes.demo_drafts(stores[0].tags())
    added = together(lambda: stores.pop().seed_demo_notes(drafts))
    assert sorted(added) == [0] * (SESSIONS - 1) + [DEMO_NOTES]
    assert len(NotesStore(notes_url).find(NoteQuery(include_deleted=True))) == DEMO_NOTES


def test_a_database_with_any_note_gets_no_demo_notes(notes_url):
    store = NotesStore(notes_url)
    drafts = ui_notes.demo_drafts(store.tags())
    store.add(drafts[0], author="青木")
    store.delete(1, author="青木")  # even a deleted note is the analyst's
    assert store.seed_demo_notes(drafts) == 0
    assert len(store.find(NoteQuery(include_deleted=True))) == 1
