"""Demo notes go with demo prices only: the store's filter, and the command line's weekly draft."""

import datetime as dt
import os
import tomllib

import pandas as pd
import pytest

from lib.cli import main as cli
from lib.core import calendar
from lib.notes.model import DEMO_AUTHOR, NoteQuery, demo_filter, make_draft
from lib.notes.store import NotesStore
from tests.conftest import PROJECT_ROOT, offline_yfinance_frame, store_closes

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
LAST_CLOSE = "2025-12-16"  # where the analyst's real index closes end
DEMO_WEEK_TITLE = "欧州の政局不安"  # the demo note of the week ending 2025-12-12 (config/demo_notes.toml)


def real_closes() -> pd.DataFrame:
    """Hand-made closes of the three indices, every NYSE session from April to 2025-12-16 (37 weeks)."""
    days = calendar.sessions("2025-04-01", LAST_CLOSE)
    step = pd.Series(range(len(days)), index=days, dtype="float64")
    return pd.DataFrame({"^RUO": 1500 + 0.8 * step, "^GSPC": 5600 + 3 * step, "^DJI": 42000 + 10 * step})


def add_demo_notes(store: NotesStore) -> None:
    """The demo notes as the app adds them on demo prices: config/demo_notes.toml, author 'demo'."""
    with (PROJECT_ROOT / "config" / "demo_notes.toml").open("rb") as handle:
        for entry in tomllib.load(handle)["note"]:
            draft = make_draft(entry["week"], entry["title"], entry["body"], entry["tags"], store.tags())
            store.add(draft, author=DEMO_AUTHOR)


@pytest.fixture
def store(notes_url):
    opened = NotesStore(notes_url)
    yield opened
    opened.close()


def note(store, week, title, *, author):
    return store.add(make_draft(week, title, f"{title} の本文", ["Private credit"], store.tags()), author=author)


def titles(notes) -> list[str]:
    return [n.title for n in notes]


def test_the_store_keeps_demo_notes_out_of_a_query_that_excludes_them(store):
    demo_week = note(store, "2025-12-12", "Demo: Europe", author=DEMO_AUTHOR)
    demo_old = note(store, "2023-03-10", "Demo: banks", author=DEMO_AUTHOR)
    real = note(store, "2025-12-12", "Real: BDC redemptions", author="青木")
    assert titles(store.find(NoteQuery())) == [real.title, demo_week.title, demo_old.title]  # as before
    assert titles(store.find(NoteQuery(demo="exclude"))) == [real.title]
    assert titles(store.find(NoteQuery(demo="only"))) == [demo_week.title, demo_old.title]
    week = dt.date(2025, 12, 12)
    assert titles(store.find(NoteQuery(start=week, end=week, demo="exclude"))) == [real.title]
    assert titles(store.find(NoteQuery(search="Europe", demo="exclude"))) == []
    store.delete(demo_old.id, author="青木")  # "Remove demo notes"
    assert titles(store.find(NoteQuery(demo="only"))) == [demo_week.title]


def test_a_demo_note_edited_by_an_analyst_is_theirs_and_stays_beside_real_prices(store):
    demo = note(store, "2025-12-12", "Demo: Europe", author=DEMO_AUTHOR)
    edited = make_draft(demo.week, "Europe, rewritten", "mine now", [], store.tags())
    store.save(demo.id, edited, expected_version=1, author="青木")
    assert titles(store.find(NoteQuery(demo="exclude"))) == ["Europe, rewritten"]


@pytest.mark.parametrize(("demo_prices", "expected"), [(True, "include"), (False, "exclude")])
def test_demo_notes_go_with_demo_prices_only(demo_prices, expected):
    assert demo_filter(demo_prices=demo_prices) == expected


def offline(symbols, start, end, repair):
    return offline_yfinance_frame(symbols)


def draft_of_week(capsys, *extra) -> str:
    code = cli.main(["report", "--as-of", "2025-12-12", "--lang", "ja", *extra], now=NOW, fetcher=offline)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_command_line_draft_on_real_prices_has_no_demo_note(capsys, store_url):
    store_closes(store_url, real_closes(), source="file daily_closes.csv", fetched_at=NOW)
    notes = NotesStore(os.environ["NOTES_DATABASE_URL"])
    add_demo_notes(notes)
    note(notes, "2025-12-10", "BDCの解約増加", author="青木")  # a real note of the same week
    notes.close()
    draft = draft_of_week(capsys)
    assert not draft.startswith(">")  # real prices: no demo line
    assert "<プライベートクレジット>\n\n**BDCの解約増加**" in draft
    assert DEMO_WEEK_TITLE not in draft


def test_the_command_line_draft_on_demo_prices_keeps_the_demo_note(capsys, store_url):
    notes = NotesStore(os.environ["NOTES_DATABASE_URL"])
    add_demo_notes(notes)
    notes.close()
    draft = draft_of_week(capsys)  # nothing stored, Yahoo unreachable: demo prices
    assert draft.startswith("> ")
    assert f"・欧州政治\n\n**{DEMO_WEEK_TITLE}**" in draft  # an external factor (config/tags.toml)
