"""Links and languages: widget labels are in the page's language while the link keeps stable keys
(?lang=ja&ratio_freq=daily&range_preset=1Y&ratio_num=^RUT), a link made when the URL held labels
still opens the same view, and the page-level errors read in Japanese on a Japanese page.

Expected labels and sentences are written out here by hand, not read from the catalogues."""

import datetime as dt

from tests.conftest import FIXTURES
from tests.pages.test_app import offline_app, start  # noqa: F401 - offline_app is an autouse fixture

JAPANESE_PRESETS = ["6ヵ月", "1年", "3年", "5年", "10年", "年初来", "2022年1月以降", "全期間", "カスタム"]
ENGLISH_PRESETS = ["6M", "1Y", "3Y", "5Y", "10Y", "YTD", "Since 2022-01", "Max", "Custom"]


def open_page(page: str, query: dict[str, str] | None = None):
    app = start(query)
    app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def test_a_japanese_page_labels_its_choices_in_japanese():
    app = start({"lang": "ja"})
    assert not app.exception
    assert app.radio(key="lang").options == ["English", "日本語"]  # each language in its own name
    assert app.button_group(key="range_preset").options == JAPANESE_PRESETS
    assert app.button_group(key="ratio_freq").options == ["週次", "日次"]
    pairs = app.selectbox(key="ratio_num").options
    assert "ラッセル2000指数（^RUT）" in pairs and "ラッセル2000グロース指数（^RUO）" in pairs


def test_an_english_page_keeps_its_english_labels():
    app = start()
    assert app.button_group(key="range_preset").options == ENGLISH_PRESETS
    assert app.button_group(key="ratio_freq").options == ["Weekly", "Daily"]
    assert "Russell 2000 (^RUT)" in app.selectbox(key="ratio_num").options


def test_the_link_holds_stable_keys_whatever_the_language():
    app = start()
    assert app.query_params == {}  # defaults stay out of the link
    app.radio(key="lang").set_value("ja").run()
    app.button_group(key="ratio_freq").set_value("daily").run()
    app.button_group(key="range_preset").set_value("1Y").run()
    app.selectbox(key="ratio_num").set_value("^RUT").run()
    assert not app.exception
    assert {key: app.query_params.get(key) for key in ("lang", "ratio_freq", "range_preset", "ratio_num")} == {
        "lang": "ja",
        "ratio_freq": "daily",
        "range_preset": "1Y",
        "ratio_num": "^RUT",
    }
    assert app.title[0].value == "ラッセル2000指数 ÷ S&P500"
    app.radio(key="lang").set_value("en").run()  # back to English: the keys do not change
    assert "lang" not in app.query_params and app.query_params["ratio_freq"] == "daily"
    assert app.button_group(key="ratio_freq").options == ["Weekly", "Daily"]


def test_a_link_with_stable_keys_reopens_the_view():
    app = start({"lang": "ja", "ratio_num": "^RUT", "ratio_freq": "daily", "range_preset": "2022-01"})
    assert not app.exception
    assert app.radio(key="lang").value == "ja"
    assert app.selectbox(key="ratio_num").value == "^RUT"
    assert app.button_group(key="ratio_freq").value == "daily"
    assert app.button_group(key="range_preset").value == "2022-01"
    assert app.title[0].value == "ラッセル2000指数 ÷ S&P500"


def test_a_link_made_with_the_old_labels_opens_the_same_view_and_is_rewritten_with_keys():
    old = {"lang": "日本語", "ratio_num": "Russell 2000 (^RUT)", "ratio_freq": "Weekly"}
    old["range_preset"] = "Since 2022-01"
    app = start({**old, "ratio_den": "Dow Jones Industrial Average (^DJI)"})
    assert not app.exception
    assert app.radio(key="lang").value == "ja"
    assert app.selectbox(key="ratio_num").value == "^RUT"
    assert app.selectbox(key="ratio_den").value == "^DJI"
    assert app.button_group(key="ratio_freq").value == "weekly"
    assert app.button_group(key="range_preset").value == "2022-01"
    assert app.title[0].value == "ラッセル2000指数 ÷ ダウ平均"
    # the defaults (weekly, since 2022-01) leave the link; the rest is written as keys
    assert app.query_params == {"lang": "ja", "ratio_num": "^RUT", "ratio_den": "^DJI"}


def test_a_link_with_japanese_labels_or_english_daily_opens_too():
    assert start({"ratio_freq": "日次", "range_preset": "全期間"}).button_group(key="range_preset").value == "Max"
    app = start({"lang": "English", "ratio_freq": "Daily"})
    assert app.button_group(key="ratio_freq").value == "daily"
    assert app.query_params == {"ratio_freq": "daily"}


def test_the_funds_page_labels_its_as_of_choice_in_japanese_and_links_its_key():
    app = open_page("pages/funds.py", {"lang": "ja", "funds_as_of": "Latest close"})  # an old label
    control = app.button_group(key="funds_as_of")
    assert control.options == ["月末", "直近の終値"] and control.value == "latest"
    assert app.query_params.get("funds_as_of") == "latest"
    assert app.query_params.get("lang") == "ja"  # the sidebar's language stays in the link on every page
    control.set_value("month_end").run()
    assert "funds_as_of" not in app.query_params


# --- Page-level errors, read in Japanese on a Japanese page --------------------------------------


def test_an_unknown_ticker_is_explained_in_japanese():
    app = start({"lang": "ja", "ratio_num": "^XYZ"})
    assert not app.exception
    shown = app.error[0].value
    assert shown == "週次の数値を表示できません：^XYZ は不明な銘柄です：価格データに価格がありません。"


def test_a_week_outside_the_data_is_explained_in_japanese_on_the_report_page():
    app = open_page("pages/report.py", {"lang": "ja"})
    app.date_input(key="report_week").set_value(dt.date(1995, 1, 6)).run()  # demo data start in 2001
    assert not app.exception
    shown = app.error[0].value
    assert shown.startswith("この週の下書きは作れません：1995年1月6日 はデータの範囲外です"), shown
    assert "outside the data" not in shown


def test_a_reversed_range_is_explained_in_japanese():
    app = start({"lang": "ja", "range_preset": "Custom", "range_start": "2025-06-01", "range_end": "2025-01-01"})
    assert not app.exception
    empty = "期間 2025年6月1日〜2025年1月1日 は空です。開始日を終了日より前にしてください。"
    assert app.sidebar.error[0].value == empty
    assert any("2022年1月以降の期間を表示しています" in warning.value for warning in app.warning)


def test_a_broken_nav_upload_is_explained_in_japanese():
    app = open_page("pages/funds.py", {"lang": "ja"})
    app.file_uploader(key="funds_nav_file").set_value(
        ("broken.csv", (FIXTURES / "nav_files" / "broken.csv").read_bytes(), "text/csv")
    )
    app.text_input(key="funds_nav_symbol").set_value("JP-BROKEN")
    app.text_input(key="funds_nav_name").set_value("壊れたファンド")
    app.button(key="funds_nav_import").click().run()
    assert not app.exception
    shown = app.error[0].value
    assert shown.startswith("broken.csv は取り込みませんでした（エラー "), shown
    assert "行目：" in shown and "was rejected" not in shown and "line " not in shown
