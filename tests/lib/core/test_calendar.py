import datetime as dt

import pandas as pd
import pytest

from lib.core import calendar
from lib.core.errors import InvalidDate


def week_end_of(day: str) -> str:
    return str(calendar.week_end_sessions(pd.DatetimeIndex([day]))[0].date())


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-29", "2026-01-02"),  # New Year's Day (Thu) closed: the week still ends Friday 2026-01-02
        ("2026-03-30", "2026-04-02"),  # Good Friday 2026-04-03 closed: the week ends Thursday
        ("2025-06-30", "2025-07-03"),  # Independence Day (Fri) closed: 2025-07-03 closes the week
        ("2025-11-24", "2025-11-28"),  # Thanksgiving week: Friday is an early-close session, still the week end
        ("2026-01-10", "2026-01-09"),  # a Saturday belongs to the week that ended the day before
        ("2025-12-16", "2025-12-19"),
    ],
)
def test_week_end_is_the_last_nyse_session_of_the_week(day, expected):
    assert week_end_of(day) == expected


def test_holidays_are_not_sessions():
    assert not calendar.is_session("2026-04-03")  # Good Friday
    assert not calendar.is_session("2026-01-01")
    assert not calendar.is_session("2025-07-04")
    assert calendar.is_session("2026-04-02")


def test_early_closes_are_known():
    early = {str(d.date()) for d in calendar.early_closes("2025-01-01", "2025-12-31")}
    assert {"2025-07-03", "2025-11-28", "2025-12-24"} <= early
    assert "2025-07-02" not in early


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # 2025-07-03 closes early at 13:00 New York (17:00 UTC): closed by 17:05 UTC
        ("2025-07-03 17:05", "2025-07-03"),
        ("2025-07-03 16:55", "2025-07-02"),
        # On a normal day the close is 16:00 New York (20:00 UTC in summer, 21:00 in winter)
        ("2026-01-07 20:59", "2026-01-06"),
        ("2026-01-07 21:01", "2026-01-07"),
        ("2026-01-10 12:00", "2026-01-09"),  # Saturday
        ("2026-04-03 23:00", "2026-04-02"),  # Good Friday: nothing closed that day
    ],
)
def test_last_completed_session_respects_close_times(utc, expected):
    now = pd.Timestamp(utc, tz="UTC")
    assert str(calendar.last_completed_session(now).date()) == expected


def test_last_completed_session_needs_an_aware_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.last_completed_session(dt.datetime(2026, 1, 7, 12, 0))


def test_market_is_open_only_during_the_session():
    assert calendar.market_is_open(pd.Timestamp("2026-01-07 15:00", tz="UTC"))
    assert not calendar.market_is_open(pd.Timestamp("2026-01-07 22:00", tz="UTC"))
    assert not calendar.market_is_open(pd.Timestamp("2026-04-03 15:00", tz="UTC"))


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "", None])
def test_bad_dates_are_named(text):
    with pytest.raises(InvalidDate, match="YYYY-MM-DD"):
        calendar.parse_date(text)
