"""Chart rows: the Ratio page's one range cut (bisection on ISO dates) and one rebase, checked on a
hand example and on the real closes of ../shared/data (values read off the CSV and divided by hand);
the downsampling to the pixel columns drawn, on a hand example and pixel by pixel on 25 years."""

import datetime as dt
from io import BytesIO

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from lib.core.ranges import DateRange
from lib.data import prices
from lib.data.price_files import read_price_file
from lib.views import export
from lib.views.ratio import build_ratio_view
from lib.views.ratio_charts import build_ratio_charts, build_ratio_page_base
from lib.views.rows import DRAWN_COLUMNS, PAGE_COLUMNS, Rows
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


# Twelve daily values of one series, two pixel columns: days 0-5 fall in the first, days 6-11 in
# the second (equal spans of the series' dates).
ZIGZAG = [5.0, 1.0, 9.0, 2.0, 7.0, 3.0, 4.0, 8.0, 0.0, 6.0, 2.0, 5.0]
DAYS = [f"2025-01-{day:02d}T00:00:00" for day in range(1, 13)]


def zigzag(series: str | None = "A") -> Rows:
    extra = {} if series is None else {"series": series}
    return Rows([{"date": day, **extra, "value": value} for day, value in zip(DAYS, ZIGZAG, strict=True)], DAYS)


def kept_days(rows: Rows) -> list[int]:
    return [int(record["date"][8:10]) - 1 for record in rows.records]


def test_downsampling_a_line_keeps_each_columns_first_last_lowest_and_highest_point():
    line = zigzag()
    drawn = line.downsampled(2, "value")
    # First column: first 5 (day 0), lowest 1 (day 1), highest 9 (day 2), last 3 (day 5); second:
    # first 4 (day 6), highest 8 (day 7), lowest 0 (day 8), last 5 (day 11). Days 3, 4, 9, 10 go.
    assert kept_days(drawn) == [0, 1, 2, 5, 6, 7, 8, 11]
    assert drawn.dates == [DAYS[day] for day in (0, 1, 2, 5, 6, 7, 8, 11)]
    assert all(any(kept is record for record in line.records) for kept in drawn.records)  # exact tooltips


def test_downsampling_bars_keeps_each_columns_lowest_and_highest_bar():
    bars = zigzag(series=None)  # the deviation's rows carry no series
    assert kept_days(bars.downsampled(2, "value", bars=True)) == [1, 2, 7, 8]  # 1 and 9; 8 and 0


def test_downsampling_to_extremes_keeps_each_columns_lowest_and_highest_point_only():
    # First column (days 0-5): lowest 1 (day 1), highest 9 (day 2); second (days 6-11): highest 8
    # (day 7), lowest 0 (day 8). The first and last points M4 keeps (days 0, 5, 6, 11) go.
    drawn = zigzag().downsampled(2, "value", extremes=True)
    assert kept_days(drawn) == [1, 2, 7, 8]
    assert {record["series"] for record in drawn.records} == {"A"}


def test_downsampling_works_per_series_and_keeps_what_fits():
    both = Rows(
        [*zigzag("A").records, *zigzag("B").records[:4]],
        [*DAYS, *DAYS[:4]],
    )
    drawn = both.downsampled(2, "value")
    assert [(r["series"], kept_days(Rows([r], [r["date"]]))[0]) for r in drawn.records] == [
        *[("A", day) for day in (0, 1, 2, 5, 6, 7, 8, 11)],
        *[("B", day) for day in range(4)],  # four points fit in two columns: all kept
    ]
    assert zigzag().downsampled(3, "value") == zigzag()  # 12 points on 3 columns: nothing to drop


@pytest.fixture(scope="module")
def daily_charts():
    """25 years of daily demo closes: the view (every row) and its three charts (rows drawn)."""
    price_set = prices.demo_set(now=dt.datetime(2026, 1, 7, 22, tzinfo=dt.UTC), notice=None)
    whole = DateRange(price_set.closes.index[0], price_set.as_of)
    kwargs = {"numerator": "^RUO", "denominator": "^GSPC", "lang": "en", "frequency": "daily"}
    view = build_ratio_view(price_set, date_range=whole, **kwargs)
    return view, build_ratio_charts(view, price_set, **kwargs)


def exported_pixels(spec: dict) -> np.ndarray:
    return np.asarray(Image.open(BytesIO(export.to_png(spec))).convert("RGB")).astype(int)


@pytest.mark.parametrize("name", ["ratio", "deviation", "relative"])
def test_the_downsampled_png_is_the_full_one_pixel_for_pixel(daily_charts, name):
    view, specs = daily_charts
    every_row = {"ratio": view.ratio, "deviation": view.deviation, "relative": view.relative}[name]
    drawn = specs[name]["datasets"][name]
    per_column = 2 if name == "deviation" else 4
    for series in {record.get("series") for record in drawn}:
        assert sum(record.get("series") == series for record in drawn) <= per_column * DRAWN_COLUMNS
    if name == "deviation":
        assert len(drawn) < 0.6 * len(every_row)  # 6,162 bars on 1,800 columns: 3,593 drawn
    full = exported_pixels({**specs[name], "datasets": {**specs[name]["datasets"], name: every_row.records}})
    downsampled = exported_pixels(specs[name])
    assert full.shape == downsampled.shape
    differing = (np.abs(full - downsampled).max(axis=2) > 32).mean()  # of 256 levels, any channel
    assert differing < 0.005  # measured: 0 for the lines (they fit), 0.25 % for the bars
    if name == "deviation":
        assert len(view.csv_frames()["deviation"]) == len(every_row)  # the CSV keeps every bar


def test_the_page_sends_at_most_two_points_per_pixel_column_of_its_plot(daily_charts):
    """25 years of daily closes on the page (Max): 6,500 sessions per line on a plot 863-878 px wide
    in a 1,400 px window (measured in Chromium) were 7.4 points per pixel column; the page now sends
    each of its PAGE_COLUMNS columns' lowest and highest point, original records (exact tooltips)."""
    view, _ = daily_charts
    price_set = prices.demo_set(now=dt.datetime(2026, 1, 7, 22, tzinfo=dt.UTC), notice=None)
    base = build_ratio_page_base(price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency="daily")
    page = base.for_range(DateRange(price_set.closes.index[0], price_set.as_of), threshold_pts=-2.0)
    every_row = {"ratio": view.ratio, "deviation": view.deviation, "relative": view.relative}
    for name, rows in every_row.items():
        drawn = page.specs[name]["datasets"][name]
        for series in {record.get("series") for record in rows.records}:
            sessions = sum(record.get("series") == series for record in rows.records)
            sent = sum(record.get("series") == series for record in drawn)
            assert sessions > 6000  # about 7 per pixel column of 878 px before
            assert sent <= 2 * PAGE_COLUMNS <= 2 * 900
        originals = {tuple(sorted(record.items())) for record in rows.records}
        assert all(tuple(sorted(record.items())) in originals for record in drawn)  # tooltips read exact values
