"""Notes in a real browser: written in the editor, found by their tag, marked on the ratio chart,
and hostile content shown as text, never run."""

import re
import uuid

WEEK = "2026-08-14"  # a week with no demo note (config/demo_notes.toml), inside the default range


def write_note(tab, *, title: str, body: str, tag: str, week: str = WEEK) -> None:
    tab.open("notes")
    tab.wait_for_text("Research notes")
    tab.page.get_by_role("button", name=re.compile("New note")).click()
    tab.settle()
    tab.type_date("Week (any day of it)", week)
    tab.page.get_by_label("Title", exact=True).fill(title)
    tab.choose("Tags", tag, kind="stMultiSelect")
    tab.page.get_by_label("Text (Markdown)", exact=True).fill(body)
    tab.page.get_by_label("Your name", exact=True).fill("e2e analyst")
    tab.page.get_by_role("button", name=re.compile("Save")).click()
    tab.settle()


def test_a_note_written_in_the_browser_is_found_by_its_tag_and_marked_on_the_ratio_chart(tab):
    title = f"Lithium glut {uuid.uuid4().hex[:4]}"  # short: labels keep 20 columns
    write_note(tab, title=title, body="Battery **metals** slump; small caps in materials lag.", tag="Tariffs")
    tab.page.get_by_text(title, exact=True).wait_for()
    tab.no_exception()

    tab.choose("Themes", "Tariffs", kind="stMultiSelect")  # the theme filter: the note is there
    tab.page.get_by_text(title, exact=True).wait_for()
    assert tab.page.get_by_text("相互関税で急落", exact=True).count() == 1  # a demo note of the same theme
    assert tab.page.get_by_text("米国のベネズエラ攻撃", exact=True).count() == 0  # a Venezuela one is not
    tab.screenshot("notes-filtered-by-tag")

    tab.click_nav("Ratio")  # the same theme filter chooses the markers
    tab.wait_for_charts(3)
    labels = tab.chart_texts(0)
    assert title in labels, [label for label in labels if not label[:1].isdigit()]
    assert "関税の発表" in labels and not any(label.startswith("米国のベネズエラ攻撃") for label in labels)
    tab.screenshot("ratio-with-the-new-note")
    tab.no_exception()


HOSTILE_TITLE = "<img src=x onerror=alert('title')> & <b>bold</b>"
HOSTILE_BODY = (
    "<script>alert('body')</script>\n\n"
    "[click me](javascript:alert('link')) and <a href='javascript:alert(1)'>raw link</a>\n\n"
    "<iframe src='javascript:alert(2)'></iframe>\n\n"
)


def test_hostile_note_content_is_shown_as_text_and_never_run(tab):
    long_text = "長い本文。" * 12_000  # 60,000 characters
    write_note(tab, title=HOSTILE_TITLE, body=HOSTILE_BODY + long_text, tag="Venezuela", week="2026-07-10")
    tab.page.get_by_text(HOSTILE_TITLE, exact=True).first.wait_for()
    search = tab.page.get_by_role("textbox", name="Search", exact=True)
    search.fill("onerror")  # the search finds it by a word of its title
    search.press("Enter")
    tab.settle()
    assert tab.page.get_by_text("Read the note and its history").count() == 1
    tab.page.get_by_text("Read the note and its history").click()
    tab.page.get_by_text("<script>alert('body')</script>", exact=True).wait_for()
    shown = tab.page.evaluate("document.body.innerText")
    assert long_text[:5000] in shown  # the long text is there, as text
    document = tab.page.locator("[data-testid='stMain']")
    assert document.locator("img[src='x'], iframe, script").count() == 0
    hrefs = document.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href') || '')")
    assert not [href for href in hrefs if href.strip().lower().startswith("javascript")], hrefs
    tab.screenshot("notes-hostile-content")
    tab.click_nav("Ratio")
    tab.wait_for_charts(3)
    assert any(label.startswith("<img src=x") for label in tab.chart_texts(0))  # a label, as text
    tab.page.wait_for_timeout(500)
    tab.no_exception()  # no dialog ever opened, no script error
