"""Loading a NAV file into the store: the prices, the fund's description, and its place in the list."""

from __future__ import annotations

import datetime as dt

from lib.core.i18n import Message, message
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
) -> Message:
    """Validate, then store prices and description; returns what was done, in one line.

    A rejected file raises InvalidPriceFile before anything is written.
    """
    nav = parse_nav_text(raw, name=name, symbol=symbol)
    # The note is kept with the fund in the store (data, in English), shown in the table's notes column.
    note = "" if nav.total_return else str(message("nav_plain_note", currency=currency, column=nav.column))
    store.write(nav.closes, source=f"file {name}", fetched_at=now)
    store.save_instrument(Instrument(symbol, fund_name, fund_name_ja, "mutual_fund", currency), note=note)
    saved = store.saved_funds() or list(DEFAULT_FUNDS)
    if symbol not in saved:
        store.save_funds([*saved, symbol])  # it joins the Funds page's list
    first, last = nav.closes["date"].iloc[0].date(), nav.closes["date"].iloc[-1].date()
    kind = message("nav_total_return" if nav.total_return else "nav_plain")
    return message(
        "nav_imported",
        symbol=symbol,
        count=len(nav.closes),
        currency=currency,
        first=first,
        last=last,
        column=nav.column,
        kind=kind,
    )
