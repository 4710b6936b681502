"""CSV that a spreadsheet reads as data, never as formulas: the one place a frame becomes CSV text.

A fund's name, a note's title or a tag's label can start like a formula (`=HYPERLINK(...)`,
`@SUM(...)`); opened in Excel or LibreOffice such a cell runs. OWASP's rule for CSV injection
is applied to every text cell, column name and row label: one that begins with =, +, -, @, a
tab or a carriage return gets a leading single quote, so it shows as typed. Numbers stay
numbers: numeric columns are not touched, and text that is a plain number (-1.5) is left as it
is, since a spreadsheet reads it as that number and runs nothing. A carriage return inside text
becomes a newline, which pandas quotes, so no cell can start a row of its own.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP, "CSV Injection"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_CARRIAGE_RETURN = re.compile(r"\r\n?")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet should show it: text that would start a formula gets a leading
    `'`, and a carriage return inside text becomes a newline; anything else (numbers, dates, empty
    cells, ordinary text) comes back unchanged."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    # pandas quotes a cell holding a newline but not one holding a lone CR, where a spreadsheet
    # starts a new row: `ok\r=HYPERLINK(…)` would put a formula at the start of that row.
    return _CARRIAGE_RETURN.sub("\n", value)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell, column name and row label made safe by `safe_cell`."""
    safe = frame.copy()
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if _holds_text(column):
            safe.isetitem(position, column.map(safe_cell))
    safe.columns = _safe_labels(safe.columns)
    safe.index = _safe_labels(safe.index)
    return safe


def csv_text(frame: pd.DataFrame, *, index: bool = True, float_format: str | None = None) -> str:
    """`frame` as CSV text with every text cell made safe: every CSV the product writes comes from here."""
    return safe_frame(frame).to_csv(index=index, float_format=float_format)


def _holds_text(values: pd.Series | pd.Index) -> bool:
    return pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)


def _safe_labels(labels: pd.Index) -> pd.Index:
    """Column names or row labels made safe; a MultiIndex level by level, dates and numbers as they are."""
    if isinstance(labels, pd.MultiIndex):
        rows = [tuple(safe_cell(part) for part in row) for row in labels]
        return pd.MultiIndex.from_tuples(rows, names=[safe_cell(name) for name in labels.names])
    safe = labels.map(safe_cell) if _holds_text(labels) else labels
    return safe.rename(safe_cell(labels.name))
