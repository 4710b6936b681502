"""Export and import: the round trip is lossless, a broken file is rejected whole."""

import datetime as dt
import json
import re

import pytest
import yaml

from lib.core.errors import InvalidNotesFile
from lib.notes import files as notes_io
from lib.notes.model import NoteQuery, make_draft
from lib.notes.store import NotesStore

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
AWKWARD_BODY = "---\nid: 99\n---\n## 見出し 🚀\r\n<script>alert(1)</script>\n\n'; DROP TABLE note; --\n  trailing  \n\n"


@pytest.fixture
def store(notes_url):
    opened = NotesStore(notes_url)
    yield opened
    opened.close()


@pytest.fixture
def filled(store):
    """Notes with history, a deletion, a new tag, a rename and a merge."""
    vocabulary = store.tags
    first = store.add(
        make_draft("2026-01-01", "米国のベネズエラ攻撃", "原油は小幅高。", ["Venezuela", "中東情勢"], vocabulary()),
        author="青木",
    )
    store.save(
        first.id,
        make_draft("2026-01-02", "US strike: 2026-01-02", AWKWARD_BODY, ["venezuela"], vocabulary()),
        expected_version=1,
        author="Baba",
    )
    second = store.add(
        make_draft("2025-03-14", "Tariff round", "", ["Tariffs", "Ukraine/Russia"], vocabulary()), author="a"
    )
    store.delete(second.id, author="a")
    store.add_tag("Japan", "日本", "#123456")
    store.rename_tag("rates-fed", label_en="Fed", label_ja="FRB", colour="#000000")
    store.merge_tags("ukraine-russia", "europe-politics", author="editor")
    return store


def fresh(tmp_path, name):
    return NotesStore(f"sqlite:///{tmp_path / name}")


@pytest.mark.parametrize("kind", ["json", "markdown"])
def test_export_then_import_into_an_empty_database_gives_the_same_export(filled, tmp_path, kind):
    document = notes_io.export_document(filled, now=NOW)
    path = tmp_path / ("notes.json" if kind == "json" else "notes-md")
    if kind == "json":
        notes_io.write_json(document, path)
    else:
        notes_io.write_markdown(document, path)
    target = fresh(tmp_path, "target.sqlite")
    report = notes_io.import_document(target, notes_io.read_document(path))
    assert (len(report.added), report.tags_added) == (2, ["Japan"])
    assert notes_io.export_document(target, now=NOW) == document
    assert target.get(1).body == AWKWARD_BODY  # \r\n, front-matter lookalikes and trailing space intact
    again = notes_io.import_document(target, notes_io.read_document(path))  # importing twice changes nothing
    assert (again.added, again.unchanged) == ([], 2)


def test_a_markdown_file_is_front_matter_then_the_body_as_written(filled, tmp_path):
    notes_io.write_markdown(notes_io.export_document(filled, now=NOW), tmp_path / "md")
    names = sorted(path.name for path in (tmp_path / "md").iterdir())
    assert names == ["00001-2026-01-02-us-strike-2026-01-02.md", "00002-2025-03-14-tariff-round.md", "tags.yaml"]
    with (tmp_path / "md" / names[0]).open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    assert text.startswith("---\nid: 1\n")
    assert "week: '2026-01-02'" in text and "title: 'US strike: 2026-01-02'" in text
    assert text.endswith("\n---\n" + AWKWARD_BODY)


def test_newer_versions_from_a_file_extend_the_note_and_a_different_history_is_a_conflict(store, tmp_path):
    note = store.add(make_draft("2026-01-02", "T", "v1", [], store.tags()), author="a")
    early = notes_io.export_document(store, now=NOW)
    store.save(note.id, make_draft("2026-01-02", "T", "v2", [], store.tags()), expected_version=1, author="a")
    later = notes_io.export_document(store, now=NOW)

    other = fresh(tmp_path, "other.sqlite")
    notes_io.import_document(other, early)
    report = notes_io.import_document(other, later)
    assert report.extended == ["T"] and other.get(1).body == "v2" and other.get(1).version == 2

    diverged = fresh(tmp_path, "diverged.sqlite")
    notes_io.import_document(diverged, early)
    diverged.save(1, make_draft("2026-01-02", "T", "their v2", [], diverged.tags()), expected_version=1, author="b")
    report = notes_io.import_document(diverged, later)
    assert report.conflicts and "different history" in report.summary()
    assert diverged.get(1).body == "their v2"  # nothing overwritten


BROKEN = {
    "not-json.json": ("{notes: [", "not a JSON notes export"),
    "no-notes.json": (json.dumps({"tags": []}), "no 'notes' list"),
    "missing.json": (json.dumps({"notes": [{"title": "x"}]}), re.escape("note 1 ('x'): id is missing or not a int")),
    "bad-week.json": (None, "week '2026-02-30' is not a date"),
    "gap.json": (None, re.escape("versions [1, 3] should run 1, 2, 3")),
}


def note_record(**changes):
    record = {
        "id": 1, "uid": "a" * 32, "week": "2026-01-02", "title": "T", "tags": [], "author": "a",
        "created_at": "2026-01-02T10:00:00+00:00", "updated_at": "2026-01-02T10:00:00+00:00",
        "version": 1, "deleted_at": None, "history": [], "body": "b",
    }  # fmt: skip
    return {**record, **changes}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_json_file_is_rejected_with_its_reasons_and_nothing_imported(store, tmp_path, name):
    text, reason = BROKEN[name]
    if name == "bad-week.json":
        text = json.dumps({"notes": [note_record(), note_record(uid="b" * 32, week="2026-02-30")]})
    if name == "gap.json":
        old = {"version": 1, "week": "2026-01-02", "title": "T", "tags": [], "author": "a",
               "saved_at": "2026-01-02T10:00:00+00:00", "deleted": False, "body": "b"}  # fmt: skip
        text = json.dumps({"notes": [note_record(version=3, history=[old])]})
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InvalidNotesFile, match=reason):
        notes_io.import_document(store, notes_io.read_document(tmp_path / name))
    assert store.find(NoteQuery(include_deleted=True)) == []


def test_broken_markdown_files_are_listed_together(store, tmp_path):
    folder = tmp_path / "md"
    folder.mkdir()
    (folder / "a.md").write_text("no front matter here", encoding="utf-8")
    (folder / "b.md").write_text("---\ntitle: [unclosed\n---\nbody", encoding="utf-8")
    (folder / "c.md").write_bytes(b"---\ntitle: x\n---\n" + b"\xff\xfe")
    with pytest.raises(InvalidNotesFile) as caught:
        notes_io.read_document(folder)
    problems = "\n".join(caught.value.problems)
    assert "a.md: no front matter" in problems
    assert "b.md: the front matter is not valid YAML" in problems
    assert "c.md: cannot be read" in problems


def test_a_note_with_a_tag_the_database_does_not_know_is_refused(store):
    document = {"tags": [], "notes": [note_record(tags=["martian-policy"])]}
    with pytest.raises(InvalidNotesFile, match=r"unknown tags \['martian-policy'\]"):
        notes_io.import_document(store, document)


# --- Records the editor would refuse: the file is refused whole, every problem named -------------

NUL = "The note contains a NUL character (often a sign of a pasted binary file)."


def a_tag(**changes):
    return {
        "key": "japan",
        "label_en": "Japan",
        "label_ja": "日本",
        "colour": "#123456",
        "merged_into": None,
        **changes,
    }


def written(tmp_path, kind, notes, tags=()):
    """The records as a JSON export or a Markdown folder, written here with json and PyYAML."""
    if kind == "json":
        path = tmp_path / "import.json"
        path.write_text(json.dumps({"tags": list(tags), "notes": notes}, ensure_ascii=False), encoding="utf-8")
        return path
    path = tmp_path / "import-md"
    path.mkdir()
    (path / "tags.yaml").write_text(yaml.safe_dump(list(tags), allow_unicode=True), encoding="utf-8")
    for number, record in enumerate(notes, start=1):
        front = yaml.safe_dump({k: v for k, v in record.items() if k != "body"}, allow_unicode=True)
        (path / f"{number:05d}.md").write_text(f"---\n{front}---\n{record['body']}", encoding="utf-8", newline="")
    return path


@pytest.fixture
def kept(store):
    """A database with a note and a tag of its own, to show that a refused import changes nothing."""
    store.add_tag("Korea", "韓国", "#654321")
    store.add(make_draft("2025-12-12", "Kept", "as it was", ["Korea"], store.tags()), author="a")
    return store


def refused(store, path, problems):
    before = notes_io.export_document(store, now=NOW)
    with pytest.raises(InvalidNotesFile, match=re.escape(problems[0])) as caught:
        notes_io.import_document(store, notes_io.read_document(path))
    assert str(caught.value).startswith("the import was rejected, nothing imported:\n")
    assert caught.value.problems == problems
    assert notes_io.export_document(store, now=NOW) == before


@pytest.mark.parametrize("kind", ["json", "markdown"])
def test_a_week_that_is_not_the_weeks_last_session_is_refused_not_moved(kept, tmp_path, kind):
    path = written(tmp_path, kind, [note_record(week="2025-12-09")])  # a Tuesday; the week ends Friday 12th
    refused(kept, path, ["note 1 ('T'): week 2025-12-09 is not a week's last NYSE session (2025-12-12)"])


@pytest.mark.parametrize("kind", ["json", "markdown"])
def test_a_title_of_300_characters_is_refused(kept, tmp_path, kind):
    path = written(tmp_path, kind, [note_record(title="x" * 300)])
    shown = "x" * 59 + "…"  # the note is named by the start of its title
    refused(kept, path, [f"note 1 ('{shown}'): The title has 300 characters; a title holds at most 200."])


@pytest.mark.parametrize("kind", ["json", "markdown"])
@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"title": "T\x00"}, f"note 1 ('T\\x00'): {NUL}"),
        ({"body": "before\x00after"}, f"note 1 ('T'): {NUL}"),
    ],
    ids=["title", "body"],
)
def test_a_nul_character_in_a_title_or_body_is_refused(kept, tmp_path, kind, changes, problem):
    refused(kept, written(tmp_path, kind, [note_record(**changes)]), [problem])


@pytest.mark.parametrize("kind", ["json", "markdown"])
@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"label_en": ""}, "tag 'japan': The English label must have 1 to 80 characters."),
        ({"label_ja": "   "}, "tag 'japan': The Japanese label must have 1 to 80 characters."),
    ],
    ids=["english", "japanese"],
)
def test_an_empty_tag_label_is_refused_with_the_notes_that_use_it(kept, tmp_path, kind, changes, problem):
    path = written(tmp_path, kind, [note_record(tags=["japan"])], tags=[a_tag(**changes)])
    refused(kept, path, [problem])


@pytest.mark.parametrize("kind", ["json", "markdown"])
def test_a_tag_colour_that_is_not_rrggbb_is_refused(kept, tmp_path, kind):
    path = written(tmp_path, kind, [note_record(tags=["japan"])], tags=[a_tag(colour="not-a-colour")])
    refused(kept, path, ["tag 'japan': 'not-a-colour' is not a colour: write it as #rrggbb."])


def test_every_problem_in_a_file_is_listed_each_naming_its_note_or_tag(kept, tmp_path):
    first = {"version": 1, "week": "2026-01-02", "title": "y" * 201, "tags": [], "author": "a",
             "saved_at": "2026-01-02T10:00:00+00:00", "deleted": False, "body": "b"}  # fmt: skip
    notes = [
        note_record(week="2025-12-09", title="Two  spaces"),
        note_record(id=2, uid="b" * 32, version=2, history=[first], body="\x00", tags=["japan"]),
    ]
    tags = [a_tag(colour="blue", label_en=""), a_tag(key="korea-2", label_en="korea", merged_into="nowhere")]
    refused(
        kept,
        written(tmp_path, "json", notes, tags),
        [
            "tag 'japan': The English label must have 1 to 80 characters.",
            "tag 'japan': 'blue' is not a colour: write it as #rrggbb.",
            "tag 'korea-2': Another tag is already called 'korea': merge them instead.",
            "tag 'korea-2': There is no tag 'nowhere' to merge.",
            "note 1 ('Two  spaces'): week 2025-12-09 is not a week's last NYSE session (2025-12-12)",
            "note 1 ('Two  spaces'): title 'Two  spaces' is not on one line with single spaces ('Two spaces')",
            f"note 2 ('T'): {NUL}",
            "note 2 ('T'), version 1: The title has 201 characters; a title holds at most 200.",
        ],
    )


def test_tags_are_stored_as_the_editor_would_store_them(store, tmp_path):
    path = written(tmp_path, "json", [note_record(tags=["japan"])], tags=[a_tag(label_en=" Japan ", colour="#ABCDEF")])
    report = notes_io.import_document(store, notes_io.read_document(path))
    assert report.tags_added == ["Japan"]
    assert [(t.label_en, t.colour) for t in store.tags() if t.key == "japan"] == [("Japan", "#abcdef")]
