"""Who may change the shared price data, and the shared fund list under concurrent sessions, on SQLite
and PostgreSQL (issue 18, items 8 and 9).

Proven here:
- read-only (NOTES_READ_ONLY / [notes] read_only) is enforced by the store for every writer of shared
  data: imports of price and NAV files, closes typed by hand, the fund list, undo; the command line too
  (an operator is bound by read_only). A Yahoo refresh, a cache, still writes;
- with [notes] editors, only a listed (logged-in) e-mail changes them, in any case; the command line,
  an operator's tool, is not bound by the list;
- the fund list is changed, not replaced: a session's stale copy cannot bring back a fund another
  session removed, and concurrent changes from two writers are all kept.
"""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import pytest

from lib.core.errors import WriteRefused
from lib.core.settings import DEFAULT_FUNDS
from lib.data import prices
from lib.data.access import OPERATOR, Editor
from lib.data.nav_import import import_nav
from lib.data.price_files import parse_price_text
from lib.data.store import PriceStore
from tests.lib.data.test_store_imports import NAV_JUNE, NOW, snapshot, tidy

WEEK = "date,symbol,close\n2025-12-15,^RUO,1598.42\n2025-12-16,^RUO,1611.07\n"
AOKI = Editor(email="Aoki@Example.com")


def writes(store: PriceStore, by: Editor) -> dict:
    """Every write of shared data, as `by` asks it."""
    week = parse_price_text(WEEK.encode(), name="week.csv", today=pd.Timestamp("2026-01-07"))
    typed = tidy([("2025-12-17", "^RUO", 1589.93)])
    return {
        "price file": lambda: prices.import_file(store, week, now=NOW, by=by),
        "NAV file": lambda: import_nav(
            store,
            NAV_JUNE,
            name="nav.csv",
            symbol="JP-X",
            fund_name="X",
            fund_name_ja="X",
            currency="JPY",
            now=NOW,
            by=by,
        ),  # fmt: skip
        "typed close": lambda: store.import_closes(
            typed, source="entered by hand", fetched_at=NOW, by=by, replace=True
        ),
        "fund list change": lambda: store.change_funds(added=["IWO"], removed=["VSGAX"], by=by),
        "fund list": lambda: store.save_funds(["IWO"], by=by),
        "undo": lambda: store.undo_import("file week.csv", by=by),
    }


@pytest.fixture
def shared(price_url: str) -> PriceStore:
    """A store with an import to undo and a saved list."""
    store = PriceStore(price_url)
    week = parse_price_text(WEEK.encode(), name="week.csv", today=pd.Timestamp("2026-01-07"))
    prices.import_file(store, week, now=NOW - dt.timedelta(days=1))
    store.save_funds(["VSGAX", "PRNHX"])
    return store


@pytest.mark.parametrize("write", ["price file", "NAV file", "typed close", "fund list change", "fund list", "undo"])
@pytest.mark.parametrize("by", [OPERATOR, AOKI], ids=["command line", "an editor"])
def test_a_read_only_deployment_refuses_every_write_of_shared_data(shared, monkeypatch, write, by):
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    before = snapshot(shared)
    with pytest.raises(WriteRefused, match=r"read-only on this deployment \(\[notes\] read_only or NOTES_READ_ONLY\)"):
        writes(shared, by)[write]()
    assert snapshot(shared) == before


def test_a_read_only_deployment_still_refreshes_its_cache_from_yahoo(shared, monkeypatch):
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    shared.write(tidy([("2025-12-17", "^RUO", 1589.93)]), source="Yahoo Finance", fetched_at=NOW)
    assert shared.coverage()["^RUO"].rows == 3


@pytest.mark.parametrize(
    ("by", "said"),
    [
        (Editor(), "Only this deployment's editors may change the price data and the fund list: log in"),
        (Editor(email="intern@example.com"), "intern@example.com may read the price data and the fund list but"),
    ],
)
@pytest.mark.parametrize("write", ["price file", "NAV file", "typed close", "fund list change", "undo"])
def test_with_an_editor_list_others_are_refused(shared, monkeypatch, write, by, said):
    monkeypatch.setenv("NOTES_EDITORS", "aoki@example.com, baba@example.com")
    before = snapshot(shared)
    with pytest.raises(WriteRefused, match=said):
        writes(shared, by)[write]()
    assert snapshot(shared) == before


@pytest.mark.parametrize("by", [AOKI, OPERATOR], ids=["a listed editor", "command line"])
def test_with_an_editor_list_editors_and_the_command_line_write(shared, monkeypatch, by):
    monkeypatch.setenv("NOTES_EDITORS", "aoki@example.com")
    for write in ("price file", "NAV file", "typed close", "fund list change"):
        writes(shared, by)[write]()
    assert shared.saved_funds() == ["PRNHX", "JP-X", "IWO"]
    assert shared.coverage()["JP-X"].rows == 2


# --- item 9: the fund list is changed, never replaced by a stale copy --------------------------


def test_a_stale_session_cannot_bring_back_a_removed_fund(shared):
    # Session A showed ["VSGAX", "PRNHX"]; session B removes VSGAX; A only moves its risk-free rate: it
    # has no change of the list to save, and a change A makes later keeps B's removal.
    shared.change_funds(added=[], removed=["VSGAX"], by=AOKI)
    assert shared.change_funds(added=[], removed=[], by=AOKI) == ["PRNHX"]
    assert shared.change_funds(added=["IWO"], removed=[], by=AOKI) == ["PRNHX", "IWO"]


def test_a_list_never_saved_starts_from_the_defaults_and_an_emptied_one_stays_empty(price_url):
    store = PriceStore(price_url)
    assert store.saved_funds() is None
    assert store.change_funds(added=["JP-X"], removed=["VSGAX"], by=AOKI) == [
        *[symbol for symbol in DEFAULT_FUNDS if symbol != "VSGAX"],
        "JP-X",
    ]
    everything = store.saved_funds()
    assert store.change_funds(added=[], removed=everything, by=AOKI) == []
    assert store.saved_funds() == []


def test_concurrent_changes_of_the_list_are_all_kept(shared):
    """Two sessions add ten funds each at the same time: the list's queue makes them take turns."""
    symbols = {name: [f"{name}{i}" for i in range(10)] for name in ("A", "B")}

    def add_each(name: str) -> None:
        store = PriceStore(shared.url)  # an engine of its own, as another server
        for symbol in symbols[name]:
            store.change_funds(added=[symbol], removed=[], by=AOKI)

    writers = [threading.Thread(target=add_each, args=(name,)) for name in symbols]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    saved = shared.saved_funds()
    assert saved[:2] == ["VSGAX", "PRNHX"] and sorted(saved[2:]) == sorted(symbols["A"] + symbols["B"])
    for name in symbols:  # each writer's funds in the order it added them
        assert [symbol for symbol in saved if symbol.startswith(name)] == symbols[name]
