"""The frame around the pages: page config, shared state and sidebar, navigation. No computation."""

import streamlit as st

from lib.core.i18n import t
from lib.ui import cache, frame
from lib.ui import notes as ui_notes

st.set_page_config(page_title=t("app_title", frame.language()), page_icon=":material/monitoring:", layout="wide")

# Cross-page state: the Notes page's tag filter also chooses the markers on the Ratio charts.
# Re-assigning keeps a widget's value when the page that draws it is not the one shown.
for key, default in ((ui_notes.TAGS_KEY, []), (ui_notes.MATCH_KEY, "any")):
    st.session_state[key] = st.session_state.get(key, default)

price_set = cache.dashboard_prices()
st.session_state["date_range"] = frame.sidebar(price_set, team=cache.worker_status())
st.session_state["demo_notes"] = ui_notes.ensure_demo_notes(price_set.is_demo)

lang = frame.language()
page = st.navigation(
    [
        st.Page("pages/ratio.py", title=t("page_ratio", lang), icon=":material/show_chart:", default=True),
        st.Page("pages/funds.py", title=t("page_funds", lang), icon=":material/table_chart:"),
        st.Page("pages/notes.py", title=t("page_notes", lang), icon=":material/edit_note:"),
        st.Page("pages/report.py", title=t("page_report", lang), icon=":material/article:"),
        st.Page("pages/data.py", title=t("page_data", lang), icon=":material/database:"),
    ]
)
page.run()
