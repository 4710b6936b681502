"""`python -m lib.cli report`: the weekly comment drafted from the data (README, "Weekly report")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from lib.cli.common import load_price_set, open_store_or_none
from lib.core import calendar, settings
from lib.core.errors import DashboardError, InvalidOutput, InvalidTemplate
from lib.core.i18n import message
from lib.data.yahoo import Fetcher
from lib.notes.model import NoteQuery, demo_filter, week_of
from lib.notes.store import NotesStore
from lib.notes.templates import TemplateStore
from lib.report.draft import build_report, latest_completed_week
from lib.report.files import build_report_files
from lib.report.template import compile_template


def run(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    week = calendar.parse_date(args.as_of) if args.as_of else None  # bad input fails before any fetch
    template = read_template(Path(args.template)) if args.template else None  # likewise a broken template
    store = open_store_or_none()  # with --prices too: its closes are compared with the file's
    funds = (store.saved_funds() if store else None) or list(settings.DEFAULT_FUNDS)
    symbols = list(dict.fromkeys((*settings.INDICES, *funds, settings.FUND_BENCHMARK)))
    primary = (settings.NUMERATOR, settings.DENOMINATOR)
    price_set = load_price_set(
        args.prices, store, symbols=symbols, primary=primary, now=now, fetcher=fetcher, lang=args.lang
    )
    others = {}
    if args.prices and store is not None:
        stored = store.read(symbols)
        if not stored.empty:
            others["the store"] = stored
    if week is None:
        week = latest_completed_week(price_set.as_of, price_set.last_session)
    notes, tags, notes_problem = _notes(week, demo_prices=price_set.is_demo)
    problems = [notes_problem]
    if template is None:
        template, template_problem = _team_template(args.lang)
        problems.append(template_problem)
    report = build_report(
        price_set.closes, source=price_set.source, lang=args.lang, week_of=week, notes=notes, tags=tags,
        last_closed=price_set.last_session, other_sources=others, template=template,
    )  # fmt: skip
    files = build_report_files(report, price_set, funds=funds, described=store.instruments() if store else {})
    if args.template and files.template_problem:
        raise InvalidTemplate(files.template_problem)  # a file asked for by name is used or refused, never replaced
    checks = [problem for problem in problems if problem] + files.checks
    for check in checks:
        print(f"check: {check.text(args.lang)}", file=sys.stderr)
    text = files.html() if args.format == "html" else files.markdown()
    if not args.out:
        print(text, end="")
        return 0
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise InvalidOutput(f"{folder} (a folder is needed)")
    folder.mkdir(parents=True, exist_ok=True)
    draft = folder / ("draft.html" if args.format == "html" else "draft.md")
    draft.write_text(text, encoding="utf-8")
    for attachment in files.attachments:
        (folder / attachment.name).write_bytes(attachment.data)
    week_end = report.summary.week_end.date()
    print(f"wrote {draft} and {len(files.attachments)} attachments to {folder}/ (week ending {week_end})")
    return 0


def read_template(path: Path) -> str:
    """The template in `path`, compiled once to refuse a syntax error before any work; InvalidTemplate
    (exit 2) names the file or the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidTemplate(message("error_template_file", name=path, reason=message("template_not_utf8"))) from None
    except OSError as error:
        raise InvalidTemplate(message("error_template_file", name=path, reason=error.strerror or str(error))) from None
    compile_template(text)
    return text


def _notes(week: object, *, demo_prices: bool):
    """The notes of the report's week (demo notes only in a draft of demo prices) and the tag
    vocabulary, or a check saying why there are none."""
    try:
        store = NotesStore(settings.notes_database_url())
        try:
            query = NoteQuery(start=week_of(week), end=week_of(week), demo=demo_filter(demo_prices=demo_prices))
            return store.find(query), store.tags(include_merged=True), None
        finally:
            store.close()
    except DashboardError as error:
        return [], None, message("check_no_notes", reason=str(error))


def _team_template(lang: str):
    """The template the team saved on the Weekly report page (None: the default), or None and why it
    cannot be read."""
    try:
        store = TemplateStore(settings.notes_database_url())
        try:
            saved = store.get(lang)
            return (saved.text if saved else None), None
        finally:
            store.close()
    except DashboardError as error:
        return None, message("report_template_unavailable", reason=str(error))
