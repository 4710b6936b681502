"""The Weekly report page under AppTest, offline on demo prices and the demo notes."""

import io
import zipfile

from tests.pages.test_app import offline_app, start  # noqa: F401 - offline_app is an autouse fixture


def report_page(lang_query=None):
    app = start(lang_query)
    app.switch_page("pages/report.py").run()
    assert not app.exception, app.exception
    return app


def test_the_page_drafts_the_latest_completed_week_with_its_notes():
    app = report_page()
    # Demo prices end on the last session before today; the default week is the latest completed one.
    week = app.date_input(key="report_week").value
    assert week.weekday() in (3, 4)  # a week closes on a Friday, or a Thursday before a holiday
    draft = next(t for t in app.text_area if t.key.startswith("report_text_")).value
    assert draft.startswith("> DEMO DATA: synthetic prices, not market data.\n\nThe Russell 2000 Growth ")
    assert "Russell 2000 Growth ÷ S&P 500 = " in draft
    assert "- [The ratio since January 2022](ratio_since_2022-01_to_" in draft


def test_the_brief_week_in_japanese_has_its_three_theme_sections_and_the_holiday_check():
    app = report_page({"lang": "日本語"})
    app.date_input(key="report_week").set_value(__import__("datetime").date(2026, 1, 2)).run()
    draft = next(t for t in app.text_area if t.key == "report_text_2026-01-02_ja").value
    assert "1月2日の週のラッセル2000グロース指数は" in draft
    assert [line for line in draft.splitlines() if line.startswith("## ")] == [
        "## 米国のベネズエラ攻撃",
        "## プライベートクレジットの信用不安",
        "## 外部リスク：中国・欧州・中東",
    ]
    assert any("休場のある週：NYSE は2026年1月1日に休場" in w.value for w in app.warning)  # Japanese dates


def test_an_edit_goes_into_the_zip():
    app = report_page()
    area = next(t for t in app.text_area if t.key.startswith("report_text_"))
    area.input("My own opening.\n\nSecond paragraph.").run()
    from lib.ui import report as ui_report

    files = ui_report.report_files(app.date_input(key="report_week").value, "en")
    archive = zipfile.ZipFile(io.BytesIO(files.zip(area.value)))
    assert archive.read("draft.md").decode() == "My own opening.\n\nSecond paragraph."
    assert "<p>My own opening.</p>" in archive.read("draft.html").decode()
    assert sorted(name.split("_")[0] for name in archive.namelist()) == [
        "draft.html",
        "draft.md",
        "funds",
        "ratio",
        "ratio",
    ]


def test_a_week_outside_the_data_gets_a_message():
    app = report_page()
    app.date_input(key="report_week").set_value(__import__("datetime").date(1995, 1, 6)).run()
    assert not app.exception
    assert "No draft for this week" in app.error[0].value
