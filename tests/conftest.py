"""Shared fixtures. No test touches the network: Yahoo is always an injected fetcher."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lib.data.store import PriceStore

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DAILY_CLOSES = SHARED_DATA / "daily_closes.csv"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def store_closes(url: str, closes: pd.DataFrame, *, source: str, fetched_at: dt.datetime) -> PriceStore:
    """Write wide closes (one column per symbol) into the price store at `url`, as an import would."""
    tidy = closes.rename_axis(index="date", columns="symbol").stack().rename("close").reset_index()
    store = PriceStore(url)
    store.write(tidy, source=source, fetched_at=fetched_at)
    return store


@pytest.fixture(scope="session")
def real_daily() -> pd.DataFrame:
    """Real daily closes from ../shared/data (read with pandas, not with the code under test)."""
    if not DAILY_CLOSES.exists():
        pytest.skip("../shared/data/daily_closes.csv is not present on this machine")
    tidy = pd.read_csv(DAILY_CLOSES, parse_dates=["date"])
    wide = tidy.pivot(index="date", columns="symbol", values="close").sort_index()
    wide.columns.name = None
    return wide


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite store for the test, also seen by the CLI and the app through the environment."""
    url = f"sqlite:///{tmp_path / 'prices.sqlite'}"
    monkeypatch.setenv("PRICES_DATABASE_URL", url)
    return url


@pytest.fixture(autouse=True)
def _own_notes_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever writes the project's var/notes.sqlite (the app adds demo notes to an empty one)."""
    monkeypatch.setenv("NOTES_DATABASE_URL", f"sqlite:///{tmp_path / 'own-notes.sqlite'}")
    for variable in ("NOTES_READ_ONLY", "NOTES_EDITORS"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def notes_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty notes database on each backend, also seen by the CLI and the app (NOTES_DATABASE_URL).

    PostgreSQL: a fresh schema in the server named by $NOTES_TEST_POSTGRES_URL (.ci/run starts
    one). Without it the PostgreSQL run is skipped, except where $NOTES_REQUIRE_POSTGRES is set (CI):
    there a skipped backend is a failure.
    """
    url = f"sqlite:///{tmp_path / 'notes.sqlite'}" if request.param == "sqlite" else postgres_schema(request)
    monkeypatch.setenv("NOTES_DATABASE_URL", url)
    return url


def postgres_schema(request: pytest.FixtureRequest) -> str:
    base = os.environ.get("NOTES_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("NOTES_REQUIRE_POSTGRES"):
            pytest.fail(
                "NOTES_REQUIRE_POSTGRES is set but NOTES_TEST_POSTGRES_URL is not: the PostgreSQL run cannot skip"
            )
        pytest.skip("PostgreSQL run: set NOTES_TEST_POSTGRES_URL (README, Tests)")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    request.addfinalizer(drop)
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def now() -> dt.datetime:
    """Wednesday 2026-01-07 22:00 UTC: after the close of 2026-01-07."""
    return dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)


def yfinance_frame(closes: dict[str, list[float | None]], dates: list[str]) -> pd.DataFrame:
    """A frame shaped exactly as yfinance 1.x `download(auto_adjust=True)` returns it.

    Columns are a (Price, Ticker) MultiIndex sorted by price, the index is a tz-naive DatetimeIndex
    named Date, and a ticker that failed has all-NaN columns.
    """
    index = pd.DatetimeIndex(pd.to_datetime(dates), name="Date")
    columns = {}
    for ticker, values in closes.items():
        series = pd.Series(values, index=index, dtype="float64")
        columns[("Close", ticker)] = series
        columns[("High", ticker)] = series * 1.01
        columns[("Low", ticker)] = series * 0.99
        columns[("Open", ticker)] = series
        columns[("Volume", ticker)] = series * 0 + 1000
    frame = pd.DataFrame(columns)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["Price", "Ticker"])
    return frame.sort_index(axis=1, level=0)


def offline_yfinance_frame(tickers: list[str]) -> pd.DataFrame:
    """What yf.download returns with no network: no rows, no exception (seen on yfinance 1.7.0)."""
    prices = ["Adj Close", "Close", "High", "Low", "Open", "Volume"]
    columns = pd.MultiIndex.from_product([prices, sorted(tickers)], names=["Price", "Ticker"])
    return pd.DataFrame(index=pd.DatetimeIndex([], name="Date", dtype="datetime64[s]"), columns=columns)


@pytest.fixture(scope="session")
def chromium_session():
    """One Playwright and one Chromium for the whole run, started on first use: Playwright's sync API
    cannot start a second while the first runs, and the browser and topology tests both drive one."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
