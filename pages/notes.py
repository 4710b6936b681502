"""Notes page: the analyst's weekly theme notes, filtered by tags, range and words; a timeline of
themes by week; the tag vocabulary. Saving never loses text (see lib/notes/store/)."""

import streamlit as st

from lib.core import settings
from lib.core.errors import NotesUnavailable
from lib.core.i18n import t
from lib.ui import cache, frame
from lib.ui import note_widgets as widgets
from lib.ui import notes as ui_notes
from lib.ui.parts import error_text
from lib.views import export
from lib.views.charts import ChartText, theme_timeline
from lib.views.notes import tag_counts, theme_order
from lib.views.notes import theme_timeline as timeline_frame

frame.require_frame()
lang = frame.language()
date_range = st.session_state["date_range"]

st.title(t("notes_page_title", lang))
frame.range_notice(lang)
try:
    ui_notes.store()
except NotesUnavailable as error:
    st.error(error_text(error, lang), icon=":material/database:")
    st.caption(t("notes_unavailable_help", lang))
    st.stop()

url = settings.notes_database_url()
access = ui_notes.access(lang)
author = access.author or st.session_state.get("notes_author") or ""
tags = ui_notes.vocabulary(url)
every_tag = {tag.key: tag for tag in ui_notes.vocabulary(url, include_merged=True)}

if not access.can_edit:
    st.info(access.reason, icon=":material/lock:")
    if access.offer_login and st.button(t("notes_login", lang), icon=":material/login:"):
        st.login()
demo_count = ui_notes.live_demo_notes(url)
if demo_count:
    note_col, remove_col = st.columns([5, 1.4], vertical_alignment="center")
    if ui_notes.demo_notes_shown():
        note_col.warning(t("notes_demo", lang, count=demo_count), icon=":material/science:")
    else:  # real prices: the demo notes are in no list, chart or draft
        note_col.info(t("notes_demo_hidden", lang, count=demo_count), icon=":material/visibility_off:")
    if access.can_edit and remove_col.button(t("notes_remove_demo", lang), icon=":material/delete_sweep:"):
        ui_notes.remove_demo_notes(author or "unknown")
        st.rerun()

ui_notes.tag_filter(tags, lang, label=t("notes_filter_tags", lang))
search_col, deleted_col, new_col = st.columns([4, 1.4, 1.2], vertical_alignment="bottom")
search = search_col.text_input(t("notes_search", lang), key="notes_search", placeholder=t("notes_search_hint", lang))
show_deleted = deleted_col.toggle(t("notes_show_deleted", lang), key="notes_show_deleted")
if access.can_edit:
    new_col.button(
        t("notes_new", lang), icon=":material/add:", type="primary", on_click=widgets.open_editor, args=(None,)
    )

last_close = cache.dashboard_prices().as_of
notes_query = ui_notes.query(date_range, search=search, include_deleted=show_deleted, last_close=last_close)
found = ui_notes.find(url, notes_query)
open_end = notes_query.end is None  # the range reaches the last close: later weeks are listed too
weeks = {"start": date_range.start.date(), "end": date_range.end.date()}
if open_end:
    weeks["last"] = last_close.date()
list_tab, timeline_tab, tags_tab = st.tabs(
    [t("notes_tab_list", lang), t("notes_tab_timeline", lang), t("notes_tab_tags", lang)]
)

with list_tab:
    widgets.notice()
    if access.can_edit:
        widgets.editor(tags, lang, author=access.author)
    outside = ui_notes.outside_range(url, notes_query) if search.strip() else 0
    st.caption(
        t("notes_count_open" if open_end else "notes_count", lang, count=len(found), **weeks)
        + (t("notes_more_outside", lang, count=outside) if outside else "")
        + (
            t("notes_first_shown", lang, shown=settings.NOTES_PAGE_SIZE)
            if len(found) > settings.NOTES_PAGE_SIZE
            else ""
        )
    )
    if not found:
        st.info(t("notes_none", lang), icon=":material/search_off:")
    for note in found[: settings.NOTES_PAGE_SIZE]:
        widgets.note_card(note, every_tag, lang, can_edit=access.can_edit, author=author)

with timeline_tab:
    cells = timeline_frame([n for n in found if not n.deleted], list(every_tag.values()), lang)
    if cells.empty:
        st.info(t("notes_none", lang), icon=":material/search_off:")
    else:
        subtitle = t("notes_timeline_subtitle_open" if open_end else "notes_timeline_subtitle", lang, **weeks)
        chart = theme_timeline(
            cells,
            text=ChartText(t("notes_timeline_title", lang), subtitle, lang, False),
            themes=theme_order(tags, lang),
        )
        spec = chart.to_dict()
        files = export.chart_files(spec, lambda: cells.drop(columns=["start", "end", "colour"]), is_demo=False)
        frame.chart_with_downloads(
            spec, files, stem=f"themes_{date_range.start.date()}_{date_range.end.date()}", key="notes_timeline"
        )

with tags_tab:
    counts = tag_counts(ui_notes.find(url, ui_notes.query(None)))
    st.dataframe(
        [
            {
                t("tags_label_en", lang): tag.label_en,
                t("tags_label_ja", lang): tag.label_ja,
                t("tags_colour", lang): tag.colour,
                t("tags_notes", lang): counts.get(tag.key, 0),
            }
            for tag in tags
        ],
        hide_index=True,
        placeholder="—",
    )
    if access.can_edit:
        widgets.tag_forms(tags, lang, author=author)
