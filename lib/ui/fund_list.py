"""Streamlit glue of the Funds page's shared fund list: what this session changed is saved as changes.

The list is the analysts' shared data. A session remembers the list it last showed; on each run the
additions and removals its multiselect holds against that list are applied to the list as saved now
(PriceStore.change_funds), never its whole copy: a session that only moved the risk-free rate cannot
bring back a fund another session removed meanwhile. Another session's changes are shown, and said.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lib.core import settings
from lib.core.errors import DashboardError, InvalidSymbol, StoreUnavailable
from lib.core.i18n import Joined, Message, message
from lib.core.symbols import validate_symbol
from lib.ui import cache

LIST_KEY = "funds_list"  # the multiselect: the list as the analyst sees and edits it
SHOWN_KEY = "funds_list_shown"  # the saved list this session last showed
RELOAD_KEY = "funds_list_reload"  # set after this session changed the list elsewhere on the page (a NAV import)


@dataclass(frozen=True)
class FundList:
    funds: list[str]  # the list to show: as saved now, or this session's own when it cannot be saved
    elsewhere: Message | None = None  # what another session changed since this one last showed the list
    problem: DashboardError | None = None  # why this session's change was not saved


def reconcile() -> FundList:
    """Save this session's changes, take the other sessions' ones, and set the multiselect to the
    result; call before drawing the multiselect (keyed LIST_KEY, without a default)."""
    if st.session_state.pop(RELOAD_KEY, False):
        for key in (LIST_KEY, SHOWN_KEY):
            st.session_state.pop(key, None)
    chosen, bad = _valid(st.session_state.get(LIST_KEY))
    try:
        saved = cache.saved_fund_list()
    except StoreUnavailable as error:  # the session keeps its own list until the store is back
        return _show(chosen if chosen is not None else list(settings.DEFAULT_FUNDS), problem=error)
    shown = st.session_state.get(SHOWN_KEY, saved)
    chosen = shown if chosen is None else chosen
    added = [symbol for symbol in chosen if symbol not in shown]
    removed = [symbol for symbol in shown if symbol not in chosen]
    elsewhere = changes_said(shown, saved)
    problem: DashboardError | None = bad
    if added or removed:
        try:
            saved = cache.change_funds(added, removed)
        except DashboardError as error:  # refused by the access rules, or the store failed: nothing changed
            problem = error
    st.session_state[SHOWN_KEY] = saved
    return _show(saved, elsewhere=elsewhere, problem=problem)


def changes_said(before: list[str], after: list[str]) -> Message | None:
    """'added X; removed Y' between two lists (None when they hold the same funds)."""
    added = [symbol for symbol in after if symbol not in before]
    removed = [symbol for symbol in before if symbol not in after]
    parts = [message("funds_list_added", symbols=", ".join(added))] if added else []
    parts += [message("funds_list_removed", symbols=", ".join(removed))] if removed else []
    return message("funds_list_changed", changes=Joined(tuple(parts))) if parts else None


def _show(funds: list[str], **said: object) -> FundList:
    st.session_state[LIST_KEY] = list(funds)
    return FundList(list(funds), **said)


def _valid(chosen: list[str] | None) -> tuple[list[str] | None, InvalidSymbol | None]:
    """The symbols typed or picked, spelled as stored; a symbol that is not one is left out and named."""
    if chosen is None:
        return None, None
    valid, bad = [], None
    for text in chosen:
        try:
            valid.append(validate_symbol(text))
        except InvalidSymbol as error:
            bad = bad or error
    return list(dict.fromkeys(valid)), bad
