"""A note's edit conflict belongs to that note (issue 18, item 2): under AppTest, offline, demo notes.

Reproduced: an editor open on note X; someone saves note Z; "Save this version again" on Z's first
version met a conflict that showed in X's editor, and "Save mine" there wrote Z's title and text into X.
"""

import streamlit as st

from lib.core.errors import NoteConflict
from lib.notes.model import NoteQuery, make_draft
from lib.notes.store import NotesStore
from tests.pages.test_app import offline_app  # noqa: F401 - offline_app is an autouse fixture
from tests.pages.test_notes import button, notes_page, notes_store

SAVE_MINE = "Save mine as the latest (theirs stays in the history)"


def save_as(store, note, body: str, *, author: str):
    draft = make_draft(note.week, note.title, body, list(note.tags), store.tags())
    return store.save(note.id, draft, expected_version=store.get(note.id).version, author=author)


def editor_on_x_and_a_stale_history_of_z(monkeypatch=None):
    """The page with X's editor open and Z's card drawn at version 2, while Z is at version 3 in the
    database. (Text typed in the editor's form reaches the session only when the form is submitted,
    so the tests type after the click on Z's card.)

    The note lists are keyed on the database's revision, so a rerun draws Z's version 3. With
    `monkeypatch`, the revision the page reads is held where it was, as when the other browser's save
    lands between this page's last rerun and the user's next click: the page still shows version 2."""
    store = notes_store()
    notes_page()  # the demo notes are added
    x, z = store.find(NoteQuery(search="年末に向けた"))[0], store.find(NoteQuery(search="信用不安"))[0]
    save_as(store, z, "Z, version 2", author="Aoki")
    st.cache_data.clear()
    app = notes_page()
    next(b for b in app.button if b.key == f"notes_edit_{x.id}").click().run()
    if monkeypatch is not None:
        drawn_at = store.revision()
        monkeypatch.setattr(NotesStore, "revision", lambda self: drawn_at)
    save_as(store, z, "Z, version 3", author="Baba")  # from another browser
    return app, store, x, z


def test_bringing_back_a_version_of_another_note_never_shows_its_conflict_in_the_open_editor(monkeypatch):
    app, store, x, z = editor_on_x_and_a_stale_history_of_z(monkeypatch)
    next(b for b in app.button if b.key == f"notes_back_{z.id}_1").click().run()
    said = [e.value for e in app.error]
    app.run()  # the next interaction draws whatever the click left in the session
    assert not app.exception
    assert not [b for b in app.button if b.label == SAVE_MINE]  # no conflict panel in X's editor
    assert len(said) == 1 and said[0].startswith(f"“{z.title}” was changed by Baba (version 3)")
    assert "nothing was saved" in said[0]
    assert app.text_area(key=f"notes_f_body_{x.id}").value == x.body  # X's editor stays open, on X
    assert app.text_input(key=f"notes_f_title_{x.id}").value == x.title
    assert (store.get(z.id).version, store.get(z.id).body) == (3, "Z, version 3")
    assert (store.get(x.id).version, store.get(x.id).title, store.get(x.id).body) == (1, x.title, x.body)


def test_x_saved_after_that_is_x_with_its_own_text_and_never_z(monkeypatch):
    app, store, x, z = editor_on_x_and_a_stale_history_of_z(monkeypatch)
    next(b for b in app.button if b.key == f"notes_back_{z.id}_1").click().run()
    app.text_area(key=f"notes_f_body_{x.id}").input("X: a paragraph being written")
    button(app, "Save").click().run()
    assert not app.exception and not app.error
    saved = store.get(x.id)
    assert (saved.version, saved.title, saved.body) == (2, x.title, "X: a paragraph being written")
    assert store.get(z.id).body == "Z, version 3"


def test_a_conflict_of_the_open_note_is_resolved_in_its_own_editor_only(monkeypatch):
    app, store, x, z = editor_on_x_and_a_stale_history_of_z(monkeypatch)
    save_as(store, x, "X: someone else's paragraph", author="Chiba")
    app.text_area(key=f"notes_f_body_{x.id}").input("X: a paragraph being written")
    button(app, "Save").click().run()  # X's own conflict: both texts of X, side by side
    assert [c.value for c in app.code][:2] == ["X: a paragraph being written", "X: someone else's paragraph"]
    next(b for b in app.button if b.key == f"notes_edit_{z.id}").click().run()  # the editor moves to Z
    assert not [b for b in app.button if b.label == SAVE_MINE]  # X's conflict does not follow it
    assert app.text_area(key=f"notes_f_body_{z.id}").value == "Z, version 2"  # Z as the list drew it
    assert store.get(x.id).body == "X: someone else's paragraph" and store.get(z.id).body == "Z, version 3"


def test_a_conflict_met_by_a_tag_merge_never_speaks_through_the_open_editor(monkeypatch):
    """Item 10: the store's merge retries its own conflicts; should one still come out, the page says it
    above the list and leaves the editor of another note alone."""
    app, store, x, z = editor_on_x_and_a_stale_history_of_z()

    def conflicting_merge(self, source, target, *, author):
        raise NoteConflict(store.get(z.id).draft(), store.get(z.id), 2)

    monkeypatch.setattr(NotesStore, "merge_tags", conflicting_merge)
    app.selectbox(key="tags_merge_source").set_value("tariffs")
    app.selectbox(key="tags_merge_target").set_value("rates-fed")
    button(app, "Merge").click().run()
    app.run()
    assert not app.exception
    assert not [b for b in app.button if b.label == SAVE_MINE]
    assert app.text_input(key=f"notes_f_title_{x.id}").value == x.title  # X's editor stays open, on X
    assert store.get(x.id).version == 1


def test_an_open_editor_follows_a_merge_of_its_tag_and_saves_the_tag_it_went_into():
    app, store, x, _ = editor_on_x_and_a_stale_history_of_z()
    assert app.multiselect(key=f"notes_f_tags_{x.id}").value == ["rates-fed"]
    app.selectbox(key="tags_merge_source").set_value("rates-fed")
    app.selectbox(key="tags_merge_target").set_value("us-policy")
    button(app, "Merge").click().run()
    assert not app.exception and not app.error
    assert app.multiselect(key=f"notes_f_tags_{x.id}").value == ["us-policy"]  # the editor stays open, on X
    assert store.get(x.id).tags == ("us-policy",) and store.get(x.id).version == 2  # the merge's version
