"""Price files: parse and validate CSV closes; a file with any error is rejected whole.

Three layouts are recognised from the header:
- tidy:  date,symbol,close                       (one row per symbol per day)
- wide:  Date,<SYM>,<SYM>,...                    (one column per symbol; an empty cell = no close)
- yahoo: Date,Open,High,Low,Close[,Adj Close],Volume  (one symbol, named on the command line;
         yfinance history() exports with Dividends/Stock Splits/Capital Gains too;
         Adj Close is used when present, as yfinance's auto_adjust would)
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lib.core.errors import InvalidPriceFile, LineError
from lib.core.i18n import Message, message
from lib.core.symbols import SYMBOL_PATTERN

_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00:00(?:\.0+)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_TIDY = ("date", "symbol", "close")
_YAHOO_REQUIRED = ("date", "open", "high", "low", "close", "volume")
_YAHOO_OPTIONAL = ("adj close", "dividends", "stock splits", "capital gains")
EARLIEST_YEAR = 1900  # a close before it is a typo (0025 for 2025), not history


@dataclass(frozen=True)
class PriceFile:
    """A validated file: tidy closes (date, symbol, close) and what the file was."""

    name: str
    layout: str
    closes: pd.DataFrame

    def to_wide(self) -> pd.DataFrame:
        return to_wide(self.closes)


def to_wide(tidy: pd.DataFrame) -> pd.DataFrame:
    """Daily closes with one column per symbol, indexed by date."""
    wide = tidy.pivot(index="date", columns="symbol", values="close").sort_index()
    wide.columns.name = None
    wide.index = pd.DatetimeIndex(wide.index, name="date")
    return wide


def read_price_file(path: str | Path, *, symbol: str | None = None, today: pd.Timestamp | None = None) -> PriceFile:
    """Read and validate a price file; raises InvalidPriceFile listing every error by line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidPriceFile(path.name, [LineError(0, message("file_unreadable", reason=error.strerror))]) from None
    return parse_price_text(raw, name=path.name, symbol=symbol, today=today)


def parse_price_text(
    raw: bytes, *, name: str, symbol: str | None = None, today: pd.Timestamp | None = None
) -> PriceFile:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidPriceFile(name, [LineError(0, message("file_not_utf8", byte=error.start))]) from None
    rows = csv_rows(text, name)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise InvalidPriceFile(name, [LineError(1, message("file_empty"))])
    header = [cell.strip() for cell in rows[0]]
    layout = _layout(header)
    if layout is None:
        raise InvalidPriceFile(name, [LineError(1, _header_problem(header))])
    if layout == "yahoo" and symbol is None:
        raise InvalidPriceFile(name, [LineError(1, message("file_yahoo_symbol"))])
    if len(rows) == 1:
        raise InvalidPriceFile(name, [LineError(1, message("file_no_prices"))])
    limit = (today or pd.Timestamp.today()).normalize()
    records, errors = _RowReader(header, layout, symbol, limit).read(rows[1:])
    if errors:
        raise InvalidPriceFile(name, errors)
    closes = pd.DataFrame(records, columns=["date", "symbol", "close"])
    closes["date"] = pd.to_datetime(closes["date"])
    closes = closes.sort_values(["symbol", "date"], ignore_index=True)
    return PriceFile(name=name, layout=layout, closes=closes)


def csv_rows(text: str, name: str) -> list[list[str]]:
    """The CSV rows of a file's text, whatever its line ends (CR LF, LF, or a lone CR from old Excel
    for Mac); a quote left open raises InvalidPriceFile, not csv.Error."""
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        return list(reader)
    except csv.Error as error:
        raise InvalidPriceFile(
            name, [LineError(reader.line_num, message("file_bad_csv", problem=str(error)))]
        ) from None


def parse_number(text: str) -> float:
    """A decimal, thousands separators allowed; ValueError otherwise (Python's 1_000 included)."""
    if "_" in text:
        raise ValueError(text)
    return float(text.replace(",", ""))


def calendar_day(text: str, year: str, month: str, day: str, limit: pd.Timestamp) -> str:
    """The ISO date of a day that exists, from EARLIEST_YEAR to `limit`; a ValueError whose argument is
    the Message saying why not."""
    try:
        stamp = pd.Timestamp(year=int(year), month=int(month), day=int(day))
    except ValueError:
        raise ValueError(message("line_no_such_day", text=text)) from None
    if stamp.year < EARLIEST_YEAR:
        raise ValueError(message("line_too_early", text=text, year=EARLIEST_YEAR))
    if stamp > limit:
        raise ValueError(message("line_future", text=text))
    return stamp.date().isoformat()


def _layout(header: list[str]) -> str | None:
    lowered = [cell.lower() for cell in header]
    if tuple(lowered) == _TIDY:
        return "tidy"
    if set(_YAHOO_REQUIRED) <= set(lowered) and set(lowered) <= set(_YAHOO_REQUIRED + _YAHOO_OPTIONAL):
        return "yahoo"
    symbols = header[1:]
    looks_wide = lowered[:1] == ["date"] and symbols and all(SYMBOL_PATTERN.match(c) for c in symbols)
    if looks_wide and not ({"open", "close", "symbol"} & set(lowered)) and len(set(header)) == len(header):
        return "wide"
    return None


def _header_problem(header: list[str]) -> Message:
    lowered = [cell.lower() for cell in header]
    expected = message("file_layouts")
    if not any(header):
        return message("file_first_line_empty", expected=expected)
    if len(set(lowered)) != len(lowered):
        return message("file_repeated_columns", header=str(header))
    known = set(_TIDY + _YAHOO_REQUIRED + _YAHOO_OPTIONAL)
    if known & set(lowered[1:]):  # a tidy or Yahoo header with columns it does not have
        unknown = [c for c in header if c.lower() not in known]
        return message("file_unknown_columns", columns=str(unknown), expected=expected)
    if lowered[:1] != ["date"]:
        return message("file_first_column", column=header[0], expected=expected)
    unknown = [c for c in header[1:] if not SYMBOL_PATTERN.match(c)]
    return message("file_unknown_columns", columns=str(unknown), expected=expected)


class _RowReader:
    def __init__(self, header: list[str], layout: str, symbol: str | None, limit: pd.Timestamp) -> None:
        self.header = header
        self.layout = layout
        self.symbol = symbol
        self.limit = limit
        self.index = {cell.lower(): position for position, cell in enumerate(header)}
        self.seen: dict[tuple[str, str], int] = {}
        self.errors: list[LineError] = []
        self.records: list[tuple[str, str, float]] = []

    def read(self, rows: list[list[str]]) -> tuple[list[tuple[str, str, float]], list[LineError]]:
        for offset, cells in enumerate(rows):
            line = offset + 2
            if not any(cell.strip() for cell in cells):
                self.errors.append(LineError(line, message("line_blank")))
                continue
            if len(cells) != len(self.header):
                self.errors.append(LineError(line, message("line_fields", count=len(cells), expected=len(self.header))))
                continue
            self._row(line, [cell.strip() for cell in cells])
        return self.records, self.errors

    def _row(self, line: int, cells: list[str]) -> None:
        day = self._date(line, cells[self.index["date"]])
        if self.layout == "tidy":
            self._close(line, day, cells[self.index["symbol"]], cells[self.index["close"]], "close", required=True)
        elif self.layout == "yahoo":
            column = "adj close" if "adj close" in self.index else "close"
            self._close(line, day, self.symbol or "", cells[self.index[column]], self.header[self.index[column]], True)
        else:
            for position, symbol in enumerate(self.header[1:], start=1):
                self._close(line, day, symbol, cells[position], symbol, required=False)

    def _date(self, line: int, text: str) -> str | None:
        match = _DATE.match(text)
        if not match:
            self.errors.append(LineError(line, message("line_bad_date", text=text)))
            return None
        try:
            return calendar_day(text, *match.groups(), self.limit)
        except ValueError as problem:
            self.errors.append(LineError(line, problem.args[0]))
            return None

    def _close(self, line: int, day: str | None, symbol: str, text: str, column: str, required: bool) -> None:
        if not SYMBOL_PATTERN.match(symbol):
            self.errors.append(LineError(line, message("line_bad_symbol", symbol=symbol)))
            return
        if text == "" and not required:
            return
        try:
            value = parse_number(text)
        except ValueError:
            self.errors.append(LineError(line, message("line_not_number", column=column, text=text)))
            return
        if math.isnan(value) or math.isinf(value) or value <= 0:
            self.errors.append(LineError(line, message("line_not_positive", column=column, text=text)))
            return
        if day is None:
            return
        first_line = self.seen.setdefault((symbol, day), line)
        if first_line != line:
            self.errors.append(LineError(line, message("line_duplicate", symbol=symbol, day=day, first=first_line)))
            return
        self.records.append((day, symbol, value))
