"""Imports into the price store, on SQLite and PostgreSQL (issue 18, items 3, 4 and 7).

Proven here, each with closes written by hand:
- a symbol has one kind and one currency: a NAV import under an index (^GSPC), a USD fund of the
  settings (VSGAX), a fund stored in another currency, or a symbol holding closes of no recorded kind is
  refused, naming what the symbol is, and nothing changes;
- a NAV import is one transaction: a bad name or currency is refused before the store is touched, and a
  database failure at its last statement (the fund-list entry) leaves every table as it was;
- an import that would move stored closes by more than 0.5 % is refused, naming how many and the
  largest move, until it is asked to replace them; the replaced closes are kept with their source and
  time, and undoing the import brings them back and removes the closes it added.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.core.errors import ClosesWouldChange, InvalidFund, NothingToUndo, StoreUnavailable, SymbolTaken
from lib.core.settings import Instrument
from lib.data import prices
from lib.data.access import OPERATOR
from lib.data.nav_import import import_nav
from lib.data.price_files import parse_price_text
from lib.data.price_tables import metadata
from lib.data.store import PriceStore

YAHOO_AT = dt.datetime(2025, 12, 20, 1, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)
NAV_JUNE = "基準日,基準価額\n2025/06/02,10630\n2025/06/03,10655\n".encode()


def tidy(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "symbol", "close"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def snapshot(store: PriceStore) -> dict[str, list[tuple]]:
    """Every row of every table of the store (either backend), sorted."""
    with store.engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(sa.select(table)).all()), key=repr)
            for table in metadata.sorted_tables
        }


def closes_of(store: PriceStore) -> dict[tuple[str, str], tuple[float, str]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT symbol, day, close, source FROM price_close")).all()
    return {(symbol, str(day)): (close, source) for symbol, day, close, source in rows}


def history_of(store: PriceStore) -> list[tuple]:
    query = "SELECT symbol, day, close, source, replaced_by FROM price_close_history ORDER BY symbol, day"
    with store.engine.connect() as connection:
        return [(s, str(d), c, src, by) for s, d, c, src, by in connection.execute(sa.text(query))]


@pytest.fixture
def yahoo_store(price_url: str) -> PriceStore:
    """^GSPC and ^RUO closes from Yahoo, as a refresh leaves them."""
    store = PriceStore(price_url)
    store.write(
        tidy(
            [
                ("2025-06-02", "^GSPC", 5935.94),
                ("2025-06-03", "^GSPC", 5970.37),
                ("2025-12-15", "^RUO", 1598.42),
                ("2025-12-16", "^RUO", 1611.07),
                ("2025-12-17", "^RUO", 1589.93),
            ]
        ),
        source="Yahoo Finance",
        fetched_at=YAHOO_AT,
    )
    return store


def nav(store: PriceStore, raw: bytes = NAV_JUNE, **fields: str) -> object:
    values = {"symbol": "JP-SCG", "fund_name": "Sample fund", "fund_name_ja": "サンプル", "currency": "JPY"}
    return import_nav(store, raw, name="nav.csv", now=NOW, **{**values, **fields})


# --- item 4: a symbol has one kind and one currency -------------------------------------------


def test_a_nav_file_under_the_s_and_p_500_is_refused_and_its_closes_stay(yahoo_store):
    before = snapshot(yahoo_store)
    with pytest.raises(SymbolTaken) as refused:
        nav(yahoo_store, symbol="^GSPC", fund_name="x", fund_name_ja="x")
    assert str(refused.value) == (
        "^GSPC is S&P 500, an index in USD: a fund in JPY cannot be stored under it, so nothing was imported. "
        "Give this fund another identifier."
    )
    assert "S&P 500（指数、USD建て）" in refused.value.text("ja")
    assert snapshot(yahoo_store) == before
    assert closes_of(yahoo_store)[("^GSPC", "2025-06-02")] == (5935.94, "Yahoo Finance")


@pytest.mark.parametrize(
    ("symbol", "currency", "said"),
    [
        ("VSGAX", "JPY", "VSGAX is Vanguard Small-Cap Growth Index Fund Admiral Shares, a fund in USD: a fund in JPY"),
        ("JP-SCG", "USD", "JP-SCG is Sample fund, a fund in JPY: a fund in USD"),
    ],
)
def test_a_fund_cannot_change_its_currency(yahoo_store, symbol, currency, said):
    nav(yahoo_store)  # JP-SCG: a JPY fund from now on
    before = snapshot(yahoo_store)
    with pytest.raises(SymbolTaken, match=said):
        nav(yahoo_store, symbol=symbol, currency=currency)
    assert snapshot(yahoo_store) == before


def test_closes_of_no_recorded_kind_are_not_taken_over_by_a_nav_file(yahoo_store):
    yahoo_store.write(tidy([("2025-06-02", "FSSNX", 25.1)]), source="Yahoo Finance", fetched_at=YAHOO_AT)
    before = snapshot(yahoo_store)
    with pytest.raises(SymbolTaken, match="FSSNX already holds 1 closes from Yahoo Finance, with no kind or currency"):
        nav(yahoo_store, symbol="FSSNX")
    assert snapshot(yahoo_store) == before


def test_a_revised_nav_file_of_the_same_fund_is_taken(yahoo_store):
    nav(yahoo_store)
    nav(yahoo_store, "基準日,基準価額\n2025/06/03,10660\n2025/06/04,10700\n".encode())  # +0.05 %: a revision
    assert closes_of(yahoo_store)[("JP-SCG", "2025-06-03")] == (10660.0, "file nav.csv")
    assert yahoo_store.instruments()["JP-SCG"][0] == Instrument(
        "JP-SCG", "Sample fund", "サンプル", "mutual_fund", "JPY"
    )


# --- item 7: one transaction, bad input refused before the store is touched -------------------


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"fund_name": "x" * 300}, "The fund name is 300 characters long; at most 200 are kept."),
        ({"fund_name_ja": "あ" * 201}, "The Japanese fund name is 201 characters long; at most 200 are kept."),
        ({"currency": "JPYEN"}, "'JPYEN' is not a currency code"),
        ({"fund_name": "  "}, "The fund name is empty"),
        ({"fund_name": "x\x1b[2J"}, "The fund name contains a control character"),
    ],
)
def test_a_description_that_cannot_be_kept_is_refused_before_anything_is_stored(yahoo_store, fields, said):
    before = snapshot(yahoo_store)
    with pytest.raises(InvalidFund, match=said.replace("(", r"\(")):
        nav(yahoo_store, **fields)
    assert snapshot(yahoo_store) == before


def fail_fund_list_inserts(store: PriceStore) -> None:
    """A trigger: the database refuses the fund-list entry, the last statement of a NAV import."""
    with store.engine.begin() as connection:
        if store.engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER disk_full BEFORE INSERT ON fund_list BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
            return
        connection.exec_driver_sql(
            "CREATE FUNCTION disk_full() RETURNS trigger "
            "AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql"
        )
        connection.exec_driver_sql(
            "CREATE TRIGGER disk_full BEFORE INSERT ON fund_list FOR EACH ROW EXECUTE FUNCTION disk_full()"
        )


def test_a_database_failure_at_the_end_of_a_nav_import_keeps_nothing_of_it(yahoo_store):
    fail_fund_list_inserts(yahoo_store)
    before = snapshot(yahoo_store)
    with pytest.raises(StoreUnavailable, match="disk full"):
        nav(yahoo_store)
    assert snapshot(yahoo_store) == before  # no NAV, no description, no list entry, no revision


def test_a_nav_import_stores_prices_description_and_list_entry_together(yahoo_store):
    revision = yahoo_store.revision()
    nav(yahoo_store)
    assert closes_of(yahoo_store)[("JP-SCG", "2025-06-02")] == (10630.0, "file nav.csv")
    assert yahoo_store.instruments()["JP-SCG"][0].currency == "JPY"
    assert yahoo_store.saved_funds()[-1] == "JP-SCG"  # the default list, then the fund
    assert yahoo_store.revision() > revision


# --- item 3: an import that would move stored closes, the history, undo -----------------------


def price_file(text: str, name: str = "fix.csv"):
    return parse_price_text(text.encode(), name=name, today=pd.Timestamp("2026-01-07"))


# 1598.42 -> 1614.40 is +1.00 %, 1611.07 -> 1659.40 is +3.00 %, 1589.93 -> 1590.00 is +0.004 %
MOVES = "date,symbol,close\n2025-12-15,^RUO,1614.40\n2025-12-16,^RUO,1659.40\n2025-12-17,^RUO,1590.00\n"


def test_an_import_moving_stored_closes_is_refused_naming_how_many_and_the_largest(yahoo_store):
    before = snapshot(yahoo_store)
    with pytest.raises(ClosesWouldChange) as refused:
        prices.import_file(yahoo_store, price_file(MOVES), now=NOW, by=OPERATOR)
    assert str(refused.value).startswith(
        "file fix.csv would change 2 stored closes by more than 0.5 % "
        "(the largest: ^RUO on 2025-12-16, 1,611.07 → 1,659.4, +3.00 %); nothing was imported."
    )
    assert "2025年12月16日 の ^RUO、1,611.07 → 1,659.4、+3.00%" in refused.value.text("ja")
    assert snapshot(yahoo_store) == before


def test_a_decimal_comma_read_as_thousands_cannot_overwrite_a_close(yahoo_store):
    yahoo_store.write(tidy([("2025-06-04", "^GSPC", 5881.63)]), source="Yahoo Finance", fetched_at=YAHOO_AT)
    with pytest.raises(ClosesWouldChange, match=r"5,881\.63 → 588,163, \+9900\.00 %"):
        prices.import_file(yahoo_store, price_file("date,symbol,close\n2025-06-04,^GSPC,588163\n"), now=NOW)
    assert closes_of(yahoo_store)[("^GSPC", "2025-06-04")] == (5881.63, "Yahoo Finance")


def test_replaced_closes_are_kept_and_undo_brings_them_back(yahoo_store):
    before = closes_of(yahoo_store)
    with_new_day = MOVES + "2025-12-18,^RUO,1602.18\n"
    imported = prices.import_file(yahoo_store, price_file(with_new_day), now=NOW, by=OPERATOR, replace=True)
    assert (imported.rows, imported.replaced, imported.source) == (4, 3, "file fix.csv")
    assert closes_of(yahoo_store)[("^RUO", "2025-12-16")] == (1659.40, "file fix.csv")
    assert history_of(yahoo_store) == [
        ("^RUO", "2025-12-15", 1598.42, "Yahoo Finance", "file fix.csv"),
        ("^RUO", "2025-12-16", 1611.07, "Yahoo Finance", "file fix.csv"),
        ("^RUO", "2025-12-17", 1589.93, "Yahoo Finance", "file fix.csv"),
    ]
    undone = yahoo_store.undo_import("file fix.csv", by=OPERATOR)
    assert (undone.restored, undone.removed, undone.at) == (3, 1, NOW)
    assert closes_of(yahoo_store) == before  # values and sources back, the added day gone
    assert yahoo_store.coverage()["^RUO"].fetched_at == YAHOO_AT  # and their times
    assert history_of(yahoo_store) == []
    with pytest.raises(NothingToUndo, match="The store holds no closes from file fix.csv"):
        yahoo_store.undo_import("file fix.csv", by=OPERATOR)


def test_moves_within_the_limit_need_no_confirmation(yahoo_store):
    small = "date,symbol,close\n2025-12-15,^RUO,1606.40\n2025-12-17,^RUO,1590.00\n"  # +0.499 %, +0.004 %
    imported = prices.import_file(yahoo_store, price_file(small), now=NOW)
    assert imported.replaced == 2
    assert closes_of(yahoo_store)[("^RUO", "2025-12-15")] == (1606.40, "file fix.csv")


def test_undo_takes_back_the_latest_import_that_changed_something(yahoo_store):
    first = "date,symbol,close\n2025-12-18,^RUO,1602.18\n"
    prices.import_file(yahoo_store, price_file(first), now=NOW)
    prices.import_file(yahoo_store, price_file(first), now=LATER)  # the same file again: nothing new
    undone = yahoo_store.undo_import("file fix.csv", by=OPERATOR)
    assert (undone.at, undone.restored, undone.removed) == (NOW, 0, 1)
    assert ("^RUO", "2025-12-18") not in closes_of(yahoo_store)


def test_a_yahoo_refresh_revises_without_a_limit_and_keeps_what_it_replaced(yahoo_store):
    yahoo_store.write(tidy([("2025-12-16", "^RUO", 1659.40)]), source="Yahoo Finance", fetched_at=NOW)
    assert closes_of(yahoo_store)[("^RUO", "2025-12-16")] == (1659.40, "Yahoo Finance")
    assert history_of(yahoo_store) == [("^RUO", "2025-12-16", 1611.07, "Yahoo Finance", "Yahoo Finance")]


def test_a_refused_nav_import_keeps_nothing_either(yahoo_store):
    nav(yahoo_store)
    before = snapshot(yahoo_store)
    with pytest.raises(ClosesWouldChange, match="file nav.csv would change 1 stored closes"):
        nav(yahoo_store, "基準日,基準価額\n2025/06/02,1063\n".encode())  # a lost digit
    assert snapshot(yahoo_store) == before
    nav(yahoo_store, "基準日,基準価額\n2025/06/02,1063\n".encode(), replace=True)  # import_nav's own flag
    assert closes_of(yahoo_store)[("JP-SCG", "2025-06-02")] == (1063.0, "file nav.csv")


def test_a_toushin_kyokai_file_stores_the_reinvested_nav_it_builds(yahoo_store):
    # toushin_kyokai.csv worked by hand in tests/lib/data/test_nav_files.py: 2024-11-29 NAV 9500 with
    # a 500 distribution is stored as 10000 (10100 * (9500 + 500) / 10100), 2024-12-30 as 10710
    from tests.conftest import FIXTURES

    nav(yahoo_store, (FIXTURES / "nav_files" / "toushin_kyokai.csv").read_bytes())
    stored = closes_of(yahoo_store)
    assert stored[("JP-SCG", "2024-11-29")][0] == pytest.approx(10000.0)
    assert stored[("JP-SCG", "2024-12-30")][0] == pytest.approx(10710.0)
    assert yahoo_store.instruments()["JP-SCG"][1] == ""  # a total return: no "without distributions" note


def test_the_store_lists_the_files_it_holds_latest_first_for_undo(yahoo_store):
    assert yahoo_store.imports() == []  # Yahoo's closes are no file's
    prices.import_file(yahoo_store, price_file("date,symbol,close\n2025-12-18,^RUO,1602.18\n"), now=NOW)
    nav(yahoo_store)  # nav.csv: two NAVs, at the same time as fix.csv
    later = price_file("date,symbol,close\n2025-12-19,^RUO,1610.00\n", name="100%_file.csv")  # % is no wildcard
    prices.import_file(yahoo_store, later, now=LATER)
    held = [(i.source, i.at, i.closes) for i in yahoo_store.imports()]
    assert held == [("file 100%_file.csv", LATER, 1), ("file fix.csv", NOW, 1), ("file nav.csv", NOW, 2)]
