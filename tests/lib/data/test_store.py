import datetime as dt
import sqlite3

import pandas as pd
import pytest

from lib.core.errors import StoreUnavailable
from lib.data.store import PriceStore
from tests.conftest import postgres_schema

FETCHED = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)


def tidy(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "symbol", "close"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_round_trip_and_coverage(store_url):
    store = PriceStore(store_url)
    written = store.write(
        tidy([("2026-01-05", "^RUO", 1680.0), ("2026-01-06", "^RUO", 1690.5), ("2026-01-06", "^GSPC", 6900.0)]),
        source="Yahoo Finance",
        fetched_at=FETCHED,
    )
    assert written == 3
    closes = store.read(["^RUO", "^GSPC", "^DJI"])
    assert closes.loc["2026-01-06", "^RUO"] == 1690.5
    assert "^DJI" not in closes.columns
    coverage = store.coverage()["^RUO"]
    assert (coverage.first, coverage.last, coverage.rows) == (
        pd.Timestamp("2026-01-05"),
        pd.Timestamp("2026-01-06"),
        2,
    )
    assert coverage.fetched_at == FETCHED


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_closes_read_as_a_wide_frame_of_second_dates_on_both_backends(backend, tmp_path, request):
    """The driver's rows (ISO text from SQLite, dates from PostgreSQL) give the same frame."""
    url = f"sqlite:///{tmp_path / 'prices.sqlite'}" if backend == "sqlite" else postgres_schema(request)
    store = PriceStore(url)
    rows = [("2026-01-06", "^RUO", 1690.5), ("2026-01-05", "^RUO", 1680.25), ("2026-01-06", "^GSPC", 6900.0)]
    store.write(tidy(rows), source="Yahoo Finance", fetched_at=FETCHED)
    closes = store.read(["^GSPC", "^RUO", "^DJI"])
    expected = pd.DataFrame(
        {"^GSPC": [float("nan"), 6900.0], "^RUO": [1680.25, 1690.5]},
        index=pd.DatetimeIndex(["2026-01-05", "2026-01-06"], name="date").as_unit("s"),
    )
    pd.testing.assert_frame_equal(closes, expected)
    empty = store.read(["^DJI"])
    assert empty.empty and isinstance(empty.index, pd.DatetimeIndex)


def test_a_rewrite_revises_and_never_deletes(store_url):
    store = PriceStore(store_url)
    store.write(tidy([("2026-01-05", "X", 10.0), ("2026-01-06", "X", 11.0)]), source="a", fetched_at=FETCHED)
    store.write(tidy([("2026-01-06", "X", 11.5)]), source="b", fetched_at=FETCHED)
    assert store.read(["X"])["X"].tolist() == [10.0, 11.5]


def test_an_empty_or_null_write_changes_nothing(store_url):
    store = PriceStore(store_url)
    store.write(tidy([("2026-01-05", "X", 10.0)]), source="a", fetched_at=FETCHED)
    assert store.write(tidy([]), source="b", fetched_at=FETCHED) == 0
    assert store.write(tidy([("2026-01-05", "X", float("nan"))]), source="b", fetched_at=FETCHED) == 0
    assert store.read(["X"])["X"].tolist() == [10.0]


def test_fetch_attempts_are_remembered(store_url):
    store = PriceStore(store_url)
    assert store.last_attempt("Yahoo Finance") is None
    store.record_attempt("Yahoo Finance", at=FETCHED, ok=False, message="DNS")
    attempt = store.last_attempt("Yahoo Finance")
    assert (attempt.ok, attempt.message, attempt.at) == (False, "DNS", FETCHED)


def test_a_store_that_cannot_be_opened_says_so(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="cannot be used"):
        PriceStore(f"sqlite:///{blocker / 'prices.sqlite'}")


def test_a_server_that_is_down_says_so():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreUnavailable, match="cannot be used"):
        PriceStore("postgresql+psycopg://user:secret@127.0.0.1:1/none")


def test_a_locked_database_gives_a_clear_message_and_keeps_the_data(tmp_path):
    path = tmp_path / "prices.sqlite"
    store = PriceStore(f"sqlite:///{path}", busy_timeout_ms=200)
    store.write(tidy([("2026-01-05", "X", 10.0)]), source="a", fetched_at=FETCHED)
    holder = sqlite3.connect(path, timeout=0.1)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="locked by another process"):
            store.write(tidy([("2026-01-06", "X", 11.0)]), source="a", fetched_at=FETCHED)
    finally:
        holder.rollback()
        holder.close()
    assert store.read(["X"])["X"].tolist() == [10.0]


def test_the_password_never_appears_in_messages():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreUnavailable) as caught:
        PriceStore("postgresql+psycopg://user:secret@127.0.0.1:1/none")
    assert "secret" not in str(caught.value)
