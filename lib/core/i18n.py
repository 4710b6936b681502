"""Every label the product shows, in English and Japanese."""

from __future__ import annotations

from dataclasses import dataclass

from lib.core.i18n_data import DATA_TEXT
from lib.core.i18n_notes import NOTES_TEXT
from lib.core.types import Lang

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
    "ratio_metric": {"en": "Ratio (%)", "ja": "レシオ (%)"},
    "ratio_change": {"en": "pts on the week", "ja": "ポイント（前週比）"},
    "sma26_metric": {"en": "26-week average (%)", "ja": "26週移動平均 (%)"},
    "dev26_metric": {"en": "Deviation from 26-wk avg (pts)", "ja": "26週乖離（ポイント）"},
    "dev26_rel_metric": {"en": "Deviation, relative (%)", "ja": "乖離率 (%)"},
    "dev13_metric": {"en": "Deviation from 13-wk avg (pts)", "ja": "13週乖離（ポイント）"},
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
    "series_sma13": {"en": "13-week average", "ja": "13週移動平均"},
    "axis_deviation": {"en": "Deviation (pts)", "ja": "乖離（ポイント）"},
    "axis_rebased": {"en": "Rebased (start = 100)", "ja": "指数化（起点 = 100）"},
    "axis_date": {"en": "Date", "ja": "日付"},
    "freq_weekly": {"en": "weekly", "ja": "週次"},
    "freq_daily": {"en": "daily", "ja": "日次"},
    "chart_ratio": {"en": "{num} ÷ {den} (%, {freq})", "ja": "{num} ÷ {den}（%、{freq}）"},
    "chart_deviation": {
        "en": "Deviation from the 26-week average (pts, {freq})",
        "ja": "26週移動平均からの乖離（ポイント、{freq}）",
    },
    "chart_relative": {"en": "{num} and {den}, rebased to 100", "ja": "{num} と {den}（起点 = 100）"},
    "chart_subtitle": {
        "en": "{start} – {end} · as of {session} close · source {source}",
        "ja": "{start} – {end} · {session} 終値時点 · 出所 {source}",
    },
    "axis_ratio": {"en": "Ratio (%)", "ja": "レシオ (%)"},
    "axis_week": {"en": "Week ending", "ja": "週末"},
    "demo_banner": {
        "en": "DEMO DATA: synthetic prices made by this app, not market data.",
        "ja": "デモデータ：アプリが生成した架空の価格です（実際の市場データではありません）。",
    },
    "demo_mark": {"en": "DEMO DATA", "ja": "デモデータ"},
    "provisional": {"en": "provisional, week to date", "ja": "暫定・週初来"},
    "final": {"en": "final", "ja": "確定"},
    "as_of_line": {
        "en": "As of {session} close · source {source} · fetched {fetched}",
        "ja": "{session} 終値時点 · 出所 {source} · 取得 {fetched}",
    },
    "range_empty": {
        "en": "The date range {start} to {end} is empty: the start must come before the end.",
        "ja": "期間 {start}〜{end} は空です。開始日を終了日より前にしてください。",
    },
    "range_fallback": {
        "en": "{problem} Showing the range since 2022-01 until the dates are fixed.",
        "ja": "{problem} 日付を直すまで、2022年1月以降の期間を表示しています。",
    },
    "not_fetched": {"en": "n/a", "ja": "なし"},
    "week_line": {"en": "Week ending {week} ({status})", "ja": "{week} の週（{status}）"},
    "no_figures": {"en": "The week's figures cannot be shown: {reason}", "ja": "週次の数値を表示できません：{reason}"},
    "empty_range": {
        "en": "No weekly closes between {start} and {end}: choose a wider range.",
        "ja": "{start} から {end} の間に週次終値がありません。期間を広げてください。",
    },
    # Ratio page controls and sections
    "ratio_page_title": {"en": "{num} ÷ {den}", "ja": "{num} ÷ {den}"},
    "pair_numerator": {"en": "Numerator", "ja": "分子"},
    "pair_denominator": {"en": "Denominator", "ja": "分母"},
    "pair_help": {
        "en": "Pick one, or type any Yahoo ticker and press Enter.",
        "ja": "選択するか、Yahooのティッカーを入力してEnterを押してください。",
    },
    "pair_same": {
        "en": "Numerator and denominator are both {symbol}: choose two different series.",
        "ja": "分子と分母がどちらも {symbol} です。異なる系列を選んでください。",
    },
    "frequency": {"en": "Frequency", "ja": "頻度"},
    "band_toggle": {"en": "Band {low:.0f}–{high:.0f}%", "ja": "帯 {low:.0f}–{high:.0f}%"},
    "log_toggle": {"en": "Log scale", "ja": "対数目盛"},
    "pct_range_metric": {"en": "Percentile in range (0–100)", "ja": "期間内パーセンタイル（0–100）"},
    "pct_all_metric": {"en": "Percentile, all history (0–100)", "ja": "全期間パーセンタイル（0–100）"},
    "zscore_metric": {"en": "Z-score, all history", "ja": "Zスコア（全期間）"},
    "daily_windows_note": {
        "en": "Daily view: averages over 65 and 130 sessions (13 and 26 weeks).",
        "ja": "日次表示：移動平均は65日・130日（13週・26週相当）。",
    },
    "signal_title": {
        "en": "Signal study: what followed a 26-week deviation of {threshold:+.1f} pts",
        "ja": "シグナル検証：26週乖離 {threshold:+.1f} ポイント到達後の推移",
    },
    "signal_threshold": {"en": "Threshold (pts)", "ja": "しきい値（ポイント）"},
    "signal_caption": {
        "en": "Every week the deviation crossed the threshold, over all history of the pair; a hit is a ratio higher (for a negative threshold) or lower (positive) after the horizon.",
        "ja": "全期間で乖離がしきい値を超えた週。ヒットは、しきい値が負なら期間後にレシオが上昇、正なら下落した場合。",
    },
    "signal_none": {
        "en": "The deviation never crossed {threshold:+.1f} pts in this history.",
        "ja": "この期間に乖離が {threshold:+.1f} ポイントを超えたことはありません。",
    },
    "signal_events": {"en": "Crossings ({count})", "ja": "到達した週（{count}件）"},
    "col_horizon": {"en": "After (weeks)", "ja": "経過週数"},
    "col_events": {"en": "Events", "ja": "件数"},
    "col_hits": {"en": "Hits", "ja": "ヒット"},
    "col_hit_rate": {"en": "Hit rate (%)", "ja": "ヒット率 (%)"},
    "col_mean_change": {"en": "Mean change (pts)", "ja": "平均変化（ポイント）"},
    "col_week": {"en": "Week ending", "ja": "週末"},
    "col_deviation": {"en": "Deviation (pts)", "ja": "乖離（ポイント）"},
    "col_ratio": {"en": "Ratio (%)", "ja": "レシオ (%)"},
    "col_change_after": {"en": "Change after {weeks}w (pts)", "ja": "{weeks}週後の変化（ポイント）"},
    # Funds page
    "page_funds": {"en": "Funds", "ja": "ファンド"},
    "funds_title": {"en": "US small-cap growth funds", "ja": "米国小型グロース株ファンド"},
    "funds_as_of": {"en": "As of", "ja": "基準日"},
    "funds_month_end": {"en": "Last month-end", "ja": "直近の月末"},
    "funds_latest": {"en": "Latest close", "ja": "直近の終値"},
    "funds_benchmark": {"en": "Benchmark", "ja": "ベンチマーク"},
    "funds_benchmark_help": {
        "en": "IWO's adjusted close is a total-return proxy of the Russell 2000 Growth; ^RUO is the price index (no dividends).",
        "ja": "IWOの調整後終値はラッセル2000グロースのトータルリターンの代替。^RUOは配当を含まない価格指数です。",
    },
    "funds_risk_free": {"en": "Risk-free rate (%/yr)", "ja": "無リスク金利（年%）"},
    "funds_selected": {"en": "Funds", "ja": "ファンド"},
    "funds_caption": {
        "en": "Total returns from adjusted closes, as of {as_of}; 3Y and longer annualised; risk over 3 years from monthly returns; benchmark {benchmark}; Sharpe with a risk-free rate of {rf:.2f}%.",
        "ja": "調整後終値によるトータルリターン（{as_of} 時点）。3年以上は年率換算。リスクは月次リターンによる3年。ベンチマーク {benchmark}。シャープレシオの無リスク金利 {rf:.2f}%。",
    },
    "funds_growth_title": {"en": "Growth of 10,000 since {start}", "ja": "{start} からの1万の推移"},
    "funds_growth_part": {"en": "Growth of 10,000", "ja": "1万の推移"},
    "funds_drawdown_title": {"en": "Drawdown from the running peak (%)", "ja": "高値からの下落率（%）"},
    "axis_growth": {"en": "Value of 10,000", "ja": "1万の評価額"},
    "axis_drawdown": {"en": "Drawdown (%)", "ja": "下落率（%）"},
    "fund_col_fund": {"en": "Fund", "ja": "ファンド"},
    "fund_col_symbol": {"en": "Ticker", "ja": "ティッカー"},
    "fund_period_1M": {"en": "1M (%)", "ja": "1ヵ月 (%)"},
    "fund_period_3M": {"en": "3M (%)", "ja": "3ヵ月 (%)"},
    "fund_period_6M": {"en": "6M (%)", "ja": "6ヵ月 (%)"},
    "fund_period_YTD": {"en": "YTD (%)", "ja": "年初来 (%)"},
    "fund_period_1Y": {"en": "1Y (%)", "ja": "1年 (%)"},
    "fund_period_3Y": {"en": "3Y ann. (%)", "ja": "3年 年率 (%)"},
    "fund_period_5Y": {"en": "5Y ann. (%)", "ja": "5年 年率 (%)"},
    "fund_period_10Y": {"en": "10Y ann. (%)", "ja": "10年 年率 (%)"},
    "fund_period_since_inception": {"en": "Since inception ann. (%)", "ja": "設定来 年率 (%)"},
    "fund_col_volatility": {"en": "Volatility 3Y (%)", "ja": "ボラティリティ3年 (%)"},
    "fund_col_max_drawdown": {"en": "Max drawdown 3Y (%)", "ja": "最大下落率3年 (%)"},
    "fund_col_sharpe": {"en": "Sharpe 3Y", "ja": "シャープレシオ3年"},
    "fund_col_excess_1Y": {"en": "Excess 1Y (pts)", "ja": "超過リターン1年（ポイント）"},
    "fund_col_excess_3Y": {"en": "Excess 3Y ann. (pts)", "ja": "超過リターン3年年率（ポイント）"},
    "fund_col_tracking_error_3Y": {"en": "Tracking error 3Y (%)", "ja": "トラッキングエラー3年 (%)"},
    "fund_col_expense": {"en": "Expense ratio (%)", "ja": "経費率 (%)"},
    "fund_col_assets": {"en": "Net assets (millions)", "ja": "純資産（百万）"},
    "fund_col_rank": {"en": "Rank 1Y", "ja": "順位1年"},
    "fund_col_quartile": {"en": "Quartile 1Y", "ja": "四分位1年"},
    "fund_col_last": {"en": "Last price", "ja": "最終価格日"},
    "fund_col_currency": {"en": "Currency", "ja": "通貨"},
    "fund_col_notes": {"en": "Notes", "ja": "注記"},
    "fund_stale": {"en": "STALE: no recent price", "ja": "価格が古い"},
    "fund_benchmark_row": {"en": "Benchmark ({symbol})", "ja": "ベンチマーク（{symbol}）"},
    "funds_list_help": {
        "en": "Remove a fund with its ×, or type any Yahoo ticker and press Enter; the list is saved for everyone.",
        "ja": "×で削除、またはYahooのティッカーを入力してEnter。一覧は全員に保存されます。",
    },
    "funds_not_saved": {
        "en": "The fund list could not be saved ({problem}); it applies to this session only.",
        "ja": "ファンド一覧を保存できません（{problem}）。このセッションのみ有効です。",
    },
    "funds_unpriced": {
        "en": "No prices for {symbols} in {source}: unknown ticker, or import its prices (python -m lib.cli import-prices).",
        "ja": "{source} に {symbols} の価格がありません。ティッカーを確認するか、価格をインポートしてください（python -m lib.cli import-prices）。",
    },
    "nav_import_title": {
        "en": "Import a NAV file (a fund not on Yahoo, e.g. 基準価額 in JPY)",
        "ja": "基準価額ファイルの取り込み（Yahooにないファンド）",
    },
    "nav_file": {"en": "CSV from the fund company (UTF-8 or Shift_JIS)", "ja": "運用会社のCSV（UTF-8またはShift_JIS）"},
    "nav_symbol": {"en": "Identifier", "ja": "識別子"},
    "nav_name": {"en": "Fund name", "ja": "ファンド名"},
    "nav_currency": {"en": "Currency", "ja": "通貨"},
    "nav_import": {"en": "Import", "ja": "取り込む"},
    "nav_missing": {
        "en": "Choose a file and give the fund an identifier and a name.",
        "ja": "ファイルを選び、識別子とファンド名を入力してください。",
    },
    "error_unknown_symbol": {
        "en": "Unknown symbol {symbol!r}: no prices for it in {where}.",
        "ja": "{symbol} は不明な銘柄です：{where} に価格がありません。",
    },
    "error_invalid_symbol": {
        "en": "{symbol!r} is not a ticker: use Yahoo spelling such as ^RUO, ^GSPC or VSGAX.",
        "ja": "{symbol!r} はティッカーではありません。^RUO、^GSPC、VSGAX のようなYahooの表記で入力してください。",
    },
    "error_outside_data": {
        "en": "{requested} is outside the data, which runs from {first} to {last}.",
        "ja": "{requested} はデータの範囲外です（データは {first} から {last} まで）。",
    },
    "error_missing_close": {
        "en": "No close for {symbol} on {session}, the last NYSE session of that week, and none earlier in the "
        "week. Import the close to fill the gap.",
        "ja": "{symbol} には、その週の最終取引日 {session} にも週内の他の日にも終値がありません。終値を取り込むと埋まります。",
    },
    "check_ratio_left_out": {
        "en": "The ratio chart is left out of the draft. {reason}",
        "ja": "レシオのチャートは下書きに含めていません。{reason}",
    },
    "check_funds_left_out": {
        "en": "The fund table is left out of the draft. {reason}",
        "ja": "ファンド表は下書きに含めていません。{reason}",
    },
    "check_part_failed": {
        "en": "An unexpected error stopped it (logged on the server); the rest of the draft stands.",
        "ja": "予期しないエラーのためです（サーバーに記録しました）。下書きの他の部分はそのままです。",
    },
    "check_funds_stale": {
        "en": "The fund table as of {as_of} is left out: the latest price of the funds and the benchmark "
        "{benchmark} is from {last}. Import or refresh the fund prices to include it.",
        "ja": "{as_of} 時点のファンド表は含めていません：ファンドとベンチマーク {benchmark} の最新の価格は {last} です。"
        "ファンドの価格を取り込むか更新すると含まれます。",
    },
    "check_funds_some_stale": {
        "en": "In the fund table as of {as_of}, these have no recent price and their cells are empty: {funds}.",
        "ja": "{as_of} 時点のファンド表で、次のファンドは最近の価格がないため空欄です：{funds}。",
    },
    "funds_no_benchmark": {
        "en": "No prices for the benchmark {benchmark}: excess return and tracking error are empty.",
        "ja": "ベンチマーク {benchmark} の価格がないため、超過リターンとトラッキングエラーは空欄です。",
    },
    "funds_stale_benchmark": {
        "en": "The benchmark {benchmark} has no price since {last}: its returns, excess return and tracking "
        "error are empty. Refresh or import its prices, or choose another benchmark.",
        "ja": "ベンチマーク {benchmark} は {last} 以降の価格がないため、そのリターン・超過リターン・トラッキングエラーは"
        "空欄です。価格を更新・取り込みするか、別のベンチマークを選んでください。",
    },
    "funds_chart_before_range": {
        "en": "{chart}: the table is as of {as_of}, before the date range starts ({start}). Choose a range that "
        "starts earlier (e.g. Max), or import newer fund prices.",
        "ja": "{chart}：表の基準日 {as_of} は期間の開始日（{start}）より前です。もっと前から始まる期間（Max など）を選ぶか、"
        "新しいファンドの価格を取り込んでください。",
    },
    "funds_chart_no_prices": {
        "en": "{chart}: none of the listed series has a price from {start} to {end} (their latest price is "
        "from {last}). Choose a range that reaches earlier, or import newer prices.",
        "ja": "{chart}：表示する系列には {start} から {end} までの価格がありません（最新の価格は {last}）。"
        "もっと前を含む期間を選ぶか、新しい価格を取り込んでください。",
    },
    "markers_part": {"en": "Note markers", "ja": "メモのマーカー"},
    "signal_part": {"en": "Signal study", "ja": "シグナル検証"},
    "part_failed": {
        "en": "{part} could not be shown because of an unexpected error (logged on the server); the rest of the page is unaffected.",
        "ja": "{part}は予期しないエラーのため表示できません（サーバーに記録しました）。ページの他の部分には影響ありません。",
    },
    "funds_no_table": {
        "en": "The table cannot be built: {reason} Refresh or import the benchmark's prices, or choose another benchmark.",
        "ja": "表を作成できません：{reason} ベンチマークの価格を更新・取り込みするか、別のベンチマークを選んでください。",
    },
    "funds_none": {
        "en": "None of the chosen funds has prices in this data.",
        "ja": "選択したファンドの価格がありません。",
    },
    # Notices from the data layer and the engine
    "notice_store_unopenable": {
        "en": "The price store cannot be opened: showing DEMO data.",
        "ja": "価格データベースを開けません。デモデータを表示しています。",
    },
    "notice_store_error": {
        "en": "{error} Showing DEMO data.",
        "ja": "価格データベースを使えません（{error}）。デモデータを表示しています。",
    },
    "notice_demo_offline_mode": {
        "en": "No stored prices and offline mode is on: showing DEMO data, not market data.",
        "ja": "保存済みの価格がなく、オフラインモードです。デモデータ（実際の市場データではありません）を表示しています。",
    },
    "notice_demo_unreachable": {
        "en": "No stored prices and Yahoo Finance could not be reached: showing DEMO data, not market data.",
        "ja": "保存済みの価格がなく、Yahoo Financeに接続できません。デモデータ（実際の市場データではありません）を表示しています。",
    },
    "notice_retry_later": {
        "en": "Yahoo Finance was unreachable at {at} UTC; next try after {retry} UTC.",
        "ja": "{at} UTC に Yahoo Finance に接続できませんでした。次の再試行は {retry} UTC 以降です。",
    },
    "notice_unreachable_stored": {
        "en": "Yahoo Finance is unreachable ({reason}): showing stored data.",
        "ja": "Yahoo Finance に接続できません（{reason}）。保存済みのデータを表示しています。",
    },
    "notice_unknown_tickers": {
        "en": "Yahoo Finance has no prices for {symbols} (unknown ticker?).",
        "ja": "Yahoo Finance に {symbols} の価格がありません（ティッカーの誤り？）。",
    },
    "notice_stale_offline": {
        "en": "Stored prices end on {last}, before the last NYSE close ({session}): offline mode is on.",
        "ja": "保存済みの価格は {last} までで、直近のNYSE終値（{session}）より前です（オフラインモード）。",
    },
    "notice_stale_fetch": {
        "en": "Stored prices end on {last}, before the last NYSE close ({session}): a newer close could not be fetched.",
        "ja": "保存済みの価格は {last} までで、直近のNYSE終値（{session}）より前です（新しい終値を取得できませんでした）。",
    },
    "notice_provisional": {
        "en": "Provisional week: figures are week to date, as of the {session} close.",
        "ja": "暫定週：{session} 終値時点の週初来の数値です。",
    },
    "notice_live": {
        "en": "Live: today's prices at {time} New York time (Yahoo, delayed); the week is provisional and refreshes every few minutes.",
        "ja": "ライブ：ニューヨーク時間 {time} 時点の本日の価格（Yahoo、遅延あり）。今週は暫定で、数分ごとに更新されます。",
    },
    "notice_live_unavailable": {
        "en": "The market is open but live prices could not be fetched ({reason}): showing the last close.",
        "ja": "市場は開いていますが、ライブ価格を取得できません（{reason}）。直近の終値を表示しています。",
    },
    "notice_data_ends_in_week": {
        "en": "The data ends on {session}, before this week's last session ({week}): the figures are week "
        "to date. Import or refresh the closes to complete the week.",
        "ja": "データは {session} までで、今週の最終取引日（{week}）に届いていません。数値は週初来です。"
        "終値を取り込むか更新すると週が確定します。",
    },
    "notice_gap": {
        "en": "{symbol} has no close on {day}; the week uses {used}. Import the close to fill the gap.",
        "ja": "{symbol} は {day} の終値がありません。この週は {used} の終値を使っています（終値を取り込むと埋まります）。",
    },
    "notice_gap_pair": {
        "en": "The ratio {num}/{den} uses both closes of {used}, the last session of the week on which both have one.",
        "ja": "レシオ {num}/{den} は、両方の終値がそろう週内最後の取引日 {used} の終値で計算しています。",
    },
    "notice_window_short": {
        "en": "The {weeks}-week average needs {weeks} weekly closes; the data has {found} (from {first}): "
        "it is shown from the week ending {ready}.",
        "ja": "{weeks}週移動平均には{weeks}週分の終値が必要ですが、データは{found}週分（{first}以降）です。"
        "{ready}の週から表示されます。",
    },
    "notice_window_gaps": {
        "en": "The {weeks}-week average is not shown: {gaps} of its {weeks} weeks have no close. Import the "
        "missing closes to restore it.",
        "ja": "{weeks}週移動平均は表示できません：{weeks}週のうち{gaps}週の終値がありません。欠けた終値を取り込むと表示されます。",
    },
    "notice_no_move": {
        "en": "No weekly move for {symbol}: its closes for this or the previous week are missing.",
        "ja": "{symbol} の週間騰落はありません（今週または前週の終値が欠けています）。",
    },
}

_TEXT.update(NOTES_TEXT)
_TEXT.update(DATA_TEXT)


@dataclass(frozen=True)
class Message:
    """A sentence shown to the user in either language; str() gives English (logs, JSON)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: Lang) -> str:
        return t(self.key, lang, **dict(self.values))

    def __str__(self) -> str:
        return self.text("en")


def message(key: str, **values: object) -> Message:
    if key not in _TEXT:
        raise KeyError(f"no text for {key!r}")
    return Message(key, tuple(values.items()))


def t(key: str, lang: Lang, **values: object) -> str:
    """The label `key` in `lang`, with {placeholders} filled."""
    text = _TEXT[key][lang]
    return text.format(**values) if values else text
