"""What the command line writes cannot attack its reader (issue 18, items 1 and 14).

- a fund named `=HYPERLINK(...)` (`import-nav --name`) or `@SUM(...)` (`--name-ja`) comes out of
  `funds --format csv` as text a spreadsheet shows, not a formula; on both database backends;
- a title holding terminal escapes (stored before control characters were refused at input) is
  printed by `notes list` with its control characters written out, and `--format json` stays valid
  JSON with none of them raw; an error naming such input on stderr is escaped the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.cli import main as cli
from lib.cli.terminal import json_text, terminal_text
from tests.conftest import FIXTURES, offline_yfinance_frame, postgres_schema, store_closes

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
HYPERLINK = '=HYPERLINK("http://evil.invalid","Click")'
ESCAPES = "ok\x1b[2J\x1b]0;owned\x07"  # clears the screen and retitles the terminal when printed raw
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def offline(symbols, start, end, repair):
    return offline_yfinance_frame(symbols)


def run(capsys, *argv):
    code = cli.main(list(argv), now=NOW, fetcher=offline)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=["sqlite", "postgresql"])
def price_url(request: pytest.FixtureRequest, store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty price store on each backend, seen by the command line (PRICES_DATABASE_URL)."""
    if request.param == "sqlite":
        return store_url
    url = postgres_schema(request)
    monkeypatch.setenv("PRICES_DATABASE_URL", url)
    return url


def fund_cells(csv_out: str) -> list[str]:
    """The first cell of every line of the CSV, as written (the fund's name)."""
    return [line.split(",", 1)[0] for line in csv_out.splitlines()]


def test_a_fund_named_like_a_formula_is_text_in_the_funds_csv(capsys, price_url):
    from lib.data.demo import demo_closes

    benchmark = demo_closes(pd.Timestamp("2025-12-31"))[["IWO"]].dropna()
    store_closes(price_url, benchmark, source="file iwo.csv", fetched_at=NOW)
    nav = FIXTURES / "nav_files" / "sample_sjis.csv"
    code, _, err = run(
        capsys, "import-nav", str(nav), "--symbol", "JP-SCG", "--name", HYPERLINK, "--name-ja", "@SUM(1+1)"
    )
    assert code == 0, err

    code, out, _ = run(capsys, "funds", "--format", "csv", "--latest")
    assert code == 0
    assert '"\'=HYPERLINK(""http://evil.invalid"",""Click"")",JP-SCG,' in out  # the CSV quotes its quotes
    assert not any(cell.startswith(("=", "@", '"=', '"@')) for cell in fund_cells(out))

    code, out, _ = run(capsys, "funds", "--format", "csv", "--latest", "--lang", "ja")
    assert code == 0 and "'@SUM(1+1),JP-SCG," in out
    assert not any(cell.startswith(("=", "@", '"=', '"@')) for cell in fund_cells(out))

    code, out, _ = run(capsys, "funds", "--format", "json", "--latest")  # JSON is data: the name as given
    assert json.loads(out)["funds"]["JP-SCG"]["name"] == HYPERLINK


def store_hostile_title(notes_url: str, title: str, body: str = "") -> None:
    """A note whose title holds `title` as stored by an earlier version that let control characters in."""
    assert cli.main(["notes", "add", "--week", "2026-01-02", "--title", "clean", "--body", "clean"], now=NOW) == 0
    engine = sa.create_engine(notes_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE note SET title = :title, body = :body"), {"title": title, "body": body})
    engine.dispose()


def test_notes_list_writes_out_terminal_escapes_in_a_title(capsys, notes_url):
    store_hostile_title(notes_url, ESCAPES, body="first\x9b31m line")
    capsys.readouterr()
    code, out, _ = run(capsys, "notes", "list")
    assert code == 0
    assert not RAW_CONTROL.search(out)
    assert out.startswith("2026-01-02  #1  ok\\x1b[2J\\x1b]0;owned\\x07  [no tags]  v1 ")
    assert out.splitlines()[1] == "    first\\x9b31m line"

    code, out, _ = run(capsys, "notes", "list", "--format", "json")
    assert code == 0 and not RAW_CONTROL.search(out)
    listed = json.loads(out)  # still valid JSON, and the text comes back exactly
    assert (listed[0]["title"], listed[0]["body"]) == (ESCAPES, "first\x9b31m line")


def test_an_error_naming_the_input_is_escaped_on_stderr(capsys, notes_url):
    code, out, err = run(
        capsys, "notes", "add", "--week", "2026-01-02", "--title", "t", "--tag", "x\x1b[2J\x9b", "--body", ""
    )
    assert code == 2 and out == ""
    assert err.startswith("error: ") and "x\\x1b[2J\\x9b" in err  # the tag named, written out
    assert not RAW_CONTROL.search(err)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (ESCAPES, "ok\\x1b[2J\\x1b]0;owned\\x07"),
        ("line\nnext\tcolumn", "line\nnext\tcolumn"),  # newlines and tabs lay out the output
        ("over\rwrite", "over\\x0dwrite"),  # a CR would let a line print over another
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),  # NUL, DEL and C1 (NEL, CSI)
        ("\ud800", "\\ud800"),  # a lone surrogate cannot be encoded: written out, not a crash
        ("米国のベネズエラ攻撃 é ½", "米国のベネズエラ攻撃 é ½"),
    ],
)
def test_terminal_text_writes_out_control_characters(text, shown):
    assert terminal_text(text) == shown


def test_json_text_escapes_what_json_dumps_leaves_raw_and_reads_back_the_same():
    value = {"title": "\x1b[2J\x7f\x9b\x85 信用不安", "n": -1.5}
    dumped = json_text(value)
    assert not RAW_CONTROL.search(dumped) and "信用不安" in dumped
    assert "\\u009b" in dumped and "\\u001b" in dumped
    assert json.loads(dumped) == value
