"""Loading a NAV file into the store: the prices, the fund's description, and its place in the list,
in one transaction (PriceStore.import_nav): all of them or none."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from lib.core.errors import InvalidFund
from lib.core.i18n import Joined, Message, message
from lib.core.settings import Instrument
from lib.core.types import DecimalMark
from lib.data.access import OPERATOR, Editor
from lib.data.nav_files import NavFile, parse_nav_text
from lib.data.sources import TEXT_MAX_CHARS, file_source
from lib.data.store import PriceStore

NAV_KIND = "mutual_fund"  # a fund company's NAV file describes a fund (a 投信 among them)
_CURRENCY = re.compile(r"^[A-Z]{3}$")  # an ISO 4217 code
_REFUSED_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")  # control characters, lone surrogates, line breaks


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
    by: Editor = OPERATOR,
    replace: bool = False,
    decimal: DecimalMark = ".",
) -> Message:
    """Validate the description and the file, then store prices, description and list entry together;
    returns what was done, in one line.

    Raises InvalidFund or InvalidPriceFile before the store is touched; WriteRefused, SymbolTaken or
    ClosesWouldChange (without `replace`) from the store, which then keeps nothing."""
    fund = checked_fund(symbol, fund_name, fund_name_ja, currency)
    nav = parse_nav_text(raw, name=name, symbol=symbol, decimal=decimal)
    # The note is kept with the fund in the store (data, in English), shown in the table's notes column.
    note = "" if nav.total_return else str(message("nav_plain_note", currency=fund.currency, column=nav.column))
    store.import_nav(nav.closes, fund=fund, note=note, source=file_source(name), fetched_at=now, by=by, replace=replace)
    return imported_summary(nav, symbol=symbol, currency=fund.currency)


def imported_summary(nav: NavFile, *, symbol: str, currency: str) -> Message:
    """What was imported and from which columns: the NAV column and whether it is a total return
    (published, or built from the distributions), the date column, and the columns left out (net
    assets, fiscal period)."""
    first, last = nav.closes["date"].iloc[0].date(), nav.closes["date"].iloc[-1].date()
    if nav.distributions:
        kind = message("nav_reinvested_built", column=nav.column, distributions=nav.distributions)
    else:
        kind = message("nav_total_return" if nav.total_return else "nav_plain")
    imported = message(
        "nav_imported",
        symbol=symbol,
        count=len(nav.closes),
        currency=currency,
        first=first,
        last=last,
        column=nav.column,
        kind=kind,
    )
    if not nav.left_out:
        return message("nav_import_columns", imported=imported, date=nav.date_column)
    return message("nav_import_left_out", imported=imported, date=nav.date_column, left=Joined(nav.left_out))


def checked_fund(symbol: str, name_en: str, name_ja: str, currency: str) -> Instrument:
    """The fund as the store will keep it; raises InvalidFund naming the field that cannot be kept."""
    code = currency.strip().upper()
    if not _CURRENCY.match(code):
        raise InvalidFund(message("error_fund_currency", currency=currency))
    return Instrument(symbol, _name(name_en, "fund_field_name"), _name(name_ja, "fund_field_name_ja"), NAV_KIND, code)


def _name(text: str, field: str) -> str:
    name = text.strip()
    if not name:
        raise InvalidFund(message("error_fund_name_empty", field=message(field)))
    if len(name) > TEXT_MAX_CHARS:
        raise InvalidFund(message("error_fund_name_long", field=message(field), length=len(name), limit=TEXT_MAX_CHARS))
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in name):
        raise InvalidFund(message("error_fund_name_control", field=message(field)))
    return name
