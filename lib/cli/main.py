"""Command line: `python -m lib.cli weekly | chart | funds | refresh | import-prices | import-nav | notes |
report`
(README).

Bad input gets one clear line on stderr and a non-zero exit, never a traceback:
exit 2 for input the user can fix, 3 when a source or the store is unavailable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lib.analytics.weekly import calc_weekly_summary
from lib.cli import notes as notes_cli
from lib.cli import report as report_cli
from lib.core import calendar, settings
from lib.core.errors import (
    DashboardError,
    EmptyRange,
    InvalidOutput,
    InvalidPriceFile,
    LineError,
    NotesBusy,
    NotesUnavailable,
    SourceUnavailable,
    StoreUnavailable,
    UnknownSymbol,
)
from lib.core.ranges import resolve_range
from lib.core.symbols import validate_symbol
from lib.data import prices, yahoo
from lib.data.price_files import read_price_file
from lib.data.store import PriceStore
from lib.views.ratio import FREQUENCIES, build_ratio_view
from lib.views.weekly_text import format_weekly

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3
DEFAULT_CHART_START = "2022-01-01"  # the analyst's usual base: "since January 2022"
CHART_NAMES = ("ratio", "deviation", "relative")
DEFAULT_SCALE = 2.0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lib.cli", description="Small-cap growth relative valuation")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    weekly = commands.add_parser("weekly", help="the week's figures: index moves, ratio, 26-week deviation")
    weekly.add_argument("--as-of", help="a day in the week wanted (YYYY-MM-DD); default: the latest week")
    weekly.add_argument("--prices", help="compute from this price file alone; nothing is written")
    weekly.add_argument("--numerator", default=settings.NUMERATOR)
    weekly.add_argument("--denominator", default=settings.DENOMINATOR)
    weekly.add_argument("--lang", choices=["en", "ja"], default="en")
    weekly.add_argument("--format", choices=["text", "json"], default="text")
    weekly.add_argument(
        "--strict",
        action="store_true",
        help="no stand-in for a missing close: a week whose last session lacks one has no figures "
        "(also DASHBOARD_STRICT_CLOSES=1)",
    )

    chart = commands.add_parser("chart", help="write a Ratio page chart; the format comes from --out's extension")
    chart.add_argument("name", choices=CHART_NAMES)
    chart.add_argument("--out", required=True, help="FILE.png, FILE.svg or FILE.csv (the plotted series)")
    chart.add_argument("--start", default=DEFAULT_CHART_START, help=f"first day (default {DEFAULT_CHART_START})")
    chart.add_argument("--end", help="last day (default: the latest close)")
    chart.add_argument("--prices", help="draw from this price file alone; nothing is written")
    chart.add_argument("--numerator", default=settings.NUMERATOR)
    chart.add_argument("--denominator", default=settings.DENOMINATOR)
    chart.add_argument("--frequency", choices=FREQUENCIES, default="weekly")
    chart.add_argument("--lang", choices=["en", "ja"], default="en")
    chart.add_argument("--scale", type=float, default=DEFAULT_SCALE, help="PNG pixel scale (default 2)")
    chart.add_argument("--no-band", action="store_true", help="leave out the 32-38%% reference band")
    chart.add_argument("--log", action="store_true", help="log scale for the relative chart")

    funds = commands.add_parser("funds", help="the fund performance table, as of a month-end")
    funds.add_argument("--as-of", help="a day (YYYY-MM-DD); default: the last completed month-end")
    funds.add_argument("--latest", action="store_true", help="as of the latest close instead of a month-end")
    funds.add_argument("--prices", help="use this price file alone: the funds found in it; nothing is written")
    funds.add_argument("--benchmark", default=settings.FUND_BENCHMARK, help="default IWO (total-return proxy)")
    funds.add_argument("--risk-free", type=float, default=settings.DEFAULT_RISK_FREE_PCT, help="%% a year")
    funds.add_argument("--lang", choices=["en", "ja"], default="en")
    funds.add_argument("--format", choices=["text", "json", "csv"], default="text")

    refresh = commands.add_parser("refresh", help="fetch new daily closes from Yahoo into the store")
    refresh.add_argument("--symbols", nargs="+", help="default: the indices and the default funds")

    nav = commands.add_parser("import-nav", help="load a fund company's NAV file (e.g. 基準価額 in JPY)")
    nav.add_argument("file")
    nav.add_argument("--symbol", required=True, help="an identifier for the fund, e.g. JP-SBI-SCG")
    nav.add_argument("--name", required=True, help="the fund's name (English)")
    nav.add_argument("--name-ja", help="the fund's name in Japanese (default: --name)")
    nav.add_argument("--currency", default="JPY", help="ISO code of the NAV (default JPY)")

    importer = commands.add_parser("import-prices", help="validate a price file and load it, all or nothing")
    importer.add_argument("file")
    importer.add_argument("--symbol", help="the symbol of a single-symbol Yahoo-style export")

    notes_cli.add_parser(commands)
    report_cli.add_parser(commands)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    now: dt.datetime | None = None,
    fetcher: yahoo.Fetcher = yahoo.yfinance_download,
) -> int:
    """Run one command; `now` and `fetcher` are injected by tests (the real clock and Yahoo otherwise)."""
    args = build_parser().parse_args(argv)
    moment = now or dt.datetime.now(dt.UTC)
    try:
        if args.command == "weekly":
            return _weekly(args, moment, fetcher)
        if args.command == "refresh":
            return _refresh(args, moment, fetcher)
        if args.command == "chart":
            return _chart(args, moment, fetcher)
        if args.command == "funds":
            return _funds(args, moment, fetcher)
        if args.command == "import-nav":
            return _import_nav(args, moment)
        if args.command == "notes":
            return notes_cli.run(args, moment)
        if args.command == "report":
            return report_cli.run(args, moment, _open_store_or_none, fetcher)
        return _import(args, moment)
    except (SourceUnavailable, StoreUnavailable, NotesUnavailable, NotesBusy) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except DashboardError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _weekly(args: argparse.Namespace, now: dt.datetime, fetcher: yahoo.Fetcher) -> int:
    numerator, denominator = validate_symbol(args.numerator), validate_symbol(args.denominator)
    week_of = calendar.parse_date(args.as_of) if args.as_of else None
    price_set = _price_set(args, now, fetcher, numerator, denominator)
    summary = calc_weekly_summary(
        price_set.closes,
        source=price_set.source,
        week_of=week_of,
        numerator=numerator,
        denominator=denominator,
        last_closed=price_set.last_session,
        strict=args.strict or settings.strict_closes(),
    )
    if args.format == "json":
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        if price_set.is_demo:
            print("DEMO DATA (synthetic, not market data)" if args.lang == "en" else "デモデータ（架空の価格）")
        print(format_weekly(summary, args.lang))
    return 0


def _chart(args: argparse.Namespace, now: dt.datetime, fetcher: yahoo.Fetcher) -> int:
    from lib.views import export  # Altair and the renderer load only when a chart is asked for
    from lib.views.ratio_charts import build_ratio_charts

    numerator, denominator = validate_symbol(args.numerator), validate_symbol(args.denominator)
    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg", ".csv"):
        raise InvalidOutput(out.name)
    start = calendar.parse_date(args.start)
    price_set = _price_set(args, now, fetcher, numerator, denominator)
    end = calendar.parse_date(args.end) if args.end else price_set.as_of
    held = price_set.closes[[numerator, denominator]].dropna()
    date_range = resolve_range(
        "Custom", data_first=held.index[0], data_last=price_set.as_of, custom_start=start, custom_end=end
    )
    view = build_ratio_view(
        price_set,
        numerator=numerator,
        denominator=denominator,
        date_range=date_range,
        lang=args.lang,
        frequency=args.frequency,
    )
    if view.x_domain is None:
        raise EmptyRange(start.date(), end.date())
    built = build_ratio_charts(
        view,
        price_set,
        numerator=numerator,
        denominator=denominator,
        lang=args.lang,
        frequency=args.frequency,
        band=not args.no_band,
        log_scale=args.log,
    )
    export.write(built[args.name], view.csv_frames()[args.name], out, scale=args.scale, is_demo=price_set.is_demo)
    first, last = (day.date() for day in view.x_domain)
    demo = " DEMO DATA," if price_set.is_demo else ""
    print(f"wrote {out} ({args.name}, {first} to {last},{demo} source {price_set.source})")
    return 0


def _funds(args: argparse.Namespace, now: dt.datetime, fetcher: yahoo.Fetcher) -> int:
    from lib.views.funds_table import build_funds_table, default_as_of, table_frame

    benchmark = validate_symbol(args.benchmark)
    store = None
    if args.prices:
        price_set = prices.from_file(read_price_file(args.prices), now=now, primary=(benchmark,))
        funds = [s for s in price_set.closes.columns if not s.startswith("^") and s != benchmark]
    else:
        store = _open_store_or_none()
        funds = (store.saved_funds() if store else None) or list(settings.DEFAULT_FUNDS)
        price_set = prices.load_prices(
            [*funds, benchmark],
            store=store,
            now=now,
            offline=settings.offline_mode(),
            fetcher=fetcher,
            primary=(benchmark,),
        )
    for notice in price_set.notices:
        print(f"notice: {notice.text(args.lang)}", file=sys.stderr)
    if args.as_of:
        day = calendar.parse_date(args.as_of)
        as_of = calendar.sessions(day - pd.Timedelta(days=10), day)[-1]
    else:
        as_of = default_as_of(price_set.closes, benchmark, month_end=not args.latest, funds=funds)
    described = {} if args.prices else _described(store)
    table = build_funds_table(
        price_set.closes,
        funds=funds,
        benchmark=benchmark,
        as_of=as_of,
        lang=args.lang,
        risk_free_pct=args.risk_free,
        described=described,
    )
    for note in table.notes:
        print(f"notice: {note.text(args.lang)}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps({**table.to_dict(), "source": price_set.source}, ensure_ascii=False, indent=2))
        return 0
    frame = table_frame(table, args.lang)
    if args.format == "csv":
        from lib.views.export import demo_line

        print(demo_line(price_set.is_demo) + frame.to_csv(index=False, float_format="%.6f"), end="")
        return 0
    if price_set.is_demo:
        print("DEMO DATA (synthetic, not market data)")
    print(f"As of {as_of.date()}, benchmark {benchmark}, source {price_set.source}; returns in %, 3Y+ annualised")
    print(frame.drop(columns=frame.columns[0]).to_string(index=False, float_format=lambda v: f"{v:.2f}", na_rep=""))
    return 0


def _price_set(
    args: argparse.Namespace, now: dt.datetime, fetcher: yahoo.Fetcher, numerator: str, denominator: str
) -> prices.PriceSet:
    """From --prices alone, else the store (refreshed when stale), else demo data; notices to stderr."""
    if args.prices:
        price_set = prices.from_file(read_price_file(args.prices), now=now, primary=(numerator, denominator))
    else:
        store = _open_store_or_none()
        price_set = prices.load_prices(
            list(dict.fromkeys((*settings.WEEKLY_MOVES, numerator, denominator))),
            store=store,
            now=now,
            offline=settings.offline_mode(),
            fetcher=fetcher,
            primary=(numerator, denominator),
        )
    for notice in price_set.notices:
        print(f"notice: {notice.text(args.lang)}", file=sys.stderr)
    for symbol in (numerator, denominator):
        if symbol not in price_set.closes.columns:
            raise UnknownSymbol(symbol, price_set.source)
    return price_set


def _refresh(args: argparse.Namespace, now: dt.datetime, fetcher: yahoo.Fetcher) -> int:
    symbols = [validate_symbol(s) for s in (args.symbols or settings.default_symbols())]
    store = PriceStore(settings.database_url())
    report = prices.refresh(store, symbols, now=now, fetcher=fetcher)
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
    written, held = prices.import_file(PriceStore(settings.database_url()), price_file, now=now)
    for series in held:
        print(f"{series.symbol}: {series.rows} rows, {series.first} to {series.last}")
    print(f"{written} rows accepted from {price_file.name} ({price_file.layout} layout), 0 rejected")
    return 0


def _import_nav(args: argparse.Namespace, now: dt.datetime) -> int:
    from lib.data.nav_import import import_nav

    store = PriceStore(settings.database_url())
    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidPriceFile(path.name, [LineError(0, f"cannot be read ({error.strerror})")]) from None
    summary = import_nav(
        store,
        raw,
        name=path.name,
        symbol=validate_symbol(args.symbol),
        fund_name=args.name,
        fund_name_ja=args.name_ja or args.name,
        currency=args.currency.upper(),
        now=now,
    )
    print(summary)
    return 0


def _described(store: PriceStore | None) -> dict:
    return store.instruments() if store else {}


def _open_store_or_none() -> PriceStore | None:
    try:
        return PriceStore(settings.database_url())
    except StoreUnavailable as error:
        print(f"notice: {error}", file=sys.stderr)
        return None


if __name__ == "__main__":
    sys.exit(main())
