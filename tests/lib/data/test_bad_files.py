"""Bad input: a malformed price or NAV file is rejected whole, with its reasons, and the store is untouched.

Proven here:
- every broken file of tests/fixtures/price_files and tests/fixtures/nav_files, imported through the command
  line (and lib.nav_import), exits 2 naming the file and its reason, and a dump of every table of the SQLite
  store is byte-identical before and after; so is a long file whose only bad row is its last;
- generated tidy price files and NAV files (UTF-8 or Shift_JIS, with up to 9 preamble lines) agree with an
  independent oracle: accepted exactly when no row was broken, with the generated closes; otherwise every
  broken line, and only those, is reported with its reason, and the count in the message is the number of
  broken lines;
- arbitrary bytes, arbitrary text and mutations of the good fixtures are accepted or raise InvalidPriceFile,
  never another exception; what is accepted is finite, positive and without a repeated day.

Hypothesis runs with derandomize=True (which implies database=None): every run, on CI or not, tries the same
examples and no example database is kept (Hypothesis still caches constants in its self-gitignored .hypothesis).
Three parser crashes (csv.Error or IndexError instead of InvalidPriceFile) are strict xfail tests at the end;
the arbitrary inputs steer clear of them (a bare CR becomes CR LF; a price file may not start with an empty
line) so that the properties keep guarding everything else.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.cli import main as cli
from lib.core.errors import DashboardError, InvalidPriceFile
from lib.core.settings import Instrument
from lib.data.nav_files import parse_nav_text
from lib.data.nav_import import import_nav
from lib.data.price_files import parse_price_text
from lib.data.store import FundFacts, PriceStore
from tests.conftest import FIXTURES

PRICE_FILES = FIXTURES / "price_files"
NAV_FILES = FIXTURES / "nav_files"
TODAY = pd.Timestamp("2026-01-07")
NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
EXAMPLES = 250
HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True)

PRICE_REASONS = {
    "blank_line.csv": "line 3: blank line",
    "broken_rows.csv": "line 4: close 'abc' is not a number",
    "empty.csv": "line 1: the file is empty",
    "future_date.csv": "line 3: date 2099-01-02 is in the future",
    "header_only.csv": "line 1: the file has a header but no prices",
    "not_prices.csv": "line 2: close nan is not a positive price",
    "not_utf8.csv": "is not UTF-8 text",
    "repeated_columns.csv": "line 1: repeated column names",
    "unknown_columns.csv": "line 1: unknown columns ['ticker']",
    "yahoo_without_symbol.csv": "name it with --symbol",
}
NAV_REASONS = {
    "broken.csv": "line 3: date '2024/13/01' does not exist",
    "no_header.csv": "no header with a date column",
}
GOOD_NAV = ("plain_utf8.csv", "sample_sjis.csv", "toushin_kyokai.csv", "mufg_layout.csv", "both_columns_utf8.csv")
BROKEN_PRICE = sorted(path.name for path in PRICE_FILES.glob("*.csv") if not path.name.startswith("good_"))
BROKEN_NAV = sorted(path.name for path in NAV_FILES.glob("*.csv") if path.name not in GOOD_NAV)
STORE_TABLES = ("price_close", "fetch_attempt", "fund_list", "instrument", "fund_facts")


# --- the corpora, through the import paths ----------------------------------------------------


@pytest.fixture
def filled_store(store_url: str) -> PriceStore:
    """A store holding a week of ^RUO and ^GSPC closes, a fetch attempt, a fund list, a fund and its facts."""
    store = PriceStore(store_url)
    days = pd.bdate_range("2025-12-15", "2025-12-19")
    closes = {
        "^RUO": [1598.42, 1611.07, 1589.93, 1602.18, 1617.55],
        "^GSPC": [6816.51, 6800.26, 6721.43, 6774.76, 6834.50],
    }
    tidy = pd.DataFrame(
        [(day, symbol, close) for symbol, values in closes.items() for day, close in zip(days, values, strict=True)],
        columns=["date", "symbol", "close"],
    )
    store.write(tidy, source="Yahoo Finance", fetched_at=NOW - dt.timedelta(days=1))
    store.record_attempt("Yahoo Finance", at=NOW - dt.timedelta(days=1), ok=True, message="10 rows")
    store.save_funds(["IWO", "VSGAX", "JP-OLD"])
    store.save_instrument(Instrument("JP-OLD", "Old fund", "旧ファンド", "mutual_fund", "JPY"), note="plain NAV")
    store.save_fund_facts("IWO", FundFacts(0.24, 1.2e10, NOW - dt.timedelta(days=1)))
    return store


def dump(store: PriceStore) -> bytes:
    """Every table of the SQLite store, schema and rows, as SQL text."""
    with closing(sqlite3.connect(sa.make_url(store.url).database)) as database:
        return "\n".join(database.iterdump()).encode()


def test_the_store_dump_holds_rows_of_every_table(filled_store):
    snapshot = dump(filled_store).decode()
    for table in STORE_TABLES:
        assert f'INSERT INTO "{table}"' in snapshot
    assert "1617.55" in snapshot and "旧ファンド" in snapshot


def test_every_broken_file_of_the_corpora_has_a_known_reason():
    assert sorted(PRICE_REASONS) == BROKEN_PRICE
    assert sorted(NAV_REASONS) == BROKEN_NAV
    assert issubclass(InvalidPriceFile, DashboardError)  # so the CLI and the pages show it as one message


@pytest.mark.parametrize("name", BROKEN_PRICE)
def test_a_broken_price_file_exits_2_with_its_reason_and_changes_nothing(name, filled_store, capsys):
    before = dump(filled_store)
    code = cli.main(["import-prices", str(PRICE_FILES / name)], now=NOW)
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"error: {name} was rejected (") and "nothing imported" in err
    assert PRICE_REASONS[name] in err
    assert out == ""
    assert dump(filled_store) == before


@pytest.mark.parametrize("via", ["import_nav", "cli"])
@pytest.mark.parametrize("name", BROKEN_NAV)
def test_a_broken_nav_file_is_rejected_with_its_reason_and_changes_nothing(name, via, filled_store, capsys):
    before = dump(filled_store)
    path = NAV_FILES / name
    if via == "cli":
        code = cli.main(["import-nav", str(path), "--symbol", "JP-NEW", "--name", "New fund"], now=NOW)
        out, message = capsys.readouterr()
        assert code == 2 and out == ""
    else:
        with pytest.raises(InvalidPriceFile) as caught:
            import_nav(
                filled_store,
                path.read_bytes(),
                name=name,
                symbol="JP-NEW",
                fund_name="New fund",
                fund_name_ja="新ファンド",
                currency="JPY",
                now=NOW,
            )
        message = str(caught.value)
    assert f"{name} was rejected (" in message and "nothing imported" in message
    assert NAV_REASONS[name] in message
    assert dump(filled_store) == before


def test_a_long_price_file_whose_last_row_is_bad_stores_nothing(tmp_path, filled_store, capsys):
    days = pd.bdate_range("2025-06-02", "2025-12-19")
    lines = ["date,symbol,close"]
    for symbol, base in (("^RUO", 1500.0), ("^GSPC", 6000.0), ("IWO", 300.0)):
        lines += [f"{day:%Y-%m-%d},{symbol},{base + i * 0.25:.2f}" for i, day in enumerate(days)]
    lines.append("2025-12-22,^RUO,n/a")
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n")
    before = dump(filled_store)
    code = cli.main(["import-prices", str(path)], now=NOW)
    err = capsys.readouterr().err
    assert code == 2
    assert "long.csv was rejected (1 error), nothing imported" in err
    assert f"line {len(lines)}: close 'n/a' is not a number" in err
    assert dump(filled_store) == before


def test_a_long_shift_jis_nav_file_whose_last_row_is_bad_stores_nothing(filled_store):
    days = pd.bdate_range("2024-01-04", "2024-12-30")
    lines = [
        "ファンド名：サンプル米国小型グロース株ファンド（架空）",
        "単位：円",
        "基準日,基準価額(円),分配金再投資基準価額(円)",
    ]
    lines += [f'{day:%Y/%m/%d},"{10000 + i:,}","{10100 + i:,}"' for i, day in enumerate(days)]
    lines.append('2024/12/31,"10,000",abc')
    raw = ("\r\n".join(lines) + "\r\n").encode("cp932")
    before = dump(filled_store)
    with pytest.raises(InvalidPriceFile) as caught:
        import_nav(
            filled_store,
            raw,
            name="long_sjis.csv",
            symbol="JP-OLD",
            fund_name="Old fund, revised",
            fund_name_ja="旧ファンド",
            currency="JPY",
            now=NOW,
        )
    message = str(caught.value)
    assert "long_sjis.csv was rejected (1 error), nothing imported" in message
    assert f"line {len(lines)}: 分配金再投資基準価額(円) 'abc' is not a number" in message
    assert dump(filled_store) == before


def test_a_nav_header_after_ten_preamble_lines_is_not_found():
    body = "基準日,基準価額\n2024/10/31,10000\n"
    nine = "".join(f"preamble {i}\n" for i in range(9)) + body
    ten = "preamble 9\n" + nine
    assert parse_nav_text(nine.encode(), name="nine.csv", symbol="JP-SCG", today=TODAY).closes["close"].tolist() == [
        10000.0
    ]
    with pytest.raises(InvalidPriceFile, match="line 1: no header with a date column .* in the first 10 lines"):
        parse_nav_text(ten.encode(), name="ten.csv", symbol="JP-SCG", today=TODAY)


# --- generated files against an independent oracle ---------------------------------------------


@dataclass(frozen=True)
class Generated:
    raw: bytes
    closes: dict[tuple[str, str], float]  # (YYYY-MM-DD, symbol) -> close, for the good rows
    broken: dict[int, str]  # line number (header = 1) -> a fragment of the reason expected for it


SESSIONS = [f"{day:%Y-%m-%d}" for day in pd.bdate_range("2020-01-02", "2025-12-31")]
SYMBOLS = ("^RUO", "^GSPC", "IWO")
PRICE_BREAKS: dict[str, tuple[str, ...]] = {
    "impossible date": ("2025-02-30", "2025-13-01", "2023-02-29", "2024-04-31", "2025-00-10"),
    "other date format": ("15/12/2025", "12/15/2025", "2025.12.15", "20251215", "Dec 15 2025", "2025-12-15T10:00"),
    "close not a number": ("abc", "n/a", "1.2.3", "$100", "12a", "--", ""),
    "close not positive": ("0", "0.00", "-5", "-0.01", "nan", "inf", "-inf", "1e-400"),
    "symbol with a space": ("IW O", "bad symbol!", "^R UO"),
    "missing field": (),
    "extra field": ("0", "", "x"),
    "duplicate": (),
}


@st.composite
def price_texts(draw) -> tuple[str, float]:
    cents = draw(st.integers(1, 10**8))
    whole, fraction = divmod(cents, 100)
    style = draw(st.sampled_from(["plain", "short", "thousands"]))
    if style == "thousands":
        return f'"{whole:,}.{fraction:02d}"', cents / 100
    text = f"{whole}.{fraction:02d}"
    return (text.rstrip("0").rstrip(".") if style == "short" else text), cents / 100


@st.composite
def tidy_price_files(draw) -> Generated:
    """A tidy file whose rows are each good or broken in one known way."""
    breaks = draw(st.one_of(st.just([]), st.lists(st.sampled_from(sorted(PRICE_BREAKS)), min_size=1, max_size=6)))
    good_count = draw(st.integers(0 if breaks else 1, 25))
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(SESSIONS), st.sampled_from(SYMBOLS)),
            unique=True,
            min_size=good_count,
            max_size=good_count,
        )
    )
    plan = draw(st.permutations([None] * good_count + breaks))
    lines = [draw(st.sampled_from(["date,symbol,close", "Date,Symbol,Close"]))]
    closes: dict[tuple[str, str], float] = {}
    first_line: dict[tuple[str, str], int] = {}
    broken: dict[int, str] = {}
    unused = iter(keys)
    for kind in plan:
        line = len(lines) + 1
        if kind is None:
            day, symbol = next(unused)
            text, value = draw(price_texts())
            closes[(day, symbol)], first_line[(day, symbol)] = value, line
            lines.append(f"{day},{symbol},{text}")
            continue
        if kind == "duplicate" and not first_line:
            kind = "missing field"
        day, symbol, close = draw(st.sampled_from(SESSIONS)), draw(st.sampled_from(SYMBOLS)), draw(price_texts())[0]
        variant = draw(st.sampled_from(PRICE_BREAKS[kind] or ("",)))
        row = [day, symbol, close]
        if kind == "impossible date":
            row[0], reason = variant, f"date {variant!r} does not exist"
        elif kind == "other date format":
            row[0], reason = variant, f"date {variant!r} is not YYYY-MM-DD"
        elif kind == "close not a number":
            row[2], reason = variant, f"close {variant!r} is not a number"
        elif kind == "close not positive":
            row[2], reason = variant, f"close {variant} is not a positive price"
        elif kind == "symbol with a space":
            row[1], reason = variant, f"symbol {variant!r} is not a ticker"
        elif kind == "missing field":
            del row[draw(st.integers(1, 2))]
            reason = "has 2 fields, the header has 3"
        elif kind == "extra field":
            row.append(variant)
            reason = "has 4 fields, the header has 3"
        else:
            row[:2] = draw(st.sampled_from(sorted(first_line)))
            reason = f"duplicate: {row[1]} on {row[0]} already given on line {first_line[(row[0], row[1])]}"
        lines.append(",".join(row))
        broken[line] = reason
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    return Generated(text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig"]))), closes, broken)


NAV_DAYS = [f"{day:%Y/%m/%d}" for day in pd.bdate_range("2020-01-06", "2025-12-30")]
NAV_HEADERS = (("基準日", "基準価額"), ("日付", "基準価額(円)"), ("基準日", "分配金再投資基準価額(円)"))
PREAMBLE = ("ファンド名：サンプル米国小型グロース株ファンド（架空）", "単位：円", "作成：サンプル投信株式会社")
FOOTNOTE = "※ 基準価額は信託報酬控除後です。"
NAV_BREAKS: dict[str, tuple[str, ...]] = {
    "impossible date": ("2024/02/30", "2025/13/01", "2023/02/29", "2024/04/31", "2024/00/10"),
    "other date format": ("15/12/2025", "12/15/2025", "R6/11/29", "20241129", "2024/11"),
    "nav not a number": ("abc", "n/a", "12.3.4", "￥12,000", "--", ""),
    "nav not positive": ("0", "-5", "-1,000", "0円"),
    "missing field": (),
    "duplicate": (),
}


@st.composite
def yen_texts(draw) -> tuple[str, float]:
    yen = draw(st.integers(1, 999_999))
    text = draw(st.sampled_from([f"{yen}", f'"{yen:,}"', f"{yen}円", f'"{yen:,}円"']))
    return text, float(yen)


@st.composite
def nav_files(draw) -> Generated:
    """A fund company's NAV file: preamble, header, rows each good or broken in one known way, footnote."""
    breaks = draw(st.one_of(st.just([]), st.lists(st.sampled_from(sorted(NAV_BREAKS)), min_size=1, max_size=6)))
    good_count = draw(st.integers(0 if breaks else 1, 25))
    days = draw(st.lists(st.sampled_from(NAV_DAYS), unique=True, min_size=good_count, max_size=good_count))
    days = sorted(days, reverse=draw(st.booleans()))  # oldest or newest first: dates that turn back are broken
    plan = draw(st.permutations([None] * good_count + breaks))
    date_header, nav_header = draw(st.sampled_from(NAV_HEADERS))
    lines = [*draw(st.lists(st.sampled_from(PREAMBLE), max_size=9)), f"{date_header},{nav_header}"]
    closes: dict[tuple[str, str], float] = {}
    first_line: dict[str, int] = {}
    broken: dict[int, str] = {}
    unused = iter(days)
    for kind in plan:
        if draw(st.integers(0, 5)) == 0:
            lines.append("")
        line = len(lines) + 1
        if kind is None:
            day = next(unused)
            text, value = draw(yen_texts())
            iso = day.replace("/", "-")
            closes[(iso, "JP-SCG")], first_line[iso] = value, line
            lines.append(f"{day},{text}")
            continue
        if kind == "duplicate" and not first_line:
            kind = "missing field"
        day, nav = draw(st.sampled_from(NAV_DAYS)), draw(yen_texts())[0]
        variant = draw(st.sampled_from(NAV_BREAKS[kind] or ("",)))
        if kind == "impossible date":
            day, reason = variant, f"date {variant!r} does not exist"
        elif kind == "other date format":
            day, reason = variant, f"date {variant!r} is not like 2024/11/29"
        elif kind == "nav not a number":
            nav, reason = f'"{variant}"', f"{nav_header} {variant!r} is not a number"
        elif kind == "nav not positive":
            nav, reason = f'"{variant}"', f"{nav_header} {variant} is not a positive NAV"
        elif kind == "missing field":
            reason = "has 1 fields, the header has 2"
        else:
            iso = draw(st.sampled_from(sorted(first_line)))
            day, reason = iso.replace("-", "/"), f"duplicate: {iso} already given on line {first_line[iso]}"
        lines.append(day if kind == "missing field" else f"{day},{nav}")
        broken[line] = reason
    if draw(st.booleans()):
        lines += ["", FOOTNOTE]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + newline
    return Generated(text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))), closes, broken)


def assert_reports_exactly(message: str, broken: dict[int, str]) -> None:
    count = len(broken)
    assert f"was rejected ({count} error{'' if count == 1 else 's'}), nothing imported" in message
    reported = dict(re.findall(r"^  line (\d+): (.*)$", message, re.MULTILINE))
    assert sorted(map(int, reported)) == sorted(broken), message
    for line, reason in broken.items():
        assert reason in reported[str(line)], (line, reason, message)


def accepted_closes(closes: pd.DataFrame) -> dict[tuple[str, str], float]:
    found = {(f"{day:%Y-%m-%d}", symbol): close for day, symbol, close in closes.itertuples(index=False)}
    assert len(found) == len(closes)
    return found


@HYPOTHESIS
@given(tidy_price_files())
def test_a_generated_price_file_is_accepted_exactly_when_no_row_is_broken(generated):
    try:
        loaded = parse_price_text(generated.raw, name="generated.csv", today=TODAY)
    except InvalidPriceFile as error:
        assert generated.broken, f"a file without a broken row was rejected: {error}"
        assert_reports_exactly(str(error), generated.broken)
        return
    assert not generated.broken, f"lines {sorted(generated.broken)} were broken, yet the file was accepted"
    assert loaded.layout == "tidy"
    assert accepted_closes(loaded.closes) == generated.closes


@HYPOTHESIS
@given(nav_files())
def test_a_generated_nav_file_is_accepted_exactly_when_no_row_is_broken(generated):
    try:
        nav = parse_nav_text(generated.raw, name="generated.csv", symbol="JP-SCG", today=TODAY)
    except InvalidPriceFile as error:
        assert generated.broken, f"a file without a broken row was rejected: {error}"
        assert_reports_exactly(str(error), generated.broken)
        return
    assert not generated.broken, f"lines {sorted(generated.broken)} were broken, yet the file was accepted"
    assert accepted_closes(nav.closes) == generated.closes


# --- arbitrary and mutated input never crashes -------------------------------------------------


def parsed_or_rejected(parse: Callable[..., object], raw: bytes, **options) -> object | None:
    try:
        return parse(raw, name="input.csv", today=TODAY, **options)
    except InvalidPriceFile:
        return None


def assert_sane(closes: pd.DataFrame) -> None:
    assert all(math.isfinite(close) and close > 0 for close in closes["close"])
    assert not closes.duplicated(["date", "symbol"]).any()
    assert (closes["date"] <= TODAY).all()


CSVISH = st.text(alphabet="0123456789-/.,\"' ^ACDGIORSUWXYZabcdeilmnosty年月日円\n", max_size=300)
PRICE_HEADERS = ("date,symbol,close\n", "Date,^RUO,^GSPC\n", "Date,Open,High,Low,Close,Adj Close,Volume\n")
NAV_HEADER_LINES = ("基準日,基準価額\n", "単位：円\n日付,基準価額(円),分配金再投資基準価額(円)\n", "Date,NAV\n")


def junk(headers: tuple[str, ...], encodings: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    headed = st.tuples(st.sampled_from(headers), CSVISH, st.sampled_from(encodings))
    return st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(str.encode),
        headed.map(lambda drawn: (drawn[0] + drawn[1]).encode(drawn[2])),
    )


@HYPOTHESIS
@given(junk(PRICE_HEADERS, ("utf-8",)), st.sampled_from([None, "IWO"]))
def test_arbitrary_bytes_are_a_price_file_or_a_rejection_never_a_crash(raw, symbol):
    loaded = parsed_or_rejected(parse_price_text, raw, symbol=symbol)
    if loaded is not None:
        assert_sane(loaded.closes)


@HYPOTHESIS
@given(junk(NAV_HEADER_LINES, ("utf-8", "cp932")))
def test_arbitrary_bytes_are_a_nav_file_or_a_rejection_never_a_crash(raw):
    nav = parsed_or_rejected(parse_nav_text, raw, symbol="JP-SCG")
    if nav is not None:
        assert_sane(nav.closes)


@dataclass(frozen=True)
class Mutation:
    name: str
    raw: bytes
    kind: str
    lines: tuple[int, ...]  # 0-based indexes of the lines duplicated or swapped


GOOD_PRICE_RAW = {path.name: path.read_bytes() for path in sorted(PRICE_FILES.glob("good_*.csv"))}
GOOD_NAV_RAW = {name: (NAV_FILES / name).read_bytes() for name in GOOD_NAV}
NAV_HEADER_INDEX = {
    "plain_utf8.csv": 0,
    "sample_sjis.csv": 2,
    "toushin_kyokai.csv": 0,
    "mufg_layout.csv": 1,
    "both_columns_utf8.csv": 0,
}
SHIFT_JIS_NAV = ("sample_sjis.csv", "toushin_kyokai.csv", "mufg_layout.csv")


@st.composite
def mutations(draw, files: dict[str, bytes]) -> Mutation:
    name = draw(st.sampled_from(sorted(files)))
    raw = files[name]
    lines = raw.split(b"\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    kind = draw(st.sampled_from(["delete bytes", "duplicate a line", "swap two lines", "insert a line"]))
    touched: tuple[int, ...] = ()
    if kind == "delete bytes":
        start = draw(st.integers(0, len(raw)))
        end = draw(st.integers(start, len(raw)))
        return Mutation(name, raw[:start] + raw[end:], kind, touched)
    if kind == "duplicate a line":
        touched = (draw(st.sampled_from(filled)),)
        lines.insert(touched[0], lines[touched[0]])
    elif kind == "swap two lines":
        touched = tuple(draw(st.lists(st.sampled_from(filled), min_size=2, max_size=2, unique=True)))
        first, second = touched
        lines[first], lines[second] = lines[second], lines[first]
    else:
        encoding = "cp932" if name in SHIFT_JIS_NAV else "utf-8"
        added = draw(st.one_of(st.text(max_size=80), CSVISH))
        lines.insert(draw(st.integers(0, len(lines))), added.encode(encoding, errors="replace"))
    return Mutation(name, b"\n".join(lines), kind, touched)


@HYPOTHESIS
@given(mutations(GOOD_PRICE_RAW))
def test_a_mutated_good_price_file_is_loaded_sanely_or_rejected(mutation):
    loaded = parsed_or_rejected(parse_price_text, mutation.raw, symbol="IWO")
    if mutation.kind == "duplicate a line":
        assert loaded is None, f"{mutation.name} with line {mutation.lines[0] + 1} twice was accepted"
    if loaded is None:
        return
    assert_sane(loaded.closes)
    if mutation.kind == "swap two lines":
        original = parse_price_text(GOOD_PRICE_RAW[mutation.name], name="input.csv", symbol="IWO", today=TODAY)
        pd.testing.assert_frame_equal(loaded.closes, original.closes)


@HYPOTHESIS
@given(mutations(GOOD_NAV_RAW))
def test_a_mutated_good_nav_file_is_loaded_sanely_or_rejected(mutation):
    nav = parsed_or_rejected(parse_nav_text, mutation.raw, symbol="JP-SCG")
    header = NAV_HEADER_INDEX[mutation.name]
    data_lines = [i for i in mutation.lines if i > header and GOOD_NAV_RAW[mutation.name].split(b"\n")[i][:1].isdigit()]
    if mutation.kind == "duplicate a line" and data_lines:
        assert nav is None, f"{mutation.name} with the NAV of line {mutation.lines[0] + 1} twice was accepted"
    if nav is None:
        return
    assert_sane(nav.closes)
    if mutation.kind == "swap two lines" and min(mutation.lines) > header:
        original = parse_nav_text(GOOD_NAV_RAW[mutation.name], name="input.csv", symbol="JP-SCG", today=TODAY)
        pd.testing.assert_frame_equal(nav.closes, original.closes)


# --- crashes the properties above found (fixed in lib/data/price_files.py) --------------------------


def test_a_file_with_cr_only_line_ends_loads_like_any_other():
    prices = parse_price_text(b"date,symbol,close\r2025-12-15,^RUO,1600.00\r2025-12-16,^RUO,1610.50\r", name="mac.csv")
    assert prices.closes["close"].tolist() == [1600.0, 1610.5]
    nav = parse_nav_text("基準日,基準価額\r2024/10/31,10000\r".encode("cp932"), name="mac.csv", symbol="JP-SCG")
    assert nav.closes["close"].tolist() == [10000.0]


UNCLOSED_QUOTE = {
    "price": (
        parse_price_text,
        {},
        b'date,symbol,close\n2025-12-15,^RUO,"1600.00\n' + b"2025-12-16,^RUO,1610.50\n" * 6000,
    ),
    "nav": (
        parse_nav_text,
        {"symbol": "JP-SCG"},
        '基準日,基準価額\n2024/10/31,"10,000\n'.encode() + b"2024/11/01,10100\n" * 9000,
    ),
}


@pytest.mark.parametrize("kind", sorted(UNCLOSED_QUOTE))
def test_an_unclosed_quote_in_a_long_file_is_a_rejection_naming_csv(kind):
    parse, options, raw = UNCLOSED_QUOTE[kind]
    assert len(raw) > csv.field_size_limit()  # long enough to pass the csv module's field limit
    with pytest.raises(InvalidPriceFile, match="is not readable CSV"):
        parse(raw, name="input.csv", today=TODAY, **options)


def test_a_price_file_starting_with_an_empty_line_says_the_first_line_is_empty():
    with pytest.raises(InvalidPriceFile, match="line 1: the first line is empty"):
        parse_price_text(b"\ndate,symbol,close\n2025-12-15,^RUO,1600.00\n", name="input.csv", today=TODAY)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("0025-12-15,^RUO,1600.00", "date 0025-12-15 is before 1900"),
        ("2025-12-15,^RUO,1_600", "close '1_600' is not a number"),
    ],
)
def test_a_typo_that_python_would_read_is_still_refused(row, reason):
    with pytest.raises(InvalidPriceFile, match=re.escape(reason)):
        parse_price_text(f"date,symbol,close\n{row}\n".encode(), name="input.csv", today=TODAY)
