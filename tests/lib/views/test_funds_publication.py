"""The fund table as published on the blog: HTML that pastes into an editor and runs nothing, a PNG whose
Japanese title is drawn in real glyphs, the page's two downloads, `funds --out`, and the real closes.

The two-fund table is written here by hand (a USD fund, a JPY 投信, the benchmark), with figures whose
published form is worked out by hand: 12.345 % shows "12.3%", an excess of 1.25 points "+1.3"."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stderr, redirect_stdout
from html.parser import HTMLParser
from io import BytesIO

import pandas as pd
import pytest
import vl_convert
from PIL import Image

from lib.analytics.performance import PERIODS
from lib.cli import main as cli
from lib.core.errors import InvalidTableOutput
from lib.views import export
from lib.views import funds_publication as publication
from lib.views.funds_table import FundRow, FundsTable, table_frame
from tests.conftest import DAILY_CLOSES

AS_OF = pd.Timestamp("2024-11-29")
TITLE_JA = "小型成長株関連投資信託のパフォーマンス(2024年11月末時点)"
TITLE_EN = "Performance of small-cap growth funds (as of the end of November 2024)"
SCRIPT = "<script>alert(1)</script>"
HYPERLINK = '=HYPERLINK("http://evil.invalid","Click")'
NO_RISK = dict.fromkeys(("volatility", "max_drawdown", "sharpe", "excess_1Y", "excess_3Y", "tracking_error_3Y"))


def returns(**given: float) -> dict[str, float | None]:
    return {period: given.get(period) for period in PERIODS}


def fund(symbol: str, name: str, currency: str, figures: dict, *, excess_1y: float | None = None, note: str = ""):
    return FundRow(
        symbol=symbol,
        name=name,
        kind="fund",
        currency=currency,
        returns=figures,
        risk={**NO_RISK, "excess_1Y": excess_1y},
        missing={},
        note=note,
        expense_ratio_pct=None,
        net_assets=None,
        last_price_date=AS_OF,
        stale=False,
        rank_1y=None,
        quartile_1y=None,
    )


def two_funds(usd_name: str = "Vanguard Small-Cap Growth", jpy_name: str = "SBI小型成長株ファンド") -> FundsTable:
    """A USD fund, a JPY 投信 (plain NAV, three years of history) and the benchmark, by hand."""
    usd = fund(
        "VSGAX",
        usd_name,
        "USD",
        returns(**{"1M": 12.345, "3M": -4.44, "YTD": 20.0, "1Y": 30.05, "3Y": 1.96, "5Y": 9.87}),
        excess_1y=1.25,
    )
    jpy = fund(
        "JP-SBI-SCG",
        jpy_name,
        "JPY",
        returns(**{"1M": 0.04, "3M": 7.5, "YTD": 15.55, "1Y": 25.0}),
        excess_1y=-3.8,
        note="JPY NAV without distributions reinvested (基準価額)",
    )
    bench = returns(**{"1M": 10.0, "3M": -1.0, "YTD": 18.0, "1Y": 28.8, "3Y": 2.5, "5Y": 8.0})
    return FundsTable(AS_OF, "IWO", 4.0, bench, [usd, jpy])


def published(table: FundsTable, lang: str = "ja", **options) -> publication.Publication:
    frame = table_frame(table, lang)
    return publication.build_publication(frame, as_of=table.as_of, source="file daily_closes.csv", lang=lang, **options)


class Parsed(HTMLParser):
    """Every tag, attribute and cell text of an HTML page, as a browser's parser reads them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.rows: list[list[str]] = []
        self.caption = ""
        self._cell: list[str] | None = None
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_caption:
            self.caption += data


# --- HTML ---------------------------------------------------------------------------------------------


def test_the_japanese_html_has_the_title_the_figures_as_published_and_each_rows_currency():
    page = Parsed(publication.to_html(published(two_funds(), "ja")))
    assert page.caption == TITLE_JA
    header, usd, jpy, bench, *footer = page.rows
    assert header == ["ファンド", "通貨", "1ヵ月", "3ヵ月", "年初来", "1年", "3年", "5年", "超過1年(pt)"]
    assert usd == ["Vanguard Small-Cap Growth", "USD", "12.3%", "-4.4%", "20.0%", "30.1%", "2.0%", "9.9%", "+1.3"]
    assert jpy == ["SBI小型成長株ファンド ※1", "JPY", "0.0%", "7.5%", "15.6%", "25.0%", "—", "—", "-3.8"]
    assert bench == ["ベンチマーク（IWO）", "USD", "10.0%", "-1.0%", "18.0%", "28.8%", "2.5%", "8.0%", "—"]
    assert ["データ：file daily_closes.csv（2024年11月29日時点）"] in footer
    assert ["※1 JPY NAV without distributions reinvested (基準価額)"] in footer


def test_the_english_html_says_the_same_in_english():
    page = Parsed(publication.to_html(published(two_funds(), "en")))
    assert page.caption == TITLE_EN
    assert page.rows[0][:3] == ["Fund", "Currency", "1M"] and page.rows[0][-1] == "Excess 1Y (pts)"
    assert page.rows[2][:3] == ["SBI小型成長株ファンド *1", "JPY", "0.0%"]
    assert ["Data: file daily_closes.csv, as of 2024-11-29."] in page.rows


def test_a_table_as_of_a_day_that_is_not_a_month_end_says_the_day():
    assert publication.publication_title(pd.Timestamp("2024-11-27"), "ja") == (
        "小型成長株関連投資信託のパフォーマンス(2024年11月27日時点)"
    )


def test_a_hostile_fund_name_or_note_comes_out_as_text_that_runs_nothing():
    table = two_funds(usd_name=SCRIPT, jpy_name=HYPERLINK)
    table.rows[1] = fund("JP-X", HYPERLINK, "JPY", returns(), note='<img src=x onerror="alert(2)">')
    html = publication.to_html(published(table, "en"))
    page = Parsed(html)
    allowed = {"html", "head", "meta", "title", "body", "table", "caption", "thead", "tbody", "tfoot", "tr", "th"}
    assert set(page.tags) <= allowed | {"td", "sup"}  # no script, img, link, style, iframe
    assert {name for name, _ in page.attributes} <= {"lang", "charset", "style", "colspan"}  # no onerror, src
    assert not any("url(" in value or "@import" in value for _, value in page.attributes)
    assert page.rows[1][0] == SCRIPT  # shown as typed...
    assert "<script>" not in html and "&lt;script&gt;" in html  # ...because it is escaped
    assert page.rows[2][0] == "'" + HYPERLINK + " *1"  # a spreadsheet it is pasted into shows it as text
    assert ['*1 <img src=x onerror="alert(2)">'] in page.rows


def test_a_period_no_row_has_is_left_out_and_a_dash_marks_an_empty_cell():
    frame_headers = [cell.text for cell in published(two_funds(), "en").headers]
    assert "10Y" not in frame_headers and "Since inception" not in frame_headers and "6M" not in frame_headers
    assert "Excess 3Y (pts)" not in frame_headers  # every fund's 3Y excess is empty


def test_demo_data_says_so_first_in_the_footer():
    assert published(two_funds(), "en", is_demo=True).footer[0].startswith("DEMO DATA")


def test_write_picks_the_format_from_the_extension(tmp_path):
    for name in ("t.png", "t.html"):
        publication.write(published(two_funds()), tmp_path / name, scale=1)
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")
    assert TITLE_JA in (tmp_path / "t.html").read_text(encoding="utf-8")
    with pytest.raises(InvalidTableOutput, match="name a .png or .html file"):
        publication.write(published(two_funds()), tmp_path / "t.svg")


# --- PNG ----------------------------------------------------------------------------------------------


def title_alone(title: str, width: int, scale: int) -> Image.Image:
    """The title drawn by itself, from this test's own spec: the shipped font, its size and place."""
    export._register_font()
    spec = {
        "width": width,
        "height": 56,
        "padding": 0,
        "autosize": "none",
        "background": "white",
        "config": {"font": "Noto Sans CJK JP", "view": {"stroke": None}},
        "data": {"values": [{}]},
        "mark": {
            "type": "text",
            "text": title,
            "x": 24,
            "y": 28,
            "align": "left",
            "baseline": "middle",
            "fontSize": 20,
            "color": "#212121",
        },
    }
    return Image.open(BytesIO(vl_convert.vegalite_to_png(spec, scale=scale))).convert("RGB")


def title_band(image: Image.Image, scale: int) -> bytes:
    """The strip above the table's first rule (y = 56), where only the title is drawn."""
    return image.convert("RGB").crop((0, 0, image.width, 54 * scale)).tobytes()


def test_the_png_is_a_real_image_whose_japanese_title_is_drawn_in_glyphs():
    png = publication.to_png(published(two_funds(), "ja"), scale=2)
    image = Image.open(BytesIO(png))
    assert image.format == "PNG"
    spec = publication.png_spec(published(two_funds(), "ja"))
    assert image.size == (2 * spec["width"], 2 * spec["height"])
    assert 900 < image.width < 3000  # a table, not an empty canvas or a runaway layout
    # The title's pixels are exactly the title drawn alone with the Japanese font...
    assert title_band(image, 2) == title_band(title_alone(TITLE_JA, spec["width"], 2), 2)
    # ...and not boxes: private-use code points have no glyph in any font and draw identical boxes.
    tofu = "\ue000" * 19 + "(2024\ue00111\ue002\ue003\ue004\ue005)"
    assert title_band(title_alone(tofu, spec["width"], 2), 2) == title_band(
        title_alone(tofu.replace("\ue000", "\ue010"), spec["width"], 2), 2
    )
    assert title_band(image, 2) != title_band(title_alone(tofu, spec["width"], 2), 2)
    ink = sum(1 for pixel in image.convert("L").crop((0, 0, image.width, 108)).tobytes() if pixel < 128)
    assert ink > 2000  # 27 characters of 40 px glyphs


def test_each_fund_adds_one_row_of_26_pixels_and_the_width_stays():
    two = Image.open(BytesIO(publication.to_png(published(two_funds(), "ja"), scale=1)))
    table = two_funds()
    table.rows.append(fund("X", "Vanguard Small-Cap Growth", "USD", table.rows[0].returns, excess_1y=1.0))
    three = Image.open(BytesIO(publication.to_png(published(table, "ja"), scale=1)))
    assert three.width == two.width and three.height == two.height + 26


def test_a_long_fund_name_is_cut_with_an_ellipsis_and_keeps_its_footnote_mark():
    long_name = "とても長い名前の小型成長株ファンド" * 4
    table = two_funds(jpy_name=long_name)
    spec = publication.png_spec(published(table, "ja"))
    names = [v["text"] for layer in spec["layer"] for v in layer.get("data", {}).get("values", []) if "※1" in str(v)]
    assert names[0].endswith("… ※1") and names[0].startswith("とても長い名前")


# --- command line -------------------------------------------------------------------------------------


def run_funds(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["funds", *argv], now=dt.datetime(2024, 12, 2, 12, 0, tzinfo=dt.UTC))
    return code, out.getvalue(), err.getvalue()


def test_funds_out_writes_the_table_named_by_the_extension_in_the_language_asked(tmp_path, store_url):
    # A fund up 1 % a month and a benchmark flat since 2023: the fund's 1M is 1.0 %, its excess 1Y +12.7
    days = pd.bdate_range("2023-01-02", "2024-11-29")
    months = (days.year - 2023) * 12 + days.month - 1
    closes = pd.DataFrame({"VSGAX": 100 * 1.01**months, "IWO": 100.0}, index=days.rename("date"))
    prices = tmp_path / "prices.csv"
    closes.to_csv(prices)
    code, printed, _ = run_funds("--prices", str(prices), "--as-of", "2024-11-29", "--out", str(tmp_path / "t.html"))
    assert code == 0 and printed.startswith(f"wrote {tmp_path / 't.html'} ({TITLE_EN}, 1 funds, source file")
    code, _, _ = run_funds(
        "--prices", str(prices), "--as-of", "2024-11-29", "--out", str(tmp_path / "t.png"), "--lang", "ja"
    )
    assert code == 0 and Image.open(tmp_path / "t.png").format == "PNG"
    page = Parsed((tmp_path / "t.html").read_text(encoding="utf-8"))
    assert page.caption == TITLE_EN
    fund_row = page.rows[1]
    assert fund_row[:3] == ["Vanguard Small-Cap Growth Index Fund Admiral Shares *1", "USD", "1.0%"]
    assert ["*1 3Y, 5Y, 10Y: history starts 2023-01-02"] in page.rows  # a young fund
    assert fund_row[page.rows[0].index("1Y")] == "12.7%" and fund_row[-1] == "+12.7"  # 1.01 ** 12 = 1.1268


def test_funds_out_refuses_a_file_it_cannot_write_before_loading_prices(store_url):
    code, _, err = run_funds("--out", "table.svg", "--lang", "ja")
    assert code == 2 and "table.svg には書き出せません。.png または .html のファイル名を指定してください。" in err


# --- real closes ----------------------------------------------------------------------------------------


@pytest.mark.skipif(not DAILY_CLOSES.exists(), reason="../shared/data/daily_closes.csv is not present")
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_real_closes_publish_as_png_and_html_from_the_command_line(tmp_path, store_url, lang):
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert cli.main(["import-prices", str(DAILY_CLOSES)], now=now) == 0
    title = TITLE_JA if lang == "ja" else TITLE_EN
    for suffix in ("png", "html"):
        out = tmp_path / f"table.{suffix}"
        printed = io.StringIO()
        with redirect_stdout(printed), redirect_stderr(io.StringIO()):
            # IWO's own closes end in 2021: the adjusted series that runs to 2026 is the benchmark
            argv = ["funds", "--as-of", "2024-11-29", "--benchmark", "IWO_adj", "--out", str(out), "--lang", lang]
            code = cli.main(argv, now=now)
        assert code == 0
        assert printed.getvalue().startswith(f"wrote {out} ({title},")
    assert Image.open(tmp_path / "table.png").format == "PNG"
    page = Parsed((tmp_path / "table.html").read_text(encoding="utf-8"))
    assert page.caption == title and len(page.rows) > 3
