"""The Ratio page's fast path: cutting the all-history charts to a range must draw exactly what a
direct build for that range draws."""

import dataclasses
import datetime as dt

import pandas as pd
import pytest
import vl_convert

from lib.core import calendar
from lib.core.ranges import DateRange
from lib.data import prices
from lib.views.ratio import build_ratio_view
from lib.views.ratio_charts import build_ratio_charts, build_ratio_page_base
from lib.views.rows import PAGE_COLUMNS

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
DRAWING = {"threshold_pts": -3.0}


def plotted_points(spec: dict) -> dict[str, list[tuple]]:
    """Every dated row of every dataset (numbers to 9 significant digits), per dataset shape."""
    found: dict[str, list[tuple]] = {}
    for rows in spec["datasets"].values():
        if rows and "date" in rows[0]:
            key = ",".join(sorted(rows[0]))
            found[key] = sorted(tuple(_rounded(row[field]) for field in sorted(row)) for row in rows)
    return found


def _rounded(value: object) -> object:
    return float(f"{value:.9g}") if isinstance(value, float) else value


def x_domains(spec: dict) -> set[tuple]:
    domains = set()

    def walk(layer: dict) -> None:
        for child in layer.get("layer", []):
            walk(child)
        scale = layer.get("encoding", {}).get("x", {}).get("scale", {})
        if "domain" in scale:
            domains.add(tuple(scale["domain"]))

    walk(spec)
    return domains


@pytest.mark.parametrize("frequency", ["weekly", "daily"])
@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2022-01-01", "2026-01-07"),
        ("2024-03-15", "2024-09-30"),
        ("2025-12-01", "2026-01-07"),
        ("2002-01-01", "2026-01-07"),
    ],
)
def test_a_cut_draws_what_a_direct_build_draws(frequency, start, end):
    price_set = prices.demo_set(now=NOW, notice=None)
    date_range = DateRange(pd.Timestamp(start), pd.Timestamp(end))
    base = build_ratio_page_base(price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency=frequency)
    cut = base.for_range(date_range, **DRAWING)

    # The headline shows the range's last week: the week of its last plotted day.
    last_week = calendar.week_end_sessions(pd.DatetimeIndex([cut.view.x_domain[1]]))[0]
    view = build_ratio_view(
        price_set,
        numerator="^RUO",
        denominator="^GSPC",
        date_range=date_range,
        lang="en",
        frequency=frequency,
        week_of=last_week,
    )
    direct = build_ratio_charts(
        view, price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency=frequency,
        columns=PAGE_COLUMNS, extremes=True,  # the page's width, as the page draws
    )  # fmt: skip
    assert cut.view.summary == view.summary
    assert cut.view.x_domain == view.x_domain
    assert cut.view.standing == view.standing
    for name, chart in direct.items():
        expected, got = chart, cut.specs[name]
        assert got["title"] == expected["title"]
        assert x_domains(got) == x_domains(expected)
        assert plotted_points(got) == plotted_points(expected), name


def test_a_range_ending_in_the_past_headlines_its_last_week_and_marks_a_picked_one():
    price_set = prices.demo_set(now=NOW, notice=None)
    base = build_ratio_page_base(price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency="weekly")
    # 2024-09-30 is a Monday: the range's last weekly close is Friday 2024-09-27.
    cut = base.for_range(DateRange(pd.Timestamp("2024-03-15"), pd.Timestamp("2024-09-30")), **DRAWING)
    assert cut.view.summary.week_end == pd.Timestamp("2024-09-27") and not cut.view.summary.provisional
    assert cut.view.average_window() == (pd.Timestamp("2024-04-05"), pd.Timestamp("2024-09-27"))  # 26 Fridays
    assert all(WEEK_RULE not in str(spec) for spec in cut.specs.values())  # the last week: nothing to mark
    picked = base.for_range(
        DateRange(pd.Timestamp("2024-03-15"), pd.Timestamp("2024-09-30")), week=pd.Timestamp("2024-06-12"), **DRAWING
    )
    assert picked.view.summary.week_end == pd.Timestamp("2024-06-14")  # the week containing Wednesday 06-12
    assert picked.view.summary.ratio.pct != cut.view.summary.ratio.pct
    for spec in picked.specs.values():
        assert [x for x, _ in week_rules(spec)] == [pytest.approx(week_x(spec, "2024-06-14"), abs=1)]


def week_rules(spec: dict) -> list[tuple[float, float]]:
    """(x, stroke width) of every wide rule Vega draws in the chart at 600 px (the marked week)."""
    found = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("marktype") == "rule" and node.get("role") == "mark":
                found.extend((item["x"], item["strokeWidth"]) for item in node["items"] if item.get("strokeWidth") == 7)
            for child in node.values():
                walk(child)

    walk(vl_convert.vegalite_to_scenegraph({**spec, "width": 600}))
    return found


def week_x(spec: dict, day: str) -> float:
    """Where `day` falls on the chart's 600 px time axis, from the domain the spec sets."""
    first, last = (pd.Timestamp(value) for value in x_domains(spec).pop())
    return 600 * (pd.Timestamp(day) - first) / (last - first)


WEEK_RULE = "strokeWidth': 7"


@pytest.mark.parametrize(
    ("band", "log_scale", "threshold"), [(False, False, -3.0), (True, True, -2.0), (False, True, 1.5)]
)
def test_drawing_options_adjust_the_cut_as_a_build_would(band, log_scale, threshold):
    price_set = prices.demo_set(now=NOW, notice=None)
    date_range = DateRange(pd.Timestamp("2023-01-01"), pd.Timestamp("2026-01-07"))
    base = build_ratio_page_base(
        price_set,
        numerator="^RUO",
        denominator="^GSPC",
        lang="ja",
        frequency="weekly",
        band=band,
        log_scale=log_scale,
    )
    cut = base.for_range(date_range, threshold_pts=threshold)
    view = build_ratio_view(
        price_set,
        numerator="^RUO",
        denominator="^GSPC",
        date_range=date_range,
        lang="ja",
        signal_threshold_pts=threshold,
    )
    direct = build_ratio_charts(
        view, price_set, numerator="^RUO", denominator="^GSPC", lang="ja", band=band, log_scale=log_scale
    )
    for name, chart in direct.items():
        expected = chart
        assert [layer_marks(layer) for layer in cut.specs[name]["layer"]] == [
            layer_marks(layer) for layer in expected["layer"]
        ], name
        assert y_scales(cut.specs[name]) == y_scales(expected), name
    pd.testing.assert_frame_equal(cut.view.study.events, view.study.events)
    assert cut.view.study.threshold_pts == threshold


def layer_marks(layer: dict) -> list:
    if "layer" in layer:
        return [layer_marks(child) for child in layer["layer"]]
    mark = layer["mark"]
    return mark["type"] if isinstance(mark, dict) else mark


def y_scales(spec: dict) -> list:
    return [layer.get("encoding", {}).get("y", {}).get("scale") for layer in spec["layer"]]


def test_a_range_without_data_cuts_to_nothing():
    price_set = prices.demo_set(now=NOW, notice=None)
    base = build_ratio_page_base(price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency="weekly")
    model = base.for_range(DateRange(pd.Timestamp("2025-06-02"), pd.Timestamp("2025-06-04")), **DRAWING)
    assert model.view.x_domain is None and model.specs == {}


def test_the_subtitle_names_the_pairs_sources_and_the_close_it_is_as_of():
    demo = prices.demo_set(now=NOW, notice=None)
    sources = {"^RUO": "file indices.csv", "^GSPC": "Yahoo Finance", "IWO": "file nav_jp.csv"}
    price_set = dataclasses.replace(demo, source="file indices.csv, file nav_jp.csv, Yahoo Finance", sources=sources)
    date_range = DateRange(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-06"))
    view = build_ratio_view(price_set, numerator="^RUO", denominator="^GSPC", date_range=date_range, lang="en")
    specs = build_ratio_charts(
        view, price_set, numerator="^RUO", denominator="^GSPC", lang="en", as_of=pd.Timestamp("2025-06-06")
    )
    subtitle = specs["ratio"]["title"]["subtitle"]
    assert "as of 2025-06-06 close" in subtitle  # the report's week, not the data's last close (2026-01-07)
    assert subtitle.endswith("source Yahoo Finance, file indices.csv")  # the pair's two sources only
    base = build_ratio_page_base(price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency="weekly")
    page_subtitle = base.for_range(date_range, **DRAWING).specs["ratio"]["title"]["subtitle"]
    assert page_subtitle.endswith("source Yahoo Finance, file indices.csv")
