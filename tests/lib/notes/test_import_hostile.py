"""`notes import` of hostile files (issue 18, item 6): one line per problem, exit 2, nothing stored.

Each file is a valid export with one thing broken. Before: tracebacks (a missing deleted_at, an id of
2^70, a lone surrogate, JSON nested 200,000 deep, the week 9999-12-31), notes stored on SQLite that the
editor refuses (a negative id, an author of 300 characters, a title with a terminal escape) and, on
PostgreSQL, over-long values reported as exit 3 "the database cannot be used". On both backends.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from lib.cli import main as cli

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
TABLES = ("tag", "note", "note_tag", "note_version")


def version(number: int, **changes) -> dict:
    return {
        "version": number, "week": "2026-01-02", "title": "Venezuela", "tags": ["venezuela"], "author": "青木",
        "saved_at": f"2026-01-0{number}T10:00:00+00:00", "deleted": False, "body": f"本文 v{number}", **changes,
    }  # fmt: skip


def export(**changes) -> dict:
    """An export as `notes export --format json` writes it: one note with two versions."""
    record = {
        "id": 7, "uid": "0123456789abcdef0123456789abcdef", "week": "2026-01-02", "title": "Venezuela",
        "tags": ["venezuela"], "author": "青木", "created_at": "2026-01-01T10:00:00+00:00",
        "updated_at": "2026-01-02T10:00:00+00:00", "version": 2, "deleted_at": None,
        "history": [version(1)], "body": "本文 v2",
    }  # fmt: skip
    return {"format": "smallcap-growth-notes", "format_version": 1, "tags": [], "notes": [{**record, **changes}]}


def dump(url: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = {name: sorted(map(tuple, connection.execute(sa.text(f"SELECT * FROM {name}")))) for name in TABLES}
    engine.dispose()
    return rows


def without(key: str) -> dict:
    document = export()
    del document["notes"][0][key]
    return document


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE = {
    "missing deleted_at": (without("deleted_at"), "deleted_at is missing (null for a note that is not deleted)"),
    "history a string": (export(history="v1"), "history is not a list of versions"),
    "history of ints": (export(history=[1, 2]), "history is not a list of versions"),
    "a dict inside tags": (export(tags=[{"key": "venezuela"}]), "tags is not a list of tag keys"),
    "top-level tags an int": ({**export(), "tags": 5}, "'tags' is not a list of tags"),
    "an id of 2^70": (export(id=2**70), "id 1180591620717411303424 is not between 1 and 1,000,000,000"),
    "a negative id": (export(id=-3), "id -3 is not between 1 and 1,000,000,000"),
    "a lone surrogate": (export(title="Vene\ud800zuela"), "The title contains U+D800 at position 5"),
    "200,000-deep JSON": (nested(200_000), "not a JSON notes export: nested deeper than a notes export can be"),
    "a 5,000-character title": (export(title="x" * 5000), "The title has 5,000 characters; a title holds at most 200"),
    "an empty title": (export(title=""), "The title is empty"),
    "a NUL in the body": (export(body="a\x00b"), "The note contains a NUL character"),
    "a 2 MB body": (export(body="x" * 2_000_000), "The body has 2,000,000 characters; a note holds at most 100,000"),
    "week 9999-12-31": (export(week="9999-12-31"), "The week of 9999-12-31 is outside the NYSE calendar"),
    "week 1800-01-05": (export(week="1800-01-05"), "The week of 1800-01-05 is outside the NYSE calendar"),
    "a title with a terminal escape": (
        export(title="ok\x1b[2J\x1b]0;owned\x07"),
        "The title contains the control character U+001B at position 3",
    ),
    "an author of 300 characters": (export(author="a" * 300), "is not on one line with single spaces, 1 to 200"),
    "a uid of 300 characters": (export(uid="a" * 300), "is not 32 hex digits"),
    "a time without a zone": (export(created_at="2026-01-01T10:00:00"), "has no time zone"),
    "a time in year 1": (export(created_at="0001-01-01T00:00:00+14:00"), "is not between 1990-01-01 and"),
    "a tag twice in a note": (export(tags=["venezuela", "venezuela"]), "name a tag twice"),
    "a uid twice": (
        {**export(), "notes": export()["notes"] * 2},
        "uid '0123456789abcdef0123456789abcdef' is given to 2 notes",
    ),
    "a tag key of 300 characters": (
        {**export(), "tags": [{"key": "k" * 300, "label_en": "K", "label_ja": "K", "colour": "#000000"}]},
        "is not a tag key",
    ),
    "a tag label with an escape": (
        {**export(), "tags": [{"key": "japan", "label_en": "Japan\x1b[2J", "label_ja": "日本", "colour": "#000000"}]},
        "The label contains the control character U+001B at position 6",
    ),
    "a version number of 2^70": (
        export(version=2**70),
        "versions [1, 1180591620717411303424] should run 1, 2, 3",
    ),
    "a number of 5,000 digits": (
        '{"notes": [{"id": ' + "9" * 5000 + "}]}",
        "not a JSON notes export: it holds a number of more than 4,300 digits",
    ),
}


@pytest.fixture
def stored(notes_url, tmp_path):
    """A database with a note already in it, so that "nothing stored" is seen on a database in use."""
    path = tmp_path / "kept.json"
    path.write_text(json.dumps(export(uid="f" * 32, id=1, title="Kept"), ensure_ascii=False), encoding="utf-8")
    assert cli.main(["notes", "import", str(path)], now=NOW) == 0
    return notes_url


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_import_is_one_line_per_problem_exit_2_and_stores_nothing(stored, tmp_path, capsys, case):
    document, problem = HOSTILE[case]
    path = tmp_path / "hostile.json"
    text = document if isinstance(document, str) else json.dumps(document)  # a lone surrogate travels as an escape
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    before = dump(stored)
    code = cli.main(["notes", "import", str(path)], now=NOW)
    _, err = capsys.readouterr()
    assert code == 2, err
    head, *lines = err.splitlines()
    assert head.startswith("error: ") and head.endswith("was rejected, nothing imported:")
    assert len(lines) == 1 and problem in lines[0], lines
    assert dump(stored) == before


def test_the_valid_export_these_cases_break_is_imported(stored, tmp_path, capsys):
    path = tmp_path / "valid.json"
    path.write_text(json.dumps(export(), ensure_ascii=False), encoding="utf-8")
    assert cli.main(["notes", "import", str(path)], now=NOW) == 0
    assert capsys.readouterr().out == "1 added, 0 updated, 0 already there\n"
    assert len(dump(stored)["note_version"]) == 4  # the kept note's 2 versions and these 2
