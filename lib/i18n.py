"""Every label the product shows, in English and Japanese."""

from __future__ import annotations

from lib.options import Lang

_TEXT: dict[str, dict[str, str]] = {
    "app_title": {"en": "Small-cap growth relative value", "ja": "米国小型グロース株 相対バリュエーション"},
    "language": {"en": "Language", "ja": "言語"},
    "date_range": {"en": "Date range", "ja": "期間"},
    "range_preset": {"en": "Range", "ja": "期間の指定"},
    "custom": {"en": "Custom", "ja": "カスタム"},
    "start": {"en": "Start", "ja": "開始日"},
    "end": {"en": "End", "ja": "終了日"},
    "data_source": {"en": "Data", "ja": "データ"},
    "page_ratio": {"en": "Ratio", "ja": "レシオ"},
    "ratio_title": {"en": "Russell 2000 Growth ÷ S&P 500", "ja": "ラッセル2000グロース ÷ S&P500"},
    "ratio_metric": {"en": "Ratio (%)", "ja": "レシオ (%)"},
    "ratio_change": {"en": "pts on the week", "ja": "ポイント（前週比）"},
    "sma26_metric": {"en": "26-week average (%)", "ja": "26週移動平均 (%)"},
    "dev26_metric": {"en": "Deviation from 26-wk avg (pts)", "ja": "26週移動平均からの乖離（ポイント）"},
    "dev26_rel_metric": {"en": "Deviation, relative (%)", "ja": "乖離率 (%)"},
    "dev13_metric": {"en": "Deviation from 13-wk avg (pts)", "ja": "13週移動平均からの乖離（ポイント）"},
    "weekly_moves": {"en": "The week's moves", "ja": "週間騰落"},
    "col_index": {"en": "Index", "ja": "指数"},
    "col_close": {"en": "Close (pts)", "ja": "終値（ポイント）"},
    "col_prev": {"en": "Previous week (pts)", "ja": "前週終値（ポイント）"},
    "col_change": {"en": "Change (pts)", "ja": "前週比（ポイント）"},
    "col_change_pct": {"en": "Change (%)", "ja": "前週比 (%)"},
    "col_direction": {"en": "Direction", "ja": "方向"},
    "chart_ratio_title": {
        "en": "Russell 2000 Growth ÷ S&P 500 (%, weekly)",
        "ja": "ラッセル2000グロース ÷ S&P500（%、週次）",
    },
    "series_ratio": {"en": "Ratio", "ja": "レシオ"},
    "series_sma26": {"en": "26-week average", "ja": "26週移動平均"},
    "axis_ratio": {"en": "Ratio (%)", "ja": "レシオ (%)"},
    "axis_week": {"en": "Week ending", "ja": "週末"},
    "demo_banner": {
        "en": "DEMO DATA: synthetic prices made by this app, not market data.",
        "ja": "デモデータ：アプリが生成した架空の価格です（実際の市場データではありません）。",
    },
    "demo_mark": {"en": "DEMO DATA", "ja": "デモデータ"},
    "provisional": {"en": "provisional (week to date)", "ja": "暫定（週初来）"},
    "final": {"en": "final", "ja": "確定"},
    "as_of_line": {
        "en": "As of {session} close · source {source} · fetched {fetched}",
        "ja": "{session} 終値時点 · 出所 {source} · 取得 {fetched}",
    },
    "not_fetched": {"en": "n/a", "ja": "なし"},
    "week_line": {"en": "Week ending {week} ({status})", "ja": "{week} 週（{status}）"},
    "no_figures": {"en": "The week's figures cannot be shown: {reason}", "ja": "週次の数値を表示できません：{reason}"},
    "empty_range": {
        "en": "No weekly closes between {start} and {end}: choose a wider range.",
        "ja": "{start} から {end} の間に週次終値がありません。期間を広げてください。",
    },
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The label `key` in `lang`, with {placeholders} filled."""
    text = _TEXT[key][lang]
    return text.format(**values) if values else text
