"""Chart specs checked through to_dict(): what is drawn, where, and how it is labelled."""

import altair as alt
import pandas as pd
import vl_convert

from lib.views import charts, export
from lib.views.charts import ChartText

EN = ChartText("Ratio", "2022-01-07 – 2026-01-02 · source x", "en", is_demo=False)
DEMO = ChartText("Ratio", "subtitle", "en", is_demo=True)
WEEKS = pd.date_range("2025-01-03", periods=5, freq="W-FRI")
DOMAIN = (WEEKS[0], WEEKS[-1])


def ratio_series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": list(WEEKS) * 2,
            "series": ["Ratio"] * 5 + ["26-week average"] * 5,
            "value_pct": [24.0, 24.5, 24.2, 24.8, 25.0, 24.1, 24.2, 24.3, 24.4, 24.5],
        }
    )


def layers_by_mark(spec: dict) -> dict[str, list[dict]]:
    """Every single-mark layer by mark type, each with the data it inherits from its parents."""
    found: dict[str, list[dict]] = {}

    def walk(node: dict, data: dict | None) -> None:
        data = node.get("data", data)
        for layer in node.get("layer", []):
            walk(layer, data)
        if "mark" in node:
            mark = node["mark"]["type"] if isinstance(node["mark"], dict) else node["mark"]
            found.setdefault(mark, []).append({**node, "data": data})

    walk(spec, None)
    return found


def inline_values(spec: dict, node: dict) -> list[dict]:
    return spec["datasets"][node["data"]["name"]]


def test_ratio_chart_has_the_lines_the_band_and_a_shared_axis():
    spec = charts.ratio_chart(ratio_series(), text=EN, band=(32.0, 38.0), x_domain=DOMAIN).to_dict()
    marks = layers_by_mark(spec)
    line = marks["line"][0]
    assert line["encoding"]["x"]["scale"]["domain"] == ["2025-01-03T00:00:00", "2025-01-31T00:00:00"]
    assert line["encoding"]["color"]["scale"]["domain"] == ["Ratio", "26-week average"]
    assert marks["rect"][0]["data"] == line["data"]  # the band is computed from the ratio's own rows
    assert spec["title"]["text"] == "Ratio"
    assert spec["title"]["subtitle"].startswith("2022-01-07")
    tooltip_fields = [tip["field"] for tip in line["encoding"]["tooltip"]]
    assert tooltip_fields == ["date", "series", "value_pct"]
    assert line["encoding"]["tooltip"][2]["title"] == "Ratio (%)"  # the page's label, not "value_pct"


def band_and_axis(values: list[float]) -> tuple[list[tuple[float, float]], list[str]]:
    """The band's drawn rectangles (top and bottom, px from the top of a 300 px plot) and the y axis's
    labels, read from the scenegraph Vega renders."""
    frame = pd.DataFrame({"date": WEEKS, "series": ["Ratio"] * 5, "value_pct": values})
    spec = charts.ratio_chart(frame, text=EN, band=(32.0, 38.0), width=400).to_dict()
    rects, labels = [], []

    def walk(node: object, axis_y: bool = False) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, axis_y)
        elif isinstance(node, dict):
            if node.get("marktype") == "rect" and node.get("role") == "mark":
                rects.extend((item["y"], item["y"] + item["height"]) for item in node["items"])
            if node.get("marktype") == "text" and node.get("role") == "axis-label":
                labels.extend(item["text"] for item in node["items"])
            for child in node.values():
                walk(child)

    walk(vl_convert.vegalite_to_scenegraph(spec))
    return rects, labels


def test_the_band_is_drawn_where_it_overlaps_the_ratio_and_never_stretches_the_axis():
    # Ratio 30–35 %: the axis spans 30–35 (60 px a point on 300 px), the band 32–38 is cut at the
    # data's top: from 35 % (y = 0) down to 32 % (y = 180).
    rects, labels = band_and_axis([30.0, 31.0, 33.0, 34.0, 35.0])
    assert rects == [(0, 180)]
    assert max(float(label) for label in labels if label[0].isdigit() and "-" not in label) == 35.0
    # Ratio 23–25 %, as on the real closes: no band, and the axis stays about the data (not up to 38).
    rects, labels = band_and_axis([23.0, 23.5, 24.0, 24.5, 25.0])
    assert rects == []
    assert max(float(label) for label in labels if label[0].isdigit() and "-" not in label) <= 25.0


def test_demo_data_is_marked_in_the_title():
    spec = charts.ratio_chart(ratio_series(), text=DEMO).to_dict()
    assert spec["title"]["text"] == "Ratio — DEMO DATA"


def test_deviation_bars_are_coloured_by_sign_with_guides_at_2_and_3():
    deviation = pd.DataFrame({"date": WEEKS, "deviation_pts": [-3.4, -1.0, 0.0, 1.5, 2.2]})
    spec = charts.deviation_chart(deviation, text=EN, guides=(2.0, 3.0)).to_dict()
    marks = layers_by_mark(spec)
    bars = marks["bar"][0]
    colour = bars["encoding"]["color"]
    assert (colour["field"], colour["scale"]["domain"]) == ("sign", ["up", "down"])
    assert colour["scale"]["range"] == [charts.UP_COLOUR, charts.DOWN_COLOUR]
    signs = {row["deviation_pts"]: row["sign"] for row in inline_values(spec, bars)}
    assert signs == {-3.4: "down", -1.0: "down", 0.0: "up", 1.5: "up", 2.2: "up"}
    levels = sorted(row["level"] for row in inline_values(spec, marks["rule"][0]))
    assert levels == [-3.0, -2.0, 2.0, 3.0]


def test_relative_chart_switches_to_a_log_scale():
    rebased = pd.DataFrame(
        {"date": list(WEEKS) * 2, "series": ["A"] * 5 + ["B"] * 5, "value": [100.0, 101, 99, 105, 110] * 2}
    )
    linear = layers_by_mark(charts.relative_chart(rebased, text=EN).to_dict())["line"][0]
    log = layers_by_mark(charts.relative_chart(rebased, text=EN, log_scale=True).to_dict())["line"][0]
    assert linear["encoding"]["y"]["scale"].get("type") is None
    assert log["encoding"]["y"]["scale"]["type"] == "log"


def test_events_are_drawn_as_rules_and_labels_on_every_chart():
    events = pd.DataFrame({"date": [WEEKS[2]], "label": ["Venezuela"], "detail": ["US strike; tags: Venezuela"]})
    spec = charts.ratio_chart(ratio_series(), text=EN, events=events, x_domain=DOMAIN).to_dict()
    marks = layers_by_mark(spec)
    assert inline_values(spec, marks["text"][0])[0]["label"] == "Venezuela"
    assert marks["text"][0]["encoding"]["text"]["field"] == "label"
    assert [tip["field"] for tip in marks["rule"][0]["encoding"]["tooltip"]] == ["date", "label", "detail"]


def test_event_labels_read_horizontally_in_three_lanes():
    events = pd.DataFrame({"date": list(WEEKS[:4]), "label": ["ベネズエラ", "Private credit", "中国経済", "欧州政治"]})
    spec = charts.ratio_chart(ratio_series(), text=EN, events=events, x_domain=DOMAIN, width=400).to_dict()
    texts = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("marktype") == "text" and node.get("role") == "mark":
                texts.extend((item["text"], item["y"], item.get("angle", 0)) for item in node["items"])
            for child in node.values():
                walk(child)

    walk(vl_convert.vegalite_to_scenegraph(spec))
    # From the top of the plot: lanes 0, 13 and 26 px in turn, then the first lane again; never rotated.
    assert texts == [("ベネズエラ", 0, 0), ("Private credit", 13, 0), ("中国経済", 26, 0), ("欧州政治", 0, 0)]


def test_a_label_near_the_right_edge_reads_leftwards_and_stays_inside_the_chart():
    weeks = pd.DataFrame({"date": pd.date_range("2025-01-03", "2025-12-19", freq="W-FRI"), "v": range(51)})
    line = alt.Chart(weeks).mark_line().encode(x="date:T", y="v:Q")
    late = pd.DataFrame({"date": [pd.Timestamp("2025-12-19")], "label": ["Venezuela tensions lift oil prices"]})

    def width(labels: bool) -> int:
        chart = alt.layer(line, charts.events_layer(late, None, "en", labels=labels)).properties(width=600, height=200)
        png = export.to_png(chart)
        return int.from_bytes(png[16:20], "big")  # the IHDR width

    # Read rightwards from its rule, the label widened the image by its own length (300 px at 2x).
    assert width(labels=True) == width(labels=False)
