"""The NYSE calendar: sessions, the week each session belongs to, and which sessions have closed.

A weekly close is the close of the last NYSE session of the calendar week (Mon-Fri), taken from the
exchange calendar, never assumed to be a Friday.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd
import pandas_market_calendars as mcal

from lib.core.errors import InvalidDate

_CALENDAR_FIRST_YEAR = 1990
_CALENDAR_LAST_YEAR = 2040


@lru_cache(maxsize=1)
def _nyse() -> mcal.MarketCalendar:
    return mcal.get_calendar("NYSE")


@lru_cache(maxsize=1)
def _all_sessions() -> pd.DatetimeIndex:
    # Immutable and cheap (about 1 ms); computed once per process and sliced afterwards.
    days = _nyse().valid_days(f"{_CALENDAR_FIRST_YEAR}-01-01", f"{_CALENDAR_LAST_YEAR}-12-31")
    return pd.DatetimeIndex(days.tz_localize(None).normalize().as_unit("ns"), name="date")


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
    moment = moment.tz_convert("UTC")
    window = _nyse().schedule(moment - pd.Timedelta(days=14), moment + pd.Timedelta(days=1))
    closed = window[window["market_close"] <= moment]
    return pd.Timestamp(closed.index[-1]).normalize().as_unit("ns")


def market_is_open(now: dt.datetime | pd.Timestamp) -> bool:
    moment = pd.Timestamp(now).tz_convert("UTC")
    window = _nyse().schedule(moment - pd.Timedelta(days=1), moment + pd.Timedelta(days=1))
    return bool(((window["market_open"] <= moment) & (moment < window["market_close"])).any())


def early_closes(start: object, end: object) -> pd.DatetimeIndex:
    """Sessions from start to end that close early (13:00 New York time)."""
    schedule = _nyse().schedule(parse_date(start), parse_date(end))
    early = _nyse().early_closes(schedule)
    return pd.DatetimeIndex(early.index).normalize()
