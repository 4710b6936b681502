"""The fund table as the analyst publishes it on the blog: a self-contained HTML table that pastes into a
blog editor, and a PNG of the same table (README, "The publication table").

Both come from one `Publication`: the title in the page's language (as of the month-end), one row per
fund with its name, its currency and its returns, the benchmark row, excess over the benchmark, and a
footer with the data source and the notes (plain NAV, a young fund's missing periods). It is built from
the table the page shows (`table_frame`), so a column the returns view gains later (another currency,
a hedged flag) flows in: every column of the returns view is kept but the ticker and the notes.

HTML: Jinja2 with autoescaping (lib/views/templates/funds_publication.html.j2), inline styles only, no
script, no external CSS or font. PNG: the table drawn as a Vega-Lite chart of text marks and rendered by
vl-convert with the shipped Japanese font (lib/views/export.py), so no browser runs on the server.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import vl_convert as vlc
from jinja2 import Environment, FileSystemLoader

from lib.analytics.performance import PERIODS, is_month_end
from lib.core import spreadsheet
from lib.core.errors import InvalidTableOutput
from lib.core.i18n import format_date, t
from lib.core.types import Lang
from lib.views import export
from lib.views.funds_style import DASH, DOWN, UP
from lib.views.funds_table import table_view

TEMPLATES = Path(__file__).with_name("templates")
EXCESS_FIELDS = ("excess_1Y", "excess_3Y")
SUFFIXES = (".png", ".html")

# The PNG's layout, in pixels before scaling (the test renders the title alone from these).
MARGIN = 24
TITLE_SIZE = 20
TITLE_BAND = 56  # the title's strip: nothing else is drawn above this line
TEXT_SIZE = 13
FOOTER_SIZE = 11
ROW_HEIGHT = 26
FOOTER_LINE = 18
CELL_PAD = 14
NAME_MAX = 480  # a longer fund name ends in "…" (35 Japanese characters fit)
INK, GREY, RULE, SHADE = "#212121", "#616161", "#9e9e9e", "#f2f2f2"


@dataclass(frozen=True)
class Cell:
    text: str
    tone: str = ""  # "up" or "down": a return coloured by its sign
    number: bool = False  # right-aligned
    mark: str = ""  # the footnote a fund's name points to ("*1"), kept when a long name is cut


@dataclass(frozen=True)
class Publication:
    """The table ready to publish: every cell already text, safe to paste into a spreadsheet."""

    lang: Lang
    title: str
    headers: list[Cell]
    rows: list[list[Cell]]  # the funds, then the benchmark
    footer: list[str]


def publication_title(as_of: pd.Timestamp, lang: Lang) -> str:
    """The title with the month as of a month-end (the analyst's convention); with the day otherwise."""
    # e.g. 「小型成長株関連投資信託のパフォーマンス(2024年11月末時点)」
    if is_month_end(as_of):
        return t("publication_title_month", lang, month=format_date(as_of.date(), lang, "month"))
    return t("publication_title_day", lang, day=as_of.date())


def build_publication(
    frame: pd.DataFrame, *, as_of: pd.Timestamp, source: str, lang: Lang, is_demo: bool = False
) -> Publication:
    """The publication of the fund table `frame` (as `table_frame` builds it: the benchmark last).

    Returns in percent to one decimal ("12.3%"), excess in percentage points with its sign ("+1.2");
    a period no row has is left out; a fund's notes become numbered footnotes.
    """
    view = table_view(frame, "returns", lang)
    text_columns = [c for c in view.columns if c not in _numbers(lang) and c != t("fund_col_symbol", lang)]
    text_columns.remove(t("fund_col_notes", lang))
    returns = [c for c in _returns(lang) if c in view.columns and view[c].notna().any()]
    excess = {t(f"publication_{f}", lang): t(f"fund_col_{f}", lang) for f in EXCESS_FIELDS}
    excess = {short: full for short, full in excess.items() if full in frame.columns and frame[full].notna().any()}
    notes = frame[t("fund_col_notes", lang)].fillna("").astype(str).tolist() if len(frame) else []
    numbered = {note: number for number, note in enumerate(dict.fromkeys(n for n in notes if n), start=1)}
    rows = []
    for position in range(len(frame)):
        cells = [Cell(_text(view.iloc[position][column])) for column in text_columns]
        if notes[position]:  # funds with the same note share its number
            cells[0] = Cell(cells[0].text, mark=t("publication_note_mark", lang, number=numbered[notes[position]]))
        cells += [_percent(view.iloc[position][column]) for column in returns]
        cells += [_points(frame.iloc[position][column]) for column in excess.values()]
        rows.append(cells)
    headers = [Cell(column) for column in text_columns]
    headers += [Cell(column, number=True) for column in (*returns, *excess)]
    footer = [t("publication_basis", lang), t("publication_source", lang, source=source, as_of=as_of.date())]
    if is_demo:
        footer.insert(0, t("demo_banner", lang))
    footnotes = [t("publication_footnote", lang, number=n, note=_text(note)) for note, n in numbered.items()]
    return Publication(lang, publication_title(as_of, lang), headers, rows, [*footer, *footnotes])


def _returns(lang: Lang) -> list[str]:
    return [t(f"fund_short_{period}", lang) for period in PERIODS]


def _numbers(lang: Lang) -> set[str]:
    return {*_returns(lang), *(t(f"fund_col_{f}", lang) for f in EXCESS_FIELDS)}


def _text(value: object) -> str:
    """A text cell as a spreadsheet shows it (a name like =HYPERLINK(...) gets a leading '): a table
    copied from the blog into Excel runs nothing. An empty cell is a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return DASH
    return str(spreadsheet.safe_cell(str(value)))


def _percent(value: object) -> Cell:
    """12.3% (one decimal, as the blog shows it), the sign's colour; a dash when empty."""
    if value is None or pd.isna(value):
        return Cell(DASH, number=True)
    rounded = _one_decimal(float(value))
    return Cell(f"{rounded:.1f}%", _tone(rounded), number=True)


def _points(value: object) -> Cell:
    """+1.2 (percentage points, signed: above or below the benchmark); a dash when empty."""
    if value is None or pd.isna(value):
        return Cell(DASH, number=True)
    rounded = _one_decimal(float(value))
    return Cell(f"{rounded:+.1f}", _tone(rounded), number=True)


def _one_decimal(value: float) -> float:
    """Rounded half up as the figure reads (1.25 -> 1.3, where round() gives 1.2); -0.04 is 0.0, not -0.0."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + 0.0


def _tone(value: float) -> str:
    return "up" if value > 0 else "down" if value < 0 else ""


# --- HTML ---------------------------------------------------------------------------------------------


def to_html(publication: Publication) -> str:
    """A UTF-8 HTML page holding the table (the part between the comments pastes into a blog editor):
    every cell escaped by Jinja2's autoescaping, inline styles, nothing executable."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
    template = environment.get_template("funds_publication.html.j2")
    return template.render(table=publication, colours={"up": UP, "down": DOWN, "": INK}, dash=DASH)


# --- PNG ----------------------------------------------------------------------------------------------


def text_width(text: str, size: float) -> float:
    """The width of `text` in pixels, estimated: a wide (CJK) character is one em, anything else 0.6."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in text)


def png_spec(publication: Publication) -> dict:
    """The table as a Vega-Lite chart of text marks placed in pixels: title, header, rows, footer."""
    widths = _column_widths(publication)
    width = 2 * MARGIN + sum(widths)
    width = max(width, math.ceil(2 * MARGIN + text_width(publication.title, TITLE_SIZE)))
    lefts = [MARGIN + sum(widths[:i]) for i in range(len(widths))]
    header_y = TITLE_BAND + ROW_HEIGHT / 2
    texts, rules = [], [TITLE_BAND, TITLE_BAND + ROW_HEIGHT]
    for position, cell in enumerate(publication.headers):
        texts.append(_placed(cell, lefts[position], widths[position], header_y, GREY))
    for number, row in enumerate(publication.rows, start=1):
        y = TITLE_BAND + ROW_HEIGHT * number + ROW_HEIGHT / 2
        for position, cell in enumerate(row):
            colour = {"up": UP, "down": DOWN}.get(cell.tone, INK)
            texts.append(_placed(cell, lefts[position], widths[position], y, colour))
    table_bottom = TITLE_BAND + ROW_HEIGHT * (len(publication.rows) + 1)
    benchmark_top = table_bottom - ROW_HEIGHT
    rules += [benchmark_top, table_bottom]
    footer = [
        {"x": MARGIN, "y": table_bottom + FOOTER_LINE * (i + 1), "text": _fit(line, width - 2 * MARGIN, FOOTER_SIZE)}
        for i, line in enumerate(publication.footer)
    ]
    height = table_bottom + FOOTER_LINE * (len(publication.footer) + 1)
    pixels = {"scale": None}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": width,
        "height": height,
        "padding": 0,
        "autosize": "none",
        "background": "white",
        "config": {"font": export.FONT_FAMILY, "view": {"stroke": None}},
        "layer": [
            _shade(MARGIN, width - MARGIN, benchmark_top, table_bottom),
            _rules(rules, MARGIN, width - MARGIN),
            _title_layer(publication.title),
            *_text_layers(texts, pixels),
            _footer_layer(footer, pixels),
        ],
    }


def _column_widths(publication: Publication) -> list[int]:
    """Each column as wide as its widest cell (header included), the fund name at most NAME_MAX."""
    widths = []
    for position, header in enumerate(publication.headers):
        cells = [header, *(row[position] for row in publication.rows)]
        widest = max(text_width(f"{cell.text} {cell.mark}", TEXT_SIZE) for cell in cells) + CELL_PAD
        widths.append(math.ceil(min(widest, NAME_MAX) if position == 0 else widest))
    return widths


def _placed(cell: Cell, left: float, width: float, y: float, colour: str) -> dict:
    right = cell.number
    x = left + width - CELL_PAD / 2 if right else left
    mark = f" {cell.mark}" if cell.mark else ""
    text = _fit(cell.text, width - CELL_PAD / 2 - text_width(mark, TEXT_SIZE), TEXT_SIZE) + mark
    return {"x": x, "y": y, "text": text, "colour": colour, "align": "right" if right else "left"}


def _fit(text: str, width: float, size: float) -> str:
    """`text` cut to `width` pixels with "…" (a long fund name, a long note)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _title_layer(title: str) -> dict:
    """The title alone in its band, at a fixed place: the test renders it alone and compares pixels."""
    return {
        "data": {"values": [{}]},  # one mark: a layer without data draws nothing
        "mark": {
            "type": "text",
            "text": title,
            "x": MARGIN,
            "y": TITLE_BAND / 2,
            "align": "left",
            "baseline": "middle",
            "fontSize": TITLE_SIZE,
            "color": INK,
        },
    }


def _text_layers(texts: list[dict], pixels: dict) -> list[dict]:
    """One layer per alignment (a mark's align is not an encoding channel)."""
    layers = []
    for align in ("left", "right"):
        values = [text for text in texts if text["align"] == align]
        if not values:
            continue
        layers.append(
            {
                "data": {"values": values},
                "mark": {"type": "text", "align": align, "baseline": "middle", "fontSize": TEXT_SIZE},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", **pixels},
                    "y": {"field": "y", "type": "quantitative", **pixels},
                    "text": {"field": "text"},
                    "color": {"field": "colour", "type": "nominal", **pixels},
                },
            }
        )
    return layers


def _footer_layer(lines: list[dict], pixels: dict) -> dict:
    return {
        "data": {"values": lines},
        "mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": FOOTER_SIZE, "color": GREY},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", **pixels},
            "y": {"field": "y", "type": "quantitative", **pixels},
            "text": {"field": "text"},
        },
    }


def _rules(ys: list[float], left: float, right: float) -> dict:
    pixels = {"type": "quantitative", "scale": None}
    return {
        "data": {"values": [{"y": y, "x": left, "x2": right} for y in ys]},
        "mark": {"type": "rule", "color": RULE, "strokeWidth": 1},
        "encoding": {"x": {"field": "x", **pixels}, "x2": {"field": "x2"}, "y": {"field": "y", **pixels}},
    }


def _shade(left: float, right: float, top: float, bottom: float) -> dict:
    """The benchmark row's grey band."""
    pixels = {"type": "quantitative", "scale": None}
    return {
        "data": {"values": [{"x": left, "x2": right, "y": top, "y2": bottom}]},
        "mark": {"type": "rect", "color": SHADE},
        "encoding": {
            "x": {"field": "x", **pixels},
            "x2": {"field": "x2"},
            "y": {"field": "y", **pixels},
            "y2": {"field": "y2"},
        },
    }


def to_png(publication: Publication, *, scale: float = export.DEFAULT_SCALE) -> bytes:
    """The table as a PNG, the shipped Japanese font registered first (no system font needed)."""
    export._register_font()
    return vlc.vegalite_to_png(png_spec(publication), scale=scale)


def publication_files(
    frame: pd.DataFrame, *, as_of: pd.Timestamp, source: str, lang: Lang, is_demo: bool
) -> list[export.ChartFile]:
    """The page's two downloads of the publication, PNG and HTML, each built only when clicked."""

    def built() -> Publication:
        return build_publication(frame, as_of=as_of, source=source, lang=lang, is_demo=is_demo)

    return [
        export.ChartFile("png", "image/png", ":material/image:", lambda: to_png(built())),
        export.ChartFile("html", "text/html", ":material/code:", lambda: to_html(built())),
    ]


def write(publication: Publication, path: Path, *, scale: float = export.DEFAULT_SCALE) -> None:
    """Write the publication to `path` in the format its extension names (.png or .html)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidTableOutput(path.name)
    if suffix == ".png":
        path.write_bytes(to_png(publication, scale=scale))
    else:
        path.write_text(to_html(publication), encoding="utf-8")
