"""Command line: `python -m lib.cli weekly | chart | funds | refresh | import-nav | import-prices | undo-import |
notes | report | worker` (README, "Command line").

Here: every command's options, and which module runs it (lib/cli/weekly.py, funds.py, prices.py,
undo.py, notes.py, report.py, worker.py). The options live here, not beside each command, so that parsing imports no
command module: a command's module, with its imports at its top, loads only when that command runs
(`weekly` never loads Altair, SQLAlchemy for a file, the notes or the report).

Bad input gets one clear line on stderr and a non-zero exit, never a traceback:
exit 2 for input the user can fix, 3 when a source or the store is unavailable (lib/cli/exits.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lib.cli.exits import EXIT_BAD_INPUT, EXIT_UNAVAILABLE
from lib.cli.terminal import escaped_output
from lib.core import settings
from lib.core.errors import (
    DashboardError,
    NotesBusy,
    NotesUnavailable,
    RefreshBusy,
    SourceUnavailable,
    StoreUnavailable,
)
from lib.core.types import DECIMAL_MARKS, FREQUENCIES, FUNDS_FORMATS, LANGS, TABLE_CURRENCIES, WEEKLY_FORMATS

if TYPE_CHECKING:
    from lib.data.yahoo import Fetcher

DEFAULT_CHART_START = settings.BASE_DATE
CHART_NAMES = ("ratio", "deviation", "relative")
REPLACE_HELP = (
    f"replace stored closes even where they move by more than {settings.CLOSE_CHANGE_LIMIT_PCT}%% "
    "(the old ones are kept: undo-import brings them back)"
)
DEFAULT_SCALE = 2.0
DECIMAL_HELP = (
    "how the file writes decimals, '.' or ',' (default: what its numbers show; "
    "a decimal comma is never guessed, an ambiguous number is refused)"
)

Run = Callable[[argparse.Namespace, dt.datetime, "Fetcher"], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + message
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lib.cli", description="Small-cap growth relative valuation")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_weekly(commands)
    _add_chart(commands)
    _add_funds(commands)
    _add_refresh(commands)
    _add_import_nav(commands)
    _add_import_prices(commands)
    _add_undo_import(commands)
    _add_notes(commands)
    _add_report(commands)
    _add_worker(commands)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    now: dt.datetime | None = None,
    fetcher: Fetcher | None = None,
) -> int:
    """Run one command; `now` and `fetcher` are injected by tests (the real clock and Yahoo otherwise).
    All it prints is escaped (lib/cli/terminal.py): text from input cannot drive the terminal."""
    with escaped_output():
        return _run_command(argv, now=now, fetcher=fetcher)


def _run_command(argv: Sequence[str] | None, *, now: dt.datetime | None, fetcher: Fetcher | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(words)
    run = _runner(args.command)
    # Errors in the language asked for with --lang; English when none was asked for (the report's
    # draft defaults to Japanese, its error lines do not).
    asked = any(word == "--lang" or word.startswith("--lang=") for word in words)
    lang = args.lang if asked else "en"
    try:
        return run(args, now or dt.datetime.now(dt.UTC), fetcher or _yahoo())
    except (SourceUnavailable, StoreUnavailable, NotesUnavailable, NotesBusy, RefreshBusy) as error:
        print(f"error: {error.text(lang)}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except DashboardError as error:
        print(f"error: {error.text(lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _runner(command: str) -> Run:
    """The `run` of the module behind `command`, imported now: a command loads only what it runs."""
    if command in ("weekly", "chart"):
        from lib.cli.weekly import run
    elif command in ("funds", "import-nav"):
        from lib.cli.funds import run
    elif command == "undo-import":
        from lib.cli.undo import run
    elif command in ("refresh", "import-prices"):
        from lib.cli.prices import run
    elif command == "notes":
        from lib.cli.notes import run
    elif command == "worker":
        from lib.cli.worker import run
    else:
        from lib.cli.report import run
    return run


def _yahoo() -> Fetcher:
    from lib.data.yahoo import yfinance_download  # light: yfinance itself loads inside a download only

    return yfinance_download


def _add_weekly(commands: argparse._SubParsersAction) -> None:
    weekly = commands.add_parser("weekly", help="the week's figures: index moves, ratio, 26-week deviation")
    weekly.add_argument("--as-of", help="a day in the week wanted (YYYY-MM-DD); default: the latest week")
    weekly.add_argument("--prices", help="compute from this price file alone; nothing is written")
    weekly.add_argument("--decimal", choices=DECIMAL_MARKS, help=DECIMAL_HELP)
    weekly.add_argument("--numerator", default=settings.NUMERATOR)
    weekly.add_argument("--denominator", default=settings.DENOMINATOR)
    weekly.add_argument("--lang", choices=LANGS, default="en")
    weekly.add_argument("--format", choices=WEEKLY_FORMATS, default="text")
    weekly.add_argument(
        "--strict",
        action="store_true",
        help="no stand-in for a missing close: a week whose last session lacks one has no figures "
        "(also DASHBOARD_STRICT_CLOSES=1)",
    )


def _add_chart(commands: argparse._SubParsersAction) -> None:
    chart = commands.add_parser("chart", help="write a Ratio page chart; the format comes from --out's extension")
    chart.add_argument("name", choices=CHART_NAMES)
    chart.add_argument("--out", required=True, help="FILE.png, FILE.svg or FILE.csv (the plotted series)")
    chart.add_argument("--start", default=DEFAULT_CHART_START, help=f"first day (default {DEFAULT_CHART_START})")
    chart.add_argument("--end", help="last day (default: the latest close)")
    chart.add_argument("--prices", help="draw from this price file alone; nothing is written")
    chart.add_argument("--decimal", choices=DECIMAL_MARKS, help=DECIMAL_HELP)
    chart.add_argument("--numerator", default=settings.NUMERATOR)
    chart.add_argument("--denominator", default=settings.DENOMINATOR)
    chart.add_argument("--frequency", choices=FREQUENCIES, default="weekly")
    chart.add_argument("--lang", choices=LANGS, default="en")
    chart.add_argument("--scale", type=float, default=DEFAULT_SCALE, help="PNG pixel scale (default 2)")
    chart.add_argument("--no-band", action="store_true", help="leave out the 32-38%% reference band")
    chart.add_argument("--log", action="store_true", help="log scale for the relative chart")


def _add_funds(commands: argparse._SubParsersAction) -> None:
    funds = commands.add_parser("funds", help="the fund performance table, as of a month-end")
    funds.add_argument("--as-of", help="a day (YYYY-MM-DD); default: the last completed month-end")
    funds.add_argument("--latest", action="store_true", help="as of the latest close instead of a month-end")
    funds.add_argument("--prices", help="use this price file alone: the funds found in it; nothing is written")
    funds.add_argument("--benchmark", default=settings.FUND_BENCHMARK, help="default IWO (total-return proxy)")
    funds.add_argument("--risk-free", type=float, default=settings.DEFAULT_RISK_FREE_PCT, help="%% a year")
    funds.add_argument("--lang", choices=LANGS, default="en")
    funds.add_argument("--format", choices=FUNDS_FORMATS, default="text")
    funds.add_argument(
        "--out", help="write the table for publishing to FILE.png or FILE.html (the format from the extension)"
    )
    funds.add_argument("--scale", type=float, default=DEFAULT_SCALE, help="PNG pixel scale (default 2)")
    funds.add_argument(
        "--currency",
        choices=TABLE_CURRENCIES,
        default="native",
        help="usd or jpy: every fund converted with USD/JPY (JPY=X); native (default): each in its own, as published",
    )


def _add_import_nav(commands: argparse._SubParsersAction) -> None:
    nav = commands.add_parser("import-nav", help="load a fund company's NAV file (e.g. a Japanese fund's NAV in JPY)")
    nav.add_argument("file")
    nav.add_argument("--symbol", required=True, help="an identifier for the fund, e.g. JP-SBI-SCG")
    nav.add_argument("--name", help="the fund's name (English); default: config/funds.toml's for a fund listed there")
    nav.add_argument("--name-ja", help="the fund's name in Japanese (default: --name)")
    nav.add_argument("--currency", help="ISO code of the NAV (default: config/funds.toml's, else JPY)")
    nav.add_argument("--hedged", action="store_true", help="currency-hedged: compared with the benchmark in dollars")
    nav.add_argument("--replace", action="store_true", help=REPLACE_HELP)
    nav.add_argument("--decimal", choices=DECIMAL_MARKS, default=".", help="how the file writes decimals (default '.')")
    nav.add_argument("--lang", choices=LANGS, default="en", help="the language of what it prints (default en)")


def _add_refresh(commands: argparse._SubParsersAction) -> None:
    refresh = commands.add_parser("refresh", help="fetch new daily closes from Yahoo into the store")
    refresh.add_argument("--symbols", nargs="+", help="default: the indices and the default funds")


def _add_import_prices(commands: argparse._SubParsersAction) -> None:
    importer = commands.add_parser("import-prices", help="validate a price file and load it, all or nothing")
    importer.add_argument("file")
    importer.add_argument("--symbol", help="the symbol of a single-symbol Yahoo-style export")
    importer.add_argument("--replace", action="store_true", help=REPLACE_HELP)
    importer.add_argument("--decimal", choices=DECIMAL_MARKS, help=DECIMAL_HELP)
    importer.add_argument(
        "--progress", action="store_true", help="show reading progress on stderr (shown anyway on a terminal)"
    )


def _add_undo_import(commands: argparse._SubParsersAction) -> None:
    undo = commands.add_parser("undo-import", help="undo the latest import of a file: stored closes come back")
    undo.add_argument("file", help="the file's name as imported (prices.csv), or the source shown (file prices.csv)")


def _add_notes(commands: argparse._SubParsersAction) -> None:
    notes = commands.add_parser("notes", help="research notes: add, list, export, import")
    actions = notes.add_subparsers(dest="action", required=True, parser_class=type(notes))

    add = actions.add_parser("add", help="add a note")
    add.add_argument("--week", required=True, help="any day of the note's week (YYYY-MM-DD)")
    add.add_argument("--title", required=True)
    add.add_argument("--tag", action="append", default=[], help="a tag (English or Japanese label); repeatable")
    body = add.add_mutually_exclusive_group(required=True)
    body.add_argument("--body", help="the Markdown text")
    body.add_argument("--body-file", help="a UTF-8 Markdown file ('-' reads standard input)")
    add.add_argument("--author", help="default: $NOTES_AUTHOR, else the login name")

    listing = actions.add_parser("list", help="list notes, the latest week first")
    listing.add_argument("--tag", action="append", default=[], help="repeatable; a note with any of them matches")
    listing.add_argument("--all-tags", action="store_true", help="a note must have every --tag")
    listing.add_argument("--search", default="", help="words that must all appear (Japanese works as typed)")
    listing.add_argument("--from", dest="start", help="first week: any day of it (YYYY-MM-DD)")
    listing.add_argument("--to", dest="end", help="last week: any day of it")
    listing.add_argument("--include-deleted", action="store_true")
    listing.add_argument("--format", choices=["text", "json"], default="text")

    export = actions.add_parser("export", help="every note, version and tag to a JSON file or Markdown folder")
    export.add_argument("--format", choices=["json", "markdown"], required=True)
    export.add_argument("--out", required=True, help="FILE.json, or a folder for Markdown")

    importer = actions.add_parser("import", help="load an export back (all or nothing)")
    importer.add_argument("path", help="a JSON export, a Markdown folder or a single .md file")


def _add_report(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="draft the weekly comment: text, ratio chart, fund table")
    report.add_argument("--as-of", help="a day in the week wanted (YYYY-MM-DD); default: the latest completed week")
    report.add_argument("--lang", choices=LANGS, default="ja")
    report.add_argument("--format", choices=["markdown", "html"], default="markdown")
    report.add_argument("--out", help="a folder: the draft, the chart PNG and the CSVs are written there")
    report.add_argument("--prices", help="draft from this price file; the store's closes are compared with it")
    report.add_argument(
        "--template", metavar="FILE", help="draft with this Jinja2 template (default: the team's, else the app's)"
    )


def _add_worker(commands: argparse._SubParsersAction) -> None:
    worker = commands.add_parser(
        "worker", help="team deployment: refresh the store from Yahoo after each NYSE close, then sleep"
    )
    worker.add_argument("--once", action="store_true", help="refresh now and exit (cron, checks)")
    worker.add_argument(
        "--margin",
        type=int,
        metavar="MINUTES",
        help=f"run this long after each close (default {settings.WORKER_MARGIN_MINUTES}; "
        "also DASHBOARD_WORKER_MARGIN_MINUTES)",
    )
    worker.add_argument("--lang", choices=LANGS, default="en", help="the language of its log lines (default en)")


if __name__ == "__main__":
    sys.exit(main())
