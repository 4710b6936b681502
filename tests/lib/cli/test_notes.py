"""`python -m lib.cli notes ...`: the documented JSON, one clear line and a non-zero exit for bad input."""

import datetime as dt
import json

import pytest

from lib.cli import main as cli

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def run(capsys, *argv):
    code = cli.main(["notes", *argv], now=NOW)
    out, err = capsys.readouterr()
    return code, out, err


def test_add_then_list_as_documented_json(capsys, notes_url, tmp_path):
    body_file = tmp_path / "body.md"
    body_file.write_text("## 信用不安\n\nBDC の解約が増えた。\n", encoding="utf-8")
    assert run(capsys, "add", "--week", "2026-01-01", "--title", "Private credit", "--tag", "プライベートクレジット",
               "--tag", "rates/fed", "--body-file", str(body_file), "--author", "青木")[0] == 0  # fmt: skip
    code, out, _ = run(
        capsys, "add", "--week", "2025-06-04", "--title", "China", "--tag", "China economy", "--body", "PMI"
    )
    assert (code, out.strip()) == (0, "added note 2 for the week ending 2025-06-06")

    code, out, _ = run(capsys, "list", "--format", "json", "--search", "解約")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 1
    assert set(listed[0]) == {"id", "week", "title", "body", "tags", "author", "version", "updated_at"}
    assert {k: listed[0][k] for k in ("id", "week", "title", "tags", "author", "version")} == {
        "id": 1, "week": "2026-01-02", "title": "Private credit", "tags": ["Private credit", "Rates/Fed"],
        "author": "青木", "version": 1,
    }  # fmt: skip
    assert listed[0]["body"] == "## 信用不安\n\nBDC の解約が増えた。\n"
    assert dt.datetime.fromisoformat(listed[0]["updated_at"]).tzinfo is not None


def test_list_filters_by_tags_and_weeks(capsys, notes_url):
    for week, tags in (
        ("2026-01-02", ["Venezuela", "Middle East"]),
        ("2025-12-12", ["Venezuela"]),
        ("2025-01-10", ["Tariffs"]),
    ):
        run(
            capsys,
            "add",
            "--week",
            week,
            "--title",
            f"note {week}",
            *[a for t in tags for a in ("--tag", t)],
            "--body",
            "",
        )

    def weeks(*argv):
        return [note["week"] for note in json.loads(run(capsys, "list", "--format", "json", *argv)[1])]

    assert weeks() == ["2026-01-02", "2025-12-12", "2025-01-10"]
    assert weeks("--tag", "Venezuela", "--tag", "Tariffs") == ["2026-01-02", "2025-12-12", "2025-01-10"]
    assert weeks("--tag", "Venezuela", "--tag", "中東情勢", "--all-tags") == ["2026-01-02"]
    assert weeks("--from", "2025-06-01", "--to", "2025-12-24") == ["2025-12-12"]
    assert weeks("--from", "2025-12-31") == ["2026-01-02"]  # a day stands for its whole week
    code, out, err = run(capsys, "list")
    assert out.splitlines()[0].startswith("2026-01-02  #1  note 2026-01-02  [Venezuela, Middle East]  v1")
    assert err.strip() == "3 notes"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--title", " ", "--body", "x"], "error: The title is empty: give the note a title."),
        (
            ["--title", "t", "--tag", "Martian policy", "--body", "x"],
            "error: Unknown tag 'Martian policy': the tags are",
        ),
        (["--title", "t", "--body-file", "/no/such/file.md"], "error: The body file /no/such/file.md does not exist."),
        (["--title", "t", "--body", "x" * 1_048_576], "error: The body has 1,048,576 characters; a note holds at most"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(capsys, notes_url, argv, message):
    code, out, err = run(capsys, "add", "--week", "2026-01-02", *argv)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1
    assert json.loads(run(capsys, "list", "--format", "json")[1]) == []


def test_an_invalid_week_is_one_line(capsys, notes_url):
    code, _, err = run(capsys, "add", "--week", "2026-13-01", "--title", "t", "--body", "x")
    assert (code, err) == (2, "error: The week: '2026-13-01' is not a date: write it as YYYY-MM-DD.\n")


def test_an_unreachable_database_exits_3(capsys, monkeypatch):
    monkeypatch.setenv("NOTES_DATABASE_URL", "postgresql+psycopg://u:secret@127.0.0.1:9/notes")
    code, _, err = run(capsys, "list")
    assert code == 3 and "cannot be used" in err and "secret" not in err


def test_export_and_import_through_the_command_line(capsys, notes_url, tmp_path, monkeypatch):
    run(capsys, "add", "--week", "2026-01-02", "--title", "Venezuela", "--tag", "Venezuela", "--body", "原油 🚀\n")
    assert (
        run(capsys, "export", "--format", "json", "--out", str(tmp_path / "n.json"))[1]
        == f"wrote 1 notes to {tmp_path / 'n.json'}\n"
    )
    assert run(capsys, "export", "--format", "markdown", "--out", str(tmp_path / "md"))[0] == 0
    monkeypatch.setenv("NOTES_DATABASE_URL", f"sqlite:///{tmp_path / 'copy.sqlite'}")
    code, out, _ = run(capsys, "import", str(tmp_path / "md"))
    assert (code, out) == (0, "1 added, 0 updated, 0 already there\n")
    assert json.loads(run(capsys, "list", "--format", "json")[1])[0]["body"] == "原油 🚀\n"
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "import", str(tmp_path / "broken.json"))
    assert code == 2 and err.startswith("error: broken.json was rejected, nothing imported:")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--title", "ok\x1b[2J\x1b]0;owned\x07", "--body", "x"],
            "error: The title contains the control character U+001B at position 3",
        ),
        (["--title", "t", "--body", "colour \x1b[31mred"], "error: The text contains the control character U+001B"),
        (["--title", "\udcff", "--body", "x"], "error: The title contains U+DCFF at position 1"),  # argv not UTF-8
        (["--title", "t", "--body", "x", "--author", "a\x9b2J"], "error: The author's name contains the control"),
        (["--title", "t", "--body", "x", "--week", "9999-12-31"], "error: The week of 9999-12-31 is outside the NYSE"),
    ],
    ids=["escape in the title", "escape in the body", "undecodable argv", "C1 in the author", "week 9999"],
)
def test_control_characters_and_impossible_weeks_are_refused_on_input(capsys, notes_url, argv, message):
    code, out, err = run(capsys, "add", "--week", "2026-01-02", *argv)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1
    assert json.loads(run(capsys, "list", "--format", "json")[1]) == []


def test_a_list_up_to_an_impossible_day_is_one_line(capsys, notes_url):
    code, _, err = run(capsys, "list", "--to", "9999-12-31")
    assert (code, err) == (
        2,
        "error: The week of 9999-12-31 is outside the NYSE calendar this app knows (1990-2040).\n",
    )
