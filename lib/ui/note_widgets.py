"""The Notes page's widgets: a note in the result list, the editor, a conflict, the tag forms.

A note's text is always shown through lib.notes.model.safe_markdown (or as plain text): nothing a note
contains is ever run in the browser.

A conflict belongs to its note: it is kept under that note's id and shown, and resolved, only in that
note's editor, and "Save mine" saves into the note the conflict is about. An action from a card (bring
a version back, delete, restore) or from the tag forms never opens, closes or fills the editor: if
the note moved on meanwhile, it says so above the list and saves nothing.

The open editor is also kept in the link (?note_edit=new, or ?note_edit=<id>&note_version=<the
version opened>): in a team deployment a replica may die while a note is typed, and the browser then
reconnects to a new session that knows nothing of the editor. The link brings the editor back with
the same widget keys, so the text the browser still holds applies, and a save still checks the
version the analyst opened.
"""

from __future__ import annotations

import streamlit as st

from lib.core import settings
from lib.core.errors import DashboardError, NoteConflict
from lib.core.i18n import t
from lib.core.types import Lang
from lib.notes.model import Note, NoteDraft, NoteVersion, Tag, make_draft, preview, resolve_tag, safe_markdown
from lib.ui import notes as ui_notes
from lib.ui.parts import error_text

NOTE_ICON = ":material/sticky_note_2:"
EDITING_KEY = "notes_editing"  # the id of the note being edited, or "new"
CONFLICT_KEY = "notes_conflict_{note_id}"  # a note's NoteConflict, kept for its editor until resolved
NOTICE_KEY = "notes_notice"  # what an action from a card or the tag forms has to say after the redraw
# The open editor in the link: "new" or a note's id, and the version of that note the editor opened.
LINK_KEY, LINK_VERSION_KEY = "note_edit", "note_version"
FIELDS = ("week", "title", "tags", "body")
SAVE_KEY = "notes_save_"  # + the editor's target: the key of its Save button
# Streamlit's badge colours and the colour each stands for, to show a tag's "#rrggbb" as a badge.
BADGE_COLOURS = {
    "red": (255, 75, 75),
    "orange": (255, 164, 33),
    "yellow": (220, 190, 20),
    "green": (33, 195, 84),
    "blue": (28, 131, 225),
    "violet": (128, 61, 245),
    "gray": (128, 132, 149),
}


def badges(keys: tuple[str, ...], tags: dict[str, Tag], lang: Lang) -> str:
    shown = []
    for key in keys:
        tag = tags.get(key)
        label = (tag.label(lang) if tag else key).replace("[", "(").replace("]", ")")
        shown.append(f":{_badge_colour(tag.colour if tag else '#808495')}-badge[{label}]")
    return " ".join(shown)


def note_card(note: Note, tags: dict[str, Tag], lang: Lang, *, can_edit: bool, author: str) -> None:
    """Title, week, tags and the first lines; the whole note, its history and actions on demand."""
    with st.container(border=True):
        head, actions = st.columns([5, 2], vertical_alignment="top")
        deleted = f" · :red[{t('notes_deleted', lang)}]" if note.deleted else ""
        head.markdown(f"{NOTE_ICON} **{safe_markdown(note.title)}**{deleted}  \n{badges(note.tags, tags, lang)}")
        line = t("notes_card_line", lang, week=note.week, author=note.author, version=note.version)
        head.caption(safe_markdown(f"{line} — {preview(note.body)}"))
        if can_edit:
            _actions(actions.container(horizontal=True, horizontal_alignment="right"), note, lang, author=author)
        with st.expander(t("notes_read", lang)):
            st.markdown(safe_markdown(note.body))
            _history(note, tags, lang, can_edit=can_edit, author=author)


def _actions(column, note: Note, lang: Lang, *, author: str) -> None:
    column.button(
        t("notes_edit", lang), key=f"notes_edit_{note.id}", icon=":material/edit:", on_click=open_editor, args=(note,)
    )
    if note.deleted:
        if column.button(t("notes_restore", lang), key=f"notes_restore_{note.id}", icon=":material/undo:"):
            _run(lambda: ui_notes.store().restore(note.id, author=author), lang, about=note)
    elif column.button(t("notes_delete", lang), key=f"notes_delete_{note.id}", icon=":material/delete:"):
        _run(lambda: ui_notes.store().delete(note.id, author=author), lang, about=note)


def _history(note: Note, tags: dict[str, Tag], lang: Lang, *, can_edit: bool, author: str) -> None:
    if note.version == 1:
        return
    versions = ui_notes.store().history(note.id)
    st.caption(t("notes_history", lang, count=len(versions)))
    for version in versions[1:]:
        state = f" · {t('notes_deleted', lang)}" if version.deleted else ""
        line = t(
            "notes_version_line",
            lang,
            version=version.version,
            at=f"{version.saved_at:%Y-%m-%d %H:%M}",
            author=version.author,
        )
        with st.popover(f"{line}{state}", width="stretch"):
            st.markdown(f"**{safe_markdown(version.title)}** {badges(version.tags, tags, lang)}")
            st.code(version.body, language="markdown", wrap_lines=True)
            if can_edit and st.button(t("notes_bring_back", lang), key=f"notes_back_{note.id}_{version.version}"):
                draft = NoteDraft(version.week, version.title, version.body, version.tags)
                _run(
                    lambda d=draft: ui_notes.store().save(note.id, d, expected_version=note.version, author=author),
                    lang,
                    about=note,
                )


def open_editor(note: Note | None) -> None:
    """Fill the editor with a note (or empty for a new one); a button callback."""
    target = "new" if note is None else note.id
    st.session_state[EDITING_KEY] = target
    st.session_state.pop(conflict_key(target), None)  # opened afresh from the list: the note as it stands
    if note is None:
        note_fields = {"week": ui_notes.latest_week(), "title": "", "tags": [], "body": "", "version": 0}
    else:
        note_fields = {"week": note.week, "title": note.title, "tags": list(note.tags), "body": note.body}
        note_fields["version"] = note.version
    for field, value in note_fields.items():
        st.session_state[f"notes_f_{field}_{target}"] = value


def close_editor() -> None:
    target = st.session_state.pop(EDITING_KEY, None)
    st.session_state.pop(conflict_key(target), None)
    for field in (*FIELDS, "version"):
        st.session_state.pop(f"notes_f_{field}_{target}", None)
    for key in (LINK_KEY, LINK_VERSION_KEY):
        if key in st.query_params:
            del st.query_params[key]


def _editor_to_link(target: int | str) -> None:
    """The open editor and the version it opened, in the link (a page switch drops the link's
    parameters: written again at every run while the editor is open)."""
    wanted = {LINK_KEY: str(target)}
    if target != "new":
        wanted[LINK_VERSION_KEY] = str(st.session_state.get(f"notes_f_version_{target}", ""))
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def _editor_from_link(lang: Lang) -> tuple[int | str, dict] | None:
    """The editor the link holds, when this session knows of none (after a failover, or a shared
    link): its target and the fields as the note stood at the version opened, given to the widgets
    as their defaults only. Never written into the session state: the text the browser still holds
    is sent with the next submission and wins over a default, while a value set in the session state
    would overwrite it. None when the link holds no editor; a note or version that is gone says so."""
    text = st.query_params.get(LINK_KEY)
    if text is None:
        return None
    if text == "new":
        target, version = "new", 0
        fields = {"week": ui_notes.latest_week(), "title": "", "tags": [], "body": ""}
    else:
        opened = _opened_version(text, st.query_params.get(LINK_VERSION_KEY))
        if opened is None:
            close_editor()
            st.warning(t("notes_editor_link_gone", lang), icon=":material/link_off:")
            return None
        target, version = int(text), opened.version
        fields = {"week": opened.week, "title": opened.title, "tags": list(opened.tags), "body": opened.body}
    st.session_state[EDITING_KEY] = target
    st.session_state[f"notes_f_version_{target}"] = version
    return target, fields


def _save_of_an_unknown_editor(lang: Lang) -> None:
    """Save pressed in an editor this session does not know, with no editor in the link either (a
    link edited by hand, a page left open from before the link held the editor): the browser sent
    the form, but no editor is drawn to take it. Say that nothing was saved and show the text it
    sent, to copy, rather than drop it without a word."""
    sent = _sent_by_the_browser()
    pressed = [key for key, value in sent.items() if key.startswith(SAVE_KEY) and value is True]
    if not pressed:
        return
    target = pressed[0].removeprefix(SAVE_KEY)
    title, body = (sent.get(f"notes_f_{field}_{target}") or "" for field in ("title", "body"))
    st.error(t("notes_save_unknown_editor", lang), icon=":material/error:")
    if title or body:
        st.code(f"{title}\n\n{body}".strip(), language="markdown", wrap_lines=True)


def _sent_by_the_browser() -> dict[str, object]:
    """The keyed widget values the browser sent with this run, drawn or not, by key (trigger and
    text values only). Streamlit offers no public way to see a value sent for a widget the script
    does not draw: this reads Streamlit 1.67's session state, and says nothing if that changes."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.runtime.state.common import user_key_from_element_id

        states = get_script_run_ctx().session_state._state._new_widget_state.states
    except (ImportError, AttributeError):
        return {}
    sent: dict[str, object] = {}
    for element_id, state in states.items():
        proto, key = getattr(state, "value", None), user_key_from_element_id(element_id)
        kind = proto.WhichOneof("value") if hasattr(proto, "WhichOneof") else None
        if key and kind in ("trigger_value", "string_value"):
            sent[key] = getattr(proto, kind)
    return sent


def _opened_version(note_id: str, version: str | None) -> NoteVersion | None:
    """The note's version the link names, from its history; None when the link is damaged or the
    note or version is not in this database."""
    if not (note_id.isdigit() and version and version.isdigit()):
        return None
    try:
        history = ui_notes.store().history(int(note_id))
    except DashboardError:
        return None
    return next((saved for saved in history if saved.version == int(version)), None)


def _open_editor_of_this_run(live: dict[str, Tag], lang: Lang) -> tuple[int | str, dict] | None:
    """The editor to draw and the defaults of its widgets: the session's own (no defaults: the
    session state holds its fields), else the one in the link (after a failover); None when no
    editor is open, after saying so if a Save reached this session for an editor it does not know."""
    target = st.session_state.get(EDITING_KEY)
    if target is not None:
        _keep_live_tags(target, live)
        _editor_to_link(target)
        return target, {}
    restored = _editor_from_link(lang)
    if restored is None:
        _save_of_an_unknown_editor(lang)
        return None
    target, defaults = restored
    _editor_to_link(target)
    return target, {**defaults, "tags": _live_tags(defaults["tags"], live)}


def editor(tags: list[Tag], lang: Lang, *, author: str | None) -> None:
    """The form of the note being edited; a failed save keeps every field as typed."""
    by_key = {tag.key: tag for tag in tags}
    opened = _open_editor_of_this_run(by_key, lang)
    if opened is None:
        return
    target, defaults = opened
    given = {field: ({"value": value} if field != "tags" else {"default": value}) for field, value in defaults.items()}
    with st.container(border=True):
        st.subheader(t("notes_new" if target == "new" else "notes_editing", lang))
        with st.form(f"notes_form_{target}", border=False):
            left, right = st.columns([1, 3])
            week = left.date_input(
                t("notes_week", lang),
                key=f"notes_f_week_{target}",
                help=t("notes_week_help", lang),
                **given.get("week", {}),
            )
            title = right.text_input(
                t("notes_title_field", lang), key=f"notes_f_title_{target}", max_chars=200, **given.get("title", {})
            )
            chosen = st.multiselect(
                t("notes_tags", lang),
                list(by_key),
                key=f"notes_f_tags_{target}",
                format_func=lambda k: by_key[k].label(lang),
                **given.get("tags", {}),
            )
            body = st.text_area(
                t("notes_body", lang),
                key=f"notes_f_body_{target}",
                height=260,
                help=t("notes_body_help", lang),
                **given.get("body", {}),
            )
            name = author or st.text_input(
                t("notes_author", lang), key="notes_author", help=t("notes_author_help", lang)
            )
            save, cancel = st.columns([1, 1])
            saved = save.form_submit_button(
                t("notes_save", lang), type="primary", icon=":material/save:", key=f"{SAVE_KEY}{target}"
            )
            cancelled = cancel.form_submit_button(t("notes_cancel", lang))
        if defaults:  # under the form: above it, the form would move and the browser redraw it
            st.info(t("notes_editor_restored", lang), icon=":material/sync:")
        if cancelled:
            close_editor()
            st.rerun()
        if saved:
            _save(target, week, title, body, chosen, tags, author=name or "", lang=lang)
        conflict = st.session_state.get(conflict_key(target))
        if conflict is not None and conflict.theirs.id == target:
            conflict_panel(conflict, lang, author=name or "")


def conflict_key(target: int | str | None) -> str:
    return CONFLICT_KEY.format(note_id=target)


def _keep_live_tags(target: int | str, live: dict[str, Tag]) -> None:
    """The editor's tags as the vocabulary now stands: a tag merged since the editor opened becomes
    the tag it went into (the multiselect can only hold tags in use)."""
    field = f"notes_f_tags_{target}"
    chosen = st.session_state.get(field, [])
    if all(key in live for key in chosen):
        return  # nothing to change: the form keeps what is being typed
    st.session_state[field] = _live_tags(chosen, live)


def _live_tags(chosen: list[str], live: dict[str, Tag]) -> list[str]:
    """`chosen` with each merged tag replaced by the tag it went into; gone ones left out."""
    if all(key in live for key in chosen):
        return list(chosen)
    every = ui_notes.vocabulary(settings.notes_database_url(), include_merged=True)
    kept = []
    for key in chosen:
        try:
            kept.append(resolve_tag(key, every).key)
        except DashboardError:  # gone, or merged in a loop (a damaged database): not offered
            continue
    return [key for key in dict.fromkeys(kept) if key in live]


def _save(target, week, title, body, chosen, tags: list[Tag], *, author: str, lang: Lang) -> None:
    def store_it() -> None:
        draft = make_draft(week, title, body, chosen, tags)
        notes = ui_notes.store()
        if target == "new":
            notes.add(draft, author=author)
        else:
            notes.save(target, draft, expected_version=st.session_state[f"notes_f_version_{target}"], author=author)

    _run(store_it, lang, editing=target, toast=t("notes_saved", lang))


def conflict_panel(conflict: NoteConflict, lang: Lang, *, author: str) -> None:
    """Both texts side by side; the analyst keeps theirs, or saves mine on top of theirs, in the note
    the conflict is about (never in another one)."""
    note_id = conflict.theirs.id
    st.error(error_text(conflict, lang), icon=":material/merge:")
    mine, theirs = st.columns(2)
    mine.markdown(f"**{t('notes_yours', lang)}**")
    mine.code(conflict.mine.body, language="markdown", wrap_lines=True)
    theirs.markdown(
        f"**{t('notes_theirs', lang, author=safe_markdown(conflict.theirs.author), version=conflict.theirs.version)}**"
    )
    theirs.code(conflict.theirs.body, language="markdown", wrap_lines=True)
    keep_mine, keep_theirs = st.columns(2)
    if keep_mine.button(t("notes_save_mine", lang), key=f"notes_conflict_mine_{note_id}", type="primary"):
        _run(
            lambda: ui_notes.store().save(
                note_id, conflict.mine, expected_version=conflict.theirs.version, author=author
            ),
            lang,
            editing=note_id,
        )
    if keep_theirs.button(t("notes_keep_theirs", lang), key=f"notes_conflict_theirs_{note_id}"):
        close_editor()
        st.rerun()


def _run(
    action, lang: Lang, *, editing: int | str | None = None, about: Note | None = None, toast: str | None = None
) -> None:
    """An action on the notes: from the editor of note `editing` ("new" for a new note), from the card
    of note `about`, or from the tag forms (neither). Errors become a message and the editor keeps its
    text (bad input, busy or unavailable database). A conflict of the edited note is kept for its
    editor (both texts); a card's conflict is said above the list and nothing is kept. Success closes
    only the editor the action came from and redraws the page."""
    try:
        action()
    except NoteConflict as conflict:
        if editing is not None and conflict.theirs.id == editing:
            st.session_state[conflict_key(editing)] = conflict
            return
        _changed_meanwhile(conflict, about, lang)
        return
    except DashboardError as error:
        st.error(error_text(error, lang), icon=":material/error:")
        return
    if editing is not None:
        close_editor()
    ui_notes.changed()
    if toast:
        st.toast(toast, icon=":material/check:")
    st.rerun()


def _changed_meanwhile(conflict: NoteConflict, about: Note | None, lang: Lang) -> None:
    """A card's note moved on after the page was drawn: say so above the list, redrawn with the latest."""
    theirs = conflict.theirs
    title = about.title if about is not None else theirs.title
    st.session_state[NOTICE_KEY] = t(
        "notes_changed_meanwhile",
        lang,
        title=safe_markdown(title),
        author=safe_markdown(theirs.author or "?"),
        version=theirs.version,
    )
    ui_notes.changed()
    st.rerun()


def notice() -> None:
    """Above the list: what the last action from a card had to say (once)."""
    said = st.session_state.pop(NOTICE_KEY, None)
    if said:
        st.error(said, icon=":material/sync_problem:")


def _badge_colour(colour: str) -> str:
    try:
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "gray"
    return min(BADGE_COLOURS, key=lambda name: sum((a - b) ** 2 for a, b in zip(rgb, BADGE_COLOURS[name], strict=True)))


def tag_forms(tags: list[Tag], lang: Lang, *, author: str) -> None:
    """Add a tag; rename one (labels and colour; notes keep it); merge one into another."""
    by_key = {tag.key: tag for tag in tags}
    add, rename, merge = st.columns(3)
    with add.form("notes_tag_add", clear_on_submit=True):
        st.markdown(f"**{t('tags_add', lang)}**")
        label_en = st.text_input(t("tags_label_en", lang), key="tags_add_en")
        label_ja = st.text_input(t("tags_label_ja", lang), key="tags_add_ja")
        colour = st.color_picker(t("tags_colour", lang), value="#607d8b", key="tags_add_colour")
        if st.form_submit_button(t("tags_add_button", lang), icon=":material/add:"):
            _run(lambda: ui_notes.store().add_tag(label_en, label_ja, colour), lang)
    with rename.container(border=True):
        st.markdown(f"**{t('tags_rename', lang)}**")
        key = st.selectbox(
            t("tags_which", lang), list(by_key), format_func=lambda k: by_key[k].label(lang), key="tags_rename_key"
        )
        with st.form("notes_tag_rename"):
            chosen = by_key[key]
            new_en = st.text_input(t("tags_label_en", lang), value=chosen.label_en, key=f"tags_rename_en_{key}")
            new_ja = st.text_input(t("tags_label_ja", lang), value=chosen.label_ja, key=f"tags_rename_ja_{key}")
            new_colour = st.color_picker(t("tags_colour", lang), value=chosen.colour, key=f"tags_rename_colour_{key}")
            if st.form_submit_button(t("tags_rename_button", lang), icon=":material/edit:"):
                _run(
                    lambda: ui_notes.store().rename_tag(key, label_en=new_en, label_ja=new_ja, colour=new_colour), lang
                )
    with merge.form("notes_tag_merge"):
        st.markdown(f"**{t('tags_merge', lang)}**")
        source = st.selectbox(
            t("tags_merge_source", lang),
            list(by_key),
            format_func=lambda k: by_key[k].label(lang),
            key="tags_merge_source",
        )
        target = st.selectbox(
            t("tags_merge_target", lang),
            list(by_key),
            format_func=lambda k: by_key[k].label(lang),
            index=1,
            key="tags_merge_target",
        )
        st.caption(t("tags_merge_caption", lang))
        if st.form_submit_button(t("tags_merge_button", lang), icon=":material/merge:"):
            _run(lambda: ui_notes.store().merge_tags(source, target, author=author), lang)
