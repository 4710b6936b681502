"""A note typed while its replica dies is saved, or refused with a message, never lost silently
(README, "Team deployment"). Under AppTest, offline, demo notes.

A failover is a NEW session (empty session state) opened with the same link, to which the browser
sends the values its editor still holds when Save is pressed. Session 2 below is exactly that: a new
AppTest with session 1's query parameters; the typed values are set on its widgets before the click,
as the browser's form sends them with the submission.
"""

import datetime as dt

from lib.notes.model import NoteQuery, make_draft
from lib.ui.note_widgets import EDITING_KEY
from tests.pages.test_app import offline_app, start  # noqa: F401 - offline_app is an autouse fixture
from tests.pages.test_notes import button, notes_page, notes_store

RESTORED = "This editor was opened again after the connection to the server was lost"


def failover(first):
    """A new session on the surviving replica, opened with the link of session `first`."""
    link = dict(first.query_params)
    second = start(link)
    second.switch_page("pages/notes.py").run()
    assert not second.exception, second.exception
    assert EDITING_KEY in second.session_state
    return second


def test_a_new_note_typed_before_the_failover_is_saved_after_it():
    first = notes_page()
    button(first, "New note").click().run()
    assert first.query_params.get("note_edit") == "new"
    first.text_input(key="notes_f_title_new").input("Typed during the crash")  # not submitted yet

    second = failover(first)
    assert any(RESTORED in info.value for info in second.info)
    second.text_input(key="notes_f_title_new").input("Typed during the crash")
    second.text_area(key="notes_f_body_new").input("Half a thought about rates and the rest of it")
    second.date_input(key="notes_f_week_new").set_value(dt.date(2026, 1, 5))  # a Monday
    second.text_input(key="notes_author").input("青木")
    button(second, "Save").click().run()

    assert not second.exception and not second.error
    saved = notes_store().find(NoteQuery(search="Typed during the crash"))
    assert [(n.body, n.week, n.author) for n in saved] == [
        ("Half a thought about rates and the rest of it", dt.date(2026, 1, 9), "青木")
    ]
    assert "note_edit" not in second.query_params and EDITING_KEY not in second.session_state


def existing_note_open_in_a_first_session():
    store = notes_store()
    first = notes_page()  # the demo notes are added
    note = store.find(NoteQuery(search="年末に向けた"))[0]
    next(b for b in first.button if b.key == f"notes_edit_{note.id}").click().run()
    assert (first.query_params.get("note_edit"), first.query_params.get("note_version")) == (str(note.id), "1")
    return first, store, note


def test_an_existing_note_keeps_the_typed_text_after_the_failover_and_is_saved():
    first, store, note = existing_note_open_in_a_first_session()
    second = failover(first)
    body = second.text_area(key=f"notes_f_body_{note.id}")
    assert body.value == note.body  # drawn as the version opened, never written over the browser's text
    assert not body.proto.set_value  # the browser keeps what it holds: its text wins at the submission
    body.input("Baba's paragraph, typed before the crash")
    second.text_input(key="notes_author").input("Baba")
    button(second, "Save").click().run()

    assert not second.exception and not second.error
    assert (store.get(note.id).version, store.get(note.id).body) == (2, "Baba's paragraph, typed before the crash")
    assert store.get(note.id).title == note.title


def test_an_existing_note_edited_by_someone_else_meanwhile_still_meets_the_conflict():
    first, store, note = existing_note_open_in_a_first_session()
    second = failover(first)
    draft = make_draft(note.week, note.title, "Aoki's paragraph", list(note.tags), store.tags())
    store.save(note.id, draft, expected_version=1, author="Aoki")  # from another browser
    second.text_area(key=f"notes_f_body_{note.id}").input("Baba's paragraph")
    second.text_input(key="notes_author").input("Baba")
    button(second, "Save").click().run()

    assert "saved by Aoki" in second.error[0].value and "nothing was overwritten" in second.error[0].value
    assert [c.value for c in second.code][:2] == ["Baba's paragraph", "Aoki's paragraph"]
    assert second.text_area(key=f"notes_f_body_{note.id}").value == "Baba's paragraph"
    assert (store.get(note.id).version, store.get(note.id).body) == (2, "Aoki's paragraph")


def test_a_link_to_a_note_that_is_not_there_says_so_and_opens_nothing():
    first = notes_page()
    second = start({"note_edit": "99999", "note_version": "1"})
    second.switch_page("pages/notes.py").run()
    assert not second.exception
    assert any("no longer in the notes database" in w.value for w in second.warning)
    assert EDITING_KEY not in second.session_state and "note_edit" not in second.query_params
    assert not first.exception


def test_closing_the_editor_takes_it_out_of_the_link():
    first, _store, note = existing_note_open_in_a_first_session()
    button(first, "Cancel").click().run()
    assert "note_edit" not in first.query_params and "note_version" not in first.query_params


def test_a_save_for_an_editor_the_session_does_not_know_says_nothing_was_saved_and_shows_the_text():
    first = notes_page()
    button(first, "New note").click().run()
    first.text_input(key="notes_f_title_new").input("Lost link")
    first.text_area(key="notes_f_body_new").input("A paragraph the analyst must not lose")
    button(first, "Save").click()
    sent = first._tree.get_widget_states()  # the form as the browser sends it, Save pressed
    second = start()  # a new session, and a link without the editor (edited by hand)
    second.switch_page("pages/notes.py").run()
    second._run(sent)  # AppTest's hook for a run with the browser's widget states

    assert not second.exception
    assert second.error[0].value.startswith("**Nothing was saved**: this note's editor is no longer known")
    assert [c.value for c in second.code] == ["Lost link\n\nA paragraph the analyst must not lose"]
    assert notes_store().find(NoteQuery(search="Lost link")) == []
