"""The weekly report's files: the draft as Markdown or HTML, the ratio chart since the base date
(PNG and the CSV behind it), the fund table as of the last month-end (CSV; a table in the HTML),
and all of them in one zip.

The draft's text is the template's Markdown (lib/report/template.py). The HTML is self-contained and
safe: the chart is embedded, nothing is loaded from elsewhere (an image in a note is a link to it),
checks are escaped and the draft, note bodies included, is rendered by lib.notes.markdown (raw HTML
shown as text, links only to http(s) and mailto), whatever a template writes.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import logging
import zipfile
from dataclasses import dataclass

import pandas as pd

from lib.analytics import performance
from lib.core.errors import DashboardError, InvalidTemplate, OutsideData
from lib.core.i18n import Message, format_date, message, t
from lib.core.ranges import DateRange
from lib.core.settings import BASE_DATE, DENOMINATOR, FUND_BENCHMARK, NUMERATOR, Instrument
from lib.data.prices import PriceSet
from lib.notes import markdown
from lib.report.draft import WeeklyReport
from lib.report.fields import Link
from lib.views import export
from lib.views.funds_table import build_funds_table, table_frame
from lib.views.ratio import build_ratio_view
from lib.views.ratio_charts import build_ratio_charts

DEFAULT_BASE = pd.Timestamp(BASE_DATE)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    mime: str


@dataclass(frozen=True)
class ReportFiles:
    report: WeeklyReport
    attachments: list[Attachment]
    links: list[Link]  # the attachments the draft points to
    funds_table: pd.DataFrame | None  # shown in the HTML
    checks: list[Message]  # the report's checks and those of the attachments
    is_demo: bool = False
    text: str = ""  # the draft as the template wrote it
    template_problem: Message | None = None  # why the report's own template could not draft the week

    def markdown(self) -> str:
        text = self.text
        return f"> {t('report_demo_line', self.report.lang)}\n\n{text}" if self.is_demo else text

    def html(self, text: str | None = None) -> str:
        """The draft (or the analyst's edit of it, `text`) as one HTML file with the chart inside."""
        return _html(self, self.markdown() if text is None else text)

    def zip(self, text: str | None = None) -> bytes:
        """draft.md, draft.html, the chart PNG and the CSVs; `text` is the analyst's edited draft."""
        draft = self.markdown() if text is None else text
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("draft.md", draft)
            archive.writestr("draft.html", self.html(draft))
            for attachment in self.attachments:
                archive.writestr(attachment.name, attachment.data)
        return buffer.getvalue()


def build_report_files(
    report: WeeklyReport,
    price_set: PriceSet,
    *,
    funds: list[str],
    base: pd.Timestamp = DEFAULT_BASE,
    described: dict[str, tuple[Instrument, str]] | None = None,
) -> ReportFiles:
    """The chart since `base` to the report's week and the fund table as of the last month-end
    before it; a part that cannot be made is left out with a check saying why, and the rest stands.

    `described`: the funds the store describes (an imported NAV's name, currency and note), as the
    Funds page shows them."""
    checks = list(report.checks)
    attachments, links, ratio_checks = _alone(
        "check_ratio_left_out", lambda: (*_ratio_files(report, price_set, base), []), empty=([], [])
    )
    funds_frame, fund_files, fund_links, fund_checks = _alone(
        "check_funds_left_out", lambda: _fund_files(report, price_set, funds, described), empty=(None, [], [])
    )
    links += fund_links
    text, problem = _draft_text(report, links)
    checks += ratio_checks + fund_checks + ([message("check_template_failed", reason=problem)] if problem else [])
    if price_set.is_demo:
        checks.insert(0, message("demo_banner"))
    return ReportFiles(report, attachments + fund_files, links, funds_frame, checks, price_set.is_demo, text, problem)


def _draft_text(report: WeeklyReport, links: list[Link]) -> tuple[str, Message | None]:
    """The draft from the report's template; when that template (the team's, or a file's) cannot
    draft this week, the default template's draft and the reason, so the draft always stands."""
    try:
        return report.markdown(links), None
    except InvalidTemplate as error:
        if report.template is None:
            raise  # the shipped template must draft every week: a bug, not the analyst's to fix
        default = dataclasses.replace(report, template=None)
        return default.markdown(links), error.message


def _alone(left_out: str, build, *, empty: tuple) -> tuple:
    """Run one part of the draft: its results and checks, or `empty` and a check saying why."""
    try:
        return build()
    except DashboardError as error:
        if error.message is None:  # an English-only error: its sentence goes into the check
            return (*empty, [message(left_out, reason=str(error))])
        return (*empty, [message(left_out, reason=""), error.message])
    except Exception:
        log.exception("a part of the weekly report failed (%s)", left_out)
        return (*empty, [message(left_out, reason=""), message("check_part_failed")])


def _ratio_files(report: WeeklyReport, price_set: PriceSet, base: pd.Timestamp) -> tuple[list, list]:
    lang, week_end = report.lang, report.summary.week_end
    view = build_ratio_view(
        price_set,
        numerator=NUMERATOR,
        denominator=DENOMINATOR,
        date_range=DateRange(base, report.summary.as_of),
        lang=lang,
        frequency="weekly",
    )
    chart = build_ratio_charts(
        view, price_set, numerator=NUMERATOR, denominator=DENOMINATOR, lang=lang, as_of=report.summary.as_of
    )["ratio"]  # as of the week's close, whatever the data holds after it
    stem = f"ratio_since_{base:%Y-%m}_to_{week_end.date()}"
    files = [
        Attachment(f"{stem}.png", export.to_png(chart), "image/png"),
        Attachment(
            f"{stem}.csv", export.to_csv(view.csv_frames()["ratio"], is_demo=price_set.is_demo).encode(), "text/csv"
        ),
    ]
    label = t("report_link_ratio", lang, month=format_date(base, lang, "month"))
    return files, [Link("ratio", base.date(), files[0].name, label)]


def _fund_files(report: WeeklyReport, price_set: PriceSet, funds: list[str], described: dict | None) -> tuple:
    lang, closes = report.lang, price_set.closes
    held = [symbol for symbol in funds if symbol in closes and not closes[symbol].dropna().empty]
    if not held:
        return None, [], [], [message("check_no_funds")]
    as_of = performance.last_month_end(report.summary.as_of)
    try:
        table = build_funds_table(
            closes, funds=held, benchmark=FUND_BENCHMARK, as_of=as_of, lang=lang, described=described
        )
    except OutsideData:
        listed = [s for s in (*held, FUND_BENCHMARK) if s in closes]
        last = closes[listed].dropna(how="all").index[-1].date()
        return None, [], [], [message("check_funds_stale", as_of=as_of.date(), benchmark=FUND_BENCHMARK, last=last)]
    checks = list(table.notes)
    stale = [f"{row.symbol} ({row.last_price_date.date()})" for row in table.rows if row.stale and row.last_price_date]
    if stale:
        checks.append(message("check_funds_some_stale", as_of=as_of.date(), funds=", ".join(stale)))
    frame = table_frame(table, lang)
    name = f"funds_as_of_{as_of.date()}.csv"
    csv = export.to_csv(frame, is_demo=price_set.is_demo, index=False, float_format="%.4f").encode()
    label = t("report_link_funds", lang, month=format_date(as_of, lang, "month"))
    # The draft shows the fund, its ticker and the trailing returns; the CSV has every column.
    shown = frame.iloc[:, : 2 + len(performance.PERIODS)]
    return shown, [Attachment(name, csv, "text/csv")], [Link("funds", as_of.date(), name, label)], checks


def _html(files: ReportFiles, text: str) -> str:
    lang = files.report.lang
    checks = "".join(f"<li>{html.escape(check.text(lang))}</li>" for check in files.checks)
    parts = [f'<ul class="checks">{checks}</ul>' if checks else "", markdown.html(text)]
    for link in files.links:
        label, name = link.label, link.target
        attachment = next(a for a in files.attachments if a.name == name)
        parts.append(f"<h3>{html.escape(label)}</h3>")
        if attachment.mime == "image/png":
            encoded = base64.b64encode(attachment.data).decode()
            parts.append(
                f'<img alt="{html.escape(label)}" src="data:image/png;base64,{encoded}" style="max-width:100%">'
            )
        elif files.funds_table is not None:
            parts.append(files.funds_table.to_html(index=False, na_rep="—", float_format=lambda v: f"{v:.2f}"))
            parts.append(f'<p><a href="{html.escape(name)}">{html.escape(name)}</a></p>')
    report = files.report
    title = html.escape(f"{report.summary.week_end.date()}")
    body = "\n".join(part for part in parts if part)
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.6}"
        ".checks{background:#fff8e1;padding:.8em 2em}table{border-collapse:collapse;font-size:90%}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )
