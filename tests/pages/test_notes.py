"""The Notes page and the note markers on the Ratio page, under AppTest, offline (demo prices)."""

import datetime as dt
import os

import pytest
import streamlit as st

from lib.notes.model import NoteQuery, make_draft
from lib.notes.store import NotesStore
from tests.pages.test_app import chart_specs, offline_app, start  # noqa: F401 - offline_app is an autouse fixture

DEMO_NOTES = 27


def notes_store() -> NotesStore:
    return NotesStore(os.environ["NOTES_DATABASE_URL"])


def notes_page(user: dict | None = None):
    app = start()
    if user is not None:
        app.user = user
    app.switch_page("pages/notes.py").run()
    assert not app.exception, app.exception
    return app


def card_titles(app) -> list[str]:
    """The titles of the note cards, in order (a card's heading starts with the note icon)."""
    return [m.value.split("**")[1] for m in app.markdown if m.value.startswith(":material/sticky_note_2:")]


def button(app, label):
    return next(b for b in app.button if b.label == label)


def test_the_demo_shows_demo_notes_labelled_as_such():
    app = notes_page()
    assert f"{DEMO_NOTES} demo notes (author 'demo')" in app.warning[-1].value
    assert len(card_titles(app)) == DEMO_NOTES
    assert card_titles(app)[0] == "年末に向けた小型株の季節性"  # the latest week first
    assert "Private credit" in app.markdown[2].value or any(
        ":orange-badge[Private credit]" in m.value for m in app.markdown
    )


def test_japanese_search_and_the_tag_filter_narrow_the_list():
    app = notes_page()
    app.text_input(key="notes_search").input("信用不安").run()
    assert card_titles(app) == ["プライベートクレジットの信用不安", "地銀の破綻と信用不安"]
    app.text_input(key="notes_search").input("").run()
    app.multiselect(key="note_tags").select("venezuela").select("middle-east").run()
    assert len(card_titles(app)) == 6  # in the default range, since 2022-01
    app.segmented_control(key="note_match").set_value("all").run()
    assert card_titles(app) == ["米国のベネズエラ攻撃"]


def write_new_note(app, title, body, tags=("private-credit",), author="青木"):
    button(app, "New note").click().run()
    app.text_input(key="notes_f_title_new").input(title)
    app.date_input(key="notes_f_week_new").set_value(dt.date(2026, 1, 5))  # a Monday
    app.text_area(key="notes_f_body_new").input(body)
    for key in tags:
        app.multiselect(key="notes_f_tags_new").select(key)
    app.text_input(key="notes_author").input(author)
    return button(app, "Save").click().run()


def test_a_new_note_is_saved_with_its_tags_and_author():
    app = notes_page()
    write_new_note(app, "BDC redemptions", "解約が**増加**。")
    assert not app.exception and not app.error
    saved = notes_store().find(NoteQuery(search="BDC redemptions"))[0]
    assert (saved.body, saved.tags, saved.author, saved.week) == (
        "解約が**増加**。",
        ("private-credit",),
        "青木",
        dt.date(2026, 1, 9),
    )
    assert "BDC redemptions" in card_titles(app)


def test_an_empty_title_is_refused_and_the_text_typed_is_kept():
    app = notes_page()
    write_new_note(app, "  ", "a long paragraph the analyst must not lose")
    assert "The title is empty" in app.error[0].value
    assert app.text_area(key="notes_f_body_new").value == "a long paragraph the analyst must not lose"
    assert notes_store().find(NoteQuery(search="must not lose")) == []


def test_two_editors_the_second_sees_both_texts_and_chooses(monkeypatch):
    app = notes_page()
    store = notes_store()
    target = store.find(NoteQuery(search="年末に向けた"))[0]
    next(b for b in app.button if b.key == f"notes_edit_{target.id}").click().run()
    app.text_area(key=f"notes_f_body_{target.id}").input("Baba's paragraph")
    # Meanwhile Aoki saves the same note from another browser.
    store.save(target.id, make_draft(target.week, target.title, "Aoki's paragraph", list(target.tags), store.tags()),
               expected_version=1, author="Aoki")  # fmt: skip
    button(app, "Save").click().run()
    assert "saved by Aoki" in app.error[0].value and "nothing was overwritten" in app.error[0].value
    assert [c.value for c in app.code][:2] == ["Baba's paragraph", "Aoki's paragraph"]
    assert store.get(target.id).body == "Aoki's paragraph"
    button(app, "Save mine as the latest (theirs stays in the history)").click().run()
    assert store.get(target.id).body == "Baba's paragraph"
    assert [v.body for v in store.history(target.id)][:2] == ["Baba's paragraph", "Aoki's paragraph"]


def test_html_and_script_in_a_note_are_shown_as_text():
    store = notes_store()
    notes_page()  # demo notes first, so the hostile note is added to a filled database
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> [go](javascript:alert(1))"
    store.add(make_draft("2026-11-20", "<b>bold</b> title", hostile, [], store.tags()), author="<i>me</i>")
    st.cache_data.clear()  # as after the page's 30-second cache of the list
    app = notes_page()
    shown = "\n".join(m.value for m in app.markdown) + "\n".join(c.value for c in app.caption)
    assert "<script" not in shown and "<img" not in shown and "<b>" not in shown and "<i>" not in shown
    assert "&lt;script>alert('x')&lt;/script>" in shown
    assert "](javascript:" not in shown


def test_delete_and_restore_from_the_page():
    app = notes_page()
    target = notes_store().find(NoteQuery(search="年末に向けた"))[0]
    next(b for b in app.button if b.key == f"notes_delete_{target.id}").click().run()
    assert "年末に向けた小型株の季節性" not in card_titles(app)
    app.toggle(key="notes_show_deleted").set_value(True).run()
    next(b for b in app.button if b.key == f"notes_restore_{target.id}").click().run()
    assert not notes_store().get(target.id).deleted


def test_read_only_deployment_shows_notes_without_any_way_to_change_them(monkeypatch):
    notes_page()  # the demo notes, added while the deployment could still write
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    st.cache_data.clear()
    app = notes_page()
    assert "read-only" in app.info[0].value
    assert len(card_titles(app)) == DEMO_NOTES
    assert not [b for b in app.button if b.label in ("New note", "Edit", "Delete")]


def test_a_read_only_deployment_never_writes_the_demo_notes_into_its_database(monkeypatch):
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    app = notes_page()
    assert "read-only" in app.info[0].value
    assert card_titles(app) == []
    assert notes_store().find(NoteQuery(include_deleted=True)) == []


@pytest.mark.parametrize(
    ("user", "can_edit", "message"),
    [
        ({"is_logged_in": False}, False, "Log in to edit notes."),
        ({"is_logged_in": True, "email": "intern@example.com", "name": "Intern"}, False, "intern@example.com may read"),
        ({"is_logged_in": True, "email": "Aoki@Example.com", "name": "Aoki"}, True, None),
    ],
)
def test_only_listed_editors_may_edit_when_a_list_is_set(monkeypatch, user, can_edit, message):
    monkeypatch.setenv("NOTES_EDITORS", "aoki@example.com, baba@example.com")
    app = notes_page(user)
    assert bool([b for b in app.button if b.label == "New note"]) == can_edit
    if message:
        assert message in app.info[0].value
    else:  # the logged-in editor's name is the author; no name field to fill
        button(app, "New note").click().run()
        assert not [t for t in app.text_input if t.key == "notes_author"]
        app.text_input(key="notes_f_title_new").input("From Aoki")
        button(app, "Save").click().run()
        assert notes_store().find(NoteQuery(search="From Aoki"))[0].author == "Aoki"


def marker_rows(app, index: int) -> list[dict]:
    """The rows of chart `index`'s marker layer (inline values, after the chart's own layers)."""
    nested = [layer for layer in chart_specs(app)[index]["layer"] if "layer" in layer and "data" in layer]
    return nested[0]["data"]["values"] if nested else []


def test_notes_are_markers_on_the_ratio_charts_filtered_by_the_same_tags():
    app = start({"range_preset": "Max"})
    rows = marker_rows(app, 0)
    assert len(rows) == 25  # 27 demo notes in 25 weeks: one marker per week
    week = next(row for row in rows if row["date"].startswith("2026-01-02"))
    assert week["label"] == "米国のベネズエラ攻撃 +2"  # ten kanji: exactly the 20 columns a label may use
    assert "プライベートクレジットの信用不安 [Private credit]" in week["detail"]
    assert marker_rows(app, 1) == rows  # the same rules on the deviation chart, without labels
    deviation = chart_specs(app)[1]
    marker_layer = next(layer for layer in deviation["layer"] if "data" in layer and "layer" in layer)
    assert [child["mark"]["type"] for child in marker_layer["layer"]] == ["rule"]
    app.session_state["note_tags"] = ["venezuela"]
    app.run()
    assert sorted(row["date"][:10] for row in marker_rows(app, 0)) == ["2026-01-02", "2026-06-12"]
    app.toggle(key="ratio_notes").set_value(False).run()
    assert marker_rows(app, 0) == []


def test_a_notes_database_that_is_down_never_stops_the_ratio_page(monkeypatch):
    monkeypatch.setenv("NOTES_DATABASE_URL", "postgresql+psycopg://u:pw@127.0.0.1:9/notes")
    app = start()
    assert not app.exception
    assert len(chart_specs(app)) == 3
    assert any("Notes are not shown" in c.value for c in app.caption)
    app.switch_page("pages/notes.py").run()
    assert "notes database at postgresql+psycopg://u:***@127.0.0.1:9/notes cannot be used" in app.error[0].value


def test_a_note_of_the_current_week_is_inside_a_range_that_ends_today():
    store = notes_store()
    notes_page()
    # The demo data ends on the latest session; this week's note is stored as the week's last session.
    store.add(make_draft("2026-11-24", "This week", "provisional week", [], store.tags()), author="a")
    st.cache_data.clear()
    app = notes_page()
    assert card_titles(app)[0] == "This week"


def test_a_reversed_range_says_the_usual_range_is_shown():
    app = start()
    app.button_group(key="range_preset").set_value("Custom").run()
    app.date_input(key="range_start").set_value(dt.date(2025, 6, 1))
    app.date_input(key="range_end").set_value(dt.date(2025, 1, 1)).run()
    app.switch_page("pages/notes.py").run()
    assert not app.exception
    assert any("Showing the range since 2022-01 until the dates are fixed" in w.value for w in app.warning)
    assert len(card_titles(app)) == DEMO_NOTES
