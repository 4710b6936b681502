"""NAV files from fund companies, for funds Yahoo does not carry (e.g. a Japan-domiciled US
small-cap growth fund priced in JPY, 基準価額).

Accepted: UTF-8 (with or without BOM) or Shift_JIS (cp932) CSV; a few lines of preamble (the fund's
name) before the header; a date column (基準日, 日付, 年月日, Date) and a NAV column. The
distribution-reinvested NAV (分配金再投資基準価額) is preferred, as it is a total return; a plain NAV
(基準価額, NAV) is used otherwise and the import says so. Dates as 2024/11/29, 2024-11-29 or
2024年11月29日; numbers may carry thousands separators or 円. Any bad line rejects the file whole.

Decimals: Japanese files write a point and group thousands with commas ("12,345", "10,123.45"), so
that is how a NAV is read by default; a decimal comma ("10.000,5") is refused, naming --decimal ,
(which reads the file that way). Values outside the plausible range are refused like non-positive ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.core.errors import InvalidPriceFile, LineError
from lib.core.i18n import message
from lib.core.types import DecimalMark
from lib.data.file_numbers import read_numbers, refusal_message, refusals
from lib.data.file_reading import (
    DayFormat,
    Problems,
    Records,
    Source,
    collector_paused,
    is_blank,
    read_days,
    row_chunks,
    text_column,
)

DATE_HEADERS = ("基準日", "日付", "年月日", "date")
TOTAL_RETURN_HEADERS = ("分配金再投資基準価額", "分配金再投資基準価額(円)", "分配金再投資基準価額（円）")
NAV_HEADERS = ("基準価額", "基準価額(円)", "基準価額（円）", "nav", "価格")
_DATE = re.compile(r"^(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?$")
DAYS = DayFormat(r"\d{4}/\d{2}/\d{2}", "%Y/%m/%d", _DATE, "nav_bad_date")
_PREAMBLE_LINES = 10
_ENCODINGS = ("utf-8-sig", "cp932")


@dataclass(frozen=True)
class NavFile:
    name: str
    closes: pd.DataFrame  # tidy: date, symbol, close
    column: str  # the NAV column used
    total_return: bool  # True when the NAV reinvests distributions


def parse_nav_text(
    raw: bytes, *, name: str, symbol: str, today: pd.Timestamp | None = None, decimal: DecimalMark = "."
) -> NavFile:
    """Read and validate a NAV file; raises InvalidPriceFile listing every error by line."""
    source = Source.of_bytes(raw, name)
    source.check_size()
    limit = (today or pd.Timestamp.today()).normalize()
    for encoding in _ENCODINGS:
        try:
            with collector_paused():
                return _NavReader(source, symbol, limit, decimal).read(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidPriceFile(name, [LineError(0, message("nav_encoding"))])


class _NavReader:
    def __init__(self, source: Source, symbol: str, limit: pd.Timestamp, decimal: DecimalMark) -> None:
        self.source = source
        self.limit = limit
        self.decimal = decimal
        self.header: list[str] = []
        self.date_col = self.nav_col = -1
        self.problems = Problems()
        self.records = Records()
        self.code = self.records.code(symbol)

    def read(self, encoding: str) -> NavFile:
        header_line = -1
        for first, rows in row_chunks(self.source, encoding, first_rows=_PREAMBLE_LINES):
            if header_line < 0:
                header_line = self._find_header(rows)
                rows, first = rows[header_line + 1 :], first + header_line + 1
            self._chunk(first, rows)
            self.records.check_count(self.source.name)
        if header_line < 0:
            self._find_header([])
        self._repeated()
        self.problems.raise_any(self.source.name)
        if not self.records.count:
            raise InvalidPriceFile(self.source.name, [LineError(header_line + 1, message("file_no_prices"))])
        column = self.header[self.nav_col]
        return NavFile(self.source.name, self.records.frame(), column, column in TOTAL_RETURN_HEADERS)

    def _find_header(self, rows: list[list[str]]) -> int:
        """The position of the header among the first rows; raises InvalidPriceFile when none is one."""
        for line, cells in enumerate(rows[:_PREAMBLE_LINES]):
            cleaned = [cell.strip().replace(" ", "").lower() for cell in cells]
            dates = [i for i, cell in enumerate(cleaned) if cell in DATE_HEADERS]
            total = [i for i, cell in enumerate(cleaned) if cell in TOTAL_RETURN_HEADERS]
            plain = [i for i, cell in enumerate(cleaned) if cell in NAV_HEADERS]
            if dates and (total or plain):
                self.header = [cell.strip() for cell in cells]
                self.date_col, self.nav_col = dates[0], (total or plain)[0]
                return line
        problem = message("nav_no_header", lines=_PREAMBLE_LINES)
        raise InvalidPriceFile(self.source.name, [LineError(1, problem)])

    def _chunk(self, first: int, rows: list[list[str]]) -> None:
        needed = max(self.date_col, self.nav_col)
        days: list[str] = []
        navs: list[str] = []
        lines: list[int] = []
        for offset, cells in enumerate(rows):
            line = first + offset
            if is_blank(cells):
                continue
            if len(cells) <= needed and not cells[0].strip()[:1].isdigit():
                continue  # a footnote (※ ...), as fund companies end their files
            if len(cells) <= needed:
                self.problems.add(line, message("line_fields", count=len(cells), expected=len(self.header)))
                continue
            days.append(cells[self.date_col])
            navs.append(cells[self.nav_col])
            lines.append(line)
        if lines:
            self._validate(days, navs, np.array(lines, dtype=np.int64))

    def _validate(self, day_cells: list[str], nav_cells: list[str], lines: np.ndarray) -> None:
        days, day_problems = read_days(text_column(day_cells), DAYS, self.limit)
        for position, reason in day_problems.items():
            self.problems.add(int(lines[position]), reason)
        texts = text_column(nav_cells)
        numbers = read_numbers(texts.str.replace("円", "", regex=False).str.strip(), self.decimal)
        accepted, refused = refusals(numbers)
        column = self.header[self.nav_col]
        for position, refusal in refused:
            said = refusal_message(refusal, column=column, text=texts.iat[position], what="nav")
            self.problems.add(int(lines[position]), said, 1)
        keep = accepted & ~np.isnat(days)
        codes = np.full(int(keep.sum()), self.code)
        self.records.add(days[keep], codes, numbers.values[keep], lines[keep], np.ones(len(codes)))

    def _repeated(self) -> None:
        positions, first_lines = self.records.repeated()
        days, _, _, lines, _ = self.records.arrays()
        for position, first in zip(positions.tolist(), first_lines.tolist(), strict=True):
            day = pd.Timestamp(days[position]).date().isoformat()
            self.problems.add(int(lines[position]), message("nav_duplicate", day=day, first=first), 1)
