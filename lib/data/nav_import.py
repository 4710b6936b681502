"""Loading a NAV file into the store: the prices, the fund's description, and its place in the list."""

from __future__ import annotations

import datetime as dt

from lib.core.settings import DEFAULT_FUNDS, Instrument
from lib.data.nav_files import parse_nav_text
from lib.data.store import PriceStore


def import_nav(
    store: PriceStore,
    raw: bytes,
    *,
    name: str,
    symbol: str,
    fund_name: str,
    fund_name_ja: str,
    currency: str,
    now: dt.datetime,
) -> str:
    """Validate, then store prices and description; returns what was done, in one line.

    A rejected file raises InvalidPriceFile before anything is written.
    """
    nav = parse_nav_text(raw, name=name, symbol=symbol)
    note = "" if nav.total_return else f"{currency} NAV without distributions reinvested ({nav.column})"
    store.write(nav.closes, source=f"file {name}", fetched_at=now)
    store.save_instrument(Instrument(symbol, fund_name, fund_name_ja, "mutual_fund", currency), note=note)
    saved = store.saved_funds() or list(DEFAULT_FUNDS)
    if symbol not in saved:
        store.save_funds([*saved, symbol])  # it joins the Funds page's list
    first, last = nav.closes["date"].iloc[0].date(), nav.closes["date"].iloc[-1].date()
    kind = "total return" if nav.total_return else "plain NAV, distributions not reinvested"
    return f"{symbol}: {len(nav.closes)} NAVs in {currency}, {first} to {last}, from column {nav.column} ({kind})"
