"""The price store's schema migrations: a store made before migrations existed (create_all) is
version 1 as it stands and gains migration 2 (instrument.hedged) with its data intact, an older app
refuses a newer store and writes nothing, a later migration reaches old and new stores alike."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lib.core.errors import StoreUnavailable
from lib.data import migrations
from lib.data.price_tables import PRICE_HISTORY, metadata, price_close
from lib.data.store import PriceStore

FETCHED = dt.datetime(2025, 11, 28, 21, 21, tzinfo=dt.UTC)
HEDGED = ("instrument", "hedged")  # migration 2's column


def made_the_old_way(url: str) -> None:
    """A store as the app made it before migrations: create_all of version 1's tables (the instrument
    table without migration 2's `hedged`), then two closes and a revision."""
    engine = sa.create_engine(url)
    version_1 = sa.MetaData()
    for table in metadata.sorted_tables:
        sa.Table(table.name, version_1, *(c._copy() for c in table.columns if (table.name, c.name) != HEDGED))
    version_1.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            price_close.insert(),
            [
                {
                    "symbol": "^RUO",
                    "day": dt.date(2025, 11, 26),
                    "close": 1598.42,
                    "source": "Yahoo Finance",
                    "fetched_at": FETCHED,
                },
                {
                    "symbol": "^RUO",
                    "day": dt.date(2025, 11, 28),
                    "close": 1611.07,
                    "source": "Yahoo Finance",
                    "fetched_at": FETCHED,
                },
            ],
        )
        connection.execute(sa.text("INSERT INTO store_revision (id, revision) VALUES (1, 7)"))
    engine.dispose()


def versions(store: PriceStore) -> list[int]:
    with store.engine.connect() as connection:
        return migrations.applied_versions(connection, PRICE_HISTORY)


def test_a_store_made_by_create_all_is_version_1_with_its_data_intact(price_url):
    made_the_old_way(price_url)
    store = PriceStore(price_url)
    assert versions(store) == [1, 2]  # recorded as version 1 as it stood, then given migration 2
    assert store.read(["^RUO"])["^RUO"].tolist() == [1598.42, 1611.07]
    assert store.revision() == 7  # the counter carried over: no page sees a change that did not happen
    assert PriceStore(price_url).revision() == 7  # opening again applies nothing
    assert versions(store) == [1, 2]


def test_a_new_store_records_every_migration(price_url):
    store = PriceStore(price_url)
    assert versions(store) == [1, 2]
    assert store.read(["^RUO"]).empty


def test_a_store_upgraded_by_a_newer_app_is_refused_and_left_alone(price_url):
    store = PriceStore(price_url)
    with store.engine.begin() as connection:
        connection.execute(PRICE_HISTORY.table.insert().values(version=99, name="from the future", applied_at=FETCHED))
        tables_before = sorted(sa.inspect(connection).get_table_names())
    with pytest.raises(StoreUnavailable) as refused:
        PriceStore(price_url)
    english = refused.value.text("en")
    assert "upgraded by a newer version of the app (schema version 99; this version knows up to 2)" in english
    assert "Nothing was changed" in english
    assert "新しいバージョンのアプリで更新されています（スキーマのバージョン 99" in refused.value.text("ja")
    with store.engine.connect() as connection:
        assert sorted(sa.inspect(connection).get_table_names()) == tables_before
        assert migrations.applied_versions(connection, PRICE_HISTORY) == [1, 2, 99]


def test_migration_2_adds_hedged_to_an_old_store_and_leaves_a_new_one_as_it_is(price_url):
    """A store made before the column gains it (every fund it describes unhedged, as it was shown); a
    store whose migration 1 already made it is left alone; opening twice applies nothing twice."""
    made_the_old_way(price_url)
    for _ in range(2):
        PriceStore(price_url)
    engine = sa.create_engine(price_url)
    with engine.begin() as connection:
        columns = [column["name"] for column in sa.inspect(connection).get_columns("instrument")]
        assert columns.count("hedged") == 1
        connection.execute(
            sa.text(
                "INSERT INTO instrument (symbol, name_en, name_ja, kind, currency, note) "
                "VALUES ('X', 'x', 'x', 'etf', 'USD', '')"
            )
        )
        assert connection.execute(sa.text("SELECT hedged FROM instrument")).scalar() in (False, 0)
        assert migrations.applied_versions(connection, PRICE_HISTORY) == [1, 2]
    engine.dispose()
