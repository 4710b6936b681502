"""A note's remote image is never fetched by the pages: the Notes page and the Weekly report's preview
show it as a link with its alt text (issue 18, item 12), under AppTest, offline (demo prices)."""

import datetime as dt
import os

from lib.notes.model import make_draft
from lib.notes.store import NotesStore
from tests.pages.test_app import offline_app, start  # noqa: F401 - offline_app is an autouse fixture

BODY = "Seen ![pixel](https://tracker.invalid/p.png) today.\n\n> ![quoted](//tracker.invalid/q.png)\n"


def add_note_with_images() -> None:
    store = NotesStore(os.environ["NOTES_DATABASE_URL"])
    store.add(make_draft("2026-01-02", "Pixels", BODY, [], store.tags()), author="a")


def shown_text(app) -> list[str]:
    return [element.value for element in [*app.markdown, *app.caption]]


def test_the_notes_page_shows_a_remote_image_as_a_link():
    add_note_with_images()
    app = start()
    app.switch_page("pages/notes.py").run()
    assert not app.exception, app.exception
    shown = "\n".join(shown_text(app))
    assert "[pixel](https://tracker.invalid/p.png)" in shown and "[quoted](//tracker.invalid/q.png)" in shown
    assert "![" not in shown


def test_the_report_preview_shows_a_remote_image_as_a_link():
    add_note_with_images()
    app = start()
    app.switch_page("pages/report.py").run()
    app.date_input(key="report_week").set_value(dt.date(2026, 1, 2)).run()
    assert not app.exception, app.exception
    draft = next(t for t in app.text_area if t.key == "report_text_2026-01-02_en").value
    assert "![pixel](https://tracker.invalid/p.png)" in draft  # the draft keeps what the analyst wrote
    shown = "\n".join(shown_text(app))
    assert "[pixel](https://tracker.invalid/p.png)" in shown and "![" not in shown
