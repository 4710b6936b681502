"""The store's revision: it moves with every write that changes what the pages show, whoever wrote it,
and never with a read; the app keys its price caches on it (tests/pages/test_data.py)."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.core.errors import StoreUnavailable
from lib.core.settings import Instrument
from lib.data.store import FundFacts, PriceStore
from tests.conftest import PROJECT_ROOT

FETCHED = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)


def tidy(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "symbol", "close"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


WEEK = tidy([("2025-12-15", "^RUO", 1598.42), ("2025-12-16", "^RUO", 1611.07), ("2025-12-15", "^GSPC", 6816.51)])


def test_a_write_by_another_store_moves_the_revision_and_reads_do_not(price_url):
    app_view, importer = PriceStore(price_url), PriceStore(price_url)  # two engines, as two processes
    before = app_view.revision()
    app_view.read(["^RUO"])
    app_view.coverage()
    app_view.instruments()
    assert app_view.revision() == before
    importer.write(WEEK, source="file week.csv", fetched_at=FETCHED)
    after = app_view.revision()
    assert after != before
    app_view.read(["^RUO", "^GSPC"])
    assert app_view.revision() == after


def test_an_import_from_the_command_line_in_another_process_moves_it(store_url, tmp_path):
    app_view = PriceStore(store_url)
    before = app_view.revision()
    prices = tmp_path / "week.csv"
    prices.write_text("date,symbol,close\n2025-12-15,^RUO,1598.42\n2025-12-16,^RUO,1611.07\n")
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "import-prices", str(prices)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PRICES_DATABASE_URL": store_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert app_view.revision() != before
    assert app_view.coverage()["^RUO"].rows == 2


def test_each_of_two_writers_at_once_is_counted(price_url):
    """The counter moves inside each write's transaction: concurrent writers never lose a move."""
    before = PriceStore(price_url).revision()
    writes_each = 5

    def write_closes(symbol: str) -> None:
        store = PriceStore(price_url)
        for day in range(writes_each):
            store.write(tidy([(f"2025-12-{day + 15:02d}", symbol, 100.0 + day)]), source="a", fetched_at=FETCHED)

    writers = [threading.Thread(target=write_closes, args=(symbol,)) for symbol in ("A", "B")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert PriceStore(price_url).revision() == before + 2 * writes_each


def test_a_write_that_only_confirms_stored_closes_keeps_it(price_url):
    """A refresh's overlap re-sends closes already stored: no page has anything new to show."""
    store = PriceStore(price_url)
    store.write(WEEK, source="Yahoo Finance", fetched_at=FETCHED)
    stored = store.revision()
    store.write(WEEK, source="Yahoo Finance", fetched_at=FETCHED + dt.timedelta(hours=1))
    assert store.revision() == stored
    store.write(WEEK.iloc[:1], source="file week.csv", fetched_at=FETCHED)  # same close, another source
    assert store.revision() != stored
    moved = store.revision()
    store.write(tidy([("2025-12-16", "^RUO", 1611.08)]), source="file week.csv", fetched_at=FETCHED)  # revised
    assert store.revision() != moved
    moved = store.revision()
    store.write(tidy([("2025-12-17", "^RUO", 1589.93)]), source="file week.csv", fetched_at=FETCHED)  # new day
    assert store.revision() != moved


def test_an_empty_write_keeps_it(price_url):
    store = PriceStore(price_url)
    store.write(WEEK, source="a", fetched_at=FETCHED)
    before = store.revision()
    assert store.write(tidy([]), source="b", fetched_at=FETCHED) == 0
    assert store.write(tidy([("2025-12-17", "^RUO", float("nan"))]), source="b", fetched_at=FETCHED) == 0
    assert store.revision() == before


def test_fund_descriptions_and_facts_move_it_the_fund_list_and_fetch_attempts_do_not(price_url):
    store = PriceStore(price_url)
    before = store.revision()
    store.save_instrument(Instrument("JP-X", "X fund", "Xファンド", "mutual_fund", "JPY"))
    described = store.revision()
    assert described != before
    store.save_fund_facts("IWO", FundFacts(0.24, 1.2e10, FETCHED))
    with_facts = store.revision()
    assert with_facts != described
    store.save_funds(["IWO", "JP-X"])  # read fresh on every run, cached nowhere
    store.record_attempt("Yahoo Finance", at=FETCHED, ok=False, message="DNS")
    assert store.revision() == with_facts


def test_a_write_refused_by_a_locked_database_keeps_it(tmp_path):
    path = tmp_path / "prices.sqlite"
    store = PriceStore(f"sqlite:///{path}", busy_timeout_ms=200)
    store.write(WEEK, source="a", fetched_at=FETCHED)
    before = store.revision()
    holder = sqlite3.connect(path, timeout=0.1)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="locked by another process"):
            store.write(tidy([("2025-12-17", "^RUO", 1589.93)]), source="a", fetched_at=FETCHED)
    finally:
        holder.rollback()
        holder.close()
    assert store.revision() == before


def test_a_store_made_before_the_revision_existed_gets_it_and_keeps_its_closes(tmp_path: Path):
    path = tmp_path / "old.sqlite"
    with closing(sqlite3.connect(path)) as old:  # the price table as the previous version created it
        old.execute(
            "CREATE TABLE price_close (symbol VARCHAR(32) NOT NULL, day DATE NOT NULL, close FLOAT NOT NULL, "
            "source VARCHAR(200) NOT NULL, fetched_at DATETIME NOT NULL, PRIMARY KEY (symbol, day))"
        )
        old.execute("INSERT INTO price_close VALUES ('^RUO', '2025-12-15', 1598.42, 'file old.csv', '2025-12-16')")
        old.commit()
    store = PriceStore(f"sqlite:///{path}")
    assert store.revision() == 0
    assert store.read(["^RUO"])["^RUO"].tolist() == [1598.42]
    store.write(tidy([("2025-12-16", "^RUO", 1611.07)]), source="file new.csv", fetched_at=FETCHED)
    assert store.revision() == 1
    assert "store_revision" in sa.inspect(store.engine).get_table_names()


def test_a_revision_that_cannot_be_read_says_why(tmp_path: Path):
    path = tmp_path / "prices.sqlite"
    store = PriceStore(f"sqlite:///{path}")
    with closing(sqlite3.connect(path)) as other:  # e.g. a tool that dropped the table behind the app's back
        other.execute("DROP TABLE store_revision")
        other.commit()
    with pytest.raises(StoreUnavailable, match=r"prices\.sqlite cannot be used \(no such table: store_revision\)"):
        store.revision()
