"""The instrument table's `hedged` column on a store made before it existed."""

import sqlalchemy as sa

from lib.core.settings import Instrument
from lib.data.store import PriceStore

# The instrument table as stores made before the column were created (lib/data/price_tables.py then).
OLD_INSTRUMENT = """CREATE TABLE instrument (
    symbol VARCHAR(32) NOT NULL PRIMARY KEY, name_en VARCHAR(200) NOT NULL, name_ja VARCHAR(200) NOT NULL,
    kind VARCHAR(20) NOT NULL, currency VARCHAR(3) NOT NULL, note TEXT NOT NULL)"""


def test_an_existing_sqlite_store_gains_the_column_and_keeps_its_funds(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(OLD_INSTRUMENT))
        connection.execute(
            sa.text("INSERT INTO instrument VALUES ('JP-OLD', 'Old fund', 'Old fund', 'mutual_fund', 'JPY', '')")
        )
    engine.dispose()
    store = PriceStore(url)
    old = store.instruments()["JP-OLD"][0]
    assert (old.currency, old.hedged) == ("JPY", False)  # described before: unhedged, as it was shown
    hedged = Instrument("JP-HDG", "Hedged fund", "ヘッジありのファンド", "mutual_fund", "JPY", hedged=True)
    store.save_instrument(hedged)
    assert PriceStore(url).instruments()["JP-HDG"][0].hedged  # a second open leaves the column alone
    columns = [column["name"] for column in sa.inspect(sa.create_engine(url)).get_columns("instrument")]
    assert columns.count("hedged") == 1
