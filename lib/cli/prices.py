"""`python -m lib.cli refresh | import-prices`: new closes from Yahoo, or a price file, into the store
(README, "Command line")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from lib.cli.common import open_store
from lib.cli.exits import EXIT_BAD_INPUT
from lib.core import calendar, settings
from lib.core.i18n import message, t
from lib.core.symbols import validate_symbol
from lib.data import prices
from lib.data.access import OPERATOR
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
    progress = ProgressLines(Path(args.file).name, asked=args.progress)
    price_file = read_price_file(args.file, symbol=symbol, decimal=args.decimal, progress=progress)
    imported = prices.import_file(open_store(), price_file, now=now, by=OPERATOR, replace=args.replace)
    for series in imported.series:
        print(f"{series.symbol}: {series.rows} rows, {series.first} to {series.last}")
    print(f"{imported.rows} rows accepted from {price_file.name} ({price_file.layout} layout), 0 rejected")
    if imported.replaced:
        print(message("cli_closes_replaced", count=imported.replaced, source=imported.source))
    return 0


PROGRESS_FROM_MB = 5  # a smaller file reads in about a second: no progress on a terminal


class ProgressLines:
    """Reading progress on stderr, a line each tenth of the file, when asked (--progress) or on a
    terminal for a file of PROGRESS_FROM_MB or more (lines, not a redrawn one: stderr is escaped)."""

    def __init__(self, name: str, *, asked: bool) -> None:
        self.name = name
        self.asked = asked
        self.tenths = 0

    def __call__(self, done: int, total: int) -> None:
        if not (self.asked or (sys.stderr.isatty() and total >= PROGRESS_FROM_MB * 1_000_000)):
            return
        tenths = 10 * done // max(total, 1)
        if tenths > self.tenths:
            self.tenths = tenths
            done_mb, total_mb = f"{done / 1e6:.1f}", f"{total / 1e6:.1f}"
            said = t("file_progress", "en", name=self.name, done=done_mb, total=total_mb, percent=10 * tenths)
            print(said, file=sys.stderr, flush=True)
