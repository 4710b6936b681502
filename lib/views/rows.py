"""Chart rows: the records a Vega-Lite spec carries, spelled as the charts read them (dates as ISO
strings, ascending). A range is cut from them once, by bisection on the dates, and the relative
chart is rebased from them once; the page's specs, its CSV files and the command line's exports
all read the same cut rows, so what is drawn and what is downloaded cannot differ. A chart draws
them downsampled to its pixel columns (`downsampled`: the same picture, fewer points); a CSV keeps
every row.

Rows, not frames: a rerun that only moves the range slices two lists instead of filtering frames
and turning them into records again (15 ms per 4,600 rows measured with `DataFrame.to_dict`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tsdownsample import M4Downsampler, MinMaxDownsampler

# The pixel columns a chart's rows are drawn on at most: the exported PNG's plot, 900 px wide at
# scale 2 (lib/views/export.py).
DRAWN_COLUMNS = 1800
# The page's plot: 863-878 px wide in a 1,400 px window (wide layout, sidebar open; measured in
# Chromium, bench/browser.py). The page keeps each column's lowest and highest point, so a line
# brings the browser about two points per pixel column (25 years of daily closes: 6,515 points on
# 878 px, 7.4 per column, before); its PNG download exports the spec it draws.
PAGE_COLUMNS = 900


@dataclass(frozen=True)
class Rows:
    records: list[dict]  # each has "date" (ISO string) and its chart's fields
    dates: list[str]  # the records' dates, ascending, for bisection

    @classmethod
    def from_tidy(cls, tidy: pd.DataFrame) -> Rows:
        """Rows from a tidy frame sorted by its `date` column (Timestamps, no time of day).

        Built column by column (dates spelled by numpy as Altair spells a Timestamp,
        2025-01-03T00:00:00): half the cost of Timestamp.isoformat and DataFrame.to_dict per row,
        which was half of building a pair's view."""
        dates = np.datetime_as_string(tidy["date"].to_numpy(dtype="datetime64[s]"), unit="s").tolist()
        fields = [column for column in tidy.columns if column != "date"]
        columns = [tidy[field].tolist() for field in fields]
        records = [dict(zip(("date", *fields), row, strict=True)) for row in zip(dates, *columns, strict=True)]
        return cls(records, dates)

    def between(self, first: str, last: str) -> Rows:
        """The rows dated within [first, last] (ISO strings, both included)."""
        low, high = bisect_left(self.dates, first), bisect_right(self.dates, last)
        return Rows(self.records[low:high], self.dates[low:high])

    def rebased(self, field: str = "value", *, base: float = 100.0) -> Rows:
        """Each series' `field` divided by its first value in these rows, times `base`: relative
        performance from the first date shown. The one rebase of the charts' data."""
        first: dict[str, float] = {}
        for record in self.records:
            first.setdefault(record["series"], record[field])
        records = [{**record, field: base * record[field] / first[record["series"]]} for record in self.records]
        return Rows(records, self.dates)

    def downsampled(self, columns: int, field: str, *, bars: bool = False, extremes: bool = False) -> Rows:
        """At most what `columns` pixel columns can show of each series' `field`: per column its
        first, last, lowest and highest point (M4, so the drawn line is the same), or for `bars`
        (one bar per date) or `extremes` its lowest and highest point only (the column's vertical
        extent, half the points: what the browser is sent). The kept rows are original records, so
        a tooltip reads the exact value at every point drawn; a series that fits is kept whole.

        Columns split the series' own dates into equal spans (tsdownsample, by the date's second)."""
        bars = bars or extremes
        per_column = 2 if bars else 4
        if len(self) <= per_column * columns:  # the default views: nothing to look at
            return self
        positions: dict[object, list[int]] = {}
        for position, record in enumerate(self.records):
            positions.setdefault(record.get("series"), []).append(position)
        if all(len(series) <= per_column * columns for series in positions.values()):
            return self
        seconds = np.array(self.dates, dtype="datetime64[s]").astype(np.int64)
        values = np.fromiter((record[field] for record in self.records), dtype=float, count=len(self.records))
        picker = MinMaxDownsampler() if bars else M4Downsampler()
        kept = []
        for series in positions.values():
            series = np.asarray(series)
            if len(series) > per_column * columns:
                series = series[picker.downsample(seconds[series], values[series], n_out=per_column * columns)]
            kept.append(series)
        order = np.unique(np.concatenate(kept))  # ascending: the records' own order, each once
        return Rows([self.records[i] for i in order], [self.dates[i] for i in order])

    def frame(self) -> pd.DataFrame:
        """The rows as a tidy frame with Timestamp dates (for files and tests; not on a rerun)."""
        frame = pd.DataFrame.from_records(self.records)
        if frame.empty:
            return frame
        return frame.assign(date=pd.to_datetime(frame["date"]))

    def __len__(self) -> int:
        return len(self.records)
