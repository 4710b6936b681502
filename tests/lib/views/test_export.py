"""Server-side export: real PNG/SVG files, Japanese glyphs (not tofu boxes), CSV with the demo mark."""

from io import BytesIO
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from PIL import Image

from lib.views import charts, export
from lib.views.charts import ChartText

WEEKS = pd.date_range("2025-01-03", periods=5, freq="W-FRI")


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
