"""Large price files: wall time and peak memory of `import-prices` and `weekly --prices`, fresh processes.

Files are generated in a temporary folder, with ^RUO, ^GSPC and ^DJI among synthetic tickers on NYSE
sessions since 1990 (the indices first, so the file is not in the order the reader returns):
- about 50 MB of tidy rows with closes written in full, as the shared real data and yfinance write them;
- 1,000,000 tidy rows;
- the worst cases the reader accepts: MAX_FILE_CLOSES closes in the shortest tidy rows (two decimals),
  and as many in a wide file (one column per symbol);
- one close more than MAX_FILE_CLOSES, and a file over MAX_PRICE_FILE_MB: both refused.
Each command runs offline on a new SQLite store; peak memory is the child's maximum resident set
(os.wait4), in MiB. Target: at most 300 MiB for any file accepted.

    python -m bench.files             (BENCH_FILES_RUNS=1 run of each)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from lib.core import calendar
from lib.core.settings import MAX_FILE_CLOSES, MAX_PRICE_FILE_MB

ROOT = Path(__file__).resolve().parent.parent
RUNS = max(1, int(os.environ.get("BENCH_FILES_RUNS", "1")))
MEMORY_TARGET_MIB = 300
INDICES = ("^RUO", "^GSPC", "^DJI")
DAYS = calendar.sessions("1990-01-02", "2025-12-31").strftime("%Y-%m-%d").to_numpy()


def walks(symbols: int) -> Iterator[tuple[str, np.ndarray]]:
    """Each symbol's closes on every session: a random walk around 1000."""
    generator = np.random.default_rng(7)
    for number in range(symbols):
        symbol = INDICES[number] if number < len(INDICES) else f"S{number:04d}"
        yield symbol, 1000 * np.exp(np.cumsum(generator.normal(0, 0.01, len(DAYS))))


def tidy_file(path: Path, rows: int, written: str) -> Path:
    """About `rows` tidy rows (whole symbols), closes written as `written` ("{:.2f}", "{!r}")."""
    with path.open("w") as handle:
        handle.write("date,symbol,close\n")
        for symbol, closes in walks(-(-rows // len(DAYS))):
            texts = (written.format(float(close)) for close in closes)
            handle.writelines(f"{day},{symbol},{text}\n" for day, text in zip(DAYS, texts, strict=True))
    return path


def wide_file(path: Path, closes: int) -> Path:
    """About `closes` closes, one column per symbol, two decimals."""
    series = dict(walks(max(1, closes // len(DAYS))))
    with path.open("w") as handle:
        handle.write(",".join(["Date", *series]) + "\n")
        table = np.column_stack(list(series.values()))
        handle.writelines(f"{day},{','.join(f'{c:.2f}' for c in row)}\n" for day, row in zip(DAYS, table, strict=True))
    return path


def too_large_file(path: Path) -> Path:
    """A file just over the size limit (sparse: nothing is written, the reader refuses it unread)."""
    with path.open("wb") as handle:
        handle.truncate(MAX_PRICE_FILE_MB * 1_000_000 + 1)
    return path


def run(command: list[str], env: dict[str, str], folder: Path) -> tuple[float, float, int]:
    """Wall seconds, peak resident MiB and exit code of one fresh process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def environment(folder: Path, store: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DASHBOARD_OFFLINE": "1",
        "PRICES_DATABASE_URL": f"sqlite:///{folder / store}.sqlite",
        "NOTES_DATABASE_URL": f"sqlite:///{folder / 'notes'}.sqlite",
    }


def measure(label: str, path: Path, folder: Path) -> None:
    size = path.stat().st_size / 1e6
    lines = sum(1 for _ in path.open("rb")) - 1 if size < MAX_PRICE_FILE_MB else 0
    print(f"{label}: {size:.1f} MB, {lines:,} data lines")
    cli = [sys.executable, "-m", "lib.cli"]
    commands = {"import-prices": ["import-prices", str(path)], "weekly --prices": ["weekly", "--prices", str(path)]}
    for name, args in commands.items():
        for attempt in range(RUNS):
            seconds, mib, code = run([*cli, *args], environment(folder, f"{path.stem}-{attempt}"), folder)
            within = "within" if mib <= MEMORY_TARGET_MIB else "OVER"
            said = "accepted" if code == 0 else f"refused, exit {code}"
            print(f"  {name:<16} {seconds:6.2f} s  peak {mib:5.0f} MiB ({within} {MEMORY_TARGET_MIB})  {said}")


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        measure("50 MB, closes in full", tidy_file(folder / "fifty.csv", int(50e6 / 36), "{!r}"), folder)
        measure("1,000,000 rows", tidy_file(folder / "million.csv", 1_000_000, "{:.2f}"), folder)
        worst = tidy_file(folder / "limit.csv", MAX_FILE_CLOSES - len(DAYS), "{:.2f}")
        measure(f"at the limit, tidy ({MAX_FILE_CLOSES:,} closes at most)", worst, folder)
        measure("at the limit, wide", wide_file(folder / "wide.csv", MAX_FILE_CLOSES - len(DAYS)), folder)
        measure("over the limit of closes", tidy_file(folder / "over.csv", MAX_FILE_CLOSES + 1, "{:.2f}"), folder)
        measure(f"over {MAX_PRICE_FILE_MB} MB", too_large_file(folder / "huge.csv"), folder)
        floor = [sys.executable, "-c", "import pandas, pandas_market_calendars"]
        seconds, mib, _ = run(floor, environment(folder, "floor"), folder)
        print(f"floor (import pandas, pandas_market_calendars): {seconds:.2f} s, peak {mib:.0f} MiB")


if __name__ == "__main__":
    main()
