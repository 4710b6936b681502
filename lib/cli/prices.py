"""`python -m lib.cli refresh | import-prices`: new closes from Yahoo, or a price file, into the store
(README, "Command line")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from lib.cli.common import open_store
from lib.cli.exits import EXIT_BAD_INPUT
from lib.core import calendar, settings
from lib.core.symbols import validate_symbol
from lib.data import prices
from lib.data.price_files import read_price_file
from lib.data.yahoo import Fetcher


def run(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    return _refresh(args, now, fetcher) if args.command == "refresh" else _import(args, now)


def _refresh(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    symbols = [validate_symbol(s) for s in (args.symbols or settings.default_symbols())]
    report = prices.refresh(open_store(), symbols, now=now, fetcher=fetcher)
    for symbol, rows in report.rows_by_symbol.items():
        print(f"{symbol}: {rows} rows")
    last = calendar.last_completed_session(now).date()
    print(f"{report.rows} rows from Yahoo Finance in {report.calls} call(s), up to the {last} close")
    if report.missing:
        print(f"error: Yahoo Finance has no prices for {', '.join(report.missing)} (unknown ticker?)", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _import(args: argparse.Namespace, now: dt.datetime) -> int:
    symbol = validate_symbol(args.symbol) if args.symbol else None
    price_file = read_price_file(args.file, symbol=symbol)
    written, held = prices.import_file(open_store(), price_file, now=now)
    for series in held:
        print(f"{series.symbol}: {series.rows} rows, {series.first} to {series.last}")
    print(f"{written} rows accepted from {price_file.name} ({price_file.layout} layout), 0 rejected")
    return 0
