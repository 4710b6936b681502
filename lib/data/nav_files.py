"""NAV files from fund companies, for funds Yahoo does not carry (e.g. a Japan-domiciled US
small-cap growth fund priced in JPY, 基準価額).

Accepted: UTF-8 (with or without BOM) or Shift_JIS (cp932) CSV, decoded by content (UTF-8 first, then
cp932: the 投資信託協会 serves Shift_JIS under a UTF-8 HTTP header); a few lines of preamble (the
fund's name) before the header; a date column (基準日, 日付, 年月日, Date) and a NAV column. The header
says which columns the file has, full-width brackets read as half-width; the two layouts investors
mostly get are both read this way:

- 投信協会 (投信総合検索ライブラリー): `年月日,基準価額(円),純資産総額（百万円）,分配金,決算期`, dates
  2014年11月20日, CRLF, Shift_JIS;
- MUFG and like fund companies: the fund's name on line 1, then
  `基準日,基準価額(円),基準価額（分配金再投資）(円),分配金（税引前）(円),純資産総額（億円）`.

Which NAV is used, in this order: a published distribution-reinvested NAV (分配金再投資基準価額), a total
return; else one built from 基準価額 and 分配金 (`reinvested`), also a total return; else the plain
基準価額, and the import says so. Net assets (純資産総額, in 百万円 or 億円) and 決算期 are not kept:
the fund table's net assets come from the fund's profile. Dates as 2024/11/29, 2024-11-29 or
2024年11月29日; numbers may carry thousands separators or 円. Any bad line rejects the file whole.

Decimals: Japanese files write a point and group thousands with commas ("12,345", "10,123.45"), so
that is how a NAV is read by default; a decimal comma ("10.000,5") is refused, naming --decimal ,
(which reads the file that way). Values outside the plausible range are refused like non-positive ones.
"""

from __future__ import annotations

import re
import unicodedata
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

# Header cells as `_cleaned` leaves them: NFKC (（円） -> (円)), no spaces, lower case.
DATE_HEADERS = ("基準日", "日付", "年月日", "date")
TOTAL_RETURN_HEADERS = (
    "分配金再投資基準価額",
    "分配金再投資基準価額(円)",
    "基準価額(分配金再投資)",
    "基準価額(分配金再投資)(円)",
)
NAV_HEADERS = ("基準価額", "基準価額(円)", "nav", "価格")
DISTRIBUTION_HEADERS = ("分配金", "分配金(円)", "分配金(税引前)", "分配金(税引前)(円)")
NO_DISTRIBUTION = ("", "-", "－", "―", "ー")  # how a day without a distribution is written
FUND_WORDS = ("ファンド", "投信", "fund")  # a preamble line that names a fund (not 単位：円)
BRACKETED = re.compile(r"[(（][^)）]*[)）]")  # an 愛称 or share class in brackets, left out of a fund's name
PERIOD_HEADERS = ("決算期",)  # the 投資信託協会's column naming the 決算 of a row (第4期), blank on other days
_ERROR_BODY_STARTS = ("{", "<!doctype", "<html")  # a JSON or HTML answer saved as .csv, not a NAV file
_DATE = re.compile(r"^(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?$")
DAYS = DayFormat(r"\d{4}/\d{2}/\d{2}", "%Y/%m/%d", _DATE, "nav_bad_date")
_PREAMBLE_LINES = 10
_ENCODINGS = ("utf-8-sig", "cp932")


@dataclass(frozen=True)
class NavFile:
    name: str
    closes: pd.DataFrame  # tidy: date, symbol, close
    column: str  # the NAV column used, as the header writes it
    total_return: bool  # True when the NAV reinvests distributions (published or built)
    date_column: str = ""
    distributions: str = ""  # the distribution column the closes were built with ("" when not built)
    left_out: tuple[str, ...] = ()  # header cells not read (純資産総額, 決算期, ...)
    built: pd.Series | None = None  # by date: the series built from 基準価額 and 分配金 when the file also
    # publishes a reinvested column (which `closes` holds): the two should agree
    preamble: tuple[str, ...] = ()  # the lines before the header (an MUFG file names its fund on line 1)


def reinvested(navs: np.ndarray, distributions: np.ndarray) -> np.ndarray:
    """分配金再投資基準価額 (before tax) from 基準価額 and 分配金 (both in date order, 0 where none was
    paid), as fund companies and the 投資信託協会 publish it.

    The series starts at the first NAV, R_0 = NAV_0, and then moves by
        R_t = R_{t-1} * (NAV_t + D_t) / NAV_{t-1}
    so that a distribution D_t, paid out of the NAV on its 決算日, is bought back at NAV_t. Unrolled:
        R_t = NAV_t * prod over the 決算日 s <= t (s > 0) of (1 + D_s / NAV_s),
    which is how it is computed. A distribution on the first row is outside the series (its NAV_{t-1}
    is not in the file). Whatever the units (基準価額 per 10,000 口), only ratios matter."""
    growth = 1.0 + distributions / navs
    if len(growth):
        growth[0] = 1.0
    return navs * np.cumprod(growth)


def parse_nav_text(
    raw: bytes, *, name: str, symbol: str, today: pd.Timestamp | None = None, decimal: DecimalMark = "."
) -> NavFile:
    """Read and validate a NAV file; raises InvalidPriceFile listing every error by line."""
    source = Source.of_bytes(raw, name)
    source.check_size()
    _refuse_error_body(raw, name)
    limit = (today or pd.Timestamp.today()).normalize()
    for encoding in _ENCODINGS:
        try:
            with collector_paused():
                return _NavReader(source, symbol, limit, decimal).read(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidPriceFile(name, [LineError(0, message("nav_encoding"))])


def _refuse_error_body(raw: bytes, name: str) -> None:
    """The 投資信託協会 site answers a bad request with HTTP 200 and a JSON body such as
    {"statusCode":null}; saved as .csv it would read as a file with no header. Say what it is."""
    start = raw[:200].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if start.lower().startswith(_ERROR_BODY_STARTS):
        text = start.splitlines()[0][:60] if start else ""
        raise InvalidPriceFile(name, [LineError(1, message("nav_error_body", text=text))])


def _yen(value: float) -> str:
    """A NAV or distribution as a reader writes it: 12,000 or 10,123.45."""
    return f"{value:,.10g}"


def _cleaned(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).strip().replace(" ", "").lower()


def _first(cleaned: list[str], names: tuple[str, ...]) -> int:
    return next((i for i, cell in enumerate(cleaned) if cell in names), -1)


class _NavReader:
    def __init__(self, source: Source, symbol: str, limit: pd.Timestamp, decimal: DecimalMark) -> None:
        self.source = source
        self.limit = limit
        self.decimal = decimal
        self.header: list[str] = []
        self.date_col = self.nav_col = self.plain_col = self.payout_col = self.period_col = -1
        self.preamble: tuple[str, ...] = ()
        self.order_days: list[np.ndarray] = []  # every kept row's day and line, in file order
        self.order_lines: list[np.ndarray] = []
        self.problems = Problems()
        self.records = Records()
        self.code = self.records.code(symbol)
        self.extra_days: list[np.ndarray] = []  # the kept rows' days, plain NAVs and distributions
        self.extra_plain: list[np.ndarray] = []
        self.extra_payouts: list[np.ndarray] = []

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
        self._back_and_forth()
        self.problems.raise_any(self.source.name)
        if not self.records.count:
            raise InvalidPriceFile(self.source.name, [LineError(header_line + 1, message("file_no_prices"))])
        return self._nav_file(self.records.frame())

    def _find_header(self, rows: list[list[str]]) -> int:
        """The position of the header among the first rows, its columns noted; raises InvalidPriceFile
        when none is one."""
        for line, cells in enumerate(rows[:_PREAMBLE_LINES]):
            cleaned = [_cleaned(cell) for cell in cells]
            date, total, plain = (_first(cleaned, names) for names in (DATE_HEADERS, TOTAL_RETURN_HEADERS, NAV_HEADERS))
            if date >= 0 and (total >= 0 or plain >= 0):
                self.header = [cell.strip() for cell in cells]
                self.date_col, self.nav_col = date, (total if total >= 0 else plain)
                payout = _first(cleaned, DISTRIBUTION_HEADERS)
                if plain >= 0 and payout >= 0:  # enough to build the reinvested series (or check it)
                    self.plain_col, self.payout_col = plain, payout
                    self.period_col = _first(cleaned, PERIOD_HEADERS)
                self.preamble = tuple(",".join(row).strip(" ,") for row in rows[:line] if ",".join(row).strip(" ,"))
                return line
        problem = message("nav_no_header", lines=_PREAMBLE_LINES)
        raise InvalidPriceFile(self.source.name, [LineError(1, problem)])

    def _chunk(self, first: int, rows: list[list[str]]) -> None:
        needed = max(self.date_col, self.nav_col, self.plain_col, self.payout_col)
        cells_by_row: list[list[str]] = []
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
            cells_by_row.append(cells)
            lines.append(line)
        if lines:
            self._validate(cells_by_row, np.array(lines, dtype=np.int64))

    def _validate(self, rows: list[list[str]], lines: np.ndarray) -> None:
        days, day_problems = read_days(text_column([row[self.date_col] for row in rows]), DAYS, self.limit)
        for position, reason in day_problems.items():
            self.problems.add(int(lines[position]), reason)
        keep = ~np.isnat(days)
        navs, accepted = self._navs([row[self.nav_col] for row in rows], self.nav_col, lines)
        keep &= accepted
        if self.payout_col >= 0:
            plain = navs
            if self.plain_col != self.nav_col:  # a published reinvested NAV beside the plain one
                plain, accepted = self._navs([row[self.plain_col] for row in rows], self.plain_col, lines)
            payouts, paid = self._payouts([row[self.payout_col] for row in rows], lines)
            paid &= self._paid_rightly(rows, payouts, plain, lines)
            keep &= accepted & paid
            self.extra_days.append(days[keep])
            self.extra_plain.append(plain[keep])
            self.extra_payouts.append(payouts[keep])
        self.order_days.append(days[keep])
        self.order_lines.append(lines[keep])
        codes = np.full(int(keep.sum()), self.code)
        self.records.add(days[keep], codes, navs[keep], lines[keep], np.ones(len(codes)))

    def _navs(self, cells: list[str], column: int, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A NAV column's values and which are accepted; each refused cell noted with its line."""
        texts = text_column(cells)
        numbers = read_numbers(texts.str.replace("円", "", regex=False).str.strip(), self.decimal)
        accepted, refused = refusals(numbers)
        for position, refusal in refused:
            said = refusal_message(refusal, column=self.header[column], text=texts.iat[position], what="nav")
            self.problems.add(int(lines[position]), said, 1)
        return numbers.values, accepted

    def _payouts(self, cells: list[str], lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The distributions (0 on a day without one: a blank or a dash) and which are accepted: a
        distribution is a number, 0 or more."""
        texts = text_column(cells).str.replace("円", "", regex=False).str.strip()
        none = texts.isin(NO_DISTRIBUTION).to_numpy(dtype=bool)
        numbers = read_numbers(texts.where(~none, "0"), self.decimal)
        with np.errstate(invalid="ignore"):
            good = np.isfinite(numbers.values) & (numbers.values >= 0)
        for position in np.flatnonzero(~good).tolist():
            said = message("nav_bad_distribution", column=self.header[self.payout_col], text=texts.iat[position])
            self.problems.add(int(lines[position]), said, 2)
        return np.where(good, numbers.values, 0.0), good

    def _nav_file(self, closes: pd.DataFrame) -> NavFile:
        """The file's closes, built from 基準価額 and 分配金 when it publishes no reinvested series."""
        column = self.header[self.nav_col]
        published = _cleaned(column) in TOTAL_RETURN_HEADERS
        used = {self.date_col, self.nav_col, self.plain_col, self.payout_col} - {-1}
        left_out = tuple(cell for i, cell in enumerate(self.header) if i not in used and cell)
        described = {
            "name": self.source.name,
            "date_column": self.header[self.date_col],
            "left_out": left_out,
            "preamble": self.preamble,
        }
        if self.payout_col < 0:
            return NavFile(closes=closes, column=column, total_return=published, **described)
        days = np.concatenate(self.extra_days)
        order = np.argsort(days, kind="stable")
        plain, payouts = np.concatenate(self.extra_plain)[order], np.concatenate(self.extra_payouts)[order]
        built = pd.Series(reinvested(plain, payouts), index=pd.DatetimeIndex(days[order]), name="close")
        if published:
            return NavFile(closes=closes, column=column, total_return=True, built=built, **described)
        closes = closes.assign(close=built.to_numpy())  # same days, same order: sorted by date
        distributions = self.header[self.payout_col]
        return NavFile(closes=closes, column=column, total_return=True, distributions=distributions, **described)

    def _paid_rightly(
        self, rows: list[list[str]], payouts: np.ndarray, navs: np.ndarray, lines: np.ndarray
    ) -> np.ndarray:
        """Which distributions can stand: none larger than its day's NAV (it is paid out of the NAV),
        and, in a file with a 決算期 column, none on a day whose 決算期 cell is blank (paid on a 決算日)."""
        with np.errstate(invalid="ignore"):
            over = payouts > navs
        column = self.header[self.payout_col]
        for position in np.flatnonzero(over).tolist():
            said = message(
                "nav_distribution_over_nav", column=column, payout=_yen(payouts[position]), nav=_yen(navs[position])
            )
            self.problems.add(int(lines[position]), said, 3)
        good = ~over
        if self.period_col >= 0:
            periods = [row[self.period_col].strip() if len(row) > self.period_col else "" for row in rows]
            blank = np.array([not period for period in periods], dtype=bool) & (payouts > 0)
            for position in np.flatnonzero(blank).tolist():
                said = message(
                    "nav_distribution_no_period",
                    column=column,
                    payout=_yen(payouts[position]),
                    period=self.header[self.period_col],
                )
                self.problems.add(int(lines[position]), said, 4)
            good &= ~blank
        return good

    def _back_and_forth(self) -> None:
        """A file runs oldest first or newest first (some fund companies list the latest NAV on top);
        one whose dates change direction is refused at the first line that turns back."""
        if not self.order_days:
            return
        days, lines = np.concatenate(self.order_days), np.concatenate(self.order_lines)
        first = np.sort(np.unique(days, return_index=True)[1])  # a repeated day is reported as a duplicate
        days, lines = days[first], lines[first]
        steps = np.sign(np.diff(days.astype("int64")))
        moving = steps[steps != 0]
        if moving.size == 0 or (moving == moving[0]).all():
            return
        turn = int(np.flatnonzero((steps != 0) & (steps != moving[0]))[0]) + 1
        before = turn - 1
        day, previous = (pd.Timestamp(days[i]).date().isoformat() for i in (turn, before))
        said = message("nav_dates_back_and_forth", day=day, previous=previous, previous_line=int(lines[before]))
        self.problems.add(int(lines[turn]), said, 1)

    def _repeated(self) -> None:
        positions, first_lines = self.records.repeated()
        days, _, _, lines, _ = self.records.arrays()
        for position, first in zip(positions.tolist(), first_lines.tolist(), strict=True):
            day = pd.Timestamp(days[position]).date().isoformat()
            self.problems.add(int(lines[position]), message("nav_duplicate", day=day, first=first), 1)
