"""The notes search with its full-text index (lib/notes/fulltext.py), on SQLite and PostgreSQL.

The same hand-written notes and queries give the hand-written results with the index (migration 4)
and without it (a store with every migration but that one, as where the database offers no index): the index
changes the speed of a search, never its results.
"""

import unicodedata

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.notes import fulltext
from lib.notes.migrations import Migration, applied_versions, migrate
from lib.notes.model import NoteQuery, make_draft
from lib.notes.schema import MIGRATIONS
from lib.notes.store import NotesStore

BEFORE = [m for m in MIGRATIONS if m.version != 4]  # the schema without the index (migration 4)


def add(store, key, title, body, week, tags=()):
    draft = make_draft(week, title, body, list(tags), store.tags(include_merged=True))
    return key, store.add(draft, author="a")


def five_notes(store) -> dict[str, int]:
    """Note ids by letter; the weeks make the order of a result A, B, C, D, E (latest first)."""
    made = [
        add(store, "A", 'Oil "shock"', "原油価格が急騰、ベネズエラ産の供給懸念。", "2026-01-02"),
        add(store, "B", "反ベネズエラ勢力", "Growth_stocks fell 5%.", "2025-12-26"),
        add(
            store, "C", "Small caps", "Ｒｕｓｓｅｌｌ 2000 rallied; 50% odds of a cut.", "2025-12-19", ["China economy"]
        ),
        add(store, "D", "Rates", "Fed held at 4.25%; growth-stocks flat.", "2025-12-12", ["Venezuela"]),
        add(store, "E", "Notes", "Back\\slash and 100 bp.", "2025-12-05"),
    ]
    return {key: note.id for key, note in made}


# query -> the letters of the notes it finds, worked out by reading the notes above
EXPECTED = {
    "ベネズエラ": "ABD",  # inside longer words (反ベネズエラ勢力, ベネズエラ産), and D's tag's label
    "原油": "A",  # two characters: no trigram, the LIKE path
    "ズ": "ABD",
    "RUSSELL": "C",  # any case, full-width letters
    "russell 2000": "C",  # every term
    "oil 原油": "A",
    "原油 ベネズエラ": "A",
    "中国経済 2000": "C",
    "venezuela 4.25": "D",  # a tag's English label and the text
    "oil 2000": "",
    '"shock"': "A",  # FTS5 query syntax is plain text
    'shock"': "A",
    "growth_stocks": "B",  # `_` is a character, not any character (D has growth-stocks)
    "h_s": "B",
    "5%": "BD",  # `%` is a character, not anything (C has 50%)
    "%": "BCD",
    "25%": "D",
    "\\": "E",
    "k\\s": "E",
    "中国経済": "C",  # the Japanese label of C's tag; its text does not hold it
    "rallies": "",
    "": "ABCDE",
}


@pytest.fixture(params=["index", "before"])
def store(request, notes_url):
    opened = NotesStore(notes_url, migrations=MIGRATIONS if request.param == "index" else BEFORE)
    yield opened
    opened.close()


def letters(store, ids: dict[str, int], search: str, **query) -> str:
    by_id = {note_id: key for key, note_id in ids.items()}
    return "".join(by_id[note.id] for note in store.find(NoteQuery(search=search, **query)))


@pytest.mark.parametrize("search", list(EXPECTED))
def test_a_search_finds_the_same_notes_with_the_index_as_without(store, search):
    ids = five_notes(store)
    assert letters(store, ids, search) == EXPECTED[search]


def test_the_index_exists_where_the_database_offers_one(notes_url):
    store = NotesStore(notes_url)
    with store.engine.connect() as connection:
        assert fulltext.has_index(connection)  # SQLite 3.34+ with FTS5; PostgreSQL with pg_trgm (CI installs it)
        assert store.fts_table == (connection.dialect.name == "sqlite")
    store.close()


def test_an_edited_deleted_or_restored_note_leaves_the_index_right(store):
    ids = five_notes(store)
    edited = store.get(ids["B"])
    week, tags = edited.week.isoformat(), list(edited.tags)
    store.save(
        ids["B"],
        make_draft(week, "反ベネズエラ勢力", "Tightening ahead.", tags, store.tags()),
        expected_version=1,
        author="a",
    )
    assert letters(store, ids, "growth_stocks") == ""  # the old text is gone from the index
    assert letters(store, ids, "fell") == ""
    assert letters(store, ids, "tightening") == "B"
    assert letters(store, ids, "ベネズエラ") == "ABD"  # the title did not change
    store.delete(ids["A"], author="a")
    assert letters(store, ids, "ベネズエラ") == "BD"
    assert letters(store, ids, "ベネズエラ", include_deleted=True) == "ABD"
    store.restore(ids["A"], author="a")
    assert letters(store, ids, "原油価格") == "A"


def test_a_database_at_migration_3_with_notes_upgrades_and_searches_correctly(notes_url):
    older = NotesStore(notes_url, migrations=BEFORE)
    ids = five_notes(older)
    older.close()
    upgraded = NotesStore(notes_url)  # today's app: builds the index over the notes already stored
    with upgraded.engine.connect() as connection:
        assert applied_versions(connection) == [1, 2, 3, 4, 5]
        assert fulltext.has_index(connection)
    for search, expected in EXPECTED.items():
        assert letters(upgraded, ids, search) == expected, search
    ids["F"] = add(upgraded, "F", "Later", "ベネズエラ情勢の続報。", "2025-11-28")[1].id  # written after the upgrade
    assert letters(upgraded, ids, "ベネズエラ") == "ABDF"
    upgraded.close()


def test_the_index_serves_a_term_of_three_characters_or_more(notes_url):
    store = NotesStore(notes_url)
    five_notes(store)
    with store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM note WHERE id IN "
                f"(SELECT rowid FROM note_fts WHERE note_fts MATCH '{fulltext.phrase('ベネズエラ')}')"
            ).all()
            assert any("VIRTUAL TABLE INDEX" in row[-1] for row in plan), plan
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")  # five rows: only a forced plan shows the index
            plan = connection.execute(
                sa.text("EXPLAIN SELECT id FROM note WHERE search_text LIKE :p ESCAPE '\\'"), {"p": "%ベネズエラ%"}
            ).scalars()
            assert any(fulltext.PG_INDEX in line for line in plan)
    store.close()


def test_a_database_without_the_index_still_searches_by_like(notes_url):
    """As where FTS5/trigram or pg_trgm is missing: migration 4 recorded, nothing built."""
    engine = sa.create_engine(notes_url)
    with engine.begin() as connection:
        unavailable = Migration(4, "index unavailable", lambda c: None)
        migrate(connection, sorted([*BEFORE, unavailable], key=lambda migration: migration.version))
    engine.dispose()
    store = NotesStore(notes_url)
    assert not store.fts_table
    ids = five_notes(store)
    assert letters(store, ids, "ベネズエラ") == "ABD"
    assert letters(store, ids, "h_s") == "B"
    store.close()


ALPHABET = "abAB%_\\\"'ベネズ原油ｂＡ 1"  # wildcards, quotes, case, full-width, Japanese, a space


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.text(ALPHABET, min_size=1, max_size=12), min_size=1, max_size=6),
    picks=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 11), st.integers(1, 5)), min_size=1, max_size=2),
)
def test_the_index_finds_exactly_the_notes_whose_text_holds_every_term(tmp_path_factory, texts, picks):
    """SQLite with the index against the meaning written out in Python: each term (NFKC, case-folded)
    a substring of title + newline + body. Terms are cut from the notes' own text, so most match."""
    store = NotesStore(f"sqlite:///{tmp_path_factory.mktemp('fts') / 'notes.sqlite'}")
    assert store.fts_table
    weeks = ["2026-01-02", "2025-12-26", "2025-12-19", "2025-12-12", "2025-12-05", "2025-11-28"]
    added = [add(store, str(i), f"t{i}", text, weeks[i])[1] for i, text in enumerate(texts)]
    search = " ".join(texts[n % len(texts)][start : start + length] for n, start, length in picks)
    terms = unicodedata.normalize("NFKC", search).casefold().split()
    expected = [
        n.id
        for n in added
        if all(term in unicodedata.normalize("NFKC", f"{n.title}\n{n.body}").casefold() for term in terms)
    ]
    assert [n.id for n in store.find(NoteQuery(search=search))] == expected
    store.close()
