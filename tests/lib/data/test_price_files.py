"""The importer against a corpus of good and broken files (tests/fixtures/price_files)."""

import pandas as pd
import pytest

from lib.core.errors import InvalidPriceFile, InvalidSymbol
from lib.core.symbols import validate_symbol
from lib.data.price_files import parse_price_text, read_price_file
from tests.conftest import FIXTURES

FILES = FIXTURES / "price_files"
TODAY = pd.Timestamp("2026-01-07")


def read(name: str, **options) -> object:
    return read_price_file(FILES / name, today=TODAY, **options)


def rejection(name: str, **options) -> str:
    with pytest.raises(InvalidPriceFile) as caught:
        read(name, **options)
    return str(caught.value)


def test_tidy_file_loads():
    loaded = read("good_tidy.csv")
    assert loaded.layout == "tidy"
    wide = loaded.to_wide()
    assert wide.loc["2025-12-16", "^GSPC"] == 6710.25
    assert list(wide.columns) == ["^GSPC", "^RUO"]


def test_wide_file_loads_and_an_empty_cell_means_no_close():
    loaded = read("good_wide.csv")
    assert loaded.layout == "wide"
    assert len(loaded.closes) == 3
    assert pd.isna(loaded.to_wide().loc["2025-12-16", "^RUO"])


def test_yahoo_export_uses_the_adjusted_close_and_needs_a_symbol():
    loaded = read("good_yahoo.csv", symbol="IWO")
    assert loaded.layout == "yahoo"
    assert loaded.closes["close"].tolist() == [98.25, 98.75]
    assert set(loaded.closes["symbol"]) == {"IWO"}
    assert "--symbol" in rejection("yahoo_without_symbol.csv")


def test_every_broken_row_is_listed_by_line():
    message = rejection("broken_rows.csv")
    assert "rejected (7 errors), nothing imported" in message
    assert "line 3: date '2025-13-01' does not exist" in message
    assert "line 4: close 'abc' is not a number" in message
    assert "line 5: close -5 is not a positive price" in message
    assert "line 6: duplicate: ^RUO on 2025-12-15 already given on line 2" in message
    assert "line 7: has 2 fields, the header has 3" in message
    assert "line 8: date '15/12/2025' is not YYYY-MM-DD" in message
    assert "line 9: symbol 'bad symbol!' is not a ticker" in message


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("unknown_columns.csv", "line 1: unknown columns ['ticker']"),
        ("empty.csv", "line 1: the file is empty"),
        ("header_only.csv", "line 1: the file has a header but no prices"),
        ("future_date.csv", "line 3: date 2099-01-02 is in the future"),
        ("not_prices.csv", "line 2: close nan is not a positive price"),
        ("repeated_columns.csv", "line 1: repeated column names"),
        ("blank_line.csv", "line 3: blank line"),
        ("not_utf8.csv", "is not UTF-8 text"),
    ],
)
def test_broken_files_are_rejected_with_their_reason(name, reason):
    assert reason in rejection(name)


def test_not_prices_lists_each_bad_value():
    message = rejection("not_prices.csv")
    assert "line 3: close inf is not a positive price" in message
    assert "line 4: close 0 is not a positive price" in message


def test_missing_file_is_a_clear_message(tmp_path):
    with pytest.raises(InvalidPriceFile, match="cannot be read"):
        read_price_file(tmp_path / "absent.csv")


def test_a_utf8_bom_and_thousands_separators_are_accepted():
    raw = '\ufeffdate,symbol,close\n2025-12-15,^DJI,"48,416.56"\n'.encode()
    loaded = parse_price_text(raw, name="bom.csv", today=TODAY)
    assert loaded.closes["close"].tolist() == [48416.56]


@pytest.mark.parametrize("text", ["^RUX", "VSGAX", "BRK-B", "IWO_adj"])
def test_ticker_spellings_are_accepted(text):
    assert validate_symbol(text) == text


@pytest.mark.parametrize("text", ["", "two words", "^", "DROP TABLE;"])
def test_non_tickers_are_rejected(text):
    with pytest.raises(InvalidSymbol, match="is not a ticker"):
        validate_symbol(text)


def test_the_real_shared_file_loads_whole(real_daily):
    from tests.conftest import DAILY_CLOSES

    loaded = read_price_file(DAILY_CLOSES)
    assert len(loaded.closes) == 27547  # SOURCES.md: one row per symbol per trading day
    assert loaded.to_wide().loc["2026-01-02", "^GSPC"] == 6858.47


# --- Decimal marks (issue 18, item 3) and implausible values (item 16) -------------------------


def tidy(*rows: str) -> bytes:
    return ("date,symbol,close\n" + "".join(f"{row}\n" for row in rows)).encode()


def refused(raw: bytes, **options) -> InvalidPriceFile:
    with pytest.raises(InvalidPriceFile) as caught:
        parse_price_text(raw, name="input.csv", today=TODAY, **options)
    return caught.value


ISSUE_EXAMPLES = tidy(
    '2025-12-15,^GSPC,"5881,63"',  # read as 588163 before the fix
    '2025-12-15,IWO,"4,5"',  # read as 45
    '2025-12-16,^GSPC,"1.234,56"',  # read as 1.23456
)


def test_decimal_commas_are_refused_with_their_line_and_the_option_that_reads_them():
    error = refused(ISSUE_EXAMPLES)
    said = str(error)
    assert "rejected (3 errors), nothing imported" in said
    assert "line 2: close '5881,63' has a decimal comma" in said
    assert "line 3: close '4,5' has a decimal comma" in said
    assert "line 4: close '1.234,56' has a decimal comma" in said
    assert "--decimal ," in said
    assert "2 行目：close の '5881,63' は小数点にカンマを使っています" in error.text("ja")


def test_the_decimal_comma_option_reads_them_exactly():
    loaded = parse_price_text(ISSUE_EXAMPLES, name="input.csv", today=TODAY, decimal=",")
    closes = {(symbol, close) for symbol, close in loaded.closes[["symbol", "close"]].itertuples(index=False)}
    assert closes == {("^GSPC", 5881.63), ("IWO", 4.5), ("^GSPC", 1234.56)}


def test_a_decimal_point_in_a_file_read_with_decimal_commas_is_refused():
    error = refused(tidy("2025-12-15,^GSPC,5881.63", '2025-12-16,^GSPC,"5881,70"'), decimal=",")
    assert "line 2: close '5881.63' has a decimal point, but the file is read with decimal commas" in str(error)
    assert error.total == 1


def test_a_thousands_separator_is_read_where_the_file_shows_its_decimal_point():
    loaded = parse_price_text(
        tidy('2025-12-15,^GSPC,"5,881"', '2025-12-16,^GSPC,"5,881.63"', "2025-12-17,^GSPC,6000"),
        name="input.csv",
        today=TODAY,
    )
    assert loaded.closes["close"].tolist() == [5881.0, 5881.63, 6000.0]


@pytest.mark.parametrize(("text", "point", "comma"), [('"5,881"', "5881", "5.881"), ("1.234", "1.234", "1234")])
def test_a_number_no_other_number_settles_is_refused_naming_both_readings(text, point, comma):
    error = refused(tidy(f"2025-12-15,^GSPC,{text}", "2025-12-16,^GSPC,6000"))
    bare = text.strip('"')
    assert f"line 2: close '{bare}' could be {point} or {comma}" in str(error)
    assert "--decimal . or --decimal ," in str(error)
    for decimal, expected in ((".", float(point)), (",", float(comma))):
        loaded = parse_price_text(tidy(f"2025-12-15,^GSPC,{text}"), name="input.csv", today=TODAY, decimal=decimal)
        assert loaded.closes["close"].tolist() == [expected]


def test_a_wide_file_names_the_column_of_a_decimal_comma():
    raw = b'Date,^RUO,^GSPC\n2025-12-15,1600.5,6800.25\n2025-12-16,"1610,5",6810.75\n'
    assert "line 3: ^RUO '1610,5' has a decimal comma" in str(refused(raw))


@pytest.mark.parametrize("text", ["1e300", "1e-300", "1E+9", "0.00001"])
def test_an_implausible_close_is_refused_with_its_line(text):
    error = refused(tidy("2025-12-15,^RUO,1600.5", f"2025-12-16,^RUO,{text}"))
    assert f"line 3: close {text} is not a plausible price (from 0.0001 to 100000000)" in str(error)
    assert "価格としてありえない値です" in error.text("ja")


def test_the_plausible_range_includes_its_bounds():
    loaded = parse_price_text(tidy("2025-12-15,^RUO,0.0001", "2025-12-15,^GSPC,100000000"), name="x.csv", today=TODAY)
    assert sorted(loaded.closes["close"].tolist()) == [0.0001, 100000000.0]
