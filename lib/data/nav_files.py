"""NAV files from fund companies, for funds Yahoo does not carry (e.g. a Japan-domiciled US
small-cap growth fund priced in JPY, 基準価額).

Accepted: UTF-8 (with or without BOM) or Shift_JIS (cp932) CSV; a few lines of preamble (the fund's
name) before the header; a date column (基準日, 日付, 年月日, Date) and a NAV column. The
distribution-reinvested NAV (分配金再投資基準価額) is preferred, as it is a total return; a plain NAV
(基準価額, NAV) is used otherwise and the import says so. Dates as 2024/11/29, 2024-11-29 or
2024年11月29日; numbers may carry thousands separators or 円. Any bad line rejects the file whole.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from lib.core.errors import InvalidPriceFile, LineError
from lib.core.i18n import message
from lib.data.price_files import calendar_day, csv_rows, parse_number

DATE_HEADERS = ("基準日", "日付", "年月日", "date")
TOTAL_RETURN_HEADERS = ("分配金再投資基準価額", "分配金再投資基準価額(円)", "分配金再投資基準価額（円）")
NAV_HEADERS = ("基準価額", "基準価額(円)", "基準価額（円）", "nav", "価格")
_DATE = re.compile(r"^(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?$")
_PREAMBLE_LINES = 10


@dataclass(frozen=True)
class NavFile:
    name: str
    closes: pd.DataFrame  # tidy: date, symbol, close
    column: str  # the NAV column used
    total_return: bool  # True when the NAV reinvests distributions


def parse_nav_text(raw: bytes, *, name: str, symbol: str, today: pd.Timestamp | None = None) -> NavFile:
    text = _decode(raw, name)
    rows = csv_rows(text, name)
    header_line, date_col, nav_col = _find_header(rows, name)
    header = [cell.strip() for cell in rows[header_line]]
    limit = (today or pd.Timestamp.today()).normalize()
    records: list[tuple[str, str, float]] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    for offset, cells in enumerate(rows[header_line + 1 :]):
        line = header_line + offset + 2
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(date_col, nav_col) and not cells[0].strip()[:1].isdigit():
            continue  # a footnote (※ ...), as fund companies end their files
        if len(cells) <= max(date_col, nav_col):
            errors.append(LineError(line, message("line_fields", count=len(cells), expected=len(header))))
            continue
        day = _date(cells[date_col].strip(), line, errors, limit)
        value = _number(cells[nav_col].strip(), header[nav_col], line, errors)
        if day is None or value is None:
            continue
        if day in seen:
            errors.append(LineError(line, message("nav_duplicate", day=day, first=seen[day])))
            continue
        seen[day] = line
        records.append((day, symbol, value))
    if errors:
        raise InvalidPriceFile(name, errors)
    if not records:
        raise InvalidPriceFile(name, [LineError(header_line + 1, message("file_no_prices"))])
    closes = pd.DataFrame(records, columns=["date", "symbol", "close"])
    closes["date"] = pd.to_datetime(closes["date"])
    total = header[nav_col] in TOTAL_RETURN_HEADERS
    return NavFile(name, closes.sort_values("date", ignore_index=True), header[nav_col], total)


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidPriceFile(name, [LineError(0, message("nav_encoding"))])


def _find_header(rows: list[list[str]], name: str) -> tuple[int, int, int]:
    for line, cells in enumerate(rows[:_PREAMBLE_LINES]):
        cleaned = [cell.strip().replace(" ", "").lower() for cell in cells]
        dates = [i for i, cell in enumerate(cleaned) if cell in DATE_HEADERS]
        total = [i for i, cell in enumerate(cleaned) if cell in TOTAL_RETURN_HEADERS]
        plain = [i for i, cell in enumerate(cleaned) if cell in NAV_HEADERS]
        if dates and (total or plain):
            return line, dates[0], (total or plain)[0]
    raise InvalidPriceFile(name, [LineError(1, message("nav_no_header", lines=_PREAMBLE_LINES))])


def _date(text: str, line: int, errors: list[LineError], limit: pd.Timestamp) -> str | None:
    match = _DATE.match(text)
    if not match:
        errors.append(LineError(line, message("nav_bad_date", text=text)))
        return None
    try:
        return calendar_day(text, match[1], match[2], match[3], limit)
    except ValueError as problem:
        errors.append(LineError(line, problem.args[0]))
        return None


def _number(text: str, column: str, line: int, errors: list[LineError]) -> float | None:
    try:
        value = parse_number(text.replace("円", "").strip())
    except ValueError:
        errors.append(LineError(line, message("line_not_number", column=column, text=text)))
        return None
    if math.isnan(value) or math.isinf(value) or value <= 0:
        errors.append(LineError(line, message("nav_not_positive", column=column, text=text)))
        return None
    return value
