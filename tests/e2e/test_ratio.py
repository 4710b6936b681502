"""The Ratio page in a real browser: range and pair changes, and the files the analyst downloads."""

import datetime as dt
import io
import re
from urllib.parse import unquote

import pandas as pd
from PIL import Image

SUBTITLE = re.compile(r"^(\d{4}-\d{2}-\d{2}) – (\d{4}-\d{2}-\d{2}) · as of (\d{4}-\d{2}-\d{2}) close")


def subtitle_dates(tab) -> tuple[dt.date, dt.date]:
    """First and last week drawn, from the ratio chart's subtitle."""
    for text in tab.chart_texts(0):
        found = SUBTITLE.match(text)
        if found:
            return dt.date.fromisoformat(found[1]), dt.date.fromisoformat(found[2])
    raise AssertionError(f"no subtitle in {tab.chart_texts(0)}")


def test_a_range_preset_redraws_the_charts_and_goes_into_the_link(tab):
    tab.open()
    tab.wait_for_charts(3)
    first, last = subtitle_dates(tab)
    assert first == dt.date(2022, 1, 7)  # the default range starts in January 2022 (first Friday)
    tab.page.locator("[data-testid='stSidebar'] button").filter(has_text=re.compile("^1Y$")).click()
    tab.settle()
    one_year_first, one_year_last = subtitle_dates(tab)
    assert one_year_last == last
    assert 358 <= (last - one_year_first).days <= 372  # a year of weeks, ending on the same week
    assert "range_preset=1Y" in tab.page.url
    tab.no_exception()


def test_choosing_another_pair_retitles_the_page_and_the_charts(tab):
    tab.open()
    tab.wait_for_charts(3)
    tab.choose("Numerator", "Russell 2000 (^RUT)")
    tab.wait_for_text("Russell 2000 ÷ S&P 500")
    assert any(text.startswith("Russell 2000 ÷ S&P 500 (%, weekly)") for text in tab.chart_texts(0))
    link = tab.page.url
    assert "ratio_num=^RUT" in unquote(link)  # the ticker, not the label
    tab.screenshot("ratio-pair-rut")
    tab.no_exception()
    tab.page.goto(link)  # the link reopens the same view
    tab.wait_for_charts(3)
    tab.wait_for_text("Russell 2000 ÷ S&P 500")


def test_the_csv_holds_the_figures_the_page_shows(tab):
    tab.open(query="range_preset=1Y")
    tab.wait_for_charts(3)
    path = tab.download("CSV", chart=0)
    assert path.name.startswith("ratio_RUO_GSPC_") and path.name.endswith("-DEMO.csv")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# DEMO DATA")  # the file says what it is, like the page
    weekly = pd.read_csv(io.StringIO(text), comment="#", parse_dates=["date"], index_col="date")
    assert list(weekly.columns) == ["Ratio", "13-week average", "26-week average"]
    first, last = subtitle_dates(tab)
    assert weekly.index[0].date() == first and weekly.index[-1].date() == last
    latest = weekly.iloc[-1]
    assert tab.metric("Ratio (%)") == f"{latest['Ratio']:.2f}"
    assert tab.metric("26-week average (%)") == f"{latest['26-week average']:.2f}"
    assert tab.metric("Deviation from 26-wk avg (pts)") == f"{latest['Ratio'] - latest['26-week average']:.2f}"
    # The file's own last 26 ratios average to its 26-week column (a year of rows is enough to check).
    assert abs(weekly["Ratio"].iloc[-26:].mean() - latest["26-week average"]) < 1e-5
    assert abs(weekly["Ratio"].iloc[-13:].mean() - latest["13-week average"]) < 1e-5


def test_the_png_is_the_chart_at_twice_its_size_with_something_drawn(tab):
    tab.open()
    tab.wait_for_charts(3)
    path = tab.download("PNG", chart=0)
    assert path.suffix == ".png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        width, height = image.size
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert width >= 1600 and height >= 700, image.size
    assert len(colours) > 50  # lines, labels and the band, not a blank canvas
    tab.no_exception()


def test_a_japanese_png_is_exported_from_the_japanese_page(tab):
    tab.open(query="lang=日本語")
    tab.wait_for_text("ラッセル2000グロース指数 ÷ S&P500")
    tab.wait_for_charts(3)
    path = tab.download("PNG", chart=0)
    with Image.open(path) as image:
        assert image.size[0] >= 1600
    tab.save_download(path, "ratio-ja-export")
