"""The week's figures as text an analyst pastes into the weekly comment (Japanese or English)."""

from __future__ import annotations

from lib.analytics.weekly import WeeklySummary
from lib.core.settings import display_name
from lib.core.types import Lang

DASH = "—"  # a figure whose window is not in the data (the notices say why)


def figure(value: float | None, spec: str) -> str:
    """`value` formatted with `spec` (e.g. "+.2f"), or a dash when it cannot be computed."""
    return DASH if value is None else format(value, spec)


def format_weekly(summary: WeeklySummary, lang: Lang) -> str:
    return "\n".join(_ja_lines(summary) if lang == "ja" else _en_lines(summary))


def _ja_lines(summary: WeeklySummary) -> list[str]:
    day = summary.week_end
    status = f"暫定・{summary.as_of.month}月{summary.as_of.day}日終値時点" if summary.provisional else "確定"
    lines = [f"{day.year}年{day.month}月{day.day}日の週（{status}） 出所: {summary.source}"]
    for position, (symbol, move) in enumerate(summary.indices.items()):
        name = display_name(symbol, "ja")
        if position == 0:
            change = f"前週比 {move.change:+.2f}ポイント、{move.change_pct:+.2f}%"
            lines.append(f"{name} {move.close:.2f}（{change}）{move.direction_ja or DASH}")
        else:
            lines.append(f"{name} {move.change_pct:+.2f}%（{move.direction_ja or DASH}）")
    ratio = summary.ratio
    lines.append(
        f"{display_name(ratio.numerator, 'ja')}÷{display_name(ratio.denominator, 'ja')} = "
        f"{ratio.numerator_close:.2f}/{ratio.denominator_close:.2f} = {ratio.pct:.2f}%"
    )
    lines.append(
        f"26週移動平均 {figure(ratio.sma26_pct, '.2f')}%、乖離 {figure(ratio.deviation_pts, '+.2f')}ポイント"
        f"（乖離率 {figure(ratio.deviation_rel_pct, '+.2f')}%）"
    )
    lines.append(
        f"13週移動平均 {figure(ratio.sma13_pct, '.2f')}%、乖離 {figure(ratio.deviation13_pts, '+.2f')}ポイント"
    )
    lines.extend(f"※ {notice.text('ja')}" for notice in summary.notices)
    return lines


def _en_lines(summary: WeeklySummary) -> list[str]:
    status = f"provisional, as of the {summary.as_of.date()} close" if summary.provisional else "final"
    lines = [f"Week ending {summary.week_end.date()} ({status}), source: {summary.source}"]
    for position, (symbol, move) in enumerate(summary.indices.items()):
        name = display_name(symbol, "en")
        if position == 0:
            lines.append(
                f"{name} {move.close:.2f}, {move.change:+.2f} points ({move.change_pct:+.2f}%) on the week: "
                f"{move.direction_en or DASH}"
            )
        else:
            lines.append(f"{name} {move.change_pct:+.2f}% on the week ({move.direction_en or DASH})")
    ratio = summary.ratio
    lines.append(
        f"{display_name(ratio.numerator, 'en')} ÷ {display_name(ratio.denominator, 'en')} = "
        f"{ratio.numerator_close:.2f}/{ratio.denominator_close:.2f} = {ratio.pct:.2f}%"
    )
    lines.append(
        f"26-week average {figure(ratio.sma26_pct, '.2f')}%, deviation {figure(ratio.deviation_pts, '+.2f')} pts "
        f"(relative {figure(ratio.deviation_rel_pct, '+.2f')}%)"
    )
    lines.append(
        f"13-week average {figure(ratio.sma13_pct, '.2f')}%, deviation {figure(ratio.deviation13_pts, '+.2f')} pts"
    )
    lines.extend(f"Note: {notice}" for notice in summary.notices)
    return lines
