"""Tag merges never loop and never fail because editors are saving (issue 18, items 5 and 10), on both backends.

Reproduced:
- a loop of merges in the database (Tariffs into Rates/Fed and back) made `notes list --tag Tariffs` and
  `notes add --tag 関税` spin forever; now they end at once with a message;
- two merges at the same moment, Tariffs into Rates/Fed and Rates/Fed into Tariffs, could both pass their
  checks on PostgreSQL and store that loop; now one waits for the other and is refused;
- a merge while editors were saving failed on PostgreSQL with a note conflict ("your text was not
  saved"), shown later in whatever editor was open; now it reads each note under a row lock, and a save
  that began with a tag merged meanwhile stores the tag it went into.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading

import pytest
import sqlalchemy as sa

from lib.cli import main as cli
from lib.core.errors import InvalidTag, NoteConflict
from lib.notes.model import NoteQuery, make_draft
from lib.notes.store import NotesStore
from tests.conftest import PROJECT_ROOT
from tests.lib.notes.test_seeding import together

LOOP = "The tags tariffs → rates-fed → tariffs are merged into one another in a loop"


@pytest.fixture
def store(notes_url):
    opened = NotesStore(notes_url)
    yield opened
    opened.close()


def cli_in_a_process(notes_url: str, *argv: str) -> subprocess.CompletedProcess:
    """The command line in its own process, stopped after 60 s: a loop would otherwise never end."""
    return subprocess.run(
        [sys.executable, "-m", "lib.cli", "notes", *argv],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "NOTES_DATABASE_URL": notes_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_import_that_would_merge_tags_into_each_other_is_refused(store, notes_url, tmp_path, capsys):
    tags = {t.key: t for t in store.tags()}

    def imported(name: str, key: str, into: str) -> int:
        t = tags[key]
        record = {"key": t.key, "label_en": t.label_en, "label_ja": t.label_ja, "colour": t.colour, "merged_into": into}
        (tmp_path / name).write_text(json.dumps({"tags": [record], "notes": []}), encoding="utf-8")
        return cli.main(["notes", "import", str(tmp_path / name)])

    assert imported("there.json", "tariffs", "rates-fed") == 0
    assert imported("back.json", "rates-fed", "tariffs") == 2
    assert "tag 'rates-fed': A tag cannot be merged into itself." in capsys.readouterr().err
    assert {t.key: t.merged_into for t in store.tags(include_merged=True)}["rates-fed"] is None
    assert cli.main(["notes", "add", "--week", "2026-01-02", "--title", "t", "--tag", "関税", "--body", "x"]) == 0
    assert store.get(1).tags == ("rates-fed",)  # Tariffs resolves to the tag it went into


def test_a_loop_written_into_the_database_by_hand_ends_in_a_message_not_a_hang(store, notes_url):
    with store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE tag SET merged_into = 'rates-fed' WHERE key = 'tariffs'"))
        connection.execute(sa.text("UPDATE tag SET merged_into = 'tariffs' WHERE key = 'rates-fed'"))
    for argv in (
        ["list", "--tag", "Tariffs"],
        ["add", "--week", "2026-01-02", "--title", "t", "--tag", "関税", "--body", "x"],
    ):
        done = cli_in_a_process(notes_url, *argv)
        assert done.returncode == 2 and done.stderr.startswith(f"error: {LOOP}"), done.stderr
    assert store.find(NoteQuery(include_deleted=True)) == []


def opposite_merges(stores: list[NotesStore], a: str, b: str) -> list:
    """`a` into `b` on one server and `b` into `a` on another, at the same moment."""
    asked = iter([(stores[0], a, b), (stores[1], b, a)])
    lock = threading.Lock()

    def merge() -> int:
        with lock:
            who, source, target = next(asked)
        return who.merge_tags(source, target, author="editor")

    return together(merge, 2)


def test_two_opposite_merges_at_the_same_moment_never_store_a_loop(store, notes_url):
    stores = [NotesStore(notes_url), NotesStore(notes_url)]  # two servers
    for round_ in range(8):
        a, b = (store.add_tag(f"{name}{round_}", name, "#000000").key for name in ("A", "B"))
        outcomes = opposite_merges(stores, a, b)
        assert sorted(type(o).__name__ for o in outcomes) == ["InvalidTag", "int"], outcomes
        merged = {t.key: t.merged_into for t in store.tags(include_merged=True)}
        assert [merged[a], merged[b]].count(None) == 1  # one merged into the other, never both
    for opened in stores:
        opened.close()


def test_a_merge_while_editors_save_never_fails_and_no_note_keeps_a_merged_tag(store):
    for label in ("T1", "T2", "T3", "T4"):
        store.add_tag(label, label, "#000000")
    vocabulary = store.tags()
    notes = [
        store.add(make_draft("2026-01-02", f"n{i}", "", [f"t{1 + i % 4}", "Venezuela"], vocabulary), author="a")
        for i in range(12)
    ]
    saves = {note.id: 0 for note in notes}
    stop, counting = threading.Event(), threading.Lock()

    def edit(offset: int) -> None:
        editor = NotesStore(store.url)
        i = offset
        while not stop.is_set():
            current = editor.get(notes[i % len(notes)].id)
            draft = dataclasses.replace(current.draft(), body=current.body + "x")
            try:  # the tags as the editor read them: one may be merged before this save commits
                editor.save(current.id, draft, expected_version=current.version, author=f"editor{offset}")
            except NoteConflict:
                continue
            with counting:
                saves[current.id] += 1
            i += 1
        editor.close()

    editors = [threading.Thread(target=edit, args=(offset,)) for offset in (0, 5)]
    for thread in editors:
        thread.start()
    moved = [store.merge_tags(source, target, author="merger") for source, target in (("t1", "t2"), ("t3", "t4"))]
    moved.append(store.merge_tags("t2", "t4", author="merger"))
    stop.set()
    for thread in editors:
        thread.join(timeout=60)
    assert moved == [3, 3, 6]  # t1's 3 notes went to t2; then t2's 6 to t4
    merged = {"t1", "t2", "t3"}
    for note in notes:
        now = store.get(note.id)
        assert set(now.tags) & merged == set() and set(now.tags) == {"t4", "venezuela"}
        history = store.history(note.id)
        assert [v.version for v in history] == list(range(now.version, 0, -1))  # nothing lost, nothing twice
        merges = sum(1 for v in history if v.author == "merger")
        assert now.version == 1 + saves[note.id] + merges
        assert now.body == "x" * saves[note.id]


def test_a_merge_refuses_a_tag_that_is_itself_merged(store):
    store.merge_tags("tariffs", "rates-fed", author="a")
    with pytest.raises(InvalidTag, match="There is no tag 'tariffs' to merge"):
        store.merge_tags("tariffs", "us-policy", author="a")
    with pytest.raises(InvalidTag, match="There is no tag 'tariffs' to merge"):
        store.merge_tags("rates-fed", "tariffs", author="a")


def editor_saves(editor: NotesStore, note_id: int) -> object:
    """An editor's save of the version it opened (1): the new version, or the conflict it met."""
    draft = make_draft("2026-01-02", "Tariffs", "the editor's v2", ["Tariffs"], editor.tags())
    try:
        return editor.save(note_id, draft, expected_version=1, author="editor").version
    except NoteConflict as conflict:
        return conflict


def test_a_save_landing_between_the_merges_read_and_its_write_never_fails_the_merge(store):
    """The race of item 10 made certain: when the merge is about to write its first note, an editor saves
    that note from another connection (given 1 s). Before, the editor's save committed in between and
    the merge ended in NoteConflict; now the merge holds the note's row, the editor waits and then meets
    the merge's version as its own conflict, and the merge goes through."""
    note = store.add(make_draft("2026-01-02", "Tariffs", "v1", ["Tariffs"], store.tags()), author="a")
    merger, editor = NotesStore(store.url), NotesStore(store.url)
    editor_said: list = []
    saving = threading.Thread(target=lambda: editor_said.append(editor_saves(editor, note.id)))

    def between_read_and_write(_connection, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("UPDATE NOTE ") and saving.ident is None:
            saving.start()
            saving.join(timeout=1)

    sa.event.listen(merger.engine, "before_cursor_execute", between_read_and_write)
    assert merger.merge_tags("tariffs", "rates-fed", author="merger") == 1
    sa.event.remove(merger.engine, "before_cursor_execute", between_read_and_write)
    saving.join(timeout=30)  # the editor's save ends once the merge has committed
    [conflict] = editor_said
    assert isinstance(conflict, NoteConflict), conflict
    assert (conflict.theirs.author, conflict.theirs.version, conflict.theirs.tags) == ("merger", 2, ("rates-fed",))
    after = store.get(note.id)
    assert (after.version, after.body, after.tags) == (2, "v1", ("rates-fed",))
    merger.close()
    editor.close()
