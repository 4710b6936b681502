"""The fields a weekly-comment template is filled with (listed in the default templates' header and
the README), and the grade of small-cap growth's week against the major indices.

Figures are strings as the comment prints them (two decimals, signed where a change), None when the
data cannot give them; dates are written in the draft's language (the catalogues' "long" date style).
"""
# e.g. date "2026年1月2日" / "January 2, 2026", r2g.change "-17.96", ratio.deviation "+0.16"

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lib.analytics.weekly import IndexMove, WeeklySummary
from lib.core.i18n import format_date, t
from lib.core.settings import NUMERATOR, VERSUS_THRESHOLDS, VersusThresholds
from lib.core.types import Lang
from lib.notes.model import Note
from lib.report.themes import Theme

Grade = Literal["weaker", "slightly_weaker", "about_same", "slightly_stronger", "stronger"]
GRADES: tuple[Grade, ...] = ("weaker", "slightly_weaker", "about_same", "slightly_stronger", "stronger")
MAJORS = {"dow": "^DJI", "spx": "^GSPC"}  # the indices the comment compares small-cap growth with


@dataclass(frozen=True)
class Link:
    """A file the draft points to: the ratio chart since the base month, or the fund table."""

    kind: Literal["ratio", "funds"]
    month: dt.date  # the chart's first month, or the fund table's month-end
    target: str  # the attachment's file name
    label: str  # its title in the draft's language (the HTML's heading, the page's preview)


def grade_gap(gap_pct: float, thresholds: VersusThresholds = VERSUS_THRESHOLDS) -> int:
    """-2 (weaker) .. +2 (stronger) for a gap in percentage points, at or over each threshold."""
    size = _hundredths(abs(gap_pct))
    if size >= _hundredths(thresholds.clear_pts):
        return 2 if gap_pct > 0 else -2
    if size >= _hundredths(thresholds.slight_pts):
        return 1 if gap_pct > 0 else -1
    return 0


def calc_versus(
    small_pct: float, others_pct: Sequence[float], thresholds: VersusThresholds = VERSUS_THRESHOLDS
) -> Grade | None:
    """How small-cap growth's weekly change (%) compares with each of `others_pct`, as one grade.

    Each gap is taken between the published two-decimal changes and graded alone; when no grade
    points the other way the stronger one stands (the 2026-01-02 week: -0.39 pts against the Dow is
    "slightly weaker", -0.03 against the S&P 500 "about the same", so "slightly weaker"); when small-cap
    growth sits between the indices (one grade up, one down) it moved about the same. None without
    an index to compare with."""
    if not others_pct:
        return None
    small = _published(small_pct)
    scores = [grade_gap(small - _published(other), thresholds) for other in others_pct]
    if all(score >= 0 for score in scores):
        return GRADES[max(scores) + 2]
    if all(score <= 0 for score in scores):
        return GRADES[min(scores) + 2]
    return "about_same"


def draft_fields(
    summary: WeeklySummary, lang: Lang, themes: Sequence[Theme], links: Sequence[Link] = ()
) -> dict[str, object]:
    """Everything a template may use (the README's table of fields, the templates' header)."""
    ruo = summary.indices.get(NUMERATOR)
    majors = {name: summary.indices.get(symbol) for name, symbol in MAJORS.items()}
    versus = calc_versus(ruo.change_pct, [m.change_pct for m in majors.values() if m]) if ruo else None
    return {
        "lang": lang,
        "date": format_date(summary.as_of, lang, "long"),
        "week_end": format_date(summary.week_end, lang, "long"),
        "provisional": summary.provisional,
        "r2g": _move(ruo, lang) if ruo else _close_only(summary.ratio.numerator_close),
        **{name: _move(move, lang) if move else None for name, move in majors.items()},
        "versus": versus,
        "versus_also": _also(versus, ruo),
        "ratio": _ratio(summary, lang),
        "links": {kind: _link(links, kind, lang) for kind in ("ratio", "funds")},
        "themes": [_theme(theme) for theme in themes if not theme.external],
        "external": [_theme(theme) for theme in themes if theme.external],
    }


def _move(move: IndexMove, lang: Lang) -> dict[str, object]:
    return {
        "close": f"{move.close:.2f}",
        "change": f"{move.change:+.2f}",
        "change_pct": f"{move.change_pct:+.2f}",
        "points": f"{abs(move.change):.2f}",
        "pct": f"{abs(move.change_pct):.2f}",
        "up": move.change >= 0,
        "direction": move.direction(lang),
        "flat": move.direction(lang) == t("direction_flat", lang),
    }


def _close_only(close: float) -> dict[str, object]:
    """The Russell 2000 Growth without the previous week in the data: its close alone."""
    unknown = dict.fromkeys(("change", "change_pct", "points", "pct", "up", "direction"))
    return {"close": f"{close:.2f}", **unknown, "flat": False}


def _also(versus: Grade | None, ruo: IndexMove | None) -> bool:
    """The grade goes the way small-cap growth itself went: it fell and did worse, or rose and did
    better (the Japanese template then writes "mo", as the published comment does)."""
    # e.g. 「NYダウ…およびSP500…に比べてもやや弱い動き」 after a week that fell
    if versus is None or ruo is None:
        return False
    moved = _published(ruo.change_pct)
    return (versus.endswith("stronger") and moved > 0) or (versus.endswith("weaker") and moved < 0)


def _ratio(summary: WeeklySummary, lang: Lang) -> dict[str, object]:
    r = summary.ratio
    return {
        "date": format_date(r.session if r.session is not None else summary.as_of, lang, "long"),
        "num_close": f"{r.numerator_close:.2f}",
        "den_close": f"{r.denominator_close:.2f}",
        "pct": f"{r.pct:.2f}",
        "change": None if r.change_pts is None else f"{r.change_pts:+.2f}",
        "sma26": None if r.sma26_pct is None else f"{r.sma26_pct:.2f}",
        "deviation": None if r.deviation_pts is None else f"{r.deviation_pts:+.2f}",
    }


def _link(links: Sequence[Link], kind: str, lang: Lang) -> dict[str, str] | None:
    found = next((link for link in links if link.kind == kind), None)
    return None if found is None else {"month": format_date(found.month, lang, "month"), "target": found.target}


def _theme(theme: Theme) -> dict[str, object]:
    return {"heading": theme.heading, "tagged": theme.tag is not None, "notes": [_note(n) for n in theme.notes]}


def _note(note: Note) -> dict[str, str]:
    return {"title": note.title, "body": note.body.strip()}


def _published(pct: float) -> float:
    """A change as the comment prints it (two decimals): grades never hang on a third decimal."""
    return _hundredths(pct) / 100


def _hundredths(value: float) -> int:
    return round(float(f"{value:.2f}") * 100)
