"""Yahoo Finance through yfinance: one batched download of daily closes, bounded in time.

An empty frame, an exception or a rate limit means "unavailable", never "no data": callers keep
what they have. The fetcher is injected so tests feed frames shaped exactly as yfinance returns them.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from lib.core.errors import SourceUnavailable
from lib.core.i18n import message
from lib.core.settings import YAHOO_TIMEOUT_SECONDS

SOURCE_NAME = "Yahoo Finance"

# (symbols, start, end exclusive, repair) -> the frame yf.download returns
Fetcher = Callable[[list[str], dt.date, dt.date, bool], pd.DataFrame]


def yfinance_download(symbols: list[str], start: dt.date, end: dt.date, repair: bool) -> pd.DataFrame:
    """The real fetcher: yf.download with every option that matters spelled out.

    yfinance logs failures instead of raising; they are captured and, when the frame comes back
    empty, raised as the reason, so the user reads one line instead of yfinance's log.
    """
    import yfinance as yf  # imported here: only the online path pays for it

    capture = _LogCapture()
    logger = logging.getLogger("yfinance")
    logger.addHandler(capture)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = _download(yf, symbols, start, end, repair)
    finally:
        logger.removeHandler(capture)
    if frame is None or frame.empty:
        raise ConnectionError(capture.first_error() or "it returned no rows")
    return frame


class _LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def first_error(self) -> str | None:
        detailed = [m for m in self.messages if "Failed download" not in m and m.strip()]
        return _short(Exception(detailed[0])) if detailed else None


def _download(yf, symbols: list[str], start: dt.date, end: dt.date, repair: bool) -> pd.DataFrame:
    return yf.download(
        symbols,
        start=start.isoformat(),
        end=end.isoformat(),
        interval="1d",
        auto_adjust=True,  # total-return closes for funds; a no-op for price indices
        repair=repair,
        actions=False,
        progress=False,
        threads=True,
        timeout=YAHOO_TIMEOUT_SECONDS,
        multi_level_index=True,
    )


@dataclass(frozen=True)
class Download:
    closes: pd.DataFrame  # tidy: date, symbol, close (null bars dropped)
    missing: tuple[str, ...]  # asked for, but Yahoo returned no close at all


def download_closes(
    symbols: list[str],
    *,
    start: dt.date,
    end: dt.date,
    fetcher: Fetcher = yfinance_download,
    deadline_seconds: float = 3 * YAHOO_TIMEOUT_SECONDS,
) -> Download:
    """Daily closes for `symbols` from start to end (both included) in one call to the fetcher."""
    repair = any(not symbol.startswith("^") for symbol in symbols)  # funds and ETFs, not indices
    frame = call_with_deadline(
        fetcher, list(symbols), start, end + dt.timedelta(days=1), repair, seconds=deadline_seconds
    )
    if frame is None or frame.empty:
        raise SourceUnavailable(SOURCE_NAME, message("reason_no_rows"))
    closes = _close_columns(frame)
    tidy = (
        closes.rename_axis(index="date", columns="symbol")
        .stack(future_stack=True)
        .rename("close")
        .reset_index()
        .dropna(subset=["close"])
    )
    tidy["date"] = pd.to_datetime(tidy["date"]).dt.tz_localize(None).dt.normalize()
    tidy = tidy[(tidy["date"] >= pd.Timestamp(start)) & (tidy["date"] <= pd.Timestamp(end))]
    found = set(tidy["symbol"])
    return Download(tidy.reset_index(drop=True), tuple(s for s in symbols if s not in found))


def call_with_deadline(function, *args, seconds: float, source: str = SOURCE_NAME):
    """`function(*args)` abandoned after `seconds`; any failure becomes SourceUnavailable(source)."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(function, *args)
        return future.result(timeout=seconds)
    except concurrent.futures.TimeoutError:
        raise SourceUnavailable(source, message("reason_timeout", seconds=seconds)) from None
    except Exception as error:  # YFRateLimitError, network errors: all mean "unavailable"
        raise SourceUnavailable(source, _short(error)) from None
    finally:
        pool.shutdown(wait=False)


def _close_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The Close prices, one column per ticker, from yfinance's (Price, Ticker) columns."""
    if isinstance(frame.columns, pd.MultiIndex):
        level = list(frame.columns.names).index("Price") if "Price" in frame.columns.names else 0
        closes = frame.xs("Close", axis=1, level=level)
    else:
        raise SourceUnavailable(SOURCE_NAME, message("reason_bad_frame"))
    closes = closes.apply(pd.to_numeric, errors="coerce")
    return closes.where(closes > 0)


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.split(" See http")[0][:200]
