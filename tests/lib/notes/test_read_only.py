"""A read-only deployment is enforced by the notes store (issue 18, item 8), on both backends.

Reproduced: with NOTES_READ_ONLY=1 or `[notes] read_only = true`, `notes add` and `notes import` still
wrote, and the app wrote 27 demo notes into a read-only database; only the page's buttons were hidden.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa

from lib.cli import main as cli
from lib.core import settings
from lib.core.errors import NotesReadOnly
from lib.notes.model import NoteQuery, Tag, make_draft
from lib.notes.store import NotesStore
from lib.ui import notes as ui_notes

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
REFUSED = "The notes are read-only on this deployment ([notes] read_only or NOTES_READ_ONLY): nothing was saved."
TABLES = ("tag", "note", "note_tag", "note_version")


def dump(url: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = {name: sorted(map(tuple, connection.execute(sa.text(f"SELECT * FROM {name}")))) for name in TABLES}
    engine.dispose()
    return rows


@pytest.fixture
def written(notes_url):
    """A database with one note (version 2) and a tag, written before the deployment became read-only."""
    store = NotesStore(notes_url, read_only=False)
    note = store.add(make_draft("2026-01-02", "Kept", "as it was", ["Tariffs"], store.tags()), author="a")
    store.save(
        note.id, make_draft("2026-01-02", "Kept", "v2", ["Tariffs"], store.tags()), expected_version=1, author="a"
    )
    store.close()
    return notes_url, note.id


def every_write(store: NotesStore, note_id: int) -> dict:
    draft = make_draft("2026-01-02", "New", "text", ["Venezuela"], store.tags())
    return {
        "add": lambda: store.add(draft, author="a"),
        "save": lambda: store.save(note_id, draft, expected_version=2, author="a"),
        "delete": lambda: store.delete(note_id, author="a"),
        "restore": lambda: store.restore(note_id, author="a"),
        "add_tag": lambda: store.add_tag("Japan", "日本", "#123456"),
        "rename_tag": lambda: store.rename_tag("tariffs", label_en="Duties", label_ja="関税", colour="#000000"),
        "merge_tags": lambda: store.merge_tags("tariffs", "rates-fed", author="a"),
        "seed_demo_notes": lambda: store.seed_demo_notes([draft]),
        "import_notes": lambda: store.import_notes([Tag("korea", "Korea", "韓国", "#654321")], []),
    }


@pytest.mark.parametrize("how", ["argument", "environment", "secrets"])
def test_every_writer_of_a_read_only_store_is_refused_and_nothing_changes(written, monkeypatch, tmp_path, how):
    url, note_id = written
    if how == "environment":
        monkeypatch.setenv("NOTES_READ_ONLY", "1")
    if how == "secrets":
        (tmp_path / "secrets.toml").write_text("[notes]\nread_only = true\n", encoding="utf-8")
        monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "secrets.toml")
    store = NotesStore(url, read_only=True if how == "argument" else None)
    before = dump(url)
    for name, write in every_write(store, note_id).items():
        with pytest.raises(NotesReadOnly, match=re.escape(REFUSED)):
            write()
        assert dump(url) == before, name
    assert [n.title for n in store.find()] == ["Kept"]  # reading works
    store.close()


def test_the_setting_is_asked_at_each_write(written, monkeypatch):
    url, note_id = written
    store = NotesStore(url)  # opened while the deployment may write
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    with pytest.raises(NotesReadOnly):
        store.delete(note_id, author="a")
    monkeypatch.setenv("NOTES_READ_ONLY", "0")
    assert store.delete(note_id, author="a").deleted
    store.close()


def test_notes_add_and_import_from_the_command_line_are_refused(written, monkeypatch, tmp_path, capsys):
    url, _ = written
    document = {"tags": [], "notes": []}
    (tmp_path / "empty.json").write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    before = dump(url)
    for argv in (
        ["add", "--week", "2026-01-02", "--title", "t", "--body", "x"],
        ["add", "--week", "2026-01-02", "--title", " ", "--body", "x"],  # read-only is said before other problems
        ["import", str(tmp_path / "empty.json")],
    ):
        code = cli.main(["notes", *argv], now=NOW)
        out, err = capsys.readouterr()
        assert (code, out, err) == (2, "", f"error: {REFUSED}\n")
    assert dump(url) == before
    code = cli.main(["notes", "list"], now=NOW)  # reading works
    assert code == 0 and "Kept" in capsys.readouterr().out


def test_the_app_never_seeds_demo_notes_into_a_read_only_database(notes_url, monkeypatch):
    NotesStore(notes_url).close()  # an empty database, tables made
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    assert ui_notes.ensure_demo_notes(True) is True  # demo prices: the run shows demo notes, if there are any
    assert NotesStore(notes_url, read_only=False).find(NoteQuery(include_deleted=True)) == []
