"""The frame around the pages: page config, shared state and sidebar, navigation. No computation."""

import streamlit as st

from lib import ui
from lib.i18n import t

st.set_page_config(page_title="Small-cap growth relative value", page_icon=":material/monitoring:", layout="wide")

price_set = ui.dashboard_prices()
st.session_state["date_range"] = ui.sidebar(price_set)

lang = ui.language()
page = st.navigation(
    [
        st.Page("pages/ratio.py", title=t("page_ratio", lang), icon=":material/show_chart:", default=True),
        st.Page("pages/funds.py", title=t("page_funds", lang), icon=":material/table_chart:"),
    ]
)
page.run()
