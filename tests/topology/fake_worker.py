"""The refresh worker of the team deployment, fed a fake Yahoo: `python -m tests.topology.fake_worker
YYYY-MM-DD` stores closes up to that day's session in $PRICES_DATABASE_URL, as the worker service does
with Yahoo's.

The fake answers exactly as yfinance's download does (tests/conftest.py's yfinance_frame): business
days from start to end (end exclusive), every symbol asked for. Every close grows 0.01 % a business
day from a base of its own; the Russell 2000 Growth (^RUO) is also 1 % higher per weekday (Monday +0,
Friday +4 %). So the ratio ^RUO / ^GSPC is 30 % x (1 + 0.01 x weekday): 30.00 on a Monday, 31.20 on
a Friday, whatever the date (`close_on` gives any close).
"""

from __future__ import annotations

import datetime as dt
import sys

import numpy as np
import pandas as pd

from lib.cli.main import main
from tests.conftest import yfinance_frame

BASE = {"^RUO": 1500.0, "^GSPC": 5000.0, "^DJI": 40000.0}  # others start at 100
DAILY_GROWTH = 0.0001
WEEKDAY_STEP = {"^RUO": 0.01}
FIRST_DAY = np.datetime64("2000-01-03")
# The command the worker service runs (deploy/compose.yaml), once.
COMMAND = ["worker", "--once"]


def closes(symbol: str, days: pd.DatetimeIndex) -> np.ndarray:
    sessions = np.busday_count(FIRST_DAY, days.values.astype("datetime64[D]"))
    weekday = 1 + WEEKDAY_STEP.get(symbol, 0.0) * days.weekday.to_numpy()
    return np.round(BASE.get(symbol, 100.0) * (1 + DAILY_GROWTH) ** sessions * weekday, 4)


def close_on(symbol: str, day: str) -> float:
    return float(closes(symbol, pd.DatetimeIndex([day]))[0])


def fake_download(symbols: list[str], start: dt.date, end: dt.date, repair: bool) -> pd.DataFrame:
    days = pd.bdate_range(start, end - dt.timedelta(days=1))
    frame = {symbol: list(closes(symbol, days)) for symbol in symbols}
    return yfinance_frame(frame, [f"{day:%Y-%m-%d}" for day in days])


def run_once(last_session: dt.date) -> int:
    """One pass of the worker, as if run on the evening (22:00 UTC) of `last_session`."""
    now = dt.datetime.combine(last_session, dt.time(22, 0), tzinfo=dt.UTC)
    return main(COMMAND, now=now, fetcher=fake_download)


if __name__ == "__main__":
    sys.exit(run_once(dt.date.fromisoformat(sys.argv[1])))
