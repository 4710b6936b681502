"""The Data page, and fresh prices without a restart, under AppTest on a temporary store.

Offline unless a test replaces yfinance's download (then Yahoo is a fake that never touches the network).
Expected values come from the small files written here by hand.
"""

import datetime as dt
import sqlite3
from contextlib import closing

import pandas as pd
import pytest
import sqlalchemy as sa
import yfinance

from lib.core import settings
from lib.data.store import PriceStore
from tests.conftest import DAILY_CLOSES, offline_yfinance_frame, yfinance_frame
from tests.pages.test_app import offline_app, start, store_demo_as_file  # noqa: F401 - offline_app is an autouse fixture

WEEK_CSV = b"""date,symbol,close
2025-12-15,^RUO,1598.42
2025-12-16,^RUO,1611.07
2025-12-17,^RUO,1589.93
2025-12-15,^GSPC,6816.51
2025-12-16,^GSPC,6800.26
"""
BROKEN_CSV = b"""date,symbol,close
2025-12-15,^RUO,1598.42
2025-12-16,^RUO,abc
2025-13-01,^RUO,1600.00
2025-12-17,^RUO,-5
2025-12-18,^RUO,1602.18
"""
BROKEN_LINES = [
    "line 3: close 'abc' is not a number",
    "line 4: date '2025-13-01' does not exist",
    "line 5: close -5 is not a positive price",
]


def open_data(query: dict[str, str] | None = None):
    app = start(query)
    app.switch_page("pages/data.py").run()
    assert not app.exception, app.exception
    return app


def upload(app, name: str, content: bytes):
    app.file_uploader(key="data_file").set_value((name, content, "text/csv"))
    app.button(key="data_import").click().run()
    assert not app.exception, app.exception
    return app


def enter(app, symbol: str, day: dt.date, close: float | None):
    app.text_input(key="data_gap_symbol").set_value(symbol)
    app.date_input(key="data_gap_date").set_value(day)
    app.number_input(key="data_gap_close").set_value(close)
    app.button(key="data_gap_store").click().run()
    assert not app.exception, app.exception
    return app


def holdings(app) -> pd.DataFrame:
    """The table of what the store holds (always the page's last table), indexed by symbol."""
    return app.dataframe[-1].value.set_index(app.dataframe[-1].value.columns[0])


def source_of(store_url: str, symbol: str, day: str) -> str:
    with closing(sqlite3.connect(sa.make_url(store_url).database)) as database:
        query = "SELECT source FROM price_close WHERE symbol = ? AND day = ?"
        return database.execute(query, (symbol, day)).fetchone()[0]


def snapshot(store_url: str):
    store = PriceStore(store_url)
    return store.read(["^RUO", "^GSPC"]), store.coverage(), store.revision()


def demo_banners(app) -> list[str]:
    return [w.value for w in app.warning if "DEMO" in w.value]


# --- fresh data without a restart ------------------------------------------------------------


def test_closes_stored_by_another_process_show_at_the_next_rerun(store_url):
    app = start()
    assert demo_banners(app)
    store_demo_as_file(store_url)  # a PriceStore of its own, as `lib.cli import-prices` would write
    app.run()  # the next rerun: no restart, no cache expiry
    assert not app.exception
    assert not demo_banners(app)
    assert "file team.csv" in app.sidebar.caption[-1].value


# --- what the store holds, and importing a file ----------------------------------------------


def test_an_empty_store_says_so_and_where_it_is(store_url):
    app = open_data()
    assert app.title[0].value == "Price data"
    assert any("The store holds no prices yet" in info.value for info in app.info)
    assert any(sa.make_url(store_url).database in caption.value for caption in app.caption)


def test_a_good_file_is_stored_and_summarised_per_symbol(store_url):
    app = upload(open_data(), "week.csv", WEEK_CSV)
    assert app.success[0].value.startswith("5 closes imported from week.csv (tidy layout)")
    summary = app.dataframe[0].value
    assert summary.to_dict("records") == [
        {"Symbol": "^GSPC", "First close": dt.date(2025, 12, 15), "Last close": dt.date(2025, 12, 16), "Closes": 2},
        {"Symbol": "^RUO", "First close": dt.date(2025, 12, 15), "Last close": dt.date(2025, 12, 17), "Closes": 3},
    ]
    held = holdings(app)
    assert held.loc["^RUO", "Closes"] == 3 and held.loc["^RUO", "Source"] == "file week.csv"
    assert PriceStore(store_url).read(["^RUO"])["^RUO"].tolist() == [1598.42, 1611.07, 1589.93]
    assert not demo_banners(app)  # the same run already draws every page from the file's closes
    assert "file week.csv" in app.sidebar.caption[-1].value


def test_a_broken_file_lists_every_bad_line_and_stores_nothing(store_url):
    PriceStore(store_url).write(
        pd.DataFrame({"date": pd.to_datetime(["2025-12-12"]), "symbol": ["^RUO"], "close": [1590.0]}),
        source="file earlier.csv",
        fetched_at=dt.datetime(2025, 12, 13, tzinfo=dt.UTC),
    )
    before = snapshot(store_url)
    app = upload(open_data(), "broken.csv", BROKEN_CSV)
    error = app.error[0].value
    assert "broken.csv was rejected and nothing was imported. Errors: 3" in error
    for line in BROKEN_LINES:
        assert line in error
    assert "line 2" not in error and "line 6" not in error  # the good lines are not blamed
    after = snapshot(store_url)
    pd.testing.assert_frame_equal(after[0], before[0])
    assert after[1:] == before[1:]
    assert not app.success


def test_the_shared_daily_closes_import_whole(store_url):
    if not DAILY_CLOSES.exists():
        pytest.skip("../shared/data/daily_closes.csv is not present on this machine")
    app = upload(open_data(), DAILY_CLOSES.name, DAILY_CLOSES.read_bytes())
    held = holdings(app)
    assert held.loc["^RUT", "Closes"] == 267
    assert held.loc["^RUT", "Last close"] == dt.date(2025, 12, 16)
    assert held.loc["^RUT", "Source"] == "file daily_closes.csv"


# --- a close entered by hand -----------------------------------------------------------------


@pytest.fixture
def gap(store_url):
    """^RUO stored on Monday 2025-12-15 and Wednesday 2025-12-17: Tuesday is missing."""
    PriceStore(store_url).write(
        pd.DataFrame(
            {"date": pd.to_datetime(["2025-12-15", "2025-12-17"]), "symbol": ["^RUO"] * 2, "close": [1598.42, 1589.93]}
        ),
        source="file week.csv",
        fetched_at=dt.datetime(2025, 12, 18, tzinfo=dt.UTC),
    )
    return store_url


def test_a_missing_close_entered_by_hand_is_stored(gap):
    app = enter(open_data(), "^RUO", dt.date(2025, 12, 16), 1611.07)
    assert app.success[0].value == "Stored the close of ^RUO on 2025-12-16: 1611.07 (entered by hand)."
    assert PriceStore(gap).read(["^RUO"])["^RUO"].tolist() == [1598.42, 1611.07, 1589.93]
    assert source_of(gap, "^RUO", "2025-12-16") == "entered by hand"
    assert holdings(app).loc["^RUO", "Closes"] == 3


@pytest.mark.parametrize(
    ("day", "why"), [(dt.date(2025, 12, 25), "Christmas Day"), (dt.date(2025, 12, 20), "a Saturday")]
)
def test_a_day_without_an_nyse_session_is_refused(gap, day, why):
    before = snapshot(gap)
    app = enter(open_data(), "^RUO", day, 1600.0)
    said = f"The NYSE was closed on {day} (a weekend or a holiday): ^RUO has no close that day."
    assert app.error[0].value.startswith(said), why
    assert snapshot(gap)[1:] == before[1:]


@pytest.mark.parametrize(
    ("symbol", "close", "said"),
    [
        ("^RUO", -1.0, "The close of ^RUO on 2025-12-16 must be a positive number, not -1.0"),
        ("^RUO", None, "Type the close of ^RUO on 2025-12-16."),
        ("RUO index", 1611.07, "'RUO index' is not a ticker"),
    ],
)
def test_a_close_or_symbol_that_cannot_be_stored_is_refused(gap, symbol, close, said):
    before = snapshot(gap)
    app = enter(open_data(), symbol, dt.date(2025, 12, 16), close)
    assert app.error[0].value.startswith(said)
    assert snapshot(gap)[1:] == before[1:]


# --- refreshing from Yahoo -------------------------------------------------------------------


def test_offline_the_refresh_button_is_off_and_says_why():
    app = open_data()
    assert app.button(key="data_refresh").disabled
    assert any("Offline mode is on (DASHBOARD_OFFLINE)" in caption.value for caption in app.caption)


class FixedDayYahoo:
    """yf.download with one close, 1234.5 on 2026-01-02, for every ticker asked whose range holds that day;
    or, unreachable, what yfinance returns with no network."""

    DAY = "2026-01-02"

    def __init__(self) -> None:
        self.reachable = False

    def download(self, tickers, start, end, **options):
        tickers = [tickers] if isinstance(tickers, str) else list(tickers)
        if not self.reachable or not start <= self.DAY < end:
            return offline_yfinance_frame(tickers)
        return yfinance_frame({ticker: [1234.5] for ticker in tickers}, [self.DAY])


@pytest.fixture
def yahoo(monkeypatch, store_url):
    monkeypatch.setenv("DASHBOARD_OFFLINE", "0")
    fake = FixedDayYahoo()
    monkeypatch.setattr(yfinance, "download", fake.download)
    store_demo_as_file(store_url)  # closes to 2025-12-31, so the page itself asks Yahoo only for later sessions
    return fake


def test_a_refresh_stores_what_yahoo_sends_and_counts_it_per_symbol(yahoo, store_url):
    app = open_data()  # Yahoo is down while the page loads: stored prices are shown
    yahoo.reachable = True
    app.button(key="data_refresh").click().run()
    assert not app.exception
    asked = settings.default_symbols()  # one close each, as the fake sends
    assert app.success[0].value.startswith(f"{len(asked)} closes fetched from Yahoo Finance")
    assert app.dataframe[0].value.set_index("Symbol")["Closes"].to_dict() == dict.fromkeys(asked, 1)
    assert PriceStore(store_url).read(["^RUO"]).loc["2026-01-02", "^RUO"] == 1234.5


def test_a_refresh_with_yahoo_unreachable_says_why_and_stores_nothing(yahoo, store_url):
    before = snapshot(store_url)
    app = open_data()
    app.button(key="data_refresh").click().run()
    assert not app.exception
    assert any(e.value.startswith("Yahoo Finance could not be reached (") for e in app.error)
    assert any("nothing was stored" in e.value for e in app.error)
    after = snapshot(store_url)
    pd.testing.assert_frame_equal(after[0], before[0])
    assert after[1] == before[1]


# --- in Japanese -----------------------------------------------------------------------------


def test_the_page_in_japanese(gap):
    app = open_data({"lang": "日本語"})
    assert app.title[0].value == "価格データ"
    assert [header.value for header in app.subheader] == [
        "保存されている価格",
        "価格ファイルを取り込む",
        "取り込みを取り消す",
        "Yahoo Finance から更新",
        "欠けている終値を手入力",
    ]
    assert list(holdings(app).reset_index().columns) == [
        "シンボル",
        "最初の終値の日付",
        "最後の終値の日付",
        "終値の数",
        "出所",
        "取得日時 (UTC)",
    ]
    assert app.button(key="data_import").label == "取り込む"
    assert app.button(key="data_gap_store").label == "終値を保存"
    enter(app, "^RUO", dt.date(2025, 12, 25), 1600.0)
    assert app.error[0].value.startswith("2025年12月25日 は NYSE の休場日")  # a Japanese date


# --- an upload that would move stored closes, and who may import (issue 18, items 3 and 8) ----

# Against WEEK_CSV: 1598.42 -> 1614.40 is +1.00 %, 1611.07 -> 1659.40 +3.00 %, 1589.93 -> 1590.00 +0.004 %.
MOVES_CSV = b"date,symbol,close\n2025-12-15,^RUO,1614.40\n2025-12-16,^RUO,1659.40\n2025-12-17,^RUO,1590.00\n"
MOVES_SAID = (
    "file moves.csv would change 2 stored closes by more than 0.5 % (the largest: ^RUO on 2025-12-16, "
    "1,611.07 → 1,659.4, +3.00 %); nothing was imported."
)


def stored_week(store_url: str) -> PriceStore:
    store = PriceStore(store_url)
    store.write(
        pd.DataFrame(
            {
                "date": pd.to_datetime(["2025-12-15", "2025-12-16", "2025-12-17"]),
                "symbol": ["^RUO"] * 3,
                "close": [1598.42, 1611.07, 1589.93],
            }
        ),
        source="Yahoo Finance",
        fetched_at=dt.datetime(2025, 12, 18, tzinfo=dt.UTC),
    )
    return store


def test_an_upload_moving_stored_closes_waits_and_replaces_them_once_confirmed(store_url):
    store = stored_week(store_url)
    app = upload(open_data(), "moves.csv", MOVES_CSV)
    assert any(warning.value.startswith(MOVES_SAID) for warning in app.warning)
    assert store.read(["^RUO"])["^RUO"].tolist() == [1598.42, 1611.07, 1589.93]
    app.button(key="data_pending_replace").click().run()
    assert not app.exception
    assert app.success[0].value.startswith("3 closes imported from moves.csv (tidy layout)")
    replaced = (
        "3 stored closes were replaced; the old ones are kept"
        " (“Undo an import” below brings them back, as does `python -m lib.cli undo-import moves.csv`)"
    )
    assert any(warning.value.startswith(replaced) for warning in app.warning)
    assert store.read(["^RUO"])["^RUO"].tolist() == [1614.40, 1659.40, 1590.00]


def test_an_upload_moving_stored_closes_can_be_left_alone(store_url):
    store = stored_week(store_url)
    app = upload(open_data({"lang": "日本語"}), "moves.csv", MOVES_CSV)
    said = "file moves.csv を取り込むと、保存済みの終値 2 件が 0.5% を超えて変わります"
    assert any(warning.value.startswith(said) for warning in app.warning)
    app.button(key="data_pending_keep").click().run()
    assert not app.exception
    assert not any(warning.value.startswith(said) for warning in app.warning)
    assert not [button for button in app.button if button.key == "data_pending_replace"]
    assert store.read(["^RUO"])["^RUO"].tolist() == [1598.42, 1611.07, 1589.93]


def test_a_read_only_deployment_offers_no_import_and_no_typed_close(store_url, monkeypatch):
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    app = open_data()
    assert any(info.value.startswith("The price data and the fund list are read-only") for info in app.info)
    assert app.button(key="data_import").disabled and app.button(key="data_gap_store").disabled


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        ({"is_logged_in": True, "email": "intern@example.com"}, False),
        ({"is_logged_in": True, "email": "a@x.com"}, True),
    ],
)
def test_with_an_editor_list_only_editors_import(store_url, monkeypatch, user, allowed):
    monkeypatch.setenv("NOTES_EDITORS", "a@x.com")
    app = start()
    app.user = user
    app.switch_page("pages/data.py").run()
    assert app.button(key="data_import").disabled != allowed
    if allowed:
        upload(app, "week.csv", WEEK_CSV)
        assert PriceStore(store_url).coverage()["^RUO"].rows == 3
    else:
        assert any(info.value.startswith("intern@example.com may read the price data") for info in app.info)


# --- a file that writes decimals with a comma (issue 18, item 3, on the page) -------------------------

COMMA_CSV = b"""date;symbol;close
2025-12-15;^RUO;"1598,42"
2025-12-16;^RUO;"1611,07"
"""
COMMA_CSV = COMMA_CSV.replace(b";", b",")


def test_a_decimal_comma_is_refused_unless_the_page_is_told_and_then_read_exactly(store_url):
    app = upload(open_data(), "comma.csv", COMMA_CSV)
    said = " ".join(str(error.value) for error in app.error)
    assert "line 2" in said and "1598,42" in said  # refused with its line, not read as 159842
    assert PriceStore(store_url).read(["^RUO"]).empty
    app.selectbox(key="data_decimal").set_value(",")
    app = upload(app, "comma.csv", COMMA_CSV)
    assert not app.error, [error.value for error in app.error]
    closes = PriceStore(store_url).read(["^RUO"])["^RUO"]
    assert closes.tolist() == [1598.42, 1611.07]  # the values as the file's author wrote them


def test_the_uploader_stops_at_the_size_the_importers_accept():
    import tomllib

    from tests.conftest import PROJECT_ROOT

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == settings.MAX_PRICE_FILE_MB  # MB both


def test_an_import_is_undone_from_the_page_and_the_replaced_closes_come_back(store_url):
    store = stored_week(store_url)
    app = upload(open_data(), "moves.csv", MOVES_CSV)
    app.button(key="data_pending_replace").click().run()
    assert store.read(["^RUO"])["^RUO"].tolist() == [1614.40, 1659.40, 1590.00]
    offered = app.selectbox(key="data_undo_source")
    assert len(offered.options) == 1 and offered.value.source == "file moves.csv" and offered.value.closes == 3
    app.button(key="data_undo").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith("Undid the import of file moves.csv at ")
    assert app.success[0].value.endswith("3 closes got back their previous values, 0 closes it had added were removed.")
    assert store.read(["^RUO"])["^RUO"].tolist() == [1598.42, 1611.07, 1589.93]
    assert not [box for box in app.selectbox if box.key == "data_undo_source"]  # no file's closes left


def test_the_undo_section_in_japanese_names_each_file_with_its_closes(store_url):
    app = upload(open_data({"lang": "日本語"}), "week.csv", WEEK_CSV)
    assert "取り込みを取り消す" in [header.value for header in app.subheader]
    offered = app.selectbox(key="data_undo_source")
    assert offered.label == "ファイル"
    assert offered.options[0].startswith("file week.csv（") and offered.options[0].endswith(
        "UTC に取り込み、終値 5 件）"
    )
