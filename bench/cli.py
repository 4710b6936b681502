"""The command line, each command a fresh process, against the import floor.

The floor is what every command pays before it does anything: `python -c "import pandas,
pandas_market_calendars"`. Each command then runs as `python -m lib.cli ...`, offline
(DASHBOARD_OFFLINE=1) on temporary databases, from one price file: 25 years of demo closes for the
indices and the default funds (or the file named on the command line). The cases are taken in turn,
round after round, so that drift on a shared machine hits them alike; a first round warms the disk
cache and the bytecode and is not counted. Reported: the median of each, in seconds and as a
multiple of the floor's median. Target: `weekly` within 1.5 x the floor.

    python -m bench.cli [PRICE_FILE]        (BENCH_CLI_RUNS=7 rounds by default, at least 5)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lib.core import calendar
from lib.data.demo import demo_closes

ROOT = Path(__file__).resolve().parent.parent
RUNS = max(5, int(os.environ.get("BENCH_CLI_RUNS", "7")))
WEEKLY_TARGET = 1.5  # x the floor
FLOOR = "floor: import pandas, pandas_market_calendars"
ONE_WEEK = ROOT / "tests" / "fixtures" / "price_files" / "good_tidy.csv"  # what a command pays whatever the data

# label -> (what runs after `python -m lib.cli`, the price store it sees); FILE is the price file.
# "filled": the file imported once; "empty": no prices (demo data); "new": an empty store per run.
CASES = {
    "weekly --prices FILE": (["weekly", "--prices", "FILE"], "filled"),
    "weekly --prices (a one-week file)": (["weekly", "--prices", str(ONE_WEEK)], "filled"),
    "weekly (a store filled with FILE)": (["weekly"], "filled"),
    "weekly (an empty store: demo data)": (["weekly"], "empty"),
    "chart ratio --out x.png --prices FILE": (["chart", "ratio", "--out", "x.png", "--prices", "FILE"], "filled"),
    "funds --prices FILE": (["funds", "--prices", "FILE"], "filled"),
    "report --prices FILE": (["report", "--prices", "FILE"], "filled"),
    "notes list (an empty notes database)": (["notes", "list"], "filled"),
    "import-prices FILE (into an empty store)": (["import-prices", "FILE"], "new"),
}


def wall_time(command: list[str], env: dict[str, str], folder: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:])} exited {done.returncode}:\n{done.stderr}")
    return elapsed


def environment(folder: Path, store: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # the commands run in the temporary folder: x.png is written there
        "DASHBOARD_OFFLINE": "1",
        "PRICES_DATABASE_URL": f"sqlite:///{folder / store}.sqlite",
        "NOTES_DATABASE_URL": f"sqlite:///{folder / 'notes'}.sqlite",
    }


def demo_file(folder: Path) -> Path:
    closes = demo_closes(calendar.last_completed_session(dt.datetime.now(dt.UTC)), start="2001-11-20")
    path = folder / "prices.csv"
    closes.rename_axis("Date").to_csv(path)
    return path


def measure(folder: Path, price_file: Path) -> dict[str, list[float]]:
    """Median inputs: every case's wall times, RUNS rounds after a warm-up round."""
    cli = [sys.executable, "-m", "lib.cli"]
    wall_time([*cli, "import-prices", str(price_file)], environment(folder, "filled"), folder)
    wall_time([*cli, "notes", "list"], environment(folder, "filled"), folder)  # the schema, no notes
    times: dict[str, list[float]] = {FLOOR: [], **{label: [] for label in CASES}}
    for run in range(RUNS + 1):
        floor = [sys.executable, "-c", "import pandas, pandas_market_calendars"]
        seconds = {FLOOR: wall_time(floor, environment(folder, "filled"), folder)}
        for label, (args, store) in CASES.items():
            command = [*cli, *(str(price_file) if arg == "FILE" else arg for arg in args)]
            seconds[label] = wall_time(command, environment(folder, f"new-{run}" if store == "new" else store), folder)
        if run:  # round 0 warms up
            for label, value in seconds.items():
                times[label].append(value)
    return times


def main(price_file: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = shutil.copy(price_file, folder) if price_file else demo_file(folder)
        print(f"cli input: {Path(price_file or source).name}, {Path(source).stat().st_size / 1e6:.1f} MB")
        times = measure(folder, Path(source))
    floor = statistics.median(times[FLOOR])
    print(f"fresh processes, median of {RUNS} (offline, temporary databases)")
    for label, seconds in times.items():
        median = statistics.median(seconds)
        target = f"   target <= {WEEKLY_TARGET} x floor" if label.startswith("weekly") else ""
        print(f"{label:<46} {median:6.2f} s  {median / floor:5.2f} x floor   max {max(seconds):5.2f} s{target}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
