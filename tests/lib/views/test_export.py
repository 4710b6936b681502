"""Server-side export: real PNG/SVG files, Japanese glyphs (not tofu boxes), CSV with the demo mark, and
CSV cells a spreadsheet shows as text when a name, title or label starts like a formula (both backends)."""

from io import BytesIO
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert
from PIL import Image

from lib.views import charts, export
from lib.views.charts import ChartText
from tests.conftest import postgres_schema

WEEKS = pd.date_range("2025-01-03", periods=5, freq="W-FRI")


@pytest.fixture(params=["sqlite", "postgresql"])
def price_url(request: pytest.FixtureRequest, store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty price store on each backend, seen by the command line (PRICES_DATABASE_URL)."""
    if request.param == "sqlite":
        return store_url
    url = postgres_schema(request)
    monkeypatch.setenv("PRICES_DATABASE_URL", url)
    return url


def small_chart(title: str) -> alt.Chart:
    data = pd.DataFrame({"date": WEEKS, "deviation_pts": [-1.0, 0.5, 1.0, -0.5, 2.0]})
    return charts.deviation_chart(data, text=ChartText(title, "", "ja", is_demo=False))


def title_band(title: str) -> bytes:
    """The pixels of the top strip of the exported PNG, where the title is drawn."""
    image = Image.open(BytesIO(export.to_png(small_chart(title), scale=1))).convert("L")
    return image.crop((0, 0, image.width, 24)).tobytes()


def test_japanese_titles_render_as_glyphs_not_tofu():
    # Private-use code points have no glyph in any font: they always render as the same box.
    # The test's own check: two different runs of such code points give identical pixels...
    assert title_band("\ue000\ue001\ue002\ue003") == title_band("\ue010\ue011\ue012\ue013")
    # ...while Japanese text differs from boxes and from other Japanese text: real glyphs.
    japanese = title_band("週次レシオ")
    assert japanese != title_band("\ue000\ue001\ue002\ue003\ue004")
    assert japanese != title_band("乖離の推移")


def test_the_font_comes_with_the_project_requirements():
    folder = Path(export._register_font())
    assert (folder / "NotoSansCJKjp-Regular.otf").exists()
    assert "site-packages" in folder.parts or ".venv" in folder.parts
    assert export.export_spec(small_chart("x"))["config"]["font"] == "Noto Sans CJK JP"


def test_png_is_a_real_image_at_the_requested_scale():
    chart = small_chart("Deviation")
    one = Image.open(BytesIO(export.to_png(chart, scale=1)))
    two = Image.open(BytesIO(export.to_png(chart, scale=2)))
    assert one.format == "PNG"
    assert two.width == 2 * one.width and two.height == 2 * one.height
    assert one.width >= export.EXPORT_WIDTH


def test_svg_keeps_the_title_as_text():
    svg = export.to_svg(small_chart("乖離（ポイント）"))
    assert svg.startswith("<svg") and "乖離（ポイント）" in svg


def test_an_exported_chart_drops_its_tooltips_and_draws_the_same_pixels():
    events = pd.DataFrame({"date": WEEKS[1:3], "label": ["a", "b"]})  # a nested layer with tooltips too
    data = pd.DataFrame({"date": WEEKS, "deviation_pts": [-1.0, 0.5, 1.0, -0.5, 2.0]})
    spec = charts.deviation_chart(data, text=ChartText("x", "", "en", is_demo=False), events=events).to_dict()
    assert str(spec).count("'tooltip'") == 4  # bars, guide rules, event rules and labels
    exported = export.export_spec(spec)
    assert "'tooltip'" not in str(exported)
    assert str(spec).count("'tooltip'") == 4  # the page's spec is left as it was
    with_tooltips = {**exported, "layer": spec["layer"]}
    export._register_font()
    assert export.to_png(spec, scale=1) == vl_convert.vegalite_to_png(with_tooltips, scale=1)


def test_csv_of_demo_data_says_so():
    frame = pd.DataFrame({"ratio": [24.1]}, index=pd.DatetimeIndex(["2026-01-02"], name="date"))
    assert export.to_csv(frame, is_demo=True).startswith("# DEMO DATA")
    assert export.to_csv(frame, is_demo=False).splitlines() == ["date,ratio", "2026-01-02,24.100000"]


def test_write_picks_the_format_from_the_extension(tmp_path):
    chart, frame = small_chart("x"), pd.DataFrame({"a": [1.0]})
    for name in ("c.png", "c.svg", "c.csv"):
        export.write(chart, frame, tmp_path / name, scale=1, is_demo=False)
        assert (tmp_path / name).stat().st_size > 0
    with pytest.raises(ValueError, match="use .png, .svg or .csv"):
        export.write(chart, frame, tmp_path / "c.gif", scale=1, is_demo=False)


def test_chart_files_make_each_file_only_when_asked():
    asked = []

    def plotted() -> pd.DataFrame:
        asked.append(True)
        return pd.DataFrame({"ratio": [24.1]}, index=pd.DatetimeIndex(["2026-01-02"], name="date"))

    files = export.chart_files(small_chart("x").to_dict(), plotted, is_demo=True)
    assert [f.suffix for f in files] == ["png", "svg", "csv"] and asked == []
    png, svg, csv = (f.make() for f in files)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and svg.startswith("<svg") and csv.startswith("# DEMO DATA")


# --- CSV a spreadsheet reads as data (issue 18, item 1) -----------------------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.invalid","Click")'
QUOTED_HYPERLINK = '"\'=HYPERLINK(""http://evil.invalid"",""Click"")"'  # the CSV doubles the quotes inside


def test_a_note_and_a_tag_written_like_formulas_are_text_in_the_theme_timeline_csv(notes_url):
    from lib.notes.model import make_draft
    from lib.notes.store import NotesStore
    from lib.views.notes import theme_timeline

    store = NotesStore(notes_url)
    store.add_tag("=1+1", "=1+1", "#123456")
    store.add(make_draft("2026-01-02", HYPERLINK, "", ["=1+1"], store.tags()), author="a")
    cells = theme_timeline(store.find(), store.tags(), "en")
    csv = export.to_csv(cells.drop(columns=["start", "end", "colour"]), is_demo=False)  # as the Notes page does
    assert csv.splitlines() == [",week,theme,notes,titles", f"0,2026-01-02,'=1+1,1,{QUOTED_HYPERLINK}"]


def test_a_fund_named_like_a_formula_is_text_in_the_funds_page_csv(capsys, price_url):
    from lib.cli import main as cli
    from lib.core.ranges import DateRange
    from lib.data import prices
    from lib.data.demo import demo_closes
    from lib.data.store import PriceStore
    from lib.views.funds import build_funds_page
    from tests.conftest import FIXTURES, store_closes

    now = pd.Timestamp("2026-01-07 22:00", tz="UTC").to_pydatetime()
    benchmark = demo_closes(pd.Timestamp("2025-12-31"))[["IWO"]].dropna().loc["2024-06-01":]
    store_closes(price_url, benchmark, source="file iwo.csv", fetched_at=now)
    nav = str(FIXTURES / "nav_files" / "sample_sjis.csv")
    assert cli.main(["import-nav", nav, "--symbol", "JP-SCG", "--name", HYPERLINK], now=now) == 0, capsys.readouterr()
    store = PriceStore(price_url)
    price_set = prices.load_prices(["JP-SCG", "IWO"], store=store, now=now, offline=True, primary=("IWO",))
    page = build_funds_page(
        price_set,
        funds=["JP-SCG"],
        benchmark="IWO",
        as_of=pd.Timestamp("2024-12-30"),
        date_range=DateRange(pd.Timestamp("2024-10-31"), pd.Timestamp("2024-12-30")),
        lang="en",
        risk_free_pct=4.0,
        described=store.instruments(),
    )
    table_csv = export.to_csv(page.frame.set_index(page.frame.columns[0]), is_demo=False)  # the page's CSV button
    assert table_csv.splitlines()[1].startswith(f"{QUOTED_HYPERLINK},JP-SCG,")
