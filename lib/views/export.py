"""Chart export: PNG and SVG rendered on the server by vl-convert, CSV of the plotted series (and of
the fund tables: every CSV a user downloads is written by `to_csv`).

Japanese text renders on a machine with no Japanese fonts installed: the Noto Sans CJK JP font
(SIL Open Font License 1.1) comes with the `noto-cjk-sans-jp-regular` package in requirements.txt
and is registered with vl-convert before the first conversion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import pandas as pd
import vl_convert as vlc

from lib.core import spreadsheet

if TYPE_CHECKING:  # Altair only names the chart type here: a CSV's demo line never loads it
    import altair as alt

FONT_FAMILY = "Noto Sans CJK JP"
EXPORT_WIDTH = 900  # pixels before scaling; the app's charts fill their container instead
DEFAULT_SCALE = 2


@lru_cache(maxsize=1)
def _register_font() -> str:
    """Register the shipped font directory once per process; returns it."""
    import noto_cjk_sans_jp_regular

    folder = str(Path(str(noto_cjk_sans_jp_regular.FONT_PATH)).parent)
    vlc.register_font_directory(folder)
    return folder


Chart: TypeAlias = "alt.TopLevelMixin | dict"  # an Altair chart or its Vega-Lite spec (chart.to_dict())


def export_spec(chart: Chart) -> dict:
    """The chart at a fixed width with the shipped font, as a Vega-Lite dict, without tooltips: a
    file shows none, and Vega formats one per point (15 % of a 25-year daily line chart's PNG)."""
    spec = _untipped(dict(chart) if isinstance(chart, dict) else chart.to_dict())
    spec["width"] = EXPORT_WIDTH
    spec["config"] = {**spec.get("config", {}), "font": FONT_FAMILY}
    return spec


def _untipped(layer: dict) -> dict:
    """The spec (or layer) with no tooltip encoding in any layer; the rest shared, not copied."""
    if "layer" in layer:
        return {**layer, "layer": [_untipped(child) for child in layer["layer"]]}
    encoding = layer.get("encoding", {})
    if "tooltip" not in encoding:
        return layer
    return {**layer, "encoding": {channel: value for channel, value in encoding.items() if channel != "tooltip"}}


def to_png(chart: Chart, *, scale: float = DEFAULT_SCALE) -> bytes:
    _register_font()
    return vlc.vegalite_to_png(export_spec(chart), scale=scale)


def to_svg(chart: Chart) -> str:
    _register_font()
    return vlc.vegalite_to_svg(export_spec(chart))


def to_csv(frame: pd.DataFrame, *, is_demo: bool, index: bool = True, float_format: str = "%.6f") -> str:
    """CSV of a plotted series or a table, every text cell safe to open in a spreadsheet
    (lib.core.spreadsheet); demo data says so on its first line."""
    return demo_line(is_demo) + spreadsheet.csv_text(frame, index=index, float_format=float_format)


def demo_line(is_demo: bool) -> str:
    """The first line of every CSV made from demo data (empty for market data)."""
    return "# DEMO DATA: synthetic prices, not market data\n" if is_demo else ""


def write(chart: Chart, frame: pd.DataFrame, path: Path, *, scale: float, is_demo: bool) -> None:
    """Write the chart to `path`, in the format its extension names (.png, .svg or .csv)."""
    suffix = path.suffix.lower()
    if suffix == ".png":
        path.write_bytes(to_png(chart, scale=scale))
    elif suffix == ".svg":
        path.write_text(to_svg(chart), encoding="utf-8")
    elif suffix == ".csv":
        path.write_text(to_csv(frame, is_demo=is_demo), encoding="utf-8")
    else:
        raise ValueError(f"cannot write {path.name}: use .png, .svg or .csv")


@dataclass(frozen=True)
class ChartFile:
    """One download offered under a chart; `make` runs only when the user asks for the file."""

    suffix: str
    mime: str
    icon: str
    make: Callable[[], bytes | str]


def chart_files(chart: Chart, plotted: Callable[[], pd.DataFrame], *, is_demo: bool) -> list[ChartFile]:
    """PNG and SVG of the chart, CSV of the series it plots."""
    return [
        ChartFile("png", "image/png", ":material/image:", lambda: to_png(chart)),
        ChartFile("svg", "image/svg+xml", ":material/draw:", lambda: to_svg(chart)),
        ChartFile("csv", "text/csv", ":material/table:", lambda: to_csv(plotted(), is_demo=is_demo)),
    ]
