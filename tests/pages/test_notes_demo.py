"""Demo notes beside real prices, and notes in weeks after the last stored close, under AppTest, offline."""

import datetime as dt

import streamlit as st

from lib.notes.model import DEMO_AUTHOR, NoteQuery, make_draft
from tests.conftest import store_closes
from tests.lib.notes.test_demo import DEMO_WEEK_TITLE, real_closes
from tests.pages.test_app import offline_app, start  # noqa: F401 - offline_app is an autouse fixture
from tests.pages.test_notes import DEMO_NOTES, button, card_titles, marker_rows, notes_store

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
HIDDEN = f"{DEMO_NOTES} demo notes are hidden because real prices are loaded."


def store_real_prices(store_url: str) -> None:
    """The analyst imports real closes (they end on 2025-12-16); the pages read them at once."""
    store_closes(store_url, real_closes(), source="file daily_closes.csv", fetched_at=NOW)
    st.cache_data.clear()  # as after the price cache's time to live


def add_note(week: str, title: str, *, author: str = "青木"):
    store = notes_store()
    return store.add(make_draft(week, title, f"{title}。", ["Private credit"], store.tags()), author=author)


def draft_of(app, week: dt.date) -> str:
    app.switch_page("pages/report.py").run()
    app.date_input(key="report_week").set_value(week).run()
    assert not app.exception, app.exception
    return next(t for t in app.text_area if t.key.startswith(f"report_text_{week}")).value


def test_demo_notes_are_hidden_everywhere_once_real_prices_are_stored(store_url):
    app = start()  # empty stores: demo prices, and the demo notes are added
    assert len(notes_store().find(NoteQuery(demo="only"))) == DEMO_NOTES
    # on demo prices, as before: an external factor (config/tags.toml) in the English draft
    assert f"• Europe politics\n\n**{DEMO_WEEK_TITLE}**" in draft_of(app, dt.date(2025, 12, 12))
    store_real_prices(store_url)
    add_note("2025-10-15", "BDCの解約増加")  # a real note in the charts' range
    app.switch_page("pages/notes.py").run()
    assert not app.exception, app.exception
    assert card_titles(app) == ["BDCの解約増加"]
    assert [i.value for i in app.info if "demo notes" in i.value] == [HIDDEN]
    assert not [w for w in app.warning if "demo notes" in w.value]
    assert button(app, "Remove demo notes")
    app.switch_page("pages/ratio.py").run()
    assert not app.exception, app.exception
    markers = marker_rows(app, 0)
    assert [row["label"] for row in markers] == ["BDCの解約増加"]
    assert all(row["label"] == "BDCの解約増加" for row in marker_rows(app, 1))
    draft = draft_of(app, dt.date(2025, 12, 12))
    assert not draft.startswith(">")  # real prices
    assert DEMO_WEEK_TITLE not in draft


def test_the_hidden_demo_notes_are_said_in_japanese_and_can_be_removed(store_url):
    start()
    store_real_prices(store_url)
    app = start({"lang": "日本語"})
    app.switch_page("pages/notes.py").run()
    assert any(f"デモメモ {DEMO_NOTES} 件は表示していません" in i.value for i in app.info)
    button(app, "デモメモを削除").click().run()
    assert not app.exception, app.exception
    assert notes_store().find(NoteQuery(demo="only")) == []
    assert not [i for i in app.info if "デモメモ" in i.value]


def test_a_reader_sees_the_hidden_demo_notes_message_without_the_button(store_url, monkeypatch):
    start()
    store_real_prices(store_url)
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    app = start()
    app.switch_page("pages/notes.py").run()
    assert HIDDEN in [i.value for i in app.info]
    assert not [b for b in app.button if b.label == "Remove demo notes"]


def test_a_note_after_the_last_close_is_listed_and_the_ratio_page_says_it_is_off_the_charts(store_url):
    store_real_prices(store_url)
    add_note("2026-01-02", "米国のベネズエラ攻撃")
    add_note("2026-01-05", "プライベートクレジットの信用不安")  # the week ending 2026-01-09
    add_note("2025-12-16", "Last priced week")
    app = start()
    assert any("2 notes in weeks after the data's last close (2025-12-16) are not on the charts" in c.value
               for c in app.caption)  # fmt: skip
    assert [row["label"] for row in marker_rows(app, 0)] == ["Last priced week"]
    app.switch_page("pages/notes.py").run()
    assert not app.exception, app.exception
    assert card_titles(app) == ["プライベートクレジットの信用不安", "米国のベネズエラ攻撃", "Last priced week"]
    assert any("including weeks after the data's last close (2025-12-16)" in c.value for c in app.caption)
    app.text_input(key="notes_search").input("ベネズエラ").run()
    assert card_titles(app) == ["米国のベネズエラ攻撃"]


def test_the_notes_after_the_data_caption_in_japanese(store_url):
    store_real_prices(store_url)
    add_note("2026-01-02", "米国のベネズエラ攻撃")
    app = start({"lang": "日本語"})
    assert any("データの最終終値（2025年12月16日）より後の週のメモ 1 件" in c.value for c in app.caption)
    app.radio(key="lang").set_value("English").run()
    assert any("1 note in a week after the data's last close (2025-12-16) is not" in c.value for c in app.caption)


def test_a_range_that_ends_before_the_last_close_keeps_its_end_and_a_search_says_what_lies_outside(store_url):
    store_real_prices(store_url)
    add_note("2026-01-02", "米国のベネズエラ攻撃")
    add_note("2025-06-20", "中東の軍事衝突と原油")
    app = start()
    app.button_group(key="range_preset").set_value("Custom").run()
    app.date_input(key="range_start").set_value(dt.date(2025, 5, 1))
    app.date_input(key="range_end").set_value(dt.date(2025, 9, 30)).run()
    app.switch_page("pages/notes.py").run()
    assert card_titles(app) == ["中東の軍事衝突と原油"]
    app.text_input(key="notes_search").input("攻撃").run()
    assert card_titles(app) == []
    assert any("1 more match in weeks outside the range" in c.value for c in app.caption)


def test_a_demo_author_note_stays_hidden_only_while_prices_are_real(store_url):
    add_note("2025-10-15", "Written as demo", author=DEMO_AUTHOR)
    app = start()  # demo prices: shown
    app.switch_page("pages/notes.py").run()
    assert "Written as demo" in card_titles(app)
    store_real_prices(store_url)
    app.run()
    assert "Written as demo" not in card_titles(app)
