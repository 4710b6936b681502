"""An upload refused because it would move stored closes beyond the limit (ClosesWouldChange) waits in
the session for the analyst's answer: replace them (the store keeps the old ones), or keep them.
The Data page's price files and the Funds page's NAV files ask the same way."""

from __future__ import annotations

import streamlit as st

from lib.core.errors import ClosesWouldChange
from lib.core.i18n import t
from lib.core.types import Lang


def hold(key: str, refusal: ClosesWouldChange, **upload: object) -> None:
    """Keep a refused upload (its import's arguments) and the refusal under `key` until answered."""
    st.session_state[key] = (upload, refusal.message)


def ask(key: str, lang: Lang) -> dict | None:
    """Say why the upload held under `key` was refused and offer both answers; the upload's
    arguments on the run the analyst chooses to replace, None otherwise."""
    held = st.session_state.get(key)
    if held is None:
        return None
    upload, refusal = held
    st.warning(refusal.text(lang), icon=":material/difference:")
    replace_col, keep_col = st.columns([1, 2])
    if replace_col.button(t("data_replace_confirm", lang), key=f"{key}_replace", type="primary"):
        del st.session_state[key]
        return upload
    if keep_col.button(t("data_replace_cancel", lang), key=f"{key}_keep"):
        del st.session_state[key]
        st.rerun()
    return None
