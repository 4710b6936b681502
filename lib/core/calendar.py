"""The NYSE calendar: sessions, the week each session belongs to, and which sessions have closed.

A weekly close is the close of the last NYSE session of the calendar week (Mon-Fri), taken from the
exchange calendar, never assumed to be a Friday.

The sessions of 1990-2040, with their opening and closing times, come from pandas_market_calendars
once and are kept in a cache file (keyed on the versions of pandas_market_calendars and pandas, in
$DASHBOARD_CACHE_DIR, else the user's cache folder): computing them costs about 0.2 s and importing
the library 0.15 s, more than a command's own work. A missing, unreadable or unwritable cache only
means computing them again; a moment outside those years asks the library itself.

A Japanese investment trust has a NAV per Tokyo business day: none on a Japanese holiday nor from
12-31 to 01-03. Those days come from exchange_calendars' XTKS (the Tokyo Stock Exchange, from 1997),
never a hand list, and only when a fund priced in yen is shown (importing the library and building
the calendar took 0.9 s the first time, measured).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lib.core.errors import InvalidDate

if TYPE_CHECKING:
    import pandas_market_calendars as mcal

_CALENDAR_FIRST_YEAR = 1990
_CALENDAR_LAST_YEAR = 2040
_CACHE_FORMAT = 1  # bump when the cached arrays change meaning
CACHE_DIR_VARIABLE = "DASHBOARD_CACHE_DIR"
_CACHE_FOLDER = "smallcap-growth-dashboard"
_SCHEDULE_FIELDS = ("days", "opens", "closes", "early")


@dataclass(frozen=True)
class Schedule:
    """Every NYSE session of the years the app knows: its day (midnight), its opening and closing
    moments (nanoseconds since the epoch, UTC) and whether it closes early."""

    days: np.ndarray  # datetime64[ns]
    opens: np.ndarray  # int64
    closes: np.ndarray  # int64
    early: np.ndarray  # bool

    def covers(self, moment: pd.Timestamp) -> bool:
        """Whether `moment` (UTC) lies between the first session's opening and the last one's close."""
        return bool(self.opens[0] <= moment.value < self.closes[-1])


@lru_cache(maxsize=1)
def _nyse() -> mcal.MarketCalendar:
    import pandas_market_calendars as mcal  # loaded only when the cache cannot answer

    return mcal.get_calendar("NYSE")


@lru_cache(maxsize=1)
def nyse_schedule() -> Schedule:
    """The sessions of 1990-2040, from the cache file when it holds them, else computed (and saved)."""
    path = schedule_cache_path()
    cached = _read_schedule(path) if path else None
    if cached is not None:
        return cached
    computed = _compute_schedule()
    if path:
        _write_schedule(path, computed)
    return computed


def schedule_cache_path() -> Path | None:
    """Where the session cache lives for the installed calendar library; None when it cannot be named."""
    try:
        version = metadata.version("pandas_market_calendars")
    except metadata.PackageNotFoundError:
        return None
    home = os.environ.get(CACHE_DIR_VARIABLE) or os.environ.get("XDG_CACHE_HOME")
    folder = Path(home) if home else Path.home() / ".cache"
    if not os.environ.get(CACHE_DIR_VARIABLE):
        folder = folder / _CACHE_FOLDER
    years = f"{_CALENDAR_FIRST_YEAR}-{_CALENDAR_LAST_YEAR}"
    return folder / f"nyse-{years}-pmc{version}-pandas{pd.__version__}-v{_CACHE_FORMAT}.npz"


def _compute_schedule() -> Schedule:
    nyse = _nyse()
    table = nyse.schedule(f"{_CALENDAR_FIRST_YEAR}-01-01", f"{_CALENDAR_LAST_YEAR}-12-31")
    days = pd.DatetimeIndex(table.index).normalize().as_unit("ns")
    early = days.isin(pd.DatetimeIndex(nyse.early_closes(table).index).normalize().as_unit("ns"))
    return Schedule(
        days.to_numpy(), _utc_nanoseconds(table["market_open"]), _utc_nanoseconds(table["market_close"]), early
    )


def _utc_nanoseconds(moments: pd.Series) -> np.ndarray:
    return moments.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view("int64")


def _read_schedule(path: Path) -> Schedule | None:
    """The cached schedule, or None when the file is absent or not a schedule (then it is rebuilt)."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            schedule = Schedule(*(stored[field] for field in _SCHEDULE_FIELDS))
    except Exception:  # noqa: BLE001 - any unreadable cache (truncated, foreign, corrupt) is just recomputed
        return None
    return schedule if _is_sound(schedule) else None


_SCHEDULE_DTYPES = (np.dtype("datetime64[ns]"), np.dtype("int64"), np.dtype("int64"), np.dtype(bool))


def _is_sound(schedule: Schedule) -> bool:
    arrays = [getattr(schedule, field) for field in _SCHEDULE_FIELDS]
    if tuple(array.dtype for array in arrays) != _SCHEDULE_DTYPES or len({len(array) for array in arrays}) != 1:
        return False
    ordered = (np.diff(schedule.days.view("int64")) > 0).all() and (schedule.opens < schedule.closes).all()
    return len(schedule.days) > 1 and bool(ordered)


def _write_schedule(path: Path, schedule: Schedule) -> None:
    """Save the schedule for the next process; a folder that cannot be written is left alone."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            np.savez(handle, **{field: getattr(schedule, field) for field in _SCHEDULE_FIELDS})
        os.replace(temporary, path)  # atomic: a concurrent reader sees the old file or the whole new one
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


@lru_cache(maxsize=1)
def _all_sessions() -> pd.DatetimeIndex:
    return pd.DatetimeIndex(nyse_schedule().days, name="date")


def parse_date(value: object) -> pd.Timestamp:
    """A calendar day from 'YYYY-MM-DD', a date or a Timestamp; raises InvalidDate otherwise."""
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise InvalidDate(str(value)) from None
    if stamp is pd.NaT:
        raise InvalidDate(str(value))
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize().as_unit("ns")


def sessions(start: object, end: object) -> pd.DatetimeIndex:
    """NYSE sessions from start to end, both included, as tz-naive midnight stamps."""
    every = _all_sessions()
    return every[(every >= parse_date(start)) & (every <= parse_date(end))]


def week_start(days: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """The Monday of each day's calendar week."""
    return days - pd.to_timedelta(days.day_of_week, unit="D")


def week_end_sessions(days: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """For each day, the last NYSE session of its calendar week (e.g. Thursday before Good Friday)."""
    mondays = week_start(pd.DatetimeIndex(days))
    return pd.DatetimeIndex(_last_session_by_monday().reindex(mondays).to_numpy(), name="week_end")


@lru_cache(maxsize=1)
def _last_session_by_monday() -> pd.Series:
    every = _all_sessions()
    return pd.Series(every, index=every).groupby(week_start(every)).max()


def is_session(day: object) -> bool:
    return parse_date(day) in _all_sessions()


def last_completed_session(now: dt.datetime | pd.Timestamp) -> pd.Timestamp:
    """The latest session whose close (early closes included) is at or before `now` (aware)."""
    moment = pd.Timestamp(now)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    moment = moment.tz_convert("UTC").as_unit("ns")
    schedule = nyse_schedule()
    if schedule.covers(moment) and moment.value >= schedule.closes[0]:
        position = int(np.searchsorted(schedule.closes, moment.value, side="right")) - 1
        return pd.Timestamp(schedule.days[position]).as_unit("ns")
    window = _nyse().schedule(moment - pd.Timedelta(days=14), moment + pd.Timedelta(days=1))
    closed = window[window["market_close"] <= moment]
    return pd.Timestamp(closed.index[-1]).normalize().as_unit("ns")


def last_close_moment(now: dt.datetime | pd.Timestamp) -> pd.Timestamp:
    """When the latest session that has closed by `now` (aware) closed, in UTC (early closes included)."""
    moment = _utc(now)
    schedule = nyse_schedule()
    if schedule.covers(moment) and moment.value >= schedule.closes[0]:
        position = int(np.searchsorted(schedule.closes, moment.value, side="right")) - 1
        return pd.Timestamp(int(schedule.closes[position]), tz="UTC")
    window = _nyse().schedule(moment - pd.Timedelta(days=14), moment + pd.Timedelta(days=1))
    return window["market_close"][window["market_close"] <= moment].iloc[-1].tz_convert("UTC")


def next_close_after(now: dt.datetime | pd.Timestamp) -> pd.Timestamp:
    """When the first session closing after `now` (aware) closes, in UTC: holidays and weekends are
    skipped, an early close (13:00 New York) is that day's close, daylight saving is the calendar's."""
    moment = _utc(now)
    schedule = nyse_schedule()
    if schedule.covers(moment):
        position = int(np.searchsorted(schedule.closes, moment.value, side="right"))
        return pd.Timestamp(int(schedule.closes[position]), tz="UTC")
    window = _nyse().schedule(moment - pd.Timedelta(days=1), moment + pd.Timedelta(days=14))
    return window["market_close"][window["market_close"] > moment].iloc[0].tz_convert("UTC")


def _utc(now: dt.datetime | pd.Timestamp) -> pd.Timestamp:
    moment = pd.Timestamp(now)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return moment.tz_convert("UTC").as_unit("ns")


def market_is_open(now: dt.datetime | pd.Timestamp) -> bool:
    moment = pd.Timestamp(now).tz_convert("UTC").as_unit("ns")
    schedule = nyse_schedule()
    if schedule.covers(moment):
        position = int(np.searchsorted(schedule.opens, moment.value, side="right")) - 1
        return bool(moment.value < schedule.closes[position])
    window = _nyse().schedule(moment - pd.Timedelta(days=1), moment + pd.Timedelta(days=1))
    return bool(((window["market_open"] <= moment) & (moment < window["market_close"])).any())


def early_closes(start: object, end: object) -> pd.DatetimeIndex:
    """Sessions from start to end that close early (13:00 New York time)."""
    first, last = parse_date(start), parse_date(end)
    schedule = nyse_schedule()
    days = pd.DatetimeIndex(schedule.days)
    if days[0] <= first and last <= pd.Timestamp(f"{_CALENDAR_LAST_YEAR}-12-31"):
        return days[schedule.early & (days >= first) & (days <= last)]
    table = _nyse().schedule(first, last)
    return pd.DatetimeIndex(_nyse().early_closes(table).index).normalize()


TOKYO_FIRST_YEAR = 1997  # XTKS's first year


@lru_cache(maxsize=8)
def _tokyo_sessions(first_year: int, last_year: int) -> pd.DatetimeIndex:
    import exchange_calendars  # only when a fund priced in yen is shown

    with warnings.catch_warnings():  # its pandas 3.1 deprecations are the library's, not the user's
        warnings.simplefilter("ignore", category=DeprecationWarning)
        xtks = exchange_calendars.get_calendar("XTKS", start=f"{first_year}-01-01", end=f"{last_year}-12-31")
    return pd.DatetimeIndex(xtks.sessions, name="date").as_unit("ns")


def tokyo_sessions(start: object, end: object) -> pd.DatetimeIndex:
    """Tokyo business days from start to end, both included (a Japanese fund's NAV days), as midnight
    stamps; none before TOKYO_FIRST_YEAR."""
    first, last = parse_date(start), parse_date(end)
    every = _tokyo_sessions(max(first.year, TOKYO_FIRST_YEAR), max(last.year, TOKYO_FIRST_YEAR))
    return every[(every >= first) & (every <= last)]
