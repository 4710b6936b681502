"""The week's figures as text an analyst pastes into the weekly comment (Japanese or English)."""

from __future__ import annotations

from lib.analytics.weekly import RatioFigures, WeeklySummary
from lib.core.i18n import format_date, t
from lib.core.settings import display_name
from lib.core.types import Lang

DASH = "—"  # a figure whose window is not in the data (the notices say why)


def figure(value: float | None, spec: str) -> str:
    """`value` formatted with `spec` (e.g. "+.2f"), or a dash when it cannot be computed."""
    return DASH if value is None else format(value, spec)


def format_weekly(summary: WeeklySummary, lang: Lang) -> str:
    """The week's figures, one line each, in `lang` (the sentences are the catalogues' text_* messages)."""
    session = format_date(summary.as_of, lang, "short")
    status = t("text_provisional", lang, session=session) if summary.provisional else t("text_final", lang)
    lines = [t("text_week", lang, week=summary.week_end.date(), status=status, source=summary.source)]
    for position, (symbol, move) in enumerate(summary.indices.items()):
        said = {"name": display_name(symbol, lang), "change_pct": f"{move.change_pct:+.2f}"}
        said["word"] = move.direction(lang) or DASH
        if position == 0:
            lines.append(t("text_first_move", lang, close=f"{move.close:.2f}", change=f"{move.change:+.2f}", **said))
        else:
            lines.append(t("text_move", lang, **said))
    ratio = summary.ratio
    lines.append(t("text_ratio", lang, **ratio_fields(ratio, lang)))
    lines.append(
        t(
            "text_sma26",
            lang,
            sma=figure(ratio.sma26_pct, ".2f"),
            deviation=figure(ratio.deviation_pts, "+.2f"),
            relative=figure(ratio.deviation_rel_pct, "+.2f"),
        )
    )
    lines.append(
        t("text_sma13", lang, sma=figure(ratio.sma13_pct, ".2f"), deviation=figure(ratio.deviation13_pts, "+.2f"))
    )
    lines.extend(t("text_notice", lang, notice=notice) for notice in summary.notices)
    return "\n".join(lines)


def ratio_fields(ratio: RatioFigures, lang: Lang) -> dict[str, str]:
    """The fields of "num/den = ratio%" as the comment writes them (closes and ratio to 2 decimals)."""
    return {
        "num": display_name(ratio.numerator, lang),
        "den": display_name(ratio.denominator, lang),
        "num_close": f"{ratio.numerator_close:.2f}",
        "den_close": f"{ratio.denominator_close:.2f}",
        "pct": f"{ratio.pct:.2f}",
    }
