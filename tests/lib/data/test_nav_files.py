import numpy as np
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


# --- Distributions reinvested (issue 15): the 投信協会 and MUFG layouts, read from the header -----

# The hand-worked example of toushin_kyokai.csv and both_columns_utf8.csv (基準価額 NAV, 分配金 D,
# R the reinvested series, R_t = R_{t-1} * (NAV_t + D_t) / NAV_{t-1}, R_0 = NAV_0):
#   2024-10-31  NAV 10000  D 0 (決算 第4期, nothing paid)  R = 10000
#   2024-11-01  NAV 10100                                  R = 10000 * 10100 / 10000         = 10100
#   2024-11-29  NAV  9500  D 500 (a month-end 決算日)      R = 10100 * (9500 + 500) / 10100  = 10000
#   2024-12-02  NAV  9690                                  R = 10000 * 9690 / 9500           = 10200
#   2024-12-16  NAV  9120  D 570                           R = 10200 * (9120 + 570) / 9690   = 10200
#   2024-12-30  NAV  9576                                  R = 10200 * 9576 / 9120 = 10200 * 1.05 = 10710
BUILT = [10000.0, 10100.0, 10000.0, 10200.0, 10200.0, 10710.0]
DAYS_BUILT = ["2024-10-31", "2024-11-01", "2024-11-29", "2024-12-02", "2024-12-16", "2024-12-30"]


def test_a_toushin_kyokai_file_builds_the_reinvested_nav_from_its_distributions():
    nav = parse("toushin_kyokai.csv")  # Shift_JIS, CRLF, 年月日 as 2024年11月29日
    assert nav.closes["close"].tolist() == pytest.approx(BUILT, abs=1e-9)
    assert nav.closes["date"].dt.strftime("%Y-%m-%d").tolist() == DAYS_BUILT
    assert nav.total_return and nav.column == "基準価額(円)" and nav.distributions == "分配金"
    assert nav.date_column == "年月日" and nav.left_out == ("純資産総額（百万円）", "決算期")


def test_the_toushin_kyokai_layout_reads_alike_in_utf8():
    raw = (NAV / "toushin_kyokai.csv").read_bytes().decode("cp932").encode("utf-8")
    nav = parse_nav_text(raw, name="x.csv", symbol="J", today=TODAY)
    assert nav.closes["close"].tolist() == pytest.approx(BUILT, abs=1e-9)


def test_the_published_reinvested_column_is_used_and_the_built_one_agrees():
    nav = parse("both_columns_utf8.csv")  # the same fund, its reinvested column written by hand above
    assert nav.column == "分配金再投資基準価額" and nav.total_return and not nav.distributions
    assert nav.closes["close"].tolist() == BUILT
    assert nav.built.tolist() == pytest.approx(nav.closes["close"].tolist(), abs=1e-9)


def test_an_mufg_file_uses_its_reinvested_column_which_agrees_with_the_one_built():
    # R by hand (the file rounds R to the yen):
    #   01-04 NAV 10000               R = 10000
    #   01-31 NAV 10400               R = 10400
    #   02-29 NAV 10200  D 300        R = 10400 * (10200 + 300) / 10400 = 10500
    #   03-15 NAV 10710               R = 10500 * 10710 / 10200 = 10500 * 1.05 = 11025
    #   03-29 NAV 10500  D 200        R = 11025 * (10500 + 200) / 10710 = 11014.7059 -> 11015
    #   04-30 NAV 10605               R = 11014.7059 * 10605 / 10500 = 11014.7059 * 1.01 = 11124.8529 -> 11125
    nav = parse("mufg_layout.csv")
    assert nav.column == "基準価額（分配金再投資）(円)" and nav.total_return
    assert nav.closes["close"].tolist() == [10000.0, 10400.0, 10500.0, 11025.0, 11015.0, 11125.0]
    assert nav.built.tolist() == pytest.approx([10000, 10400, 10500, 11025, 11014.7059, 11124.8529], abs=1e-4)
    assert (nav.built - nav.closes.set_index("date")["close"]).abs().max() < 0.5  # agree to the yen
    assert nav.left_out == ("純資産総額（億円）",)


def test_reinvested_ignores_a_distribution_on_the_first_day():
    # NAV 100 (D 10 on day 0: before the series), 90 (D 10): R = 100, 100 * (90 + 10) / 100 = 100
    from lib.data.nav_files import reinvested

    assert reinvested(np.array([100.0, 90.0]), np.array([10.0, 10.0])).tolist() == [100.0, 100.0]


def test_a_distribution_that_is_not_a_number_rejects_the_file():
    raw = "年月日,基準価額(円),分配金\n2024年11月28日,10000,\n2024年11月29日,9500,abc\n".encode("cp932")
    with pytest.raises(InvalidPriceFile) as caught:
        parse_nav_text(raw, name="x.csv", symbol="J", today=TODAY)
    assert "line 3: 分配金 'abc' is not a distribution" in str(caught.value)
    assert "分配金として読めません" in caught.value.text("ja")


@pytest.mark.parametrize(
    ("name", "english", "japanese"),
    [
        (
            "toushin_kyokai.csv",
            "J: 6 NAVs in JPY, 2024-10-31 to 2024-12-30, from column 基準価額(円) (distributions reinvested: built"
            " from 基準価額(円) and 分配金, before tax); dates from column 年月日;"
            " not kept: 純資産総額（百万円）, 決算期",
            "J：JPY 建ての基準価額 6 件（2024年10月31日〜2024年12月30日、列 基準価額(円)、"
            "分配金再投資：基準価額(円) と 分配金 から税引前で算出）。日付は列 年月日、"
            "取り込まない列：純資産総額（百万円）、決算期",
        ),
        (
            "mufg_layout.csv",
            "J: 6 NAVs in JPY, 2024-01-04 to 2024-04-30, from column 基準価額（分配金再投資）(円) (total return);"
            " dates from column 基準日; not kept: 純資産総額（億円）",
            "J：JPY 建ての基準価額 6 件（2024年1月4日〜2024年4月30日、列 基準価額（分配金再投資）(円)、分配金再投資）。"
            "日付は列 基準日、取り込まない列：純資産総額（億円）",
        ),
        (
            "plain_utf8.csv",
            "J: 2 NAVs in JPY, 2024-10-31 to 2024-11-29, from column 基準価額 (plain NAV, distributions not"
            " reinvested); dates from column 日付",
            "J：JPY 建ての基準価額 2 件（2024年10月31日〜2024年11月29日、列 基準価額、"
            "分配金を再投資しない基準価額）。日付は列 日付",
        ),
    ],
    ids=["toushin_kyokai", "mufg", "plain"],
)
def test_the_import_says_which_columns_it_used(name, english, japanese):
    from lib.data.nav_import import imported_summary

    said = imported_summary(parse(name), symbol="J", currency="JPY")
    assert (said.text("en"), said.text("ja")) == (english, japanese)


# --- bad input of 投信 files (helper "yen"): each problem one message with its line, nothing kept -------


def kyokai(*rows: str) -> bytes:
    """A 投資信託協会 file (Shift_JIS, CRLF) with its 決算期 column."""
    header = "年月日,基準価額(円),純資産総額（百万円）,分配金,決算期"
    return "\r\n".join([header, *rows, ""]).encode("cp932")


def refused(raw: bytes, name: str = "x.csv") -> InvalidPriceFile:
    with pytest.raises(InvalidPriceFile) as caught:
        parse_nav_text(raw, name=name, symbol="J", today=TODAY)
    return caught.value


def test_a_distribution_larger_than_the_nav_is_refused():
    error = refused(kyokai("2024年11月28日,10000,100,,", "2024年11月29日,9500,100,12000,第5期"))
    assert "(1 error)" in str(error) and "line 3: 分配金 12,000 is larger than the NAV 9,500" in str(error)
    assert "分配金 12,000 が基準価額 9,500 を上回っています" in error.text("ja")


def test_a_file_newest_first_is_read_like_one_oldest_first():
    rows = ["2024年10月31日,10000,1200,0,第4期", "2024年11月01日,10100,1210,,", "2024年11月29日,9500,1150,500,第5期"]
    oldest_first = parse_nav_text(kyokai(*rows), name="x.csv", symbol="J", today=TODAY)
    newest_first = parse_nav_text(kyokai(*reversed(rows)), name="x.csv", symbol="J", today=TODAY)
    # by hand: R = 10000, 10100, 10100 x (9500 + 500) / 10100 = 10000 (the 決算日 is flat)
    assert newest_first.closes["close"].tolist() == pytest.approx([10000.0, 10100.0, 10000.0], abs=1e-9)
    pd.testing.assert_frame_equal(newest_first.closes, oldest_first.closes)


def test_dates_that_go_back_and_forth_are_refused_at_the_line_that_turns():
    error = refused(kyokai("2024年10月31日,10000,1,,", "2024年11月29日,10100,1,,", "2024年11月01日,10200,1,,"))
    assert "(1 error)" in str(error)
    assert "line 4: date 2024-11-01 comes after 2024-11-29 on line 3: the dates go back and forth" in str(error)
    assert "日付が前後しています" in error.text("ja")


def test_a_distribution_on_a_day_without_a_kessanki_cell_is_refused():
    error = refused(kyokai("2024年11月28日,10000,100,,", "2024年11月29日,9500,100,500,"))
    assert "line 3: 分配金 500 on a day whose 決算期 cell is blank" in str(error)
    assert "分配金 500 の日の決算期が空欄です" in error.text("ja")
    # a file without a 決算期 column pays where it says (the MUFG layout has none)
    plain = "基準日,基準価額(円),分配金\n2024/11/28,10000,\n2024/11/29,9500,500\n".encode("cp932")
    assert parse_nav_text(plain, name="x.csv", symbol="J", today=TODAY).closes["close"].tolist() == [10000.0, 10000.0]


def test_the_toushin_kyokai_error_answer_saved_as_csv_is_named_for_what_it_is():
    error = refused(b'{"statusCode":null}', name="JP90C000JDA9.csv")
    assert "line 1: this is not a NAV file but an error answer from the 投資信託協会 site" in str(error)
    assert '{"statusCode":null}' in str(error) and "投資信託協会サイトのエラー応答" in error.text("ja")
