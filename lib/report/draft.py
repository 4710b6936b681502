"""The weekly comment drafted from the data: data checks, the opening and ratio paragraphs in the
analyst's style (Japanese) or plain financial English, the week's theme sections from the notes.

Pure: prices, notes and options in, a WeeklyReport out. Files (Markdown, HTML, zip with charts and
CSVs) are made in lib/report/files.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from lib.analytics.weekly import WeeklySummary, calc_weekly_summary
from lib.core import calendar, settings
from lib.core.i18n import Message, message
from lib.core.settings import DENOMINATOR, NUMERATOR, WEEKS_PER_SMA, display_name
from lib.core.types import Lang
from lib.notes.model import Note

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
    if lang == "ja":
        return WeeklyReport(summary, lang, checks, _opening_ja(summary), _ratio_ja(summary), sections)
    return WeeklyReport(summary, lang, checks, _opening_en(summary), _ratio_en(summary), sections)


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
        days = ", ".join(str(day) for day in closed)
        found.append(message("check_holiday", days=days, sessions=len(sessions), last=summary.week_end.date()))
    symbols = list(dict.fromkeys((*summary.indices, NUMERATOR, DENOMINATOR)))
    held = sessions[sessions <= summary.as_of]
    for symbol in symbols:
        missing = [day.date() for day in held if pd.isna(closes[symbol].get(day, math.nan))]
        if missing:
            found.append(message("check_missing_sessions", symbol=symbol, days=", ".join(map(str, missing))))
    window = calendar.week_end_sessions(
        calendar.sessions(summary.week_end - pd.Timedelta(weeks=WEEKS_PER_SMA + 1), summary.week_end)
    )
    for symbol in (NUMERATOR, DENOMINATOR):
        gaps = [week.date() for week in window.unique()[-WEEKS_PER_SMA:] if pd.isna(closes[symbol].get(week, math.nan))]
        if gaps and gaps[-1] != summary.week_end.date():
            shown = ", ".join(map(str, gaps[:6])) + (" …" if len(gaps) > 6 else "")
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


# --- Paragraphs ----------------------------------------------------------------------------------


def _opening_ja(summary: WeeklySummary) -> str:
    ruo, dow, spx = (summary.indices.get(s) for s in ("^RUO", "^DJI", "^GSPC"))
    day = summary.week_end
    status = "（暫定）" if summary.provisional else ""
    name = display_name("^RUO", "ja")
    if ruo is None:  # no previous week in the data: the close alone
        return f"{day.month}月{day.day}日の週{status}の{name}は{summary.ratio.numerator_close:.2f}でした。"
    word = ruo.direction_ja
    ending = {None: "でした。", "ほぼ横ばい": "とほぼ横ばいでした。"}.get(word, f"と{word}しました。")
    text = (
        f"{day.month}月{day.day}日の週{status}の{name}は{ruo.close:.2f}で、前週末比"
        f"{ruo.change:+.2f}ポイント（{ruo.change_pct:+.2f}%）{ending}"
    )
    others = [f"{display_name(s, 'ja')}は{m.change_pct:+.2f}%" for s, m in (("^DJI", dow), ("^GSPC", spx)) if m]
    if others:
        text += "、".join(others) + "で、"
        text += _versus_ja(ruo.change_pct, spx.change_pct) if spx else ""
    return text


def _in_line(small: float, large: float) -> bool:
    """The two weekly moves as published (two decimals) are the same."""
    return f"{small:.2f}" == f"{large:.2f}"


def _versus_ja(small: float, large: float) -> str:
    if _in_line(small, large):
        return "小型グロース株はS&P500とほぼ同じ動きでした。"
    return f"小型グロース株はS&P500を{'上回りました' if small > large else '下回りました'}。"


def _opening_en(summary: WeeklySummary) -> str:
    ruo, dow, spx = (summary.indices.get(s) for s in ("^RUO", "^DJI", "^GSPC"))
    status = " (provisional)" if summary.provisional else ""
    day = summary.week_end
    if ruo is None:  # no previous week in the data: the close alone
        return (
            f"The Russell 2000 Growth closed at {summary.ratio.numerator_close:.2f} in the week ending "
            f"{day:%B} {day.day}, {day.year}{status}."
        )
    way = "up" if ruo.change >= 0 else "down"
    if ruo.direction_en is None:
        words = "moved"
    else:
        words = f"was {ruo.direction_en}" if ruo.direction_en == "little changed" else ruo.direction_en
    text = (
        f"The Russell 2000 Growth {words}, {way} {abs(ruo.change):.2f} points ({ruo.change_pct:+.2f}%) to "
        f"{ruo.close:.2f}, in the week ending {day:%B} {day.day}, {day.year}{status}."
    )
    others = [f"the {display_name(s, 'en')} {_moved_en(m.change_pct)}" for s, m in (("^DJI", dow), ("^GSPC", spx)) if m]
    if others:
        text += f" Over the week {' and '.join(others)}"
        text += f"; {_versus_en(ruo.change_pct, spx.change_pct)}" if spx else "."
    return text


def _moved_en(pct: float) -> str:
    if f"{abs(pct):.2f}" == "0.00":
        return "was unchanged"
    return f"{'rose' if pct > 0 else 'fell'} {abs(pct):.2f}%"


def _versus_en(small: float, large: float) -> str:
    if _in_line(small, large):
        return "small-cap growth moved in line with the S&P 500."
    return f"small-cap growth {'outperformed' if small > large else 'underperformed'} the S&P 500."


def _ratio_ja(summary: WeeklySummary) -> str:
    r = summary.ratio
    text = (
        f"{display_name(r.numerator, 'ja')}÷{display_name(r.denominator, 'ja')} = "
        f"{r.numerator_close:.2f}/{r.denominator_close:.2f} = {r.pct:.2f}%、"
    )
    if r.sma26_pct is None or r.deviation_pts is None:
        return text + "26週移動平均からの乖離は、データが足りないため算出できません。"
    return text + f"26週移動平均（{r.sma26_pct:.2f}%）からの乖離は{r.deviation_pts:+.2f}ポイントです。"


def _ratio_en(summary: WeeklySummary) -> str:
    r = summary.ratio
    text = (
        f"{display_name(r.numerator, 'en')} ÷ {display_name(r.denominator, 'en')} = "
        f"{r.numerator_close:.2f}/{r.denominator_close:.2f} = {r.pct:.2f}%"
    )
    if r.sma26_pct is None or r.deviation_pts is None:
        return text + "; its 26-week average cannot be computed from the data."
    return text + f", {r.deviation_pts:+.2f} points from its 26-week average ({r.sma26_pct:.2f}%)."
