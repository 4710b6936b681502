"""Expense ratio and net assets from Yahoo's fund profile: optional, cached a week in the store.

Yahoo has no batched call for these, so each fund is asked once a week at most; after a failure
nothing is asked again for RETRY_AFTER_FAILURE_MINUTES. Offline, the columns stay empty.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from lib.core.errors import SourceUnavailable
from lib.core.settings import RETRY_AFTER_FAILURE_MINUTES, YAHOO_TIMEOUT_SECONDS
from lib.data.store import FundFacts, PriceStore
from lib.data.yahoo import call_with_deadline

SOURCE_NAME = "Yahoo Finance fund profile"
REFRESH_AFTER = dt.timedelta(days=7)

InfoFetcher = Callable[[str], dict]  # symbol -> yfinance Ticker(symbol).info


def yfinance_info(symbol: str) -> dict:
    import yfinance as yf  # only the online path pays for it

    return yf.Ticker(symbol).info


def facts_from_info(info: dict, *, now: dt.datetime) -> FundFacts:
    """Yahoo gives netExpenseRatio in percent, or the older annualReportExpenseRatio as a fraction."""
    if _number(info.get("netExpenseRatio")) is not None:
        expense = _number(info.get("netExpenseRatio"))
    else:
        fraction = _number(info.get("annualReportExpenseRatio"))
        expense = None if fraction is None else 100.0 * fraction
    assets = _number(info.get("totalAssets")) or _number(info.get("netAssets"))
    return FundFacts(expense, assets, now)


def refresh_facts(
    store: PriceStore, symbols: list[str], *, now: dt.datetime, fetcher: InfoFetcher = yfinance_info
) -> int:
    """Ask Yahoo for the funds whose facts are missing or older than a week; returns how many were
    updated. Stops at the first failure and records it, so an offline page does not wait."""
    attempt = store.last_attempt(SOURCE_NAME)
    if attempt and not attempt.ok and now < attempt.at + dt.timedelta(minutes=RETRY_AFTER_FAILURE_MINUTES):
        return 0
    known = store.fund_facts()
    due = [s for s in symbols if s not in known or now - known[s].fetched_at > REFRESH_AFTER]
    updated = 0
    for symbol in due:
        try:
            info = call_with_deadline(fetcher, symbol, seconds=YAHOO_TIMEOUT_SECONDS, source=SOURCE_NAME)
        except SourceUnavailable as error:
            store.record_attempt(SOURCE_NAME, at=now, ok=False, message=error.reason)
            return updated
        store.save_fund_facts(symbol, facts_from_info(info or {}, now=now))
        updated += 1
    if due:
        store.record_attempt(SOURCE_NAME, at=now, ok=True, message=f"{updated} funds")
    return updated


def _number(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value) and value > 0:
        return float(value)
    return None
