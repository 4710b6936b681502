"""Streamlit glue of the notes: the store, cached lookups, the shared tag filter, who may edit.

The widgets that show and edit one note are in lib/ui/note_widgets.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib.core import settings
from lib.core.errors import DashboardError
from lib.core.i18n import t
from lib.core.ranges import DateRange
from lib.core.types import DemoFilter, Lang
from lib.notes.model import Note, NoteDraft, NoteQuery, Tag, demo_filter, make_draft, week_of
from lib.notes.store import NotesStore
from lib.ui.parts import error_text
from lib.views.notes import add_markers, marker_layers, note_markers

# The lookups below are keyed on the notes database's revision, read at each call: a save from any
# session, process or server shows at the next rerun. The TTL only bounds how long an entry is kept.
NOTES_TTL_SECONDS = 30
DEMO_NOTES_FILE = settings.PROJECT_ROOT / "config" / "demo_notes.toml"
# Cross-page state (seeded in app.py): the tag filter of the Notes page, also used by the markers;
# whether this run shows the demo notes (beside demo prices only).
TAGS_KEY, MATCH_KEY, DEMO_KEY = "note_tags", "note_match", "demo_notes"
MARKERS_KEY = "ratio_notes"  # the Ratio page's toggle of the markers


@st.cache_resource(show_spinner=False)
def _open(url: str) -> NotesStore:
    return NotesStore(url)  # a failure raises and is not cached: the next run tries again


def store() -> NotesStore:
    """The notes database; raises NotesUnavailable with a message for the page."""
    return _open(settings.notes_database_url())


def revision(url: str) -> int:
    """The notes database's revision (NotesUnavailable when it cannot be read)."""
    return _open(url).revision()


def find(url: str, query: NoteQuery) -> list[Note]:
    return _find(url, query, _open(url).revision())


def vocabulary(url: str, *, include_merged: bool = False) -> list[Tag]:
    return _vocabulary(url, _open(url).revision(), include_merged=include_merged)


@st.cache_data(ttl=NOTES_TTL_SECONDS, show_spinner=False)
def _find(url: str, query: NoteQuery, revision: int) -> list[Note]:
    return _open(url).find(query)


@st.cache_data(ttl=NOTES_TTL_SECONDS, show_spinner=False)
def _vocabulary(url: str, revision: int, *, include_merged: bool = False) -> list[Tag]:
    return _open(url).tags(include_merged=include_merged)


def changed() -> None:
    """After a save in this session: the revision has moved, so the next lookups miss the cache;
    dropping the old entries only frees their memory."""
    _find.clear()
    _vocabulary.clear()
    _marker_layers.clear()


def query(
    date_range: DateRange | None,
    *,
    search: str = "",
    include_deleted: bool = False,
    last_close: pd.Timestamp | None = None,
) -> NoteQuery:
    """The shared filter (tags, any/all) with the page's range, search and deleted switch; demo
    notes only beside demo prices.

    With `last_close` (the Notes page), a range that ends at the data's last close reaches every
    later week too: a note may be written for a week the prices do not cover yet.
    """
    open_end = date_range is not None and last_close is not None and date_range.end >= last_close.normalize()
    return NoteQuery(
        tags=tuple(st.session_state.get(TAGS_KEY, [])),
        match=st.session_state.get(MATCH_KEY, "any"),
        search=search,
        # Whole weeks: a note of the current week (stored as its Friday) is inside a range ending today.
        start=week_of(date_range.start) if date_range else None,
        end=week_of(date_range.end) if date_range and not open_end else None,
        include_deleted=include_deleted,
        demo=demo_notes_filter(),
    )


def outside_range(url: str, notes_query: NoteQuery) -> int:
    """How many more notes match `notes_query` in weeks outside its range (a search's hint)."""
    if notes_query.start is None and notes_query.end is None:
        return 0
    everywhere = find(url, dataclasses.replace(notes_query, start=None, end=None))
    return len(everywhere) - len(find(url, notes_query))


def tag_filter(tags: list[Tag], lang: Lang, *, label: str) -> None:
    """The tag multiselect and any/all switch; the same state on the Notes and Ratio pages."""
    by_key = {tag.key: tag for tag in tags}
    st.session_state[TAGS_KEY] = [key for key in st.session_state.get(TAGS_KEY, []) if key in by_key]
    left, right = st.columns([4, 1.4], vertical_alignment="bottom")
    left.multiselect(
        label,
        list(by_key),
        key=TAGS_KEY,
        format_func=lambda key: by_key[key].label(lang),
        placeholder=t("notes_all_tags", lang),
    )
    right.segmented_control(
        t("notes_match", lang),
        ["any", "all"],
        key=MATCH_KEY,
        required=True,
        format_func=lambda m: t(f"notes_match_{m}", lang),
    )


def charts_with_markers(
    specs: dict[str, dict], date_range: DateRange, x_domain: tuple | None, lang: Lang
) -> dict[str, dict]:
    """The Ratio page's charts with a marker per week of notes, filtered by the shared tags; a
    toggle, the tag filter and what is shown sit above the charts.

    Notes being unavailable never stops the Ratio page: the charts are drawn without markers.
    """
    toggle_col, filter_col = st.columns([1.3, 4], vertical_alignment="center")
    if not toggle_col.toggle(t("ratio_notes_toggle", lang), value=True, key=MARKERS_KEY, bind="query-params"):
        return specs
    try:
        url = settings.notes_database_url()
        tags = vocabulary(url, include_merged=True)
        found = find(url, query(date_range))
    except DashboardError as error:
        filter_col.caption(t("ratio_notes_unavailable", lang, reason=error_text(error, lang)))
        return specs
    live = [tag for tag in tags if tag.merged_into is None]
    chosen = [tag.label(lang) for tag in live if tag.key in st.session_state.get(TAGS_KEY, [])]
    themes = ", ".join(chosen) or t("notes_all_tags", lang)
    weeks = len({note.week for note in found})
    with filter_col.popover(t("ratio_notes_caption", lang, count=weeks, themes=themes)):
        tag_filter(live, lang, label=t("notes_filter_tags", lang))
    if not found:
        return specs
    return add_markers(specs, _marker_layers(url, query(None), lang, _open(url).revision()), x_domain)


def notes_after_data(last_close: pd.Timestamp | None, lang: Lang) -> None:
    """Above the Ratio charts: how many notes (the shared tag filter) sit in weeks after the data's
    last close, where no chart reaches. Nothing when the markers are off or notes are down."""
    if last_close is None or not st.session_state.get(MARKERS_KEY, True):
        return
    try:
        after = dataclasses.replace(query(None), start=week_of(last_close) + dt.timedelta(days=1))
        count = len(find(settings.notes_database_url(), after))
    except DashboardError:
        return  # charts_with_markers has said why
    if count:
        key = "ratio_notes_after_data_one" if count == 1 else "ratio_notes_after_data"
        st.caption(t(key, lang, count=count, last=last_close.date()))


@st.cache_data(ttl=NOTES_TTL_SECONDS, show_spinner=False)
def _marker_layers(url: str, every_week: NoteQuery, lang: Lang, revision: int) -> dict[str, dict]:
    """Marker layers over all weeks for the shared tag filter: building them costs more than the
    rest of a rerun, cutting them to a chart's range costs nothing."""
    markers = note_markers(find(url, every_week), vocabulary(url, include_merged=True), lang)
    return marker_layers(markers, lang)


@dataclass(frozen=True)
class Access:
    can_edit: bool
    author: str | None  # the logged-in user's name or e-mail, when known
    reason: str | None = None  # why not, for the page
    offer_login: bool = False


def access(lang: Lang) -> Access:
    """Who may edit: nobody when read-only; only listed e-mails when editors are set (st.login)."""
    rules = settings.notes_access()
    logged_in = bool(st.user.get("is_logged_in"))
    email = str(st.user.get("email") or "").lower() if logged_in else ""
    name = str(st.user.get("name") or email) if logged_in else None
    if rules.read_only:
        return Access(False, name, t("notes_read_only", lang))
    if not rules.editors:
        return Access(True, name)
    if not logged_in:
        return Access(False, None, t("notes_login_needed", lang), offer_login=True)
    if email not in rules.editors:
        return Access(False, name, t("notes_not_editor", lang, email=email))
    return Access(True, name)


def ensure_demo_notes(is_demo: bool) -> bool:
    """With demo prices and an empty notes database, add the demo notes (author DEMO_AUTHOR) once,
    so the demo shows the feature; never into a read-only database. The store decides under a lock,
    so sessions starting together add them once. Returns whether this run shows the demo notes: only
    beside demo prices (app.py keeps the answer for every query of notes, see `demo_notes_filter`)."""
    if is_demo:
        url = settings.notes_database_url()
        with contextlib.suppress(DashboardError):  # notes unavailable: the Notes page says why
            notes = _open(url)
            if not notes.read_only and not find(url, NoteQuery(include_deleted=True)):
                notes.seed_demo_notes(demo_drafts(notes.tags()))
                changed()  # added, or another session did: the next query reads them
    return is_demo


def demo_notes_shown() -> bool:
    """Whether this run shows the demo notes, as app.py recorded it; outside a run, no."""
    return bool(st.session_state.get(DEMO_KEY, False))


def demo_notes_filter() -> DemoFilter:
    """What every query of notes shown beside this run's prices takes (lib.notes.model.demo_filter)."""
    return demo_filter(demo_prices=demo_notes_shown())


def live_demo_notes(url: str) -> int:
    """The demo notes in the database and not deleted, shown or hidden: the Notes page offers to remove them."""
    return len(find(url, NoteQuery(demo="only")))


def demo_drafts(vocabulary: list[Tag]) -> list[NoteDraft]:
    """The demo notes of config/demo_notes.toml, checked as the editor checks a note."""
    with DEMO_NOTES_FILE.open("rb") as handle:
        entries = tomllib.load(handle)["note"]
    return [make_draft(e["week"], e["title"], e["body"], e["tags"], vocabulary) for e in entries]


def remove_demo_notes(author: str) -> None:
    notes = store()
    for note in notes.find(NoteQuery(demo="only")):
        notes.delete(note.id, author=author)
    changed()


def latest_week(now: dt.datetime | None = None) -> dt.date:
    """The default week of a new note: the week of the latest completed session."""
    from lib.core.calendar import last_completed_session

    return last_completed_session(now or dt.datetime.now(dt.UTC)).date()
