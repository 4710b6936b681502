"""The notes database on SQLite and on PostgreSQL (see the notes_url fixture)."""

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from lib.core.errors import InvalidTag, NoteConflict, NotesBusy, NotesUnavailable
from lib.notes.model import NoteQuery, Tag, make_draft
from lib.notes.store import NotesStore, tag_problems


@pytest.fixture
def store(notes_url):
    opened = NotesStore(notes_url)
    yield opened
    opened.close()


def draft(store, title="Private credit stress", body="BDC の信用不安。", tags=("Private credit",), week="2026-01-02"):
    return make_draft(week, title, body, list(tags), store.tags(include_merged=True))


def test_a_new_database_has_the_default_vocabulary_and_records_its_migrations(store, notes_url):
    labels = [(t.label_en, t.label_ja) for t in store.tags()]
    assert labels[:3] == [
        ("Venezuela", "ベネズエラ"),
        ("Private credit", "プライベートクレジット"),
        ("China economy", "中国経済"),
    ]
    assert len(labels) == 10
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version FROM schema_migration ORDER BY version")).scalars().all() == [
            1,
            2,
            3,  # the weekly report's templates (lib/notes/templates.py)
            4,  # the full-text index of the search text (lib/notes/fulltext.py)
            5,  # the revision counter the app's note caches are keyed on
        ]
    again = NotesStore(notes_url)  # a second start applies nothing and seeds nothing twice
    assert len(again.tags()) == 10
    again.close()


def test_text_comes_back_exactly_whatever_it_contains(store):
    title = '\'; DROP TABLE note; -- 米国の🚀 "quoted" %_\\'
    body = "## 見出し\n\n<script>alert(1)</script>\r\n' OR 1=1 --\n\n末尾の空白  \n"
    added = store.add(draft(store, title=title, body=body), author="アナリスト")
    again = store.get(added.id)
    assert (again.title, again.body, again.author, again.version) == (title, body, "アナリスト", 1)
    assert again.tags == ("private-credit",)
    assert store.find(NoteQuery(search="DROP TABLE"))[0].id == added.id


def test_every_save_is_kept_as_a_version(store):
    note = store.add(draft(store, body="first"), author="a")
    store.save(
        note.id, draft(store, body="second", tags=("Private credit", "China economy")), expected_version=1, author="b"
    )
    store.save(note.id, draft(store, body="third"), expected_version=2, author="a")
    history = store.history(note.id)
    assert [(v.version, v.body, v.author) for v in history] == [
        (3, "third", "a"),
        (2, "second", "b"),
        (1, "first", "a"),
    ]
    assert history[1].tags == ("private-credit", "china-economy")
    assert store.get(note.id).created_at == note.created_at


def test_the_second_of_two_editors_gets_a_conflict_with_both_texts_and_nothing_is_lost(store):
    note = store.add(draft(store, body="original"), author="a")
    store.save(note.id, draft(store, body="Aoki's edit"), expected_version=1, author="Aoki")
    with pytest.raises(NoteConflict, match=r"saved by Aoki .* \(version 2\) after you opened version 1") as caught:
        store.save(note.id, draft(store, body="Baba's edit"), expected_version=1, author="Baba")
    assert caught.value.mine.body == "Baba's edit"
    assert caught.value.theirs.body == "Aoki's edit"
    assert store.get(note.id).body == "Aoki's edit"
    assert len(store.history(note.id)) == 2
    # Baba saves on top of Aoki's version: Aoki's text stays in the history.
    store.save(note.id, draft(store, body="Baba's edit"), expected_version=2, author="Baba")
    assert [v.body for v in store.history(note.id)] == ["Baba's edit", "Aoki's edit", "original"]


def test_delete_is_soft_and_restore_brings_the_note_back(store):
    note = store.add(draft(store), author="a")
    store.delete(note.id, author="b")
    assert store.find() == []
    deleted = store.find(NoteQuery(include_deleted=True))[0]
    assert deleted.deleted and deleted.version == 2
    store.restore(note.id, author="a")
    assert [n.id for n in store.find()] == [note.id]
    assert [v.deleted for v in store.history(note.id)] == [False, True, False]


@pytest.fixture
def three_notes(store):
    made = {
        "venezuela": store.add(
            draft(store, "US strike on Venezuela", "Oil rose.", ("Venezuela", "Middle East"), "2026-01-05"), author="a"
        ),
        "credit": store.add(
            draft(
                store,
                "プライベートクレジット",
                "BDC の信用不安が広がり、100% 償還。",
                ("Private credit",),
                "2025-11-12",
            ),
            author="a",
        ),
        "china": store.add(
            draft(store, "China PMI", "Weak demand_side data.", ("China economy", "Tariffs"), "2025-06-02"), author="a"
        ),
    }
    return made


def ids(notes):
    return [n.id for n in notes]


def test_filters_by_tags_any_or_all_by_weeks_and_by_words(store, three_notes):
    v, c, ch = three_notes["venezuela"], three_notes["credit"], three_notes["china"]
    assert ids(store.find()) == [v.id, c.id, ch.id]  # the latest week first
    assert ids(store.find(NoteQuery(tags=("venezuela", "tariffs")))) == [v.id, ch.id]
    assert ids(store.find(NoteQuery(tags=("venezuela", "middle-east"), match="all"))) == [v.id]
    assert ids(store.find(NoteQuery(tags=("venezuela", "tariffs"), match="all"))) == []
    assert ids(store.find(NoteQuery(start=dt.date(2025, 11, 1), end=dt.date(2025, 12, 31)))) == [c.id]
    assert ids(store.find(NoteQuery(search="oil ROSE"))) == [v.id]  # every word, any case


def test_search_finds_japanese_inside_a_sentence_and_tag_labels_in_either_language(store, three_notes):
    credit, venezuela = three_notes["credit"], three_notes["venezuela"]
    assert ids(store.find(NoteQuery(search="信用不安"))) == [credit.id]
    assert ids(store.find(NoteQuery(search="ｂｄｃ"))) == [credit.id]  # full-width letters
    assert ids(store.find(NoteQuery(search="中東"))) == [venezuela.id]  # the Japanese label of a tag
    assert ids(store.find(NoteQuery(search="関税"))) == [three_notes["china"].id]


def test_like_wildcards_in_a_search_are_plain_characters(store, three_notes):
    assert ids(store.find(NoteQuery(search="100%"))) == [three_notes["credit"].id]
    assert ids(store.find(NoteQuery(search="demand_side"))) == [three_notes["china"].id]
    assert store.find(NoteQuery(search="%")) == [three_notes["credit"]]
    assert store.find(NoteQuery(search="' OR 1=1 --")) == []


def test_tags_are_added_renamed_and_merged_without_losing_a_version(store, three_notes):
    japan = store.add_tag("Japan", "日本", "#123ABC")
    assert (japan.key, japan.colour) == ("japan", "#123abc")
    with pytest.raises(InvalidTag, match="already exists"):
        store.add_tag("japan", "日本", "#000000")
    with pytest.raises(InvalidTag, match="not a colour"):
        store.add_tag("Korea", "韓国", "blue")
    store.rename_tag("china-economy", label_en="China", label_ja="中国", colour="#8c564b")
    assert [t.label_en for t in store.tags() if t.key == "china-economy"] == ["China"]
    china = three_notes["china"]
    assert store.merge_tags("tariffs", "china-economy", author="editor") == 1
    merged = store.get(china.id)
    assert merged.tags == ("china-economy",) and merged.version == 2
    assert store.history(china.id)[1].tags == ("china-economy", "tariffs")  # the old version keeps its tags
    assert "tariffs" not in [t.key for t in store.tags()]
    assert ids(store.find(NoteQuery(tags=("china-economy",)))) == [china.id]


def test_an_unreachable_database_is_a_clear_message():
    with pytest.raises(
        NotesUnavailable, match=r"notes database at postgresql\+psycopg://u:\*\*\*@127.0.0.1:9/x cannot"
    ):
        NotesStore("postgresql+psycopg://u:secret@127.0.0.1:9/x")


def test_a_database_file_that_cannot_be_created_is_a_clear_message(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(NotesUnavailable, match="cannot be used"):
        NotesStore(f"sqlite:///{tmp_path / 'file' / 'notes.sqlite'}")


def test_a_locked_sqlite_database_is_retried_then_reported_as_busy_and_nothing_is_half_written(tmp_path):
    path = tmp_path / "notes.sqlite"
    store = NotesStore(f"sqlite:///{path}", busy_timeout_ms=100, attempts=3)
    note = store.add(draft(store, body="before"), author="a")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    with pytest.raises(NotesBusy, match="busy with other saves .* nothing was saved and your text is kept") as caught:
        store.save(note.id, draft(store, body="after"), expected_version=1, author="a")
    assert "locked" not in str(caught.value)
    assert store.get(note.id).body == "before"  # reading still works while the lock is held
    other.execute("ROLLBACK")
    store.save(note.id, draft(store, body="after"), expected_version=1, author="a")
    assert store.get(note.id).body == "after"
    other.close()
    store.close()


def test_a_tag_from_a_file_gets_every_check_of_add_rename_and_merge():
    vocabulary = [
        Tag("venezuela", "Venezuela", "ベネズエラ", "#d62728"),
        Tag("ukraine", "Ukraine", "ウクライナ", "#7f7f7f", merged_into="europe"),
        Tag("europe", "Europe", "欧州", "#1f77b4"),
    ]

    def problems(**changes):
        candidate = Tag(**{"key": "japan", "label_en": "Japan", "label_ja": "日本", "colour": "#123ABC", **changes})
        return tag_problems(candidate, [*vocabulary, candidate])

    assert problems(label_en="  Japan ") == []  # add_tag takes it too, and cleans it
    assert problems(merged_into="ukraine") == []  # a chain of merges that ends in a tag in use
    assert problems(key="--", label_ja="", colour="blue", label_en="VENEZUELA", merged_into="nowhere") == [
        "'--' cannot name a tag: use letters or digits.",
        "The Japanese label must have 1 to 80 characters.",
        "'blue' is not a colour: write it as #rrggbb.",
        "Another tag is already called 'VENEZUELA': merge them instead.",
        "There is no tag 'nowhere' to merge.",
    ]
    assert problems(merged_into="japan") == ["A tag cannot be merged into itself."]
    looped = [Tag("a", "A", "A", "#000000", merged_into="b"), Tag("b", "B", "B", "#000000", merged_into="a")]
    assert tag_problems(looped[0], looped) == ["A tag cannot be merged into itself."]  # resolving would never end


def test_only_the_store_uses_the_notes_tables():
    lib = Path(__file__).resolve().parents[3] / "lib"
    users = sorted(
        path.relative_to(lib).as_posix()
        for path in lib.rglob("*.py")
        if re.search(r"^from lib\.notes\.schema import|^from lib\.notes import schema", path.read_text(), re.M)
    )
    assert users == [
        "notes/store/__init__.py",
        "notes/store/imports.py",
        "notes/store/rows.py",
        "notes/templates.py",
    ]  # the store package, and the templates' store for its own table alone (it runs the same migrations
    # and moves the database's revision with each save, so every server's cache sees the new template)
    templates = (lib / "notes" / "templates.py").read_text()
    imported = re.findall(r"^from lib\.notes\.schema import (.*)$", templates, re.M)
    assert imported == ["MIGRATIONS, bump_revision, report_template"]
