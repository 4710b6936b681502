"""The Data page's labels and messages, in English and Japanese (merged into lib.i18n)."""

DATA_TEXT: dict[str, dict[str, str]] = {
    "page_data": {"en": "Data", "ja": "データ"},
    "data_title": {"en": "Price data", "ja": "価格データ"},
    # What the store holds
    "data_holdings": {"en": "What the store holds", "ja": "保存されている価格"},
    "data_location": {"en": "Price store: {url}", "ja": "保存先：{url}"},
    "data_empty": {
        "en": "The store holds no prices yet: import a price file or refresh from Yahoo Finance below.",
        "ja": "まだ価格が保存されていません。下で価格ファイルを取り込むか、Yahoo Finance から更新してください。",
    },
    "data_store_unavailable": {
        "en": "{problem} Nothing can be shown or stored until it opens: check PRICES_DATABASE_URL.",
        "ja": "価格データベースを使えません（{problem}）。開けるまで表示も保存もできません。"
        "PRICES_DATABASE_URL を確認してください。",
    },
    "data_col_symbol": {"en": "Symbol", "ja": "シンボル"},
    "data_col_first": {"en": "First close", "ja": "最初の終値の日付"},
    "data_col_last": {"en": "Last close", "ja": "最後の終値の日付"},
    "data_col_rows": {"en": "Closes", "ja": "終値の数"},
    "data_col_source": {"en": "Source", "ja": "出所"},
    "data_col_fetched": {"en": "Fetched (UTC)", "ja": "取得日時 (UTC)"},
    # Import a price file
    "data_import_title": {"en": "Import a price file", "ja": "価格ファイルを取り込む"},
    "data_import_caption": {
        "en": "CSV as date,symbol,close; or Date plus one column per symbol; or a Yahoo export of one symbol. "
        "A file with any error is rejected whole, as by `python -m lib.cli import-prices`.",
        "ja": "CSV 形式：date,symbol,close、Date とシンボルごとの列、または 1 銘柄の Yahoo エクスポート。"
        "エラーが一つでもあるファイルは全体を取り込みません（`python -m lib.cli import-prices` と同じ）。",
    },
    "data_file": {"en": "Price file (CSV)", "ja": "価格ファイル（CSV）"},
    "data_import_symbol": {"en": "Symbol of a Yahoo export", "ja": "Yahoo エクスポートのシンボル"},
    "data_import_symbol_help": {
        "en": "Only for a Yahoo-style export (Date,Open,High,Low,Close,…), which holds one symbol, e.g. ^RUO.",
        "ja": "Yahoo 形式のエクスポート（Date,Open,High,Low,Close,…）は 1 銘柄なので、"
        "そのシンボルを入力します（例：^RUO）。",
    },
    "data_import": {"en": "Import", "ja": "取り込む"},
    "data_no_file": {"en": "Choose a CSV file first.", "ja": "先に CSV ファイルを選んでください。"},
    "data_imported": {
        "en": "{rows} closes imported from {name} ({layout} layout): every page shows them now.",
        "ja": "{name}（{layout} 形式）から {rows} 件の終値を取り込みました。すべてのページに反映されています。",
    },
    "data_file_rejected": {
        "en": "{name} was rejected and nothing was imported. Errors: {count}; fix these lines and upload it again:",
        "ja": "{name} は取り込みませんでした（エラー {count} 件、何も保存していません）。"
        "次の行を直して、もう一度アップロードしてください：",
    },
    # Refresh from Yahoo
    "data_refresh_title": {"en": "Refresh from Yahoo Finance", "ja": "Yahoo Finance から更新"},
    "data_refresh_caption": {
        "en": "Fetches the sessions the store lacks for the indices and the default funds ({symbols}).",
        "ja": "指数と既定のファンド（{symbols}）について、保存されていない営業日の終値を取得します。",
    },
    "data_refresh": {"en": "Refresh now", "ja": "今すぐ更新"},
    "data_refresh_offline": {
        "en": "Offline mode is on (DASHBOARD_OFFLINE): Yahoo Finance is never called. Import a file instead.",
        "ja": "オフラインモード（DASHBOARD_OFFLINE）のため Yahoo Finance には接続しません。"
        "ファイルを取り込んでください。",
    },
    "data_refreshed": {
        "en": "{rows} closes fetched from Yahoo Finance (new sessions and a few days of overlap, revised if changed).",
        "ja": "Yahoo Finance から {rows} 件の終値を取得しました（新しい営業日と、見直しのための直近数日分）。",
    },
    "data_refresh_missing": {
        "en": "Yahoo Finance has no prices for {symbols}: their stored closes are kept.",
        "ja": "Yahoo Finance に {symbols} の価格がありません。保存済みの終値はそのままです。",
    },
    "data_refresh_failed": {
        "en": "Yahoo Finance could not be reached ({reason}); nothing was stored. Try again later, or import a file.",
        "ja": "Yahoo Finance に接続できませんでした（{reason}）。何も保存していません。"
        "しばらくしてから再度お試しいただくか、ファイルを取り込んでください。",
    },
    # Fill a gap by hand
    "data_gap_title": {"en": "Enter a missing close", "ja": "欠けている終値を手入力"},
    "data_gap_caption": {
        "en": "One close of one series on one NYSE session, stored with the source “{source}”.",
        "ja": "1 系列・1 営業日（NYSE）の終値を、出所「{source}」として保存します。",
    },
    "data_gap_symbol": {"en": "Symbol", "ja": "シンボル"},
    "data_gap_date": {"en": "NYSE session", "ja": "NYSE の営業日"},
    "data_gap_close": {"en": "Close", "ja": "終値"},
    "data_gap_store": {"en": "Store the close", "ja": "終値を保存"},
    "data_bad_symbol": {
        "en": "'{symbol}' is not a ticker: use Yahoo spelling such as ^RUO, ^GSPC or VSGAX.",
        "ja": "「{symbol}」はシンボルではありません。^RUO、^GSPC、VSGAX のような Yahoo の表記で入力してください。",
    },
    "data_gap_not_session": {
        "en": "The NYSE was closed on {day} (a weekend or a holiday): {symbol} has no close that day. "
        "Pick the session the close belongs to.",
        "ja": "{day} は NYSE の休場日（週末または祝日）なので、{symbol} の終値はありません。"
        "終値の営業日を選んでください。",
    },
    "data_gap_not_closed": {
        "en": "The session of {day} has not closed yet (the last closed session is {last}): "
        "enter the close of {symbol} once it is published.",
        "ja": "{day} の取引はまだ終わっていません（直近の確定営業日は {last}）。"
        "{symbol} の終値は公表後に入力してください。",
    },
    "data_gap_no_close": {
        "en": "Type the close of {symbol} on {day}.",
        "ja": "{day} の {symbol} の終値を入力してください。",
    },
    "data_gap_bad_close": {
        "en": "The close of {symbol} on {day} must be a positive number, not {close}: type the price as published.",
        "ja": "{day} の {symbol} の終値は正の数でなければなりません（入力値 {close}）。"
        "公表された価格を入力してください。",
    },
    "data_gap_stored": {
        "en": "Stored the close of {symbol} on {day}: {close} ({source}).",
        "ja": "{day} の {symbol} の終値 {close} を保存しました（{source}）。",
    },
    "data_gap_replaced": {
        "en": "Stored the close of {symbol} on {day}: {close} ({source}), replacing the stored {old}.",
        "ja": "{day} の {symbol} の終値 {close} を保存しました（{source}）。保存済みの {old} は置き換えました。",
    },
    "data_gap_new_series": {
        "en": "Stored the close of {symbol} on {day}: {close} ({source}). The store held no closes of {symbol} "
        "before: check the spelling if you meant a series it holds.",
        "ja": "{day} の {symbol} の終値 {close} を保存しました（{source}）。"
        "{symbol} の終値はこれまで保存されていませんでした。既存の系列のつもりならシンボルの綴りを確認してください。",
    },
}
