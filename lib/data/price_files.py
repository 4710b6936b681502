"""Price files: parse and validate CSV closes; a file with any error is rejected whole.

Three layouts are recognised from the header:
- tidy:  date,symbol,close                       (one row per symbol per day)
- wide:  Date,<SYM>,<SYM>,...                    (one column per symbol; an empty cell = no close)
- yahoo: Date,Open,High,Low,Close[,Adj Close],Volume  (one symbol, named on the command line;
         yfinance history() exports with Dividends/Stock Splits/Capital Gains too;
         Adj Close is used when present, as yfinance's auto_adjust would)

The file is read as a stream, a chunk of rows at a time, and each chunk's cells a column at a time
(lib/data/file_reading.py); numbers are read under the file's decimal mark (lib/data/file_numbers.py).
Every refused line keeps its number and its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lib.core.errors import MAX_LINES_SHOWN, InvalidPriceFile, LineError
from lib.core.i18n import Message, message
from lib.core.symbols import SYMBOL_PATTERN
from lib.core.types import DecimalMark
from lib.data.file_numbers import read_numbers, readings, refusal_message, refusals, shown_number
from lib.data.file_reading import (
    DayFormat,
    Problems,
    Progress,
    Records,
    Source,
    collector_paused,
    first_bad_byte,
    is_blank,
    read_days,
    row_chunks,
    text_column,
)

_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]00:00:00(?:\.0+)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
DAYS = DayFormat(r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d", _DATE, "line_bad_date")
_TIDY = ("date", "symbol", "close")
_YAHOO_REQUIRED = ("date", "open", "high", "low", "close", "volume")
_YAHOO_OPTIONAL = ("adj close", "dividends", "stock splits", "capital gains")


@dataclass(frozen=True)
class PriceFile:
    """A validated file: tidy closes (date, symbol, close) and what the file was."""

    name: str
    layout: str
    closes: pd.DataFrame

    def to_wide(self) -> pd.DataFrame:
        return to_wide(self.closes)


def to_wide(tidy: pd.DataFrame) -> pd.DataFrame:
    """Daily closes with one column per symbol (sorted), indexed by date (sorted); one close per symbol
    and day, as a validated file has. Filled in place, not pivoted: a pivot of millions of closes
    took twice the memory of the closes themselves."""
    day_rows, days = pd.factorize(tidy["date"], sort=True)
    symbol_columns, symbols = pd.factorize(tidy["symbol"], sort=True)
    grid = np.full((len(days), len(symbols)), np.nan)
    grid[day_rows, symbol_columns] = tidy["close"].to_numpy(dtype=np.float64)
    return pd.DataFrame(grid, index=pd.DatetimeIndex(days, name="date"), columns=pd.Index(symbols, dtype="str"))


def read_price_file(
    path: str | Path,
    *,
    symbol: str | None = None,
    today: pd.Timestamp | None = None,
    decimal: DecimalMark | None = None,
    progress: Progress | None = None,
) -> PriceFile:
    """Read and validate a price file; raises InvalidPriceFile listing every error by line.

    `decimal`: how the file writes decimals; None reads what the file shows and refuses what it does
    not settle. `progress` is told the bytes read after each chunk."""
    return _read(Source.of_path(path), symbol, today, decimal, progress)


def parse_price_text(
    raw: bytes,
    *,
    name: str,
    symbol: str | None = None,
    today: pd.Timestamp | None = None,
    decimal: DecimalMark | None = None,
    progress: Progress | None = None,
) -> PriceFile:
    """A price file already in memory (an upload), read as read_price_file reads a path."""
    return _read(Source.of_bytes(raw, name), symbol, today, decimal, progress)


def _read(
    source: Source,
    symbol: str | None,
    today: pd.Timestamp | None,
    decimal: DecimalMark | None,
    progress: Progress | None,
) -> PriceFile:
    source.check_size()
    limit = (today or pd.Timestamp.today()).normalize()
    try:
        with collector_paused():
            return _PriceReader(source, symbol, limit, decimal).read(progress)
    except UnicodeDecodeError:
        raise _not_utf8(source, first_bad_byte(source)) from None


def _not_utf8(source: Source, byte: int | None) -> InvalidPriceFile:
    return InvalidPriceFile(source.name, [LineError(0, message("file_not_utf8", byte=byte))])


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


class _Cells:
    """A chunk's rows of the header's width, a column at a time: stripped text, blank rows left out."""

    def __init__(self, columns: list[tuple[str, ...]]) -> None:
        self.columns = columns
        self.rows = len(columns[0]) if columns else 0
        self.kept: np.ndarray | None = None
        self.texts: dict[int, pd.Series] = {}

    def keep(self, rows: np.ndarray) -> None:
        """From now on, only these rows (a mask); done once, after the blank rows are known."""
        if not rows.all():
            self.kept = rows
            self.texts = {i: text[rows].reset_index(drop=True) for i, text in self.texts.items()}
            self.rows = int(rows.sum())

    def stacked(self, positions: list[int]) -> pd.Series:
        """The stripped text of several columns, one after another (all rows of the first, then...)."""
        if len(positions) == 1:
            return self.text(positions[0])
        raw = [cell for position in positions for cell in self.columns[position]]
        texts = text_column(raw)
        if self.kept is None:
            return texts
        return texts[np.tile(self.kept, len(positions))].reset_index(drop=True)

    def text(self, position: int) -> pd.Series:
        if position not in self.texts:
            text = text_column(self.columns[position])
            self.texts[position] = text if self.kept is None else text[self.kept].reset_index(drop=True)
        return self.texts[position]


@dataclass(frozen=True)
class _CloseColumn:
    """Where a row's close is: its column, its symbol (None: the row's symbol column), its label in
    messages, whether it may be empty, and its place among the row's reasons."""

    position: int
    symbol: str | None
    label: str
    required: bool
    order: int


class _PriceReader:
    """One reading of one file: what spans its chunks (the header, the refused lines, the closes kept,
    blank lines not yet known to be inside the file, the decimal mark its numbers show)."""

    def __init__(self, source: Source, symbol: str | None, limit: pd.Timestamp, decimal: DecimalMark | None) -> None:
        self.source = source
        self.symbol = symbol
        self.limit = limit
        self.decimal = decimal
        self.header: list[str] | None = None
        self.layout = ""
        self.columns: list[_CloseColumn] = []
        self.problems = Problems()
        self.records = Records()
        self.data_rows = 0
        self.blank_run: list[int] = []  # blank lines not yet known to lie inside the file
        self.shows_point = False
        self.ambiguous: dict[int, list[tuple[int, str, str]]] = {}  # column order -> line, label, text
        self.ambiguous_beyond = 0  # ambiguous cells counted only

    def read(self, progress: Progress | None) -> PriceFile:
        def read_so_far(done: int, total: int) -> None:
            self.records.expect(done, total)
            if progress is not None:
                progress(done, total)

        blank_start: bool | None = None  # whether the file's first line is blank (None: not read yet)
        for first, rows in row_chunks(self.source, "utf-8-sig", read_so_far):
            if blank_start is None:
                blank_start = is_blank(rows[0])
                rows = rows[1:] if blank_start else self._take_header(rows)
                first += 1
            if blank_start and not all(is_blank(cells) for cells in rows):
                raise self._refused_header(_header_problem([]))
            self._chunk(first, rows)
            self.records.check_count(self.source.name)
        if self.header is None:  # decoding skips a BOM cut short at the very end: not UTF-8 then
            raise self._refused_header(message("file_empty"))
        if not self.data_rows:
            raise InvalidPriceFile(self.source.name, [LineError(1, message("file_no_prices"))])
        self._settle_ambiguous()
        self._repeated()
        self.problems.raise_any(self.source.name)
        return PriceFile(name=self.source.name, layout=self.layout, closes=self.records.frame())

    def _take_header(self, rows: list[list[str]]) -> list[list[str]]:
        """The rows after the header, once the header is known good."""
        header = [cell.strip() for cell in rows[0]]
        layout = _layout(header)
        if layout is None:
            raise self._refused_header(_header_problem(header))
        if layout == "yahoo" and self.symbol is None:
            raise self._refused_header(message("file_yahoo_symbol"))
        self.header, self.layout = header, layout
        self.columns = self._close_columns()
        return rows[1:]

    def _refused_header(self, problem: Message) -> InvalidPriceFile:
        """The file refused for its first line, unless a byte further on is not UTF-8: that is said
        first, as when the whole file was decoded before its header was read."""
        bad = first_bad_byte(self.source)
        return (
            _not_utf8(self.source, bad)
            if bad is not None
            else InvalidPriceFile(self.source.name, [LineError(1, problem)])
        )

    def _close_columns(self) -> list[_CloseColumn]:
        index = {cell.lower(): position for position, cell in enumerate(self.header or [])}
        if self.layout == "tidy":
            return [_CloseColumn(index["close"], None, "close", True, 2)]
        if self.layout == "yahoo":
            position = index.get("adj close", index["close"])
            return [_CloseColumn(position, self.symbol or "", (self.header or [])[position], True, 2)]
        return [_CloseColumn(i, symbol, symbol, False, i) for i, symbol in enumerate(self.header or []) if i]

    def _chunk(self, first: int, rows: list[list[str]]) -> None:
        """Check a chunk of rows: blank lines inside the file and wrong field counts here, the rest a
        column at a time."""
        if self.header is None or not rows:
            return
        width = len(self.header)
        full = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)) == width
        fitting = rows if full.all() else [rows[i] for i in np.flatnonzero(full).tolist()]
        cells = _Cells(list(zip(*fitting, strict=True)))
        blank = np.zeros(len(rows), dtype=bool)
        blank[~full] = [is_blank(rows[i]) for i in np.flatnonzero(~full).tolist()]
        if cells.rows:
            maybe = np.flatnonzero(full)[cells.text(0).to_numpy() == ""]  # a blank row has an empty date
            blank[maybe] = [is_blank(rows[i]) for i in maybe.tolist()]
        lines = first + np.arange(len(rows))
        self._blank_lines(blank, lines)
        for position in np.flatnonzero(~full & ~blank).tolist():
            said = message("line_fields", count=len(rows[position]), expected=width)
            self.problems.add(int(lines[position]), said)
        cells.keep(~blank[full])
        if cells.rows:
            self._validate(cells, lines[full & ~blank])

    def _blank_lines(self, blank: np.ndarray, lines: np.ndarray) -> None:
        """A blank line followed by data lies inside the file (refused); trailing ones are ignored."""
        filled = np.flatnonzero(~blank)
        if len(filled):
            inner = lines[: filled[-1]][blank[: filled[-1]]].tolist()
            for line in [*self.blank_run, *inner]:
                self.problems.add(line, message("line_blank"))
            self.blank_run = []
            self.data_rows += len(filled)
        tail = filled[-1] + 1 if len(filled) else 0
        self.blank_run += lines[tail:][blank[tail:]].tolist()

    def _validate(self, cells: _Cells, lines: np.ndarray) -> None:
        days, day_problems = read_days(cells.text(0), DAYS, self.limit)
        for position, reason in day_problems.items():
            self.problems.add(int(lines[position]), reason)
        self._closes(cells, lines, days)

    def _closes(self, cells: _Cells, lines: np.ndarray, days: np.ndarray) -> None:
        """Check every close cell of a chunk at once (a wide file's columns one after another); keep the
        closes of rows whose day, symbol and close are good."""
        texts = cells.stacked([column.position for column in self.columns])
        row = np.tile(np.arange(cells.rows), len(self.columns))
        place = np.repeat(np.arange(len(self.columns)), cells.rows)  # which of self.columns
        codes, valid = self._symbols(cells, lines)
        required = np.array([column.required for column in self.columns])
        wanted = np.flatnonzero(valid[row] & (required[place] | (texts != "").to_numpy(dtype=bool)))
        accepted, values = self._numbers(texts.iloc[wanted].reset_index(drop=True), lines[row[wanted]], place[wanted])
        good = accepted & ~np.isnat(days[row[wanted]])
        kept, rows = wanted[good], row[wanted[good]]
        orders = np.array([column.order for column in self.columns])
        kept_codes = codes[rows] if self.columns[0].symbol is None else codes[place[kept]]
        self.records.add(days[rows], kept_codes, values[good], lines[rows], orders[place[kept]])

    def _symbols(self, cells: _Cells, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The symbol numbers (per row in a tidy file, per close column otherwise), and which rows'
        symbols are tickers; a row whose symbol is not one is refused, its close unread."""
        if self.columns[0].symbol is not None:
            symbols = [column.symbol or "" for column in self.columns]
            valid = np.full(len(lines), all(SYMBOL_PATTERN.match(symbol) for symbol in symbols))
            shown = [symbols[0]] * len(lines)
            codes = np.array([self.records.code(symbol) for symbol in symbols], dtype=np.int32)
        else:
            shown = cells.text(1)
            valid = shown.str.fullmatch(SYMBOL_PATTERN.pattern).to_numpy(dtype=bool)
            codes = np.zeros(len(lines), dtype=np.int32)
            codes[valid] = self.records.codes(shown[valid])
        for position in np.flatnonzero(~valid).tolist():
            self.problems.add(int(lines[position]), message("line_bad_symbol", symbol=shown[position]), 1)
        return codes, valid

    def _numbers(self, texts: pd.Series, lines: np.ndarray, place: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Read close cells (each of self.columns[place]): a mask of those accepted, and every value."""
        numbers = read_numbers(texts, self.decimal)
        self.shows_point = self.shows_point or numbers.shows_point
        accepted, refused = refusals(numbers)
        for position, refusal in refused:
            column = self.columns[place[position]]
            said = refusal_message(refusal, column=column.label, text=texts.iat[position], what="price")
            self.problems.add(int(lines[position]), said, column.order)
        for position in sorted(p for p, problem in numbers.problems.items() if problem == "ambiguous"):
            if accepted[position]:
                self._hold_ambiguous(int(lines[position]), self.columns[place[position]], texts.iat[position])
        return accepted, numbers.values

    def _hold_ambiguous(self, line: int, column: _CloseColumn, text: str) -> None:
        """An ambiguous cell is read with '.' if the file shows '.' anywhere, refused otherwise; the
        first of each column are kept word for word (a column's cells come in line order)."""
        held = self.ambiguous.setdefault(column.order, [])
        if len(held) < MAX_LINES_SHOWN:
            held.append((line, column.label, text))
        else:
            self.ambiguous_beyond += 1

    def _settle_ambiguous(self) -> None:
        if self.shows_point:
            return
        for order, held in self.ambiguous.items():
            for line, label, text in held:
                point, comma = (shown_number(value or 0.0) for value in readings(text))
                said = message("line_ambiguous_number", column=label, text=text, point=point, comma=comma)
                self.problems.add(line, said, order)
        self.problems.count(self.ambiguous_beyond)  # after the ones kept in each column: never shown

    def _repeated(self) -> None:
        positions, first_lines = self.records.repeated()
        if not len(positions):
            return
        days, codes, _, lines, order = self.records.arrays()
        names = {code: symbol for symbol, code in self.records.symbols.items()}
        for position, first in zip(positions.tolist(), first_lines.tolist(), strict=True):
            day = pd.Timestamp(days[position]).date().isoformat()
            said = message("line_duplicate", symbol=names[int(codes[position])], day=day, first=first)
            self.problems.add(int(lines[position]), said, int(order[position]))
