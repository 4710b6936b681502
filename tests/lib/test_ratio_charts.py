"""The Ratio page's fast path: cutting the all-history charts to a range must draw exactly what a
direct build for that range draws."""

import datetime as dt

import pandas as pd
import pytest

from lib import prices
from lib.ranges import DateRange
from lib.ratio_charts import build_ratio_charts, build_ratio_page_base
from lib.ratio_view import build_ratio_view

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
OPTIONS = {"threshold_pts": -3.0, "band": True, "log_scale": False}


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
    base = build_ratio_page_base(
        price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency=frequency, **OPTIONS
    )
    cut = base.for_range(date_range)

    view = build_ratio_view(
        price_set, numerator="^RUO", denominator="^GSPC", date_range=date_range, lang="en", frequency=frequency
    )
    direct = build_ratio_charts(view, price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency=frequency)
    assert cut.view.x_domain == view.x_domain
    assert cut.view.standing == view.standing
    for name, chart in direct.items():
        expected, got = chart.to_dict(), cut.specs[name]
        assert got["title"] == expected["title"]
        assert x_domains(got) == x_domains(expected)
        assert plotted_points(got) == plotted_points(expected), name


def test_a_range_without_data_cuts_to_nothing():
    price_set = prices.demo_set(now=NOW, notice=None)
    base = build_ratio_page_base(
        price_set, numerator="^RUO", denominator="^GSPC", lang="en", frequency="weekly", **OPTIONS
    )
    model = base.for_range(DateRange(pd.Timestamp("2025-06-02"), pd.Timestamp("2025-06-04")))
    assert model.view.x_domain is None and model.specs == {}
