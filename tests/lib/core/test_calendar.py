import datetime as dt
import os
import subprocess
import sys
from importlib import metadata

import numpy as np
import pandas as pd
import pytest

from lib.core import calendar
from lib.core.errors import InvalidDate
from tests.conftest import PROJECT_ROOT


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


# --- The session cache (speed: the calendar library is neither imported nor asked when warm) ------


CACHED = (calendar.nyse_schedule, calendar._all_sessions, calendar._last_session_by_monday)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """An empty session cache folder of the test's own, the process's cached schedule forgotten."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(calendar.CACHE_DIR_VARIABLE, str(folder))
    for cached in CACHED:
        cached.cache_clear()
    yield folder
    for cached in CACHED:
        cached.cache_clear()


def test_the_cached_sessions_are_the_calendar_librarys_own(cache_dir):
    import pandas_market_calendars as mcal

    nyse = mcal.get_calendar("NYSE")
    expected = nyse.schedule("1990-01-01", "2040-12-31")
    early = set(nyse.early_closes(expected).index)
    for _ in range(2):  # computed, then read back from the file
        schedule = calendar.nyse_schedule()
        assert list(schedule.days) == list(expected.index.as_unit("ns").to_numpy())
        assert list(schedule.opens) == [moment.value for moment in expected["market_open"].dt.as_unit("ns")]
        assert list(schedule.closes) == [moment.value for moment in expected["market_close"].dt.as_unit("ns")]
        assert {day for day, flag in zip(expected.index, schedule.early, strict=True) if flag} == early
        for cached in CACHED:
            cached.cache_clear()
    assert [path.name for path in cache_dir.iterdir()] == [calendar.schedule_cache_path().name]
    assert f"pmc{metadata.version('pandas_market_calendars')}" in calendar.schedule_cache_path().name


PROBE = """
import datetime as dt, sys
from lib.core import calendar
print(calendar.last_completed_session(dt.datetime(2026, 4, 3, 23, tzinfo=dt.UTC)).date(),
      calendar.is_session("2026-04-03"), "pandas_market_calendars" in sys.modules)
"""


def test_a_warm_cache_answers_without_importing_the_calendar_library(cache_dir):
    env = {**os.environ, calendar.CACHE_DIR_VARIABLE: str(cache_dir)}
    probe = [sys.executable, "-c", PROBE]
    runs = [
        subprocess.run(probe, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True) for _ in range(2)
    ]
    assert [run.stdout.split() for run in runs] == [["2026-04-02", "False", "True"], ["2026-04-02", "False", "False"]]


def test_a_corrupt_cache_file_is_computed_again_and_replaced(cache_dir):
    path = calendar.schedule_cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 not a zip")
    assert calendar.is_session("2026-04-02") and not calendar.is_session("2026-04-03")
    assert calendar._read_schedule(path) is not None


def test_a_cache_folder_that_cannot_be_made_is_no_obstacle(tmp_path, monkeypatch, cache_dir):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv(calendar.CACHE_DIR_VARIABLE, str(blocker / "cache"))
    assert str(calendar.last_completed_session(pd.Timestamp("2026-01-07 21:01", tz="UTC")).date()) == "2026-01-07"


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        ("2041-01-03 22:00", "2041-01-03"),  # after the cached years: the library is asked
        ("2041-01-01 22:00", "2040-12-31"),  # New Year's Day 2041 (a Tuesday) is closed
        ("1989-12-29 22:00", "1989-12-29"),  # before them
    ],
)
def test_moments_outside_the_cached_years_are_still_answered(utc, expected, cache_dir):
    assert str(calendar.last_completed_session(pd.Timestamp(utc, tz="UTC")).date()) == expected


def test_early_closes_and_the_open_market_outside_the_cached_years(cache_dir):
    early = {str(day.date()) for day in calendar.early_closes("2041-11-01", "2041-12-31")}
    assert {"2041-11-29", "2041-12-24"} <= early  # the day after Thanksgiving (11-28), Christmas Eve
    assert not calendar.market_is_open(pd.Timestamp("2041-01-01 15:00", tz="UTC"))
    assert calendar.market_is_open(pd.Timestamp("2041-01-02 15:00", tz="UTC"))
    assert np.all(np.diff(calendar.nyse_schedule().closes) > 0)
