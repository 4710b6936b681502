"""Fixtures of the library's tests: a price store on each backend."""

from __future__ import annotations

import pytest

from tests.conftest import postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def price_url(request: pytest.FixtureRequest, store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty price store on each backend (PostgreSQL: as the notes tests get theirs), also seen by
    the command line and the app through PRICES_DATABASE_URL."""
    if request.param == "sqlite":
        return store_url
    pytest.importorskip("psycopg")
    url = postgres_schema(request)
    monkeypatch.setenv("PRICES_DATABASE_URL", url)
    return url
