"""Generated notes files through `notes import` (issue 18, "Done when"), on both backends.

Hypothesis builds JSON exports that are valid by construction (weeks from a hand-checked list of NYSE
week ends, titles and authors on one line without control characters, bodies with tabs and CR LF,
times with a zone, versions 1, 2, 3..., known tag keys each once), then breaks some of them with
mutations that each violate one documented rule (README "Notes from the command line", issue 18
item 6). The oracle is the construction, not the code under test: a document is valid exactly when no
mutation was applied. Properties: the command exits 0 exactly when the document is valid, else 2
(never a traceback, never exit 3); a refused file leaves every table as it was; an accepted one is
stored as written.

Hypothesis runs with derandomize=True, as tests/lib/data/test_bad_files.py does: every run tries the
same examples. The database is shared by the examples of a test (a fresh one per example would cost
a PostgreSQL schema each): each example starts from the default vocabulary and no note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.cli import main as cli

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
HYPOTHESIS = settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TABLES = ("tag", "note", "note_tag", "note_version")
DEFAULT_KEYS = ["venezuela", "private-credit", "china-economy", "europe-politics", "middle-east",
                "ai-it-valuations", "us-policy", "rates-fed", "tariffs", "ukraine-russia"]  # fmt: skip
# Last NYSE sessions of their weeks, checked by hand against the exchange's holiday lists.
WEEK_ENDS = [
    "1990-01-05",  # the first week the app knows
    "2001-09-10",  # a Monday: the exchange was closed 11-14 September 2001
    "2012-11-02",
    "2024-12-27",
    "2025-07-03",  # a Thursday: Independence Day on Friday
    "2026-01-02",
    "2026-04-02",  # a Thursday: Good Friday
]
NOT_WEEK_ENDS = {
    "2026-01-01": "New Year's Day, a Thursday (the week ends on the 2nd)",
    "2026-01-03": "a Saturday",
    "2025-07-04": "Independence Day",
    "2001-09-14": "the exchange was closed",
    "1800-01-05": "before the calendar",
    "9999-12-31": "beyond any calendar",
    "2039-01-07": "more than a year ahead",
    "2026-02-30": "not a date",
    "": "empty",
}
TIMES = ["2026-01-02T10:00:00+00:00", "2025-12-31T23:59:59.123456+09:00", "1999-06-30T12:00:00-05:00"]
BAD_TIMES = ["2026-01-02T10:00:00", "yesterday", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59+00:00",
             "1989-12-31T00:00:00+00:00"]  # fmt: skip
# What no title, author, label or body may hold: C0 (a body keeps tab, LF, CR), DEL, C1, lone surrogates.
FORBIDDEN = ["\x00", "\x07", "\x1b", "\x0b", "\x1c", "\x7f", "\x85", "\x9b", "\ud800", "\udcff"]

WORD_CHARS = st.characters(categories=("L", "M", "N", "P", "S"))
BODY_CHARS = st.one_of(st.characters(categories=("L", "M", "N", "P", "S", "Zs")), st.sampled_from("\t\n\r"))
SHORT_BODY = st.text(BODY_CHARS, max_size=200)  # now and then a body of exactly 100,000 characters, the limit


def one_line(max_size: int) -> st.SearchStrategy[str]:
    """Words of letters, marks, digits, punctuation and symbols joined by single spaces."""
    words = st.lists(st.text(WORD_CHARS, min_size=1, max_size=12), min_size=1, max_size=8)
    return words.map(" ".join).map(lambda text: text[:max_size].strip()).filter(lambda text: text == text.strip())


@dataclass
class Generated:
    document: dict
    broken: list[str] = field(default_factory=list)  # the rules the mutations broke; valid when empty


@st.composite
def versions_of(draw, keys: list[str]) -> list[dict]:
    count = draw(st.integers(1, 3))
    return [
        {
            "version": number,
            "week": draw(st.sampled_from(WEEK_ENDS)),
            "title": draw(one_line(200)),
            "tags": draw(st.lists(st.sampled_from(keys), unique=True, max_size=4)),
            "author": draw(one_line(200)),
            "saved_at": draw(st.sampled_from(TIMES)),
            "deleted": draw(st.booleans()),
            "body": draw(st.integers(0, 24).flatmap(lambda n: st.just("長" * 100_000) if n == 0 else SHORT_BODY)),
        }
        for number in range(1, count + 1)
    ]


@st.composite
def valid_documents(draw) -> dict:
    new_tags = draw(st.lists(st.sampled_from(["japan", "korea", "日本株", "bdc_2"]), unique=True, max_size=2))
    tags = [
        {"key": key, "label_en": f"Label {key}", "label_ja": f"ラベル {key}", "colour": draw(colours()),
         "merged_into": draw(st.sampled_from([None, "venezuela"]))}
        for key in new_tags
    ]  # fmt: skip
    keys = DEFAULT_KEYS + [t["key"] for t in tags]
    uids = draw(st.lists(st.uuids().map(lambda u: u.hex), min_size=1, max_size=3, unique=True))
    notes = []
    for uid in uids:
        *history, current = draw(versions_of(keys))
        notes.append({
            "id": draw(st.integers(1, 10**9)), "uid": uid, "week": current["week"], "title": current["title"],
            "tags": current["tags"], "author": current["author"], "created_at": draw(st.sampled_from(TIMES)),
            "updated_at": current["saved_at"], "version": current["version"],
            "deleted_at": current["saved_at"] if current["deleted"] else None, "history": history,
            "body": current["body"],
        })  # fmt: skip
    return {"format": "smallcap-growth-notes", "format_version": 1, "tags": tags, "notes": notes}


def colours() -> st.SearchStrategy[str]:
    return st.text("0123456789abcdefABCDEF", min_size=6, max_size=6).map(lambda hex_digits: f"#{hex_digits}")


# --- Mutations: each breaks one documented rule ----------------------------------------------------

NOTE_TYPES = {"id": int, "uid": str, "week": str, "title": str, "tags": list, "author": str, "created_at": str,
              "updated_at": str, "version": int, "body": str}  # fmt: skip
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**80), 2**80), st.floats(allow_nan=False), st.text(max_size=5),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip


def not_of(kind: type) -> st.SearchStrategy:
    """A JSON value that is not a `kind` (a bool is no int)."""
    return JUNK.filter(lambda value: not isinstance(value, kind) or (kind is int and isinstance(value, bool)))


@st.composite
def mutation(draw, document: dict, rule: str | None = None) -> str:
    """Break `document` in place by `rule` (any rule when None); returns the rule broken."""
    rule = rule or draw(st.sampled_from(sorted(MUTATIONS)))
    try:
        note = draw(st.sampled_from([n for n in document["notes"] if isinstance(n, dict)]))
        history = note["history"] if isinstance(note.get("history"), list) else []
        version = draw(st.sampled_from([*history, note]))  # the note itself stands for its current version
        MUTATIONS[rule](draw, document, note, version)
    except (KeyError, TypeError, AttributeError, ValueError):  # an earlier mutation took what this one needs
        pass  # the document is broken already: the first mutation always applies to a valid document
    return rule


def _wrong_type(draw, document, note, version):
    name = draw(st.sampled_from(sorted(NOTE_TYPES)))
    note[name] = draw(not_of(NOTE_TYPES[name]))


def _missing(draw, document, note, version):
    del note[draw(st.sampled_from([*NOTE_TYPES, "deleted_at"]))]


def _title_forbidden(draw, document, note, version):
    at = draw(st.integers(0, len(version["title"])))
    version["title"] = version["title"][:at] + draw(st.sampled_from(FORBIDDEN)) + version["title"][at:]


def _body_forbidden(draw, document, note, version):
    at = draw(st.integers(0, len(version["body"])))
    version["body"] = version["body"][:at] + draw(st.sampled_from(FORBIDDEN)) + version["body"][at:]


def note_field(name: str, values: list):
    """A mutation setting the note's `name` to one of `values`."""
    return lambda draw, document, note, version: note.update({name: draw(st.sampled_from(values))})


def version_field(name: str, values: list):
    """A mutation setting `name` of one version (the current one or an earlier one) to one of `values`."""
    return lambda draw, document, note, version: version.update({name: draw(st.sampled_from(values))})


BROKEN_TAGS = [
    {"key": "Japan", "label_en": "J", "label_ja": "J", "colour": "#000000"},  # a key add_tag never makes
    {"key": "japan2", "label_en": "", "label_ja": "J", "colour": "#000000"},
    {"key": "japan3", "label_en": "J\x1b[2J", "label_ja": "J", "colour": "#000000"},
    {"key": "japan4", "label_en": "J", "label_ja": "J", "colour": "blue"},
    {"key": "japan5", "label_en": "Venezuela", "label_ja": "J", "colour": "#000000"},  # a label taken
    {"key": "japan6", "label_en": "J6", "label_ja": "J", "colour": "#000000", "merged_into": "nowhere"},
    {"key": "tariffs", "label_en": "Tariffs", "label_ja": "関税", "colour": "#000000", "merged_into": "rates-fed",
     "_loop": True},  # with rates-fed merged back into tariffs (see _close_loops): a loop
    7,
]  # fmt: skip

MUTATIONS = {
    "a field of the wrong type": _wrong_type,
    "a required field missing": _missing,
    "history not a list of versions": note_field("history", ["v1", [1, 2], 3]),
    "an id outside 1..10^9": note_field("id", [0, -1, 10**9 + 1, 2**70]),
    "a uid not 32 hex digits": note_field("uid", ["XYZ", "a" * 33, "A" * 32]),
    "a week not a week end": version_field("week", sorted(NOT_WEEK_ENDS)),
    "a title empty, too long or not on one line": version_field(
        "title", ["", " ", "x" * 201, "two  spaces", " lead", "tab\there", "line\nbreak"]
    ),
    "a title with a forbidden character": _title_forbidden,
    "a body over 100,000 characters": version_field("body", ["x" * 100_001]),
    "a body with a forbidden character": _body_forbidden,
    "an author empty, too long or not on one line": version_field("author", ["", "x" * 201, " lead", "a\x1bb", "a\tb"]),
    "a time without a zone or outside the span": note_field("created_at", BAD_TIMES),
    "an unknown tag": lambda draw, document, note, version: version.update(tags=[*version["tags"], "martian-policy"]),
    "a tag twice": version_field("tags", [["tariffs", "tariffs"]]),
    "versions not numbered 1, 2, 3": lambda draw, document, note, version: note.update(version=note["version"] + 1),
    "a uid twice in the file": lambda draw, document, note, version: document["notes"].append(dict(note)),
    "a tag record broken": lambda draw, document, note, version: document["tags"].append(
        dict(draw(st.sampled_from(BROKEN_TAGS[:-1]))) if draw(st.booleans()) else 7
    ),
    "no notes list": lambda draw, document, note, version: document.update(notes=draw(not_of(list))),
}


def _close_loops(document: dict) -> None:
    """The loop mutation merges Tariffs into Rates/Fed; this merges Rates/Fed back into Tariffs."""
    for t in list(document["tags"]) if isinstance(document.get("tags"), list) else []:
        if isinstance(t, dict) and t.pop("_loop", False):
            document["tags"].append({"key": "rates-fed", "label_en": "Rates/Fed", "label_ja": "金利・FRB",
                                     "colour": "#000000", "merged_into": "tariffs"})  # fmt: skip


@st.composite
def documents(draw, rule: str | None = None) -> Generated:
    """A valid document, broken by `rule` and maybe another one; or, without `rule`, broken by none, one or two."""
    document = draw(valid_documents())
    broken = [draw(mutation(document, rule))] if rule else []
    broken += [draw(mutation(document)) for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2] if not rule else [0, 1])))]
    if broken:
        _close_loops(document)
    return Generated(document, broken)


# --- The properties ------------------------------------------------------------------------------


def dump(engine: sa.Engine) -> dict:
    with engine.connect() as connection:
        return {name: sorted(map(tuple, connection.execute(sa.text(f"SELECT * FROM {name}")))) for name in TABLES}


def start_over(engine: sa.Engine) -> None:
    """The default vocabulary and no note, as after the first start of an empty database."""
    with engine.begin() as connection:
        for name in ("note_version", "note_tag", "note"):
            connection.execute(sa.text(f"DELETE FROM {name}"))
        others = sa.text("DELETE FROM tag WHERE key NOT IN :keys").bindparams(sa.bindparam("keys", expanding=True))
        connection.execute(others, {"keys": DEFAULT_KEYS})


def run_import(path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["notes", "import", str(path)], now=NOW)
    return code, err.getvalue()


@pytest.fixture
def database(notes_url, tmp_path):
    assert run_import(tmp_path / "missing.json")[0] == 2  # creates the tables, refuses the missing file
    engine = sa.create_engine(notes_url)
    yield engine
    engine.dispose()


@HYPOTHESIS
@given(generated=documents())
def test_a_generated_import_is_accepted_exactly_when_valid_and_nothing_is_stored_on_refusal(
    generated, database, tmp_path
):
    check_import(generated, database, tmp_path)


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
@settings(HYPOTHESIS, max_examples=6)
@given(data=st.data())
def test_every_rule_broken_alone_or_with_another_is_refused_and_stores_nothing(rule, data, database, tmp_path):
    check_import(data.draw(documents(rule)), database, tmp_path)


def check_import(generated: Generated, database: sa.Engine, tmp_path) -> None:
    start_over(database)
    path = tmp_path / "generated.json"
    path.write_text(json.dumps(generated.document), encoding="utf-8")
    before = dump(database)
    code, err = run_import(path)  # a traceback fails the test here
    if generated.broken:
        assert code == 2, f"broke {generated.broken}, yet exit {code}: {err}"
        assert err.startswith("error: ") and "was rejected, nothing imported:" in err
        assert dump(database) == before
        return
    assert code == 0, f"a valid document was refused: {err}"
    assert_stored_as_written(database, generated.document)


def assert_stored_as_written(engine: sa.Engine, document: dict) -> None:
    with engine.connect() as connection:
        for record in document["notes"]:
            row = connection.execute(sa.text("SELECT * FROM note WHERE uid = :uid"), {"uid": record["uid"]}).one()
            assert (row.title, row.body, row.author, row.version) == (
                record["title"], record["body"], record["author"], record["version"],
            )  # fmt: skip
            assert str(row.week) == record["week"]
            stored = connection.execute(
                sa.text("SELECT version, title, body, tags FROM note_version WHERE note_id = :id ORDER BY version"),
                {"id": row.id},
            ).all()
            written = [*record["history"], record]
            assert [(v.version, v.title, v.body, json.loads(v.tags)) for v in stored] == [
                (v["version"], v["title"], v["body"], v["tags"]) for v in written
            ]
