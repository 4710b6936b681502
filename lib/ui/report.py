"""Streamlit glue of the Weekly report page: the draft and its files, cached per week and language."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from lib.core import settings
from lib.core.errors import DashboardError
from lib.core.i18n import message, t
from lib.core.types import Lang
from lib.notes.model import NoteQuery, week_of
from lib.report.draft import build_report, latest_completed_week
from lib.report.files import ReportFiles, build_report_files
from lib.ui import cache
from lib.ui import notes as ui_notes


def default_week() -> dt.date:
    price_set = cache.dashboard_prices()
    return latest_completed_week(price_set.as_of, price_set.last_session).date()


def report_files(day: dt.date, lang: Lang) -> ReportFiles:
    """The draft for the week containing `day`: prices from the store (or demo), the week's notes."""
    funds = tuple(cache.saved_funds())
    notes, problem = _week_notes(day)
    with st.spinner(t("report_drafting", lang)):
        files = _build(day, lang, funds, tuple(notes), cache.store_revision())
    return dataclasses.replace(files, checks=[problem, *files.checks]) if problem else files


@st.cache_data(ttl=cache.PRICE_TTL_SECONDS, max_entries=16, show_spinner=False)
def _build(day: dt.date, lang: Lang, funds: tuple[str, ...], notes: tuple, revision: int | None) -> ReportFiles:
    price_set = cache.load_price_set(*cache.fund_price_args(funds, settings.FUND_BENCHMARK))  # no spinner in here
    report = build_report(
        price_set.closes,
        source=price_set.source,
        lang=lang,
        week_of=pd.Timestamp(day),
        notes=list(notes),
        last_closed=price_set.last_session,
    )
    return build_report_files(report, price_set, funds=list(funds), described=cache.described_funds())


def _week_notes(day: dt.date):
    try:
        week = week_of(day)
        week_notes = NoteQuery(start=week, end=week, demo=ui_notes.demo_notes_filter())
        return ui_notes.find(settings.notes_database_url(), week_notes), None
    except DashboardError as error:
        return [], message("check_no_notes", reason=error.message or str(error))
