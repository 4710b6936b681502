"""`python -m lib.cli weekly | chart`: the Ratio page's figures and charts for a pair (README, "Command line")."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from lib.analytics.weekly import calc_weekly_summary
from lib.cli.common import load_price_set, open_store_or_none
from lib.cli.terminal import json_text
from lib.core import calendar, settings
from lib.core.errors import EmptyRange, InvalidOutput, UnknownSymbol
from lib.core.i18n import t
from lib.core.symbols import validate_symbol
from lib.data.prices import PriceSet
from lib.data.yahoo import Fetcher
from lib.views.weekly_text import format_weekly


def run(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    return _chart(args, now, fetcher) if args.command == "chart" else _weekly(args, now, fetcher)


def _weekly(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    numerator, denominator = validate_symbol(args.numerator), validate_symbol(args.denominator)
    week_of = calendar.parse_date(args.as_of) if args.as_of else None
    price_set = _pair_prices(args, now, fetcher, numerator, denominator)
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
        print(json_text(summary.to_dict()))
    else:
        if price_set.is_demo:
            print(t("cli_demo_line", args.lang))
        print(format_weekly(summary, args.lang))
    return 0


def _chart(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    # Imported here: the chart's modules (Altair, the renderer) load only for `chart`, never for `weekly`.
    from lib.core.ranges import resolve_range
    from lib.views import export
    from lib.views.ratio import build_ratio_view
    from lib.views.ratio_charts import build_ratio_charts

    numerator, denominator = validate_symbol(args.numerator), validate_symbol(args.denominator)
    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg", ".csv"):
        raise InvalidOutput(out.name)
    start = calendar.parse_date(args.start)
    price_set = _pair_prices(args, now, fetcher, numerator, denominator)
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


def _pair_prices(
    args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher, numerator: str, denominator: str
) -> PriceSet:
    """The pair's prices (and the weekly moves' indices) from --prices, the store or demo data."""
    price_set = load_price_set(
        args.prices,
        None if args.prices else open_store_or_none(),  # a file alone: the store is not opened
        symbols=list(dict.fromkeys((*settings.WEEKLY_MOVES, numerator, denominator))),
        primary=(numerator, denominator),
        now=now,
        fetcher=fetcher,
        lang=args.lang,
        decimal=args.decimal,
    )
    for symbol in (numerator, denominator):
        if symbol not in price_set.closes.columns:
            raise UnknownSymbol(symbol, price_set.source)
    return price_set
