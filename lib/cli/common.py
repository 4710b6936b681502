"""What the price commands share: the price set they compute from, its notices on stderr, the store."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from lib.core import settings
from lib.core.errors import StoreUnavailable
from lib.core.types import DecimalMark, Lang
from lib.data import prices
from lib.data.price_files import read_price_file
from lib.data.yahoo import Fetcher

if TYPE_CHECKING:
    from lib.data.store import PriceStore


def load_price_set(
    price_file: str | None,
    store: PriceStore | None,
    *,
    symbols: list[str],
    primary: tuple[str, ...],
    now: dt.datetime,
    fetcher: Fetcher,
    lang: Lang,
    decimal: DecimalMark | None = None,
) -> prices.PriceSet:
    """From `price_file` (--prices, its decimal mark `decimal`) alone, else `symbols` from the store
    (refreshed when stale, except in team mode; None: it could not be opened), else demo data. Its
    notices go to stderr in `lang`."""
    if price_file:
        price_set = prices.from_file(read_price_file(price_file, decimal=decimal), now=now, primary=primary)
    else:
        price_set = prices.load_prices(
            symbols,
            store=store,
            now=now,
            offline=settings.offline_mode(),
            fetcher=fetcher,
            primary=primary,
            by_worker=settings.team_mode(),  # the worker alone fetches; `refresh` still may, when asked
        )
    for notice in price_set.notices:
        print(f"notice: {notice.text(lang)}", file=sys.stderr)
    return price_set


def open_store() -> PriceStore:
    """The price store; raises StoreUnavailable (exit 3) when it cannot be opened."""
    from lib.data.store import PriceStore  # SQLAlchemy loads only for the commands that use the store

    return PriceStore(settings.database_url())


def open_store_or_none() -> PriceStore | None:
    """The price store, or None (with a notice on stderr) when it cannot be opened: demo data then."""
    try:
        return open_store()
    except StoreUnavailable as error:
        print(f"notice: {error}", file=sys.stderr)
        return None
