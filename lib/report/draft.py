"""The weekly comment drafted from the data: data checks, the opening and ratio paragraphs in the
analyst's style (Japanese) or plain financial English, the week's theme sections from the notes.

Pure: prices, notes and options in, a WeeklyReport out. Files (Markdown, HTML, zip with charts and
CSVs) are made in lib/report/files.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from lib.analytics.weekly import IndexMove, WeeklySummary, calc_weekly_summary
from lib.core import calendar, settings
from lib.core.i18n import Joined, Message, format_date, message, t
from lib.core.settings import DENOMINATOR, NUMERATOR, WEEKS_PER_SMA, display_name
from lib.core.types import Lang
from lib.notes.model import Note
from lib.views.weekly_text import ratio_fields

# Closes that differ by less than this (index points) are the same close, rounded differently.
SAME_CLOSE_PTS = 0.005


@dataclass(frozen=True)
class WeeklyReport:
    summary: WeeklySummary
    lang: Lang
    checks: list[Message]  # anything odd about the data, shown before the text
    opening: str
    ratio_paragraph: str
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, Markdown body) per note

    def markdown(self, links: list[tuple[str, str]] = ()) -> str:
        """The draft as Markdown; `links` are (label, file name) lines the analyst ends with."""
        parts = [self.opening, self.ratio_paragraph]
        parts += [f"## {heading}\n\n{body.strip()}" for heading, body in self.sections]
        if links:
            parts.append("\n".join(f"- [{label}]({target})" for label, target in links))
        return "\n\n".join(parts) + "\n"


def build_report(
    closes: pd.DataFrame,
    *,
    source: str,
    lang: Lang,
    week_of: pd.Timestamp | None = None,
    notes: list[Note] = (),
    last_closed: pd.Timestamp | None = None,
    other_sources: dict[str, pd.DataFrame] | None = None,
) -> WeeklyReport:
    """The draft for the week containing `week_of` (default: the latest week in the data).

    `other_sources` are closes from elsewhere (e.g. the store beside a price file), compared with
    the week's closes; `notes` may hold any weeks, those of the report's week become its sections.
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
    sections = [(n.title, n.body) for n in sorted(notes, key=lambda n: n.id) if n.week == week and not n.deleted]
    return WeeklyReport(summary, lang, checks, opening(summary, lang), ratio_paragraph(summary, lang), sections)


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
    window = calendar.week_end_sessions(
        calendar.sessions(summary.week_end - pd.Timedelta(weeks=WEEKS_PER_SMA + 1), summary.week_end)
    )
    for symbol in (NUMERATOR, DENOMINATOR):
        gaps = [week.date() for week in window.unique()[-WEEKS_PER_SMA:] if pd.isna(closes[symbol].get(week, math.nan))]
        if gaps and gaps[-1] != summary.week_end.date():
            shown = Joined((Joined(tuple(gaps[:6])), " …" if len(gaps) > 6 else ""), "")
            found.append(message("check_missing_weeks", symbol=symbol, count=len(gaps), weeks=shown))
    return found


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


# --- Paragraphs: the sentences are the catalogues' report_* messages; the code picks and fills them --


def opening(summary: WeeklySummary, lang: Lang) -> str:
    """The Russell 2000 Growth's week, the Dow's and the S&P 500's, and how small caps did."""
    ruo, dow, spx = (summary.indices.get(s) for s in ("^RUO", "^DJI", "^GSPC"))
    said = {
        "name": display_name("^RUO", lang),
        "week": format_date(summary.week_end, lang, "prose"),
        "status": t("report_provisional", lang) if summary.provisional else "",
    }
    if ruo is None:  # no previous week in the data: the close alone
        return t("report_close_only", lang, close=f"{summary.ratio.numerator_close:.2f}", **said)
    points = t("report_points_up" if ruo.change >= 0 else "report_points_down", lang, points=f"{abs(ruo.change):.2f}")
    text = t(
        "report_opening",
        lang,
        moved=_moved(ruo, lang),
        change=points,
        change_pct=f"{ruo.change_pct:+.2f}",
        close=f"{ruo.close:.2f}",
        **said,
    )
    others = tuple(_other(symbol, move, lang) for symbol, move in (("^DJI", dow), ("^GSPC", spx)) if move)
    if others:
        versus = _versus(ruo.change_pct, spx.change_pct) if spx else "report_versus_none"
        text += t("report_others", lang, others=Joined(others, t("report_others_join", lang)), versus=t(versus, lang))
    return text


def _moved(move: IndexMove, lang: Lang) -> str:
    word = move.direction(lang)
    if not word:
        return t("report_moved_unknown", lang)
    return t("report_moved_flat" if word == t("direction_flat", lang) else "report_moved", lang, word=word)


def _other(symbol: str, move: IndexMove, lang: Lang) -> str:
    size = f"{abs(move.change_pct):.2f}"
    key = "report_other_unchanged" if size == "0.00" else f"report_other_{'rose' if move.change_pct > 0 else 'fell'}"
    return t(key, lang, name=display_name(symbol, lang), size=size)


def _in_line(small: float, large: float) -> bool:
    """The two weekly moves as published (two decimals) are the same."""
    return f"{small:.2f}" == f"{large:.2f}"


def _versus(small: float, large: float) -> str:
    """The key of the sentence comparing small-cap growth's week with the S&P 500's."""
    if _in_line(small, large):
        return "report_versus_in_line"
    return "report_versus_better" if small > large else "report_versus_worse"


def ratio_paragraph(summary: WeeklySummary, lang: Lang) -> str:
    """num/den = ratio%, and its deviation from the 26-week average in points."""
    r = summary.ratio
    if r.sma26_pct is None or r.deviation_pts is None:
        deviation = t("report_ratio_no_average", lang)
    else:
        deviation = t("report_ratio_deviation", lang, sma=f"{r.sma26_pct:.2f}", deviation=f"{r.deviation_pts:+.2f}")
    return t("report_ratio", lang, deviation=deviation, **ratio_fields(r, lang))
