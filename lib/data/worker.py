"""The refresh worker of a team deployment: the only writer of Yahoo prices, once after each NYSE
close (plus a margin for Yahoo to publish it), asleep in between (`python -m lib.cli worker`).

The schedule comes from the exchange calendar (holidays, early closes, daylight saving), never from
a fixed hour. A failed run is tried again RETRY_AFTER_FAILURE_MINUTES later, never past the next
scheduled run. What it refreshes: the indices, the pairs and benchmarks a page offers, the default
funds and the fund list the team saved, except funds whose prices come from NAV files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from lib.core import calendar, settings
from lib.core.errors import RefreshBusy, SourceUnavailable, StoreUnavailable
from lib.core.i18n import Message, message
from lib.data import prices, yahoo
from lib.data.store import PriceStore

NEW_YORK = "America/New_York"
SLEEP_CHUNK_SECONDS = 300  # wake up this often to check the clock (a suspended host oversleeps less)


@dataclass(frozen=True)
class Run:
    """One refresh by the worker: whether it worked, its log line, and when the next one is due."""

    ok: bool
    said: Message
    next_at: pd.Timestamp  # UTC


@dataclass(frozen=True)
class WorkerStatus:
    """What team mode's pages say about the worker: its last refresh that worked, and whether the run
    due after the last close is overdue (WORKER_LATE_AFTER_MINUTES past its time)."""

    last_refresh: dt.datetime | None
    late: bool
    session: dt.date  # the last completed session, whose close a late worker has not brought

    def source_line(self) -> Message:
        if self.last_refresh is None:
            return message("team_prices_never")
        return message("team_prices_source", at=ny_time(self.last_refresh))

    def notice(self) -> Message | None:
        if not self.late:
            return None
        if self.last_refresh is None:
            return message("notice_worker_never", session=self.session)
        return message("notice_worker_late", at=ny_time(self.last_refresh), session=self.session)


def worker_status(store: PriceStore, *, now: dt.datetime, margin: dt.timedelta) -> WorkerStatus:
    """From the store's record of fetches (any process's refresh counts: the worker's, the CLI's)."""
    done = store.last_attempt(yahoo.SOURCE_NAME, ok_only=True)
    closed = calendar.last_close_moment(now)
    due_by = closed + margin + dt.timedelta(minutes=settings.WORKER_LATE_AFTER_MINUTES)
    missed = done is None or pd.Timestamp(done.at) < closed
    session = calendar.last_completed_session(now).date()
    return WorkerStatus(done.at if done else None, missed and pd.Timestamp(now) >= due_by, session)


def next_refresh_at(now: dt.datetime | pd.Timestamp, *, margin: dt.timedelta) -> pd.Timestamp:
    """The first moment after `now` that is a session's close plus `margin` (UTC)."""
    return calendar.next_close_after(pd.Timestamp(now) - margin) + margin


def worker_symbols(store: PriceStore) -> list[str]:
    """Every Yahoo symbol a page may show from the store, once each, NAV-file funds left out."""
    saved = store.saved_funds() or []
    from_files = set(store.instruments())
    wanted = (
        *settings.default_symbols(),
        *settings.PAIR_CHOICES,
        *settings.BENCHMARK_CHOICES,
        *saved,
    )
    return [symbol for symbol in dict.fromkeys(wanted) if symbol not in from_files]


def refresh_once(store: PriceStore, *, now: dt.datetime, fetcher: yahoo.Fetcher, margin: dt.timedelta) -> Run:
    """Refresh what is stale now; a failure (Yahoo, the lock, the store) is a Run that is not ok."""
    scheduled = next_refresh_at(now, margin=margin)
    at = ny_time(now)
    try:
        report = prices.refresh(store, worker_symbols(store), now=now, fetcher=fetcher)
    except (SourceUnavailable, RefreshBusy, StoreUnavailable) as error:
        retry = min(pd.Timestamp(now) + dt.timedelta(minutes=settings.RETRY_AFTER_FAILURE_MINUTES), scheduled)
        return Run(False, message("worker_failed", at=at, reason=error.message, next=ny_time(retry)), retry)
    session = calendar.last_completed_session(now).date()
    said = message(
        "worker_refreshed",
        at=at,
        rows=report.rows,
        symbols=sum(1 for rows in report.rows_by_symbol.values() if rows),
        calls=report.calls,
        session=session,
        next=ny_time(scheduled),
    )
    return Run(True, said, scheduled)


def serve(
    store: PriceStore,
    *,
    fetcher: yahoo.Fetcher,
    margin: dt.timedelta,
    say: Callable[[Message], None],
    clock: Callable[[], dt.datetime],
    sleep: Callable[[float], None],
    runs: int | None = None,
) -> None:
    """Refresh now, then after each close plus `margin`, forever (or `runs` times: tests)."""
    done = 0
    while runs is None or done < runs:
        run = refresh_once(store, now=clock(), fetcher=fetcher, margin=margin)
        say(run.said)
        done += 1
        if runs is not None and done >= runs:
            return
        while (left := (run.next_at - pd.Timestamp(clock())).total_seconds()) > 0:
            sleep(min(left, SLEEP_CHUNK_SECONDS))


def ny_time(moment: dt.datetime | pd.Timestamp) -> str:
    """'2025-11-28 16:21 ET': the worker's times in the exchange's own zone."""
    return f"{pd.Timestamp(moment).tz_convert(NEW_YORK):%Y-%m-%d %H:%M} ET"
