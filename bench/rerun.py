"""Rerun cost of the Ratio page against Streamlit's floor, and PNG export time.

Both apps run under AppTest in this process, offline on demo data; a rerun is a date-range
change (the page) or the same script run again (the floor). Reported: medians and their ratio.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from lib.core.ranges import resolve_range
from lib.data import prices
from lib.views import export
from lib.views.ratio import build_ratio_view
from lib.views.ratio_charts import build_ratio_charts

ROOT = Path(__file__).resolve().parent.parent
RERUNS = 60


def _navigation_app_mode() -> None:
    """As a served app after its first run: st.navigation, not the legacy pages/ directory."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _served_script_cache() -> None:
    """As a served app: each script compiled once. `streamlit run` keeps one ScriptCache for the
    server's life; AppTest makes a new one for every run, so each rerun compiled app.py and the
    page again (with magic's AST pass), a cost no user pays and one that grows with the script."""
    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared
    local_script_runner.ScriptCache = lambda: shared


def interleaved_reruns(frames: list[pd.DataFrame]) -> tuple[list[float], ...]:
    """Page reruns landing on the default range (since 2022-01) after a range change, and floor
    reruns, taken in turn so that drift on a shared machine hits both alike; then touches of the
    drawing options (band, log scale, threshold), and pair changes, which build a pair's charts."""
    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    floor = _floor_app(frames)
    one_chart = _floor_app([pd.concat(frames, ignore_index=True)])  # the same points in one chart
    range_changes, floor_times, one_chart_times = [], [], []
    for _ in range(RERUNS):
        _rerun(page, "range_preset", "1Y", widget="button_group")
        range_changes.append(_rerun(page, "range_preset", "2022-01", widget="button_group"))
        for app, times in ((floor, floor_times), (one_chart, one_chart_times)):
            started = time.perf_counter()
            app.run()
            times.append(time.perf_counter() - started)
    option_touches = [
        _rerun(page, "ratio_log", True, widget="toggle"),
        _rerun(page, "ratio_band", False, widget="toggle"),
        _rerun(page, "ratio_threshold", -2.0, widget="number_input"),
        _rerun(page, "ratio_log", False, widget="toggle"),
    ]
    pair_changes = [_rerun(page, "ratio_num", symbol, widget="selectbox") for symbol in ("^RUT", "^NDX", "IWO", "^RUO")]
    return range_changes, floor_times, one_chart_times, option_touches, pair_changes


def _rerun(app: AppTest, key: str, value: object, *, widget: str) -> float:
    getattr(app, widget)(key=key).set_value(value)
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    assert not app.exception, app.exception
    return elapsed


def _chart_frames() -> list[pd.DataFrame]:
    """The same number of points as the page's three charts at the default range, in tidy form."""
    price_set = prices.demo_set(now=dt.datetime.now(dt.UTC), notice=None)
    date_range = resolve_range("2022-01", data_first=price_set.closes.index[0], data_last=price_set.as_of)
    view = build_ratio_view(price_set, numerator="^RUO", denominator="^GSPC", date_range=date_range, lang="en")
    deviation = view.deviation.frame().assign(series="deviation").rename(columns={"deviation_pts": "value"})
    return [
        view.ratio.frame().rename(columns={"value_pct": "value"}),
        deviation[["date", "series", "value"]],
        view.relative.frame(),
    ]


def _floor_app(frames: list[pd.DataFrame]) -> AppTest:
    folder = Path(tempfile.mkdtemp())
    path = folder / "data.pkl"
    table = pd.DataFrame({"index": ["A", "B", "C"], "close": [1.0, 2.0, 3.0], "change": [0.1, -0.2, 0.3]})
    path.write_bytes(pickle.dumps({"charts": frames, "table": table}))
    app = AppTest.from_file(str(ROOT / "bench" / "minimal_app.py"), default_timeout=120)
    app.query_params["data"] = str(path)
    return app.run()


def png_export_times() -> dict[str, float]:
    """PNG export of the three charts, default view and 25 years of daily closes, taken in turn
    (median of 7 each): the charts draw at most what the export's pixel columns show."""
    price_set = prices.demo_set(now=dt.datetime.now(dt.UTC), notice=None)
    views = {}
    for label, preset, frequency in (("since 2022-01, weekly", "2022-01", "weekly"), ("Max, daily", "Max", "daily")):
        date_range = resolve_range(preset, data_first=price_set.closes.index[0], data_last=price_set.as_of)
        view = build_ratio_view(
            price_set, numerator="^RUO", denominator="^GSPC", date_range=date_range, lang="ja", frequency=frequency
        )
        views[label] = build_ratio_charts(
            view, price_set, numerator="^RUO", denominator="^GSPC", lang="ja", frequency=frequency
        )
    export.to_png(views["Max, daily"]["ratio"])  # warm: font registration, the converter's first call
    times: dict[str, list[float]] = {}
    for _ in range(7):
        for label, built in views.items():
            for name, chart in built.items():
                started = time.perf_counter()
                export.to_png(chart)
                times.setdefault(f"PNG {name}, {label} (2x)", []).append(time.perf_counter() - started)
    return {key: statistics.median(values) for key, values in times.items()}


def main() -> None:
    os.environ["DASHBOARD_OFFLINE"] = "1"
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PRICES_DATABASE_URL"] = f"sqlite:///{folder}/prices.sqlite"
        # The demo notes are added to this empty notes database: the page draws their markers.
        os.environ["NOTES_DATABASE_URL"] = f"sqlite:///{folder}/notes.sqlite"
        _navigation_app_mode()
        _served_script_cache()
        frames = _chart_frames()
        range_changes, floor, one_chart, option_touches, pair_changes = interleaved_reruns(frames)
    points = sum(len(frame) for frame in frames)
    rows = (
        (f"Ratio page rerun after a range change ({points} points)", statistics.median(range_changes)),
        ("Ratio page rerun after a band, log-scale or threshold change", statistics.median(option_touches)),
        (f"minimal app rerun: 3 Altair charts, {points} points, 4 metrics, table", statistics.median(floor)),
        ("Ratio page rerun after a pair change, first time (charts built)", statistics.median(pair_changes)),
        (
            f"minimal app rerun: 1 Altair chart of the same {points} points, 4 metrics, table",
            statistics.median(one_chart),
        ),
    )
    for label, seconds in rows:
        print(f"{label:<70} median {seconds * 1000:7.1f} ms")
    floor_median = rows[2][1]
    print(
        f"page / floor: range change {rows[0][1] / floor_median:.2f}, option change {rows[1][1] / floor_median:.2f}"
        f" (target <= 1.3); new pair {rows[3][1] / floor_median:.2f}"
    )
    print(f"page / one-chart floor: range change {rows[0][1] / rows[4][1]:.2f}")
    pngs = png_export_times()
    for label, seconds in pngs.items():
        print(f"{label:<70} median {seconds * 1000:7.1f} ms")
    print(
        "PNG Max daily / default view: "
        + ", ".join(
            f"{name} {pngs[f'PNG {name}, Max, daily (2x)'] / pngs[f'PNG {name}, since 2022-01, weekly (2x)']:.2f}"
            for name in ("ratio", "deviation", "relative")
        )
        + " (target <= 1.2)"
    )


if __name__ == "__main__":
    main()
