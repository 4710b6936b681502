import pandas as pd
import pytest

from lib.core.errors import EmptyRange, OutsideData
from lib.core.ranges import resolve_range

FIRST, LAST = pd.Timestamp("2001-01-02"), pd.Timestamp("2026-01-07")


@pytest.mark.parametrize(
    ("preset", "start"),
    [
        ("6M", "2025-07-07"),
        ("1Y", "2025-01-07"),
        ("10Y", "2016-01-07"),
        ("YTD", "2026-01-01"),
        ("2022-01", "2022-01-01"),
        ("Max", "2001-01-02"),
    ],
)
def test_presets_count_back_from_the_latest_data(preset, start):
    chosen = resolve_range(preset, data_first=FIRST, data_last=LAST)
    assert (chosen.start, chosen.end) == (pd.Timestamp(start), LAST)


def test_a_preset_longer_than_the_data_starts_at_the_data():
    chosen = resolve_range("10Y", data_first=pd.Timestamp("2024-11-20"), data_last=LAST)
    assert chosen.start == pd.Timestamp("2024-11-20")


def test_custom_range_is_clipped_to_the_data():
    chosen = resolve_range(
        "Custom", data_first=FIRST, data_last=LAST, custom_start="1990-01-01", custom_end="2030-01-01"
    )
    assert (chosen.start, chosen.end) == (FIRST, LAST)


def test_reversed_or_empty_ranges_are_refused():
    with pytest.raises(EmptyRange, match="2025-06-01 to 2025-01-01 is empty"):
        resolve_range("Custom", data_first=FIRST, data_last=LAST, custom_start="2025-06-01", custom_end="2025-01-01")
    with pytest.raises(EmptyRange):
        resolve_range("Custom", data_first=FIRST, data_last=LAST, custom_start="2025-06-01", custom_end="2025-06-01")


def test_a_range_outside_the_data_is_refused():
    with pytest.raises(OutsideData, match="outside the data, which runs from 2001-01-02 to 2026-01-07"):
        resolve_range("Custom", data_first=FIRST, data_last=LAST, custom_start="2027-01-01", custom_end="2028-01-01")
