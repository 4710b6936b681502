"""Date ranges the analyst picks: presets relative to the latest data, or custom dates."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.core.errors import EmptyRange, OutsideData
from lib.core.i18n import format_date, message, t
from lib.core.settings import BASE_DATE
from lib.core.types import Lang, Preset

DEFAULT_PRESET: Preset = "2022-01"  # the analyst's usual base: "since January 2022"

_MONTHS_BACK = {"6M": 6, "1Y": 12, "3Y": 36, "5Y": 60, "10Y": 120}


@dataclass(frozen=True)
class DateRange:
    start: pd.Timestamp
    end: pd.Timestamp


def preset_label(preset: Preset, lang: Lang) -> str:
    """The button's label in `lang` ("Since 2022-01" in English); the link keeps the preset itself."""
    return t(f"preset_{preset}", lang, base=format_date(pd.Timestamp(BASE_DATE), lang, "month_number"))


def resolve_range(
    preset: Preset,
    *,
    data_first: pd.Timestamp,
    data_last: pd.Timestamp,
    custom_start: object = None,
    custom_end: object = None,
) -> DateRange:
    """The dates a preset means against the data; custom dates are checked, never silently fixed."""
    if preset == "Custom":
        start, end = pd.Timestamp(custom_start).normalize(), pd.Timestamp(custom_end).normalize()
        if start >= end:
            raise EmptyRange(start.date(), end.date())
        if start > data_last or end < data_first:
            raise OutsideData(message("span", start=start.date(), end=end.date()), data_first.date(), data_last.date())
        return DateRange(max(start, data_first), min(end, data_last))
    if preset == "Max":
        start = data_first
    elif preset == "YTD":
        start = pd.Timestamp(year=data_last.year, month=1, day=1)
    elif preset == "2022-01":
        start = pd.Timestamp(BASE_DATE)
    else:
        start = data_last - pd.DateOffset(months=_MONTHS_BACK[preset])
    return DateRange(max(start, data_first), data_last)
