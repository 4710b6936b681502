"""Chart rows: the Ratio page's one range cut (bisection on ISO dates) and one rebase, checked on a
hand example and on the real closes of ../shared/data (values read off the CSV and divided by hand)."""

import datetime as dt

import pandas as pd
import pytest

from lib.core.ranges import DateRange
from lib.data import prices
from lib.data.price_files import read_price_file
from lib.views.ratio import build_ratio_view
from lib.views.rows import Rows
from tests.conftest import DAILY_CLOSES

LEVELS = Rows(
    [
        {"date": "2025-01-03T00:00:00", "series": "A", "value": 50.0},
        {"date": "2025-01-03T00:00:00", "series": "B", "value": 200.0},
        {"date": "2025-01-10T00:00:00", "series": "A", "value": 55.0},
        {"date": "2025-01-10T00:00:00", "series": "B", "value": 190.0},
        {"date": "2025-01-17T00:00:00", "series": "A", "value": 60.0},
        {"date": "2025-01-17T00:00:00", "series": "B", "value": 210.0},
    ],
    ["2025-01-03T00:00:00"] * 2 + ["2025-01-10T00:00:00"] * 2 + ["2025-01-17T00:00:00"] * 2,
)


def values(rows: Rows) -> list[tuple[str, str, float]]:
    return [(r["date"][:10], r["series"], round(r["value"], 6)) for r in rows.records]


def test_between_keeps_both_ends_and_nothing_outside():
    cut = LEVELS.between("2025-01-10T00:00:00", "2025-01-17T00:00:00")
    assert values(cut) == [
        ("2025-01-10", "A", 55.0),
        ("2025-01-10", "B", 190.0),
        ("2025-01-17", "A", 60.0),
        ("2025-01-17", "B", 210.0),
    ]
    assert len(LEVELS.between("2025-01-11T00:00:00", "2025-01-16T00:00:00")) == 0
    assert len(LEVELS.between("2025-01-17T00:00:00", "2025-01-03T00:00:00")) == 0  # reversed: nothing


def test_rebased_divides_each_series_by_its_first_value_in_the_rows():
    cut = LEVELS.between("2025-01-10T00:00:00", "2025-01-17T00:00:00").rebased()
    # 60 / 55 = 1.090909..., 210 / 190 = 1.105263...
    assert values(cut) == [
        ("2025-01-10", "A", 100.0),
        ("2025-01-10", "B", 100.0),
        ("2025-01-17", "A", 109.090909),
        ("2025-01-17", "B", 110.526316),
    ]
    assert values(LEVELS)[0] == ("2025-01-03", "A", 50.0)  # the levels themselves are untouched


def test_frame_turns_the_rows_back_into_timestamps():
    frame = LEVELS.frame()
    assert frame["date"].iloc[0] == pd.Timestamp("2025-01-03")
    assert frame["value"].tolist() == [50.0, 200.0, 55.0, 190.0, 60.0, 210.0]


@pytest.fixture
def real_set():
    if not DAILY_CLOSES.exists():
        pytest.skip("../shared/data/daily_closes.csv is not present on this machine")
    now = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
    return prices.from_file(read_price_file(DAILY_CLOSES), now=now, primary=("^RUO", "^GSPC"))


def test_the_relative_chart_and_its_csv_start_at_100_on_the_real_closes(real_set):
    date_range = DateRange(pd.Timestamp("2025-10-01"), pd.Timestamp("2025-11-28"))
    view = build_ratio_view(real_set, numerator="^RUO", denominator="^GSPC", date_range=date_range, lang="en")
    relative = view.csv_frames()["relative"]
    # Weekly closes read off daily_closes.csv: 2025-10-03 ^RUO 1661.53, ^GSPC 6715.79;
    # 2025-11-28 ^RUO 1674.16, ^GSPC 6849.09. 1674.16 / 1661.53 = 1.0076014, 6849.09 / 6715.79 = 1.0198487.
    first, last = relative.iloc[0], relative.iloc[-1]
    assert relative.index[0] == pd.Timestamp("2025-10-03") and relative.index[-1] == pd.Timestamp("2025-11-28")
    assert first.round(6).tolist() == [100.0, 100.0]
    assert last.round(4).tolist() == [100.7601, 101.9849]
    # The CSV is what the chart draws: the same rows.
    drawn = {(r["date"][:10], r["series"]): r["value"] for r in view.relative.records}
    assert drawn[("2025-11-28", relative.columns[0])] == last.iloc[0]


def test_a_cut_of_the_whole_view_rebases_at_the_new_start(real_set):
    whole = build_ratio_view(
        real_set,
        numerator="^RUO",
        denominator="^GSPC",
        date_range=DateRange(pd.Timestamp("2016-01-01"), pd.Timestamp("2025-11-28")),
        lang="ja",
    )
    cut = whole.for_range(DateRange(pd.Timestamp("2025-10-01"), pd.Timestamp("2025-11-28")))
    assert cut.x_domain == (pd.Timestamp("2025-10-03"), pd.Timestamp("2025-11-28"))
    assert cut.csv_frames()["relative"].iloc[-1].round(4).tolist() == [100.7601, 101.9849]
