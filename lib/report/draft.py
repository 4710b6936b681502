"""The weekly comment drafted from the data: data checks, then the draft written by a template in
the analyst's published pattern (Japanese) or plain financial English, with the week's notes as theme
sections.

Pure: prices, notes and options in, a WeeklyReport out. The template and its fields are in
lib/report/template.py and fields.py; files (Markdown, HTML, zip with charts and CSVs) in files.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from lib.analytics.weekly import WeeklySummary, calc_weekly_summary
from lib.core import calendar, settings
from lib.core.i18n import Joined, Message, message
from lib.core.settings import DENOMINATOR, NUMERATOR, WEEKS_PER_SMA
from lib.core.types import Lang
from lib.notes.model import Note, Tag
from lib.report.fields import Link, draft_fields
from lib.report.template import default_template, render, render_part
from lib.report.themes import Theme, group_themes

# Closes that differ by less than this (index points) are the same close, rounded differently.
SAME_CLOSE_PTS = 0.005


@dataclass(frozen=True)
class WeeklyReport:
    summary: WeeklySummary
    lang: Lang
    checks: list[Message]  # anything odd about the data, shown before the text
    themes: list[Theme] = field(default_factory=list)  # the week's notes by theme
    template: str | None = None  # the team's or a file's template; None: the default of `lang`

    @property
    def template_text(self) -> str:
        return default_template(self.lang) if self.template is None else self.template

    def fields(self, links: Sequence[Link] = ()) -> dict[str, object]:
        """What the template is filled with (lib/report/fields.py)."""
        return draft_fields(self.summary, self.lang, self.themes, links)

    def markdown(self, links: Sequence[Link] = ()) -> str:
        """The draft as Markdown; `links` are the attachments it points to. InvalidTemplate when the
        template cannot draft this week."""
        return render(self.template_text, self.fields(links))

    def part(self, name: str) -> str:
        """One part of the draft (a `{% block %}` of the template: opening, comparison, ratio, ...)."""
        return render_part(self.template_text, name, self.fields())

    @property
    def opening(self) -> str:
        return self.part("opening")

    @property
    def comparison(self) -> str:
        return self.part("comparison")

    @property
    def ratio_paragraph(self) -> str:
        return self.part("ratio")


def build_report(
    closes: pd.DataFrame,
    *,
    source: str,
    lang: Lang,
    week_of: pd.Timestamp | None = None,
    notes: list[Note] = (),
    tags: list[Tag] | None = None,
    last_closed: pd.Timestamp | None = None,
    other_sources: dict[str, pd.DataFrame] | None = None,
    template: str | None = None,
) -> WeeklyReport:
    """The draft for the week containing `week_of` (default: the latest week in the data).

    `other_sources` are closes from elsewhere (e.g. the store beside a price file), compared with
    the week's closes; `notes` may hold any weeks, those of the report's week become its theme
    sections, headed by their tags' labels in `tags` (the notes database's vocabulary).
    """
    summary = calc_weekly_summary(
        closes, source=source, week_of=week_of, last_closed=last_closed, strict=settings.strict_closes()
    )
    checks = [
        *data_checks(closes, summary),
        *source_checks(closes, summary, source, other_sources or {}),
        *[notice for notice in summary.notices if notice.key != "notice_provisional"],
    ]
    week = summary.week_end.date()
    themes = group_themes([n for n in notes if n.week == week and not n.deleted], tags, lang)
    return WeeklyReport(summary, lang, checks, themes, template)


def latest_completed_week(as_of: pd.Timestamp, last_closed: pd.Timestamp | None = None) -> pd.Timestamp:
    """The last session of the latest week whose last session has closed and is in the data (the
    report's default week: a week still in progress is provisional)."""
    last = min(as_of, last_closed) if last_closed is not None else as_of
    week_end = calendar.week_end_sessions(pd.DatetimeIndex([last]))[0]
    if week_end <= last:
        return week_end
    monday = week_end - pd.Timedelta(days=week_end.weekday())
    return calendar.week_end_sessions(pd.DatetimeIndex([monday - pd.Timedelta(days=3)]))[0]


# --- Checks ------------------------------------------------------------------------------------


def data_checks(closes: pd.DataFrame, summary: WeeklySummary) -> list[Message]:
    """A provisional week, a holiday week, sessions without a close, weeks missing from the average."""
    found: list[Message] = []
    if summary.provisional and not any(n.key == "notice_data_ends_in_week" for n in summary.notices):
        found.append(message("check_provisional", session=summary.as_of.date(), week=summary.week_end.date()))
    monday = summary.week_end - pd.Timedelta(days=summary.week_end.weekday())
    weekdays = pd.bdate_range(monday, monday + pd.Timedelta(days=4))
    sessions = calendar.sessions(monday, monday + pd.Timedelta(days=4))
    closed = [day.date() for day in weekdays if day not in sessions]
    if closed:
        found.append(
            message("check_holiday", days=Joined(tuple(closed)), sessions=len(sessions), last=summary.week_end.date())
        )
    symbols = list(dict.fromkeys((*summary.indices, NUMERATOR, DENOMINATOR)))
    held = sessions[sessions <= summary.as_of]
    for symbol in symbols:
        missing = [day.date() for day in held if pd.isna(closes[symbol].get(day, math.nan))]
        if missing:
            found.append(message("check_missing_sessions", symbol=symbol, days=Joined(tuple(missing))))
    found.extend(_convention_check(summary))
    window = calendar.week_end_sessions(
        calendar.sessions(summary.week_end - pd.Timedelta(weeks=WEEKS_PER_SMA + 1), summary.week_end)
    )
    for symbol in (NUMERATOR, DENOMINATOR):
        gaps = [week.date() for week in window.unique()[-WEEKS_PER_SMA:] if pd.isna(closes[symbol].get(week, math.nan))]
        if gaps and gaps[-1] != summary.week_end.date():
            shown = Joined((Joined(tuple(gaps[:6])), " …" if len(gaps) > 6 else ""), "")
            found.append(message("check_missing_weeks", symbol=symbol, count=len(gaps), weeks=shown))
    return found


def _convention_check(summary: WeeklySummary) -> list[Message]:
    """Both 26-week deviations when they round differently: one week cannot tell which convention a
    published figure used (2025-11-28: +0.37 from weekly closes, +0.39 published and from 130 days)."""
    weekly, daily = summary.ratio.deviation_weekly_pts, summary.ratio.deviation_daily130_pts
    if weekly is None or daily is None or f"{weekly:+.2f}" == f"{daily:+.2f}":
        return []
    key = f"check_deviation_conventions_{settings.deviation_convention()}"
    return [message(key, weekly=f"{weekly:+.2f}", daily=f"{daily:+.2f}")]


def source_checks(
    closes: pd.DataFrame, summary: WeeklySummary, source: str, others: dict[str, pd.DataFrame]
) -> list[Message]:
    """Each of the week's closes against the same day in other sources (the brief's own example
    shows 1672.67 and 1672.71 for one index on one day)."""
    found = []
    for other_name, other in others.items():
        for symbol in dict.fromkeys((*summary.indices, NUMERATOR, DENOMINATOR)):
            ours = closes[symbol].get(summary.as_of, math.nan) if symbol in closes else math.nan
            theirs = other[symbol].get(summary.as_of, math.nan) if symbol in other else math.nan
            if not (math.isnan(ours) or math.isnan(theirs)) and abs(ours - theirs) >= SAME_CLOSE_PTS:
                found.append(
                    message(
                        "check_sources_differ",
                        symbol=symbol,
                        day=summary.as_of.date(),
                        ours=f"{ours:.2f}",
                        source=source,
                        theirs=f"{theirs:.2f}",
                        other=other_name,
                    )
                )
    return found
