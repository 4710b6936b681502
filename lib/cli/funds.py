"""`python -m lib.cli funds | import-nav`: the Funds page's table, and a fund company's NAV file into the
store (README, "Command line")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from lib.cli.common import load_price_set, open_store, open_store_or_none
from lib.cli.terminal import json_text
from lib.core import calendar, settings
from lib.core.errors import InvalidPriceFile, InvalidTableOutput, LineError
from lib.core.i18n import message, t
from lib.core.symbols import validate_symbol
from lib.core.types import Lang
from lib.data.yahoo import Fetcher
from lib.views.funds_table import build_funds_table, default_as_of, table_frame


def run(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    return _import_nav(args, now) if args.command == "import-nav" else _funds(args, now, fetcher)


def _funds(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    benchmark = validate_symbol(args.benchmark)
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in (".png", ".html"):
        raise InvalidTableOutput(out.name)  # before any price is loaded
    store = None if args.prices else open_store_or_none()  # a file alone: the store is not opened
    saved = (store.saved_funds() if store else None) or list(settings.DEFAULT_FUNDS)
    price_set = load_price_set(
        args.prices,
        store,
        symbols=[*saved, benchmark, settings.USDJPY],
        primary=(benchmark,),
        now=now,
        fetcher=fetcher,
        lang=args.lang,
    )
    in_file = [s for s in price_set.closes.columns if settings.is_fund(s) and s != benchmark]
    funds = in_file if args.prices else saved  # a file: every non-index symbol in it
    if args.as_of:
        day = calendar.parse_date(args.as_of)
        as_of = calendar.sessions(day - pd.Timedelta(days=10), day)[-1]
    else:
        as_of = default_as_of(price_set.closes, benchmark, month_end=not args.latest, funds=funds)
    table = build_funds_table(
        price_set.closes,
        funds=funds,
        benchmark=benchmark,
        as_of=as_of,
        lang=args.lang,
        risk_free_pct=args.risk_free,
        described=store.instruments() if store else {},
        currency=args.currency,
    )
    for note in table.notes:
        print(f"notice: {note.text(args.lang)}", file=sys.stderr)
    if args.format == "json":
        print(json_text({**table.to_dict(), "source": price_set.source}))
        return 0
    frame = table_frame(table, args.lang)
    if out is not None:
        return _publish(frame, out, args, as_of=as_of, source=price_set.source, is_demo=price_set.is_demo)
    if args.format == "csv":
        from lib.views import export  # the export module (vl-convert) only for the CSV

        print(export.to_csv(frame, is_demo=price_set.is_demo, index=False), end="")
        return 0
    if price_set.is_demo:
        print(t("cli_demo_line", args.lang))
    header = t("cli_funds_header", args.lang, as_of=as_of.date(), benchmark=benchmark, source=price_set.source)
    print(f"{header}; {t('cli_funds_currency', args.lang, currency=_currency_said(table.currency, args.lang))}")
    print(frame.drop(columns=frame.columns[0]).to_string(index=False, float_format=lambda v: f"{v:.2f}", na_rep=""))
    return 0


def _publish(
    frame: pd.DataFrame, out: Path, args: argparse.Namespace, *, as_of: pd.Timestamp, source: str, is_demo: bool
) -> int:
    """Write the table for publishing (PNG or HTML) and say what was written."""
    from lib.views import funds_publication  # the renderer loads only when a file is asked for

    publication = funds_publication.build_publication(
        frame, as_of=as_of, source=source, lang=args.lang, is_demo=is_demo
    )
    funds_publication.write(publication, out, scale=args.scale)
    demo = " DEMO DATA," if is_demo else ""
    print(f"wrote {out} ({publication.title},{demo} {len(publication.rows) - 1} funds, source {source})")
    return 0


def _currency_said(currency: str, lang: Lang) -> str:
    """'JPY', or for `native` the words for each fund's own currency."""
    return t("funds_currency_native", lang) if currency == "native" else currency


def _import_nav(args: argparse.Namespace, now: dt.datetime) -> int:
    from lib.data.access import OPERATOR
    from lib.data.file_reading import Source
    from lib.data.nav_import import import_nav  # it loads the store: `funds --prices` never needs it

    store = open_store()
    path = Path(args.file)
    Source.of_path(path).check_size()  # before the whole file is read into memory
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidPriceFile(path.name, [LineError(0, message("file_unreadable", reason=error.strerror))]) from None
    symbol = validate_symbol(args.symbol)
    known = settings.KNOWN_FUNDS.get(symbol)  # a 投信 of config/funds.toml: its names, currency and hedge
    name = args.name or (known.name_en if known else "")
    summary = import_nav(
        store,
        raw,
        name=path.name,
        symbol=symbol,
        fund_name=name,
        fund_name_ja=args.name_ja or (known.name_ja if known else name),
        currency=args.currency or (known.currency if known else "JPY"),
        now=now,
        by=OPERATOR,
        replace=args.replace,
        decimal=args.decimal,
        hedged=args.hedged or bool(known and known.hedged),
    )
    print(summary.text(args.lang))
    return 0
