"""The command line's writes to the price store, on SQLite and PostgreSQL (issue 18, items 3, 4, 7, 8
and 15): what is refused exits 2 with its reason and stores nothing; `--replace` and `undo-import`.

Expected values are the closes written here by hand and the sentences a user reads.
"""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from lib.cli import main as cli
from lib.data.demo import demo_closes
from lib.data.store import PriceStore
from tests.conftest import offline_yfinance_frame, store_closes
from tests.lib.data.test_store_imports import closes_of, history_of, snapshot, tidy

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
YAHOO_AT = dt.datetime(2025, 12, 20, 1, 0, tzinfo=dt.UTC)
NAV_JUNE = "基準日,基準価額\n2025/06/02,10630\n2025/06/03,10655\n"


def offline(symbols, start, end, repair):
    return offline_yfinance_frame(symbols)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv), now=NOW, fetcher=offline)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def store(price_url: str) -> PriceStore:
    """The S&P 500 of 2025-06-02 and 03 and a week of ^RUO, as a Yahoo refresh leaves them."""
    store = PriceStore(price_url)
    rows = [("2025-06-02", "^GSPC", 5935.94), ("2025-06-03", "^GSPC", 5970.37)]
    rows += [("2025-12-15", "^RUO", 1598.42), ("2025-12-16", "^RUO", 1611.07), ("2025-12-17", "^RUO", 1589.93)]
    store.write(tidy(rows), source="Yahoo Finance", fetched_at=YAHOO_AT)
    return store


def close_of(store: PriceStore, symbol: str, day: str) -> float:
    return float(store.read([symbol])[symbol].loc[day])


def test_a_nav_file_cannot_replace_the_s_and_p_500(capsys, tmp_path, store):
    nav = tmp_path / "nav.csv"
    nav.write_text(NAV_JUNE, encoding="utf-8")
    before = snapshot(store)
    code, out, err = run(capsys, "import-nav", str(nav), "--symbol", "^GSPC", "--name", "x")
    assert (code, out) == (2, "")
    assert err.startswith("error: ^GSPC is S&P 500, an index in USD: a fund in JPY cannot be stored under it")
    assert snapshot(store) == before
    assert close_of(store, "^GSPC", "2025-06-02") == 5935.94


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--name", "x" * 300, "error: The fund name is 300 characters long; at most 200 are kept."),
        ("--currency", "JPYEN", "error: 'JPYEN' is not a currency code: give the three letters of its ISO code"),
        ("--name-ja", "ファンド\n名", "error: The Japanese fund name contains a control character or a line break"),
    ],
)
def test_a_nav_import_with_a_bad_description_exits_2_and_stores_nothing(capsys, tmp_path, store, option, value, said):
    nav = tmp_path / "nav.csv"
    nav.write_text(NAV_JUNE, encoding="utf-8")
    arguments = {"--name": "Sample fund", "--currency": "JPY", "--name-ja": "サンプル", option: value}
    before = snapshot(store)
    code, _, err = run(capsys, "import-nav", str(nav), "--symbol", "JP-X", *sum(arguments.items(), ()))
    assert code == 2 and err.startswith(said)
    assert snapshot(store) == before  # not the 2 NAVs without their fund (PostgreSQL stored them before)


MOVES = "date,symbol,close\n2025-12-15,^RUO,1614.40\n2025-12-16,^RUO,1659.40\n2025-12-17,^RUO,1590.00\n"


def test_a_price_file_moving_stored_closes_needs_replace_and_can_be_undone(capsys, tmp_path, store):
    fix = tmp_path / "fix.csv"
    fix.write_text(MOVES)
    before, closes_before = snapshot(store), closes_of(store)
    code, out, err = run(capsys, "import-prices", str(fix))
    assert (code, out) == (2, "")
    assert err.startswith(
        "error: file fix.csv would change 2 stored closes by more than 0.5 % "
        "(the largest: ^RUO on 2025-12-16, 1,611.07 → 1,659.4, +3.00 %); nothing was imported. "
        "To replace them, import again with --replace"
    )
    assert snapshot(store) == before
    code, out, _ = run(capsys, "import-prices", str(fix), "--replace")
    assert code == 0
    assert out.splitlines()[-1] == (
        "3 stored closes replaced; the old ones are kept (undo-import brings them back: source “file fix.csv”)."
    )
    assert close_of(store, "^RUO", "2025-12-16") == 1659.40
    code, out, _ = run(capsys, "undo-import", "fix.csv")
    assert code == 0
    assert out == (
        "Undid the import of file fix.csv at 2026-01-07 22:00 UTC: 3 closes got back their previous values, "
        "0 closes it had added were removed.\n"
    )
    assert closes_of(store) == closes_before and history_of(store) == []
    code, _, err = run(capsys, "undo-import", "fix.csv")
    assert code == 2 and err.startswith("error: The store holds no closes from file fix.csv: there is nothing to undo")


def test_a_read_only_deployment_refuses_imports_from_the_command_line(capsys, tmp_path, store, monkeypatch):
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    week = tmp_path / "week.csv"
    week.write_text("date,symbol,close\n2025-12-18,^RUO,1602.18\n")
    nav = tmp_path / "nav.csv"
    nav.write_text(NAV_JUNE, encoding="utf-8")
    before = snapshot(store)
    for command in (["import-prices", str(week)], ["import-nav", str(nav), "--symbol", "JP-X", "--name", "x"]):
        code, out, err = run(capsys, *command)
        assert (code, out) == (2, "")
        assert err == (
            "error: The price data and the fund list are read-only on this deployment ([notes] read_only or "
            "NOTES_READ_ONLY): imports and changes are refused.\n"
        )
    assert snapshot(store) == before


# --- item 15: the report's fund CSV names an imported fund and its currency -------------------


def test_the_reports_fund_csv_shows_an_imported_jpy_fund_by_its_name_and_currency(capsys, tmp_path, price_url):
    closes = demo_closes(pd.Timestamp("2025-12-31"))[["^RUO", "^GSPC", "^DJI", "IWO"]]
    store_closes(price_url, closes, source="file team.csv", fetched_at=NOW)
    days = pd.bdate_range("2025-01-02", "2025-12-30")
    nav = tmp_path / "nav.csv"
    nav.write_text("基準日,基準価額\n" + "".join(f"{day:%Y/%m/%d},{10000 + i}\n" for i, day in enumerate(days)))
    name = ["--name", "Sample JP small-cap fund", "--name-ja", "サンプル小型株ファンド"]
    assert run(capsys, "import-nav", str(nav), "--symbol", "JP-SCG", *name)[0] == 0
    code, _, err = run(capsys, "report", "--as-of", "2025-12-31", "--lang", "en", "--out", str(tmp_path / "out"))
    assert code == 0, err
    (table,) = (tmp_path / "out").glob("funds_as_of_*.csv")
    rows = {row["Ticker"]: row for row in csv.DictReader(table.read_text(encoding="utf-8").splitlines())}
    assert (rows["JP-SCG"]["Fund"], rows["JP-SCG"]["Currency"]) == ("Sample JP small-cap fund", "JPY")
