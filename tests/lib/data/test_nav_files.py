import pandas as pd
import pytest

from lib.core.errors import InvalidPriceFile
from lib.data.nav_files import parse_nav_text
from tests.conftest import FIXTURES

NAV = FIXTURES / "nav_files"
TODAY = pd.Timestamp("2026-01-07")


def parse(name: str):
    return parse_nav_text((NAV / name).read_bytes(), name=name, symbol="JP-SCG", today=TODAY)


def test_a_shift_jis_export_with_a_preamble_uses_the_reinvested_nav():
    nav = parse("sample_sjis.csv")
    assert nav.column == "分配金再投資基準価額(円)" and nav.total_return
    assert nav.closes["close"].tolist() == [12500.0, 13750.0, 13062.5]
    assert nav.closes["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-10-31", "2024-11-29", "2024-12-30"]
    assert set(nav.closes["symbol"]) == {"JP-SCG"}


def test_a_plain_nav_is_used_and_said_to_be_plain():
    nav = parse("plain_utf8.csv")
    assert nav.column == "基準価額" and not nav.total_return
    assert nav.closes["close"].tolist() == [10000.0, 11000.0]  # "11000円" read as 11000


def test_every_bad_line_is_listed_and_nothing_is_kept():
    with pytest.raises(InvalidPriceFile) as caught:
        parse("broken.csv")
    message = str(caught.value)
    assert "rejected (4 errors)" in message
    assert "line 3: date '2024/13/01' does not exist" in message
    assert "line 4: 基準価額 'abc' is not a number" in message
    assert "line 5: 基準価額 -5 is not a positive NAV" in message
    assert "line 6: duplicate: 2024-10-31 already given on line 2" in message


def test_a_file_without_the_columns_says_what_it_needs():
    with pytest.raises(InvalidPriceFile, match="no header with a date column"):
        parse("no_header.csv")


# --- Decimal marks (issue 18, item 3) and implausible values (item 16) -------------------------


def nav_text(*rows: str) -> bytes:
    return ("基準日,基準価額(円)\n" + "".join(f"{row}\n" for row in rows)).encode("cp932")


def test_a_nav_with_a_decimal_comma_is_refused_not_read_as_ten():
    with pytest.raises(InvalidPriceFile) as caught:
        parse_nav_text(nav_text('2024/11/29,"10.000,5"', '2024/12/02,"10,050"'), name="x.csv", symbol="J", today=TODAY)
    said = str(caught.value)
    assert "rejected (1 error)" in said  # 10.0005 before the fix
    assert "line 2: 基準価額(円) '10.000,5' has a decimal comma" in said


def test_the_decimal_comma_option_reads_a_european_nav_file():
    raw = nav_text('2024/11/29,"10.000,5"', '2024/12/02,"10.050,25"', "2024/12/03,9999")
    nav = parse_nav_text(raw, name="x.csv", symbol="J", today=TODAY, decimal=",")
    assert nav.closes["close"].tolist() == [10000.5, 10050.25, 9999.0]


def test_japanese_thousands_separators_and_decimals_are_read_by_default():
    raw = nav_text('2024/11/29,"10,000"', '2024/12/02,"10,123.45円"', "2024/12/03,10.5")
    nav = parse_nav_text(raw, name="x.csv", symbol="J", today=TODAY)
    assert nav.closes["close"].tolist() == [10000.0, 10123.45, 10.5]


@pytest.mark.parametrize("text", ["1e300", "1e-300"])
def test_an_implausible_nav_is_refused_with_its_line(text):
    with pytest.raises(InvalidPriceFile) as caught:
        parse_nav_text(nav_text("2024/11/29,10000", f"2024/12/02,{text}"), name="x.csv", symbol="J", today=TODAY)
    assert f"line 3: 基準価額(円) {text} is not a plausible NAV" in str(caught.value)
    assert "基準価額としてありえない値です" in caught.value.text("ja")
