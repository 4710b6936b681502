"""The notes database's revision: it moves with every write, from any process (the app's note caches
are keyed on it: tests/pages/test_team_agreement.py), and never with a read."""

from lib.notes.model import NoteQuery, make_draft
from lib.notes.store import NotesStore
from lib.notes.templates import TemplateStore


def test_every_kind_of_write_by_another_store_moves_it_and_reads_do_not(notes_url):
    app_view, other = NotesStore(notes_url), NotesStore(notes_url)  # two engines, as two servers
    seen = app_view.revision()
    assert seen >= 1
    app_view.find(NoteQuery())
    app_view.tags()
    assert app_view.revision() == seen

    note = other.add(make_draft("2025-12-29", "Credit", "本文", ["private-credit"], other.tags()), author="青木")
    after_add = app_view.revision()
    assert after_add > seen

    other.rename_tag("private-credit", label_en="Private credit", label_ja="プライベート・クレジット", colour="#aa3377")
    after_rename = app_view.revision()
    assert after_rename > after_add

    other.delete(note.id, author="青木")
    after_delete = app_view.revision()
    assert after_delete > after_rename

    templates = TemplateStore(notes_url)
    templates.save("ja", "{{ week }}", author="青木")
    assert app_view.revision() > after_delete
    templates.close()
    other.close()
    app_view.close()
