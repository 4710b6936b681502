"""Reading price and NAV files as a stream: what the price and NAV readers share.

A file over MAX_PRICE_FILE_MB is refused before it is read. The rest is read in chunks (about
CHUNK_CELLS cells), so memory holds one chunk of text at a time plus the accepted closes in compact
arrays (`Records`, 26 bytes a close), and a file is refused as soon as it passes MAX_FILE_CLOSES:
memory is bounded whatever the file. The file is still all or nothing, since nothing is returned
until its last line is read and no line was refused. Refused lines are all counted; the first
MAX_LINES_SHOWN are kept word for word (`Problems`), which is all a message shows.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from lib.core.errors import MAX_LINES_SHOWN, InvalidPriceFile, LineError
from lib.core.i18n import Message, message
from lib.core.settings import MAX_FILE_CLOSES, MAX_PRICE_FILE_MB

CHUNK_CELLS = 40_000  # cells read at a time: 13,333 rows of a tidy file, fewer of a wide one
EARLIEST_YEAR = 1900  # a close before it is a typo (0025 for 2025), not history
DAY_UNIT = "datetime64[us]"  # the unit of the `date` column a reader returns

Progress = Callable[[int, int], None]  # bytes read so far, bytes in the file


@dataclass(frozen=True)
class Source:
    """A file to read: its name, its size in bytes and how to open it (a path, or an upload's bytes)."""

    name: str
    size: int
    opener: Callable[[], BinaryIO]

    @classmethod
    def of_path(cls, path: str | Path) -> Source:
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError as error:
            raise InvalidPriceFile(
                path.name, [LineError(0, message("file_unreadable", reason=error.strerror))]
            ) from None
        return cls(path.name, size, lambda: path.open("rb"))

    @classmethod
    def of_bytes(cls, raw: bytes, name: str) -> Source:
        return cls(name, len(raw), lambda: io.BytesIO(raw))

    def check_size(self) -> None:
        """Refuse a file over the limit before reading a byte of it."""
        if self.size > MAX_PRICE_FILE_MB * 1_000_000:
            size = f"{self.size / 1_000_000:.1f}"
            raise InvalidPriceFile(
                self.name, [LineError(0, message("file_too_large", size=size, limit=MAX_PRICE_FILE_MB))]
            )


def row_chunks(
    source: Source, encoding: str, progress: Progress | None = None, *, first_rows: int = 1
) -> Iterator[tuple[int, list[list[str]]]]:
    """The file's CSV rows: `first_rows` first (the header, a preamble), then about CHUNK_CELLS cells
    at a time (as wide as the last row read), each chunk with the number of its first row (the first
    row of the file is line 1), whatever the line ends (CR LF, LF, a lone CR from old Excel for Mac).
    A quote left open raises InvalidPriceFile; a byte the encoding refuses, UnicodeDecodeError."""
    with source.opener() as binary:
        reader = csv.reader(io.TextIOWrapper(binary, encoding=encoding, newline=None))
        line, size = 1, first_rows
        while True:
            try:
                rows = list(islice(reader, size))
            except csv.Error as error:
                problem = message("file_bad_csv", problem=str(error))
                raise InvalidPriceFile(source.name, [LineError(reader.line_num, problem)]) from None
            if not rows:
                return
            yield line, rows
            line += len(rows)
            size = max(1, CHUNK_CELLS // max(len(rows[-1]), 1))
            if progress is not None:
                progress(binary.tell(), source.size)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a file is read, then back as it was. Reading makes a list per
    row and no reference cycles, yet each full collection walks every object alive: 40 % of reading
    a 27,547-row file went there (measured); cycles made meanwhile are collected afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def is_blank(cells: list[str]) -> bool:
    """A row of empty or white cells (csv gives [] for an empty line)."""
    return not "".join(cells).strip()


def first_bad_byte(source: Source, encoding: str = "utf-8") -> int | None:
    """The offset of the first byte `encoding` refuses, None if none is (the file is read again: for
    error messages only). A sequence cut short by the end of the file is refused too."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with source.opener() as binary:
        while True:
            block = binary.read(1 << 20)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as error:
                return offset - pending + error.start
            if not block:
                return None
            offset += len(block)


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


@dataclass(frozen=True)
class DayFormat:
    """How a reader writes days: the usual form, read vectorised, and any form read one by one."""

    usual: str  # a regular expression of the usual form, e.g. \d{4}-\d{2}-\d{2}
    usual_format: str  # its strptime format
    pattern: re.Pattern[str]  # every accepted form, capturing year, month and day
    bad_form: str  # the message key for a text of no accepted form


def read_days(texts: pd.Series, form: DayFormat, limit: pd.Timestamp) -> tuple[np.ndarray, dict[int, Message]]:
    """Each stripped text's day (NaT when refused), and why each refused one is refused, by position."""
    days = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[ns]")
    usual = texts.str.fullmatch(form.usual).to_numpy(dtype=bool)
    parsed = pd.to_datetime(texts[usual], format=form.usual_format, errors="coerce")
    fine = (parsed.notna() & (parsed.dt.year >= EARLIEST_YEAR) & (parsed <= limit)).to_numpy(dtype=bool)
    days[np.flatnonzero(usual)[fine]] = parsed[fine].to_numpy(dtype="datetime64[ns]")
    problems: dict[int, Message] = {}
    for position in np.flatnonzero(np.isnat(days)).tolist():
        text = texts.iat[position]
        match = form.pattern.match(text)
        if match is None:
            problems[position] = message(form.bad_form, text=text)
            continue
        try:
            days[position] = np.datetime64(calendar_day(text, *match.groups()[:3], limit), "ns")
        except ValueError as problem:
            problems[position] = problem.args[0]
    return days, problems


def text_column(cells: tuple[str, ...] | list[str]) -> pd.Series:
    """A column of cells as stripped strings (Arrow-backed where pandas has it: vectorised matching)."""
    return pd.Series(list(cells), dtype="str").str.strip()


class Problems:
    """The refused lines of a file, in line order: all counted, the first MAX_LINES_SHOWN kept."""

    def __init__(self) -> None:
        self.total = 0
        self._kept: list[tuple[int, int, LineError]] = []

    def add(self, line: int, reason: Message, order: int = 0) -> None:
        """`order` places several reasons of one line (the date's before a close's)."""
        self.total += 1
        self._kept.append((line, order, LineError(line, reason)))
        if len(self._kept) > 4 * MAX_LINES_SHOWN:  # keep the first ones only: memory stays small
            self._kept = sorted(self._kept, key=lambda kept: kept[:2])[:MAX_LINES_SHOWN]

    def count(self, more: int) -> None:
        """Problems counted but never shown (the caller knows enough earlier ones are kept)."""
        self.total += more

    def raise_any(self, name: str) -> None:
        if self.total:
            kept = sorted(self._kept, key=lambda kept: kept[:2])[:MAX_LINES_SHOWN]
            raise InvalidPriceFile(name, [error for _, _, error in kept], total=self.total)


class Records:
    """The closes a file has given so far, in compact arrays (26 bytes a close) that grow by doubling,
    with the line and place each came from; sorted once by symbol and day, which also finds repeated
    closes (a file already in that order, the usual case, is only checked, not sorted)."""

    _DTYPES = (DAY_UNIT, np.int32, np.float64, np.int32, np.int16)  # days, codes, closes, lines, order
    _FIRST_CAPACITY = 1 << 16

    def __init__(self) -> None:
        self._empty()

    def _empty(self) -> None:
        self.symbols: dict[str, int] = {}
        self._arrays = [np.empty(0, dtype) for dtype in self._DTYPES]
        self.count = 0
        self._sorting: tuple[np.ndarray, np.ndarray] | None | bool = False  # False: not known yet

    def code(self, symbol: str) -> int:
        return self.symbols.setdefault(symbol, len(self.symbols))

    def check_count(self, name: str) -> None:
        """Refuse the file as soon as it has given more than MAX_FILE_CLOSES closes (memory stays bounded)."""
        if self.count > MAX_FILE_CLOSES:
            line = int(self._arrays[3][MAX_FILE_CLOSES])
            problem = message("file_too_many_closes", limit=f"{MAX_FILE_CLOSES:,}")
            raise InvalidPriceFile(name, [LineError(line, problem)])

    def codes(self, symbols: pd.Series) -> np.ndarray:
        """Each symbol's number (the same symbol keeps its number across chunks)."""
        codes, uniques = pd.factorize(symbols)
        numbers = np.array([self.code(str(symbol)) for symbol in uniques], np.int32)
        return numbers[codes] if len(numbers) else codes.astype(np.int32)

    def add(
        self, days: np.ndarray, codes: np.ndarray, closes: np.ndarray, lines: np.ndarray, order: np.ndarray
    ) -> None:
        """Keep closes (one per element of each array), in the order of their lines."""
        end = self.count + len(days)
        self._grow(end)
        for array, values in zip(self._arrays, (days, codes, closes, lines, order), strict=True):
            array[self.count : end] = values
        self.count = end
        self._sorting = False

    def expect(self, done: int, total: int) -> None:
        """Make room for the closes the rest of the file will likely give (`done` of `total` bytes read):
        growing once to the right size holds less memory than doubling up to it."""
        if 0 < done < total and self.count:
            self._grow(int(self.count * total / done * 1.1) + 1)

    def _grow(self, needed: int) -> None:
        if needed <= len(self._arrays[0]):
            return
        capacity = max(self._FIRST_CAPACITY, needed, len(self._arrays[0]) * 3 // 2)
        for position, array in enumerate(self._arrays):  # a column at a time: never two copies of all
            grown = np.empty(capacity, array.dtype)
            grown[: self.count] = array[: self.count]
            self._arrays[position] = grown

    def arrays(self) -> tuple[np.ndarray, ...]:
        """days, codes, closes, lines, order: one array each, in the order the closes were added."""
        return tuple(array[: self.count] for array in self._arrays)

    def _sorted(self) -> tuple[np.ndarray, np.ndarray] | None:
        """None when the closes were added sorted by symbol name then day, none repeated (checked
        without a sort); else the positions in that order (a stable sort: a repeated close comes after
        the first) and their keys in that order (equal keys: the same symbol and day)."""
        if self._sorting is False:
            days, codes, *_ = self.arrays()
            ranks, day_numbers = self._ranks()[codes], days.view(np.int64)
            later = (ranks[1:] > ranks[:-1]) | ((ranks[1:] == ranks[:-1]) & (day_numbers[1:] > day_numbers[:-1]))
            self._sorting = None if later.all() else self._sort(ranks, day_numbers)
        return self._sorting  # type: ignore[return-value]

    @staticmethod
    def _sort(ranks: np.ndarray, day_numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keys = day_numbers // 86_400_000_000  # microseconds a day; built in place: one array at a time
        first = int(keys.min())
        keys -= first
        span = int(keys.max()) + 1
        keys += ranks.astype(np.int64) * span
        order = np.argsort(keys, kind="stable")
        return order, keys[order]

    def _ranks(self) -> np.ndarray:
        """Each symbol number's place in the alphabetical order of the symbols."""
        ranks = np.empty(len(self.symbols), np.int32)
        ranks[[self.symbols[name] for name in sorted(self.symbols)]] = np.arange(len(self.symbols), dtype=np.int32)
        return ranks

    def repeated(self) -> tuple[np.ndarray, np.ndarray]:
        """Positions of closes given again for a symbol and day, and the line that gave each first."""
        sorting = self._sorted()
        if sorting is None:
            return np.array([], np.int64), np.array([], np.int64)
        order, keys = sorting
        same = keys[1:] == keys[:-1]
        if not same.any():
            return np.array([], np.int64), np.array([], np.int64)
        starts = np.concatenate([[True], ~same])
        group_start = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
        return order[~starts], self.arrays()[3][order[group_start[~starts]]]

    def frame(self) -> pd.DataFrame:
        """Tidy closes (date, symbol, close), sorted by symbol then date; the records are let go as
        the frame is built, so the closes are never held three times."""
        sorting = self._sorted()
        order = None if sorting is None else sorting[0]
        self._sorting = False
        ranks = self._ranks()
        names = pd.Index(sorted(self.symbols), dtype="str")
        days, codes, closes = (self._take(position, order) for position in range(3))
        self._empty()
        symbols = pd.Series(names.take(ranks[codes]))
        return pd.DataFrame({"date": days, "symbol": symbols, "close": closes}, copy=False)

    def _take(self, position: int, order: np.ndarray | None) -> np.ndarray:
        """One array in `order`, the records' own copy let go at once."""
        array = self._arrays[position][: self.count]
        self._arrays[position] = np.empty(0, array.dtype)
        return array if order is None else array[order]
