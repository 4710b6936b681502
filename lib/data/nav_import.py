"""Loading a NAV file into the store: the prices, the fund's description, and its place in the list,
in one transaction (PriceStore.import_nav): all of them or none."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from lib.core import settings
from lib.core.errors import InvalidFund, InvalidPriceFile, LineError
from lib.core.i18n import Joined, Message, message
from lib.core.settings import Instrument
from lib.core.types import DecimalMark
from lib.data.access import OPERATOR, Editor
from lib.data.nav_files import BRACKETED, FUND_WORDS, NavFile, parse_nav_text
from lib.data.sources import TEXT_MAX_CHARS, file_source
from lib.data.store import PriceStore

NAV_KIND = "mutual_fund"  # a fund company's NAV file describes a fund (a 投信 among them)
_CURRENCY = re.compile(r"^[A-Z]{3}$")  # an ISO 4217 code
_REFUSED_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")  # control characters, lone surrogates, line breaks
# How a 投資信託協会 download is named: by the fund's ISIN (JP90C000JDA9) or its 協会コード (8 characters).
_ISIN = re.compile(r"JP[0-9A-Z]{9}[0-9]")
_ASSOCIATION_CODE = re.compile(r"(?<![0-9A-Z])(?=[0-9A-Z]*[0-9])[0-9A-Z]{8}(?![0-9A-Z])")


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
    hedged: bool = False,
) -> Message:
    """Validate the description and the file, then store prices, description and list entry together;
    returns what was done, in one line.

    Raises InvalidFund or InvalidPriceFile before the store is touched; WriteRefused, SymbolTaken or
    ClosesWouldChange (without `replace`) from the store, which then keeps nothing."""
    fund = checked_fund(symbol, fund_name, fund_name_ja, currency, hedged=hedged)
    nav = parse_nav_text(raw, name=name, symbol=symbol, decimal=decimal)
    check_file_is_fund(nav, file_name=name, symbol=symbol)
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


def check_file_is_fund(nav: NavFile, *, file_name: str, symbol: str) -> None:
    """For a fund of config/funds.toml with a NAV source: raise InvalidPriceFile when the file says it
    is another fund, by its name (an ISIN or association code other than the fund's) or by the fund
    name on its first line (the MUFG layout). A file that says nothing of its fund is taken as given."""
    # the association code is the 協会コード; the fund, a 投信
    known, source = settings.KNOWN_FUNDS.get(symbol), settings.NAV_SOURCES.get(symbol)
    if known is None or source is None:
        return
    expected = {source.isin, source.association_code} - {""}
    stem = unicodedata.normalize("NFKC", file_name).upper()
    named = set(_ISIN.findall(stem)) or set(_ASSOCIATION_CODE.findall(stem))
    if expected and named and not named & expected:
        said = message(
            "nav_file_names_other", found=", ".join(sorted(named)), symbol=symbol, expected=" / ".join(sorted(expected))
        )
        raise InvalidPriceFile(file_name, [LineError(0, said)])
    first = nav.preamble[0] if nav.preamble else ""
    if any(word in first.lower() for word in FUND_WORDS) and not _same_fund(first, known.name_ja):
        said = message("nav_other_fund", found=first, symbol=symbol, name=known.name_ja)
        raise InvalidPriceFile(file_name, [LineError(1, said)])


def _same_fund(line: str, name_ja: str) -> bool:
    """Whether a file's line names the fund: its name without the bracketed nickname, ignoring width
    and spaces."""

    def bare(text: str) -> str:
        return BRACKETED.sub("", unicodedata.normalize("NFKC", text)).replace(" ", "").replace(",", "")

    name, said = bare(name_ja), bare(line)
    return bool(name) and (name in said or (len(said) >= 4 and said in name))


def checked_fund(symbol: str, name_en: str, name_ja: str, currency: str, *, hedged: bool = False) -> Instrument:
    """The fund as the store will keep it; raises InvalidFund naming the field that cannot be kept."""
    code = currency.strip().upper()
    if not _CURRENCY.match(code):
        raise InvalidFund(message("error_fund_currency", currency=currency))
    names = _name(name_en, "fund_field_name"), _name(name_ja, "fund_field_name_ja")
    return Instrument(symbol, *names, NAV_KIND, code, hedged)


def _name(text: str, field: str) -> str:
    name = text.strip()
    if not name:
        raise InvalidFund(message("error_fund_name_empty", field=message(field)))
    if len(name) > TEXT_MAX_CHARS:
        raise InvalidFund(message("error_fund_name_long", field=message(field), length=len(name), limit=TEXT_MAX_CHARS))
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in name):
        raise InvalidFund(message("error_fund_name_control", field=message(field)))
    return name
