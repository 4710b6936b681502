"""Replicas agree through the database: what the worker writes to the price store, and a note saved
through another server, show at the next run of every app, without a restart. The caches are shared
by the AppTests of this process, as by the sessions of one server: an entry keyed wrongly would be
served stale here. On a SQLite file and on PostgreSQL."""

import datetime as dt

import pytest

from lib.data import worker
from lib.data.store import PriceStore
from lib.notes.model import make_draft
from lib.notes.store import NotesStore
from tests.conftest import postgres_schema
from tests.lib.data.test_worker import RecentYahoo
from tests.pages.test_app import start, store_demo_as_file
from tests.pages.test_notes import card_titles
from tests.pages.test_team import RecordingYahoo

WORKER_NOW = dt.datetime(2026, 1, 2, 22, 0, tzinfo=dt.UTC)  # after the 2026-01-02 close


@pytest.fixture(params=["sqlite", "postgresql"])
def team_store(request, store_url, monkeypatch) -> str:
    """The team's price store on each backend, in team mode, with Yahoo recorded (never called)."""
    url = store_url if request.param == "sqlite" else postgres_schema(request)
    monkeypatch.setenv("PRICES_DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_OFFLINE", "0")
    monkeypatch.setenv("DASHBOARD_TEAM", "1")
    recorder = RecordingYahoo()
    monkeypatch.setattr("yfinance.download", recorder.download)
    monkeypatch.setattr("yfinance.Ticker", recorder.ticker)
    store_demo_as_file(url)  # closes to 2025-12-31
    yield url
    assert recorder.calls == []


def as_of(app) -> str:
    return next(c.value for c in app.sidebar.caption if c.value.startswith("As of "))


def test_a_refresh_by_the_worker_shows_on_every_replica_at_its_next_run(team_store):
    before = start()
    assert as_of(before).startswith("As of 2025-12-31 close")
    run = worker.refresh_once(PriceStore(team_store), now=WORKER_NOW, fetcher=RecentYahoo(), margin=dt.timedelta(0))
    assert run.ok
    after = start()  # another session, or another replica's: the same caches, a new revision
    assert as_of(after).startswith("As of 2026-01-02 close")
    assert after.sidebar.caption[-1].value.endswith("last refresh 2026-01-02 17:00 ET")


def test_a_note_saved_on_another_server_shows_at_the_next_run(team_store, notes_url):
    first = start()
    first.switch_page("pages/notes.py").run()
    assert "Saved on replica B" not in card_titles(first)
    other_server = NotesStore(notes_url)  # replica B's page saves through its own engine
    draft = make_draft("2025-12-29", "Saved on replica B", "本文", ["private-credit"], other_server.tags())
    other_server.add(draft, author="青木")
    other_server.close()
    again = start()
    again.switch_page("pages/notes.py").run()
    assert not again.exception
    assert "Saved on replica B" in card_titles(again)
