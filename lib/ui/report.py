"""Streamlit glue of the Weekly report page: the draft and its files, cached per week, language and
template; the team's template, its preview against the week shown, save and reset."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from lib.core import settings
from lib.core.errors import DashboardError
from lib.core.i18n import Message, message, t
from lib.core.types import Lang
from lib.notes.model import NoteQuery, Tag, safe_markdown, week_of
from lib.notes.templates import SavedTemplate, TemplateStore
from lib.report.draft import build_report, latest_completed_week
from lib.report.files import ReportFiles, build_report_files
from lib.report.template import default_template
from lib.ui import cache
from lib.ui import notes as ui_notes
from lib.ui.parts import error_text


def default_week() -> dt.date:
    price_set = cache.dashboard_prices()
    return latest_completed_week(price_set.as_of, price_set.last_session).date()


def report_files(day: dt.date, lang: Lang) -> ReportFiles:
    """The draft for the week containing `day`: prices from the store (or demo), the week's notes,
    the team's template (the default one when none is saved or the database cannot be read)."""
    funds = tuple(cache.saved_funds())
    notes, tags, problem = _week_notes(day)
    saved, template_problem = team_template(lang)
    template = saved.text if saved else None
    with st.spinner(t("report_drafting", lang)):
        files = _build(day, lang, funds, tuple(notes), tuple(tags), template, cache.store_revision())
    found = [check for check in (problem, template_problem) if check]
    return dataclasses.replace(files, checks=[*found, *files.checks]) if found else files


@st.cache_data(ttl=cache.PRICE_TTL_SECONDS, max_entries=16, show_spinner=False)
def _build(
    day: dt.date,
    lang: Lang,
    funds: tuple[str, ...],
    notes: tuple,
    tags: tuple[Tag, ...],
    template: str | None,
    revision: int | None,
) -> ReportFiles:
    price_set = cache.load_price_set(*cache.fund_price_args(funds, settings.FUND_BENCHMARK))  # no spinner in here
    report = build_report(
        price_set.closes,
        source=price_set.source,
        lang=lang,
        week_of=pd.Timestamp(day),
        notes=list(notes),
        tags=list(tags),
        last_closed=price_set.last_session,
        template=template,
    )
    return build_report_files(report, price_set, funds=list(funds), described=cache.described_funds())


def _week_notes(day: dt.date):
    """The week's notes and the tag vocabulary that labels their themes, or a check saying why not."""
    try:
        week = week_of(day)
        week_notes = NoteQuery(start=week, end=week, demo=ui_notes.demo_notes_filter())
        url = settings.notes_database_url()
        return ui_notes.find(url, week_notes), ui_notes.vocabulary(url), None
    except DashboardError as error:
        return [], [], message("check_no_notes", reason=error.message or str(error))


# --- The team's template -------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _templates(url: str) -> TemplateStore:
    return TemplateStore(url)  # a failure raises and is not cached: the next run tries again


@st.cache_data(ttl=ui_notes.NOTES_TTL_SECONDS, show_spinner=False)
def _saved(url: str, lang: Lang, revision: int) -> SavedTemplate | None:
    """Keyed on the notes database's revision: a template saved on another server shows at the next rerun."""
    return _templates(url).get(lang)


def team_template(lang: Lang) -> tuple[SavedTemplate | None, Message | None]:
    """The template the team saved for `lang` (None: the default), or None and why it cannot be read."""
    try:
        url = settings.notes_database_url()
        return _saved(url, lang, ui_notes.revision(url)), None
    except DashboardError as error:
        return None, message("report_template_unavailable", reason=error.message or str(error))


def preview(files: ReportFiles, text: str) -> str:
    """The week of `files` drafted with the template `text`; InvalidTemplate names the line that fails."""
    return dataclasses.replace(files.report, template=text).markdown(files.links)


def save_template(files: ReportFiles, text: str, *, author: str) -> None:
    """Keep `text` as the team's template of the draft's language, once it drafts the week shown."""
    preview(files, text)
    _templates(settings.notes_database_url()).save(files.report.lang, text, author=author)
    _saved.clear()


def reset_template(lang: Lang) -> None:
    _templates(settings.notes_database_url()).reset(lang)
    _saved.clear()


def template_mark(files: ReportFiles) -> str:
    """ "" for a draft of the default template, else a short digest of the template: part of the key of
    the editable draft, so a template saved meanwhile gives a fresh draft instead of an old edit."""
    template = files.report.template
    return "" if template is None else "_" + hashlib.sha256(template.encode()).hexdigest()[:12]


def editable_template(lang: Lang) -> tuple[str, str]:
    """The text the editor starts from (the team's template or the default) and the line above it."""
    saved, _ = team_template(lang)
    if saved is None:
        return default_template(lang), t("report_template_default", lang)
    at = f"{saved.saved_at:%Y-%m-%d %H:%M} UTC"
    return saved.text, t("report_template_saved_by", lang, author=saved.author, at=at)


def template_editor(files: ReportFiles, lang: Lang) -> None:
    """The team's template in a text area, its preview against the week shown, Save and Reset."""
    current, said = editable_template(lang)
    flash = st.session_state.pop("report_template_flash", None)
    if flash:
        st.success(t(flash, lang), icon=":material/check:")
    st.caption(said)
    key = f"report_template_{lang}_{hashlib.sha256(current.encode()).hexdigest()[:12]}"  # saved anew: a fresh area
    text = st.text_area(t("report_template_label", lang), value=current, height=420, key=key)
    allowed = ui_notes.access(lang)
    buttons = st.container(horizontal=True)
    save = buttons.button(t("report_template_save", lang), disabled=not allowed.can_edit, icon=":material/save:")
    reset = buttons.button(
        t("report_template_reset", lang), disabled=not allowed.can_edit or current == default_template(lang)
    )
    if allowed.reason:
        st.caption(allowed.reason)
    if save or reset:
        author = allowed.author or st.session_state.get("notes_author") or ""
        try:
            if save:
                save_template(files, text, author=author)
            else:
                reset_template(lang)
        except DashboardError as error:
            st.error(t("report_template_refused", lang, reason=error_text(error, lang)), icon=":material/error:")
        else:
            done = "report_template_saved" if save else "report_template_reset_done"
            st.session_state["report_template_flash"] = done
            st.rerun()
    _template_preview(files, text, lang)


def _template_preview(files: ReportFiles, text: str, lang: Lang) -> None:
    st.markdown(f"**{t('report_template_preview', lang, week=files.report.summary.week_end.date())}**")
    try:
        draft = preview(files, text)
    except DashboardError as error:
        st.error(error_text(error, lang), icon=":material/error:")
        return
    with st.container(border=True):
        st.markdown(safe_markdown(draft))
