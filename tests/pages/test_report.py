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
    assert draft.startswith("> DEMO DATA: synthetic prices, not market data.\n\nOn ")
    assert "the US small-cap growth index (Russell 2000 Growth) closed at " in draft
    assert "Russell 2000 Growth ÷ S&P 500 was " in draft
    assert "→ [Small-cap growth relative to the S&P 500 since January 2022](ratio_since_2022-01_to_" in draft


def test_the_brief_week_in_japanese_has_its_three_theme_sections_and_the_holiday_check():
    app = report_page({"lang": "日本語"})
    app.date_input(key="report_week").set_value(__import__("datetime").date(2026, 1, 2)).run()
    draft = next(t for t in app.text_area if t.key == "report_text_2026-01-02_ja").value
    assert "2026年1月2日の米国小型成長株インデックス(Russell 2000 Growth)は、" in draft
    # Each demo note under its first tag; the external factors (China economy first) gathered at the end.
    assert [line for line in draft.splitlines() if line.startswith(("<", "・", "**"))] == [
        "<小型成長株相場とラッセル2000グロース VS SP500>",
        "<ベネズエラ>",
        "**米国のベネズエラ攻撃**",
        "<プライベートクレジット>",
        "**プライベートクレジットの信用不安**",
        "<外部材料>",
        "・中国経済",
        "**外部リスク：中国・欧州・中東**",
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


def template_area(app):
    return next(t for t in app.text_area if t.key.startswith("report_template_"))


def button(app, label):
    return next(b for b in app.button if b.label == label)


def draft_area(app):
    return next(t for t in app.text_area if t.key.startswith("report_text_"))


def test_the_template_tab_previews_an_edit_refuses_a_broken_one_saves_and_resets():
    import os

    from lib.notes.templates import TemplateStore

    app = report_page()
    assert template_area(app).value.startswith("{#-\nThe default template of the weekly comment in English")
    assert button(app, "Reset to default").disabled  # the default is what is shown
    template_area(app).input("Close {{ r2g.clsoe }}").run()
    assert any("The template, line 1: there is no field “clsoe”" in e.value for e in app.error)
    button(app, "Save").click().run()
    assert any(e.value.startswith("Not saved: The template, line 1: there is no field") for e in app.error)
    assert TemplateStore(os.environ["NOTES_DATABASE_URL"]).get("en") is None  # nothing stored

    template_area(app).input("Close {{ r2g.close }}, ratio {{ ratio.pct }}%").run()
    assert not app.error
    button(app, "Save").click().run()
    assert not app.exception, app.exception
    assert [s.value for s in app.success][-1] == "Saved: every draft now uses this template."
    saved = TemplateStore(os.environ["NOTES_DATABASE_URL"]).get("en")
    assert saved.text == "Close {{ r2g.close }}, ratio {{ ratio.pct }}%"
    assert draft_area(app).value.startswith("> DEMO DATA: synthetic prices, not market data.\n\nClose ")
    assert template_area(app).value == saved.text

    button(app, "Reset to default").click().run()
    assert [s.value for s in app.success][-1] == "Back to the default template."
    assert TemplateStore(os.environ["NOTES_DATABASE_URL"]).get("en") is None
    assert draft_area(app).value.startswith("> DEMO DATA: synthetic prices, not market data.\n\nOn ")


def test_a_read_only_deployment_shows_the_template_but_cannot_save_it(monkeypatch):
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    app = report_page({"lang": "日本語"})
    assert "既定のテンプレートです" in " ".join(c.value for c in app.caption)
    assert button(app, "保存").disabled and button(app, "既定に戻す").disabled
    assert "この環境ではメモは閲覧のみです。" in [c.value for c in app.caption]  # the notes' access rules, in Japanese
    assert template_area(app).value.startswith("{#-\n週次コメント（日本語）の既定のテンプレートです")
