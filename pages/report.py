"""Weekly report page: pick a week, read the data checks, edit the drafted comment, download it as
Markdown, HTML or a zip with the ratio chart and the CSVs behind it; edit the team's template the
draft is written with, previewed on the week shown."""

import datetime as dt

import streamlit as st

from lib.core.errors import DashboardError
from lib.core.i18n import t
from lib.notes.model import safe_markdown
from lib.ui import cache, frame
from lib.ui import report as ui_report
from lib.ui.parts import error_text

frame.require_frame()
lang = frame.language()

st.title(t("report_title", lang))
frame.notices(cache.dashboard_prices(), lang)
week_col, info_col = st.columns([1, 3], vertical_alignment="bottom")
day = week_col.date_input(
    t("report_week", lang),
    value=ui_report.default_week(),
    min_value=dt.date(1990, 1, 1),  # the calendar's first year: an earlier week gets a message
    key="report_week",
    help=t("report_week_help", lang),
)
try:
    files = ui_report.report_files(day, lang)
except DashboardError as error:
    st.error(t("report_none", lang, reason=error_text(error, lang)), icon=":material/error:")
    st.stop()
summary = files.report.summary
status = t("provisional", lang) if summary.provisional else t("final", lang)
info_col.subheader(t("week_line", lang, week=summary.week_end.date(), status=status))

checks = [check for check in files.checks if check.key != "demo_banner"]  # the banner above says it
for check in checks:
    st.warning(check.text(lang), icon=":material/fact_check:")
if not checks:
    st.success(t("check_none", lang), icon=":material/fact_check:")

draft_tab, preview_tab, template_tab = st.tabs(
    [t("report_draft", lang), t("report_preview", lang), t("report_template_tab", lang)]
)
with draft_tab:
    text = st.text_area(
        t("report_text", lang),
        value=files.markdown(),
        height=420,
        key=f"report_text_{summary.week_end.date()}_{lang}{ui_report.template_mark(files)}",
    )
    st.caption(t("report_edit_caption", lang))
    with st.expander(t("report_copy", lang), icon=":material/content_copy:"):
        st.code(text, language="markdown", wrap_lines=True)  # its copy button copies the edited draft
with preview_tab:
    st.markdown(safe_markdown(text))
    for link in files.links:
        attachment = next(a for a in files.attachments if a.name == link.target)
        st.markdown(f"**{safe_markdown(link.label)}**")
        if attachment.mime == "image/png":
            st.image(attachment.data)
        elif files.funds_table is not None:
            st.dataframe(files.funds_table.style.format(precision=2, na_rep="—"), hide_index=True, placeholder="—")
with template_tab:
    ui_report.template_editor(files, lang)

stem = f"weekly_{summary.week_end.date()}_{lang}"
buttons = st.container(horizontal=True)
buttons.download_button(
    "Markdown", text, file_name=f"{stem}.md", mime="text/markdown", icon=":material/description:", on_click="ignore"
)
buttons.download_button(
    "HTML",
    lambda: files.html(text),
    file_name=f"{stem}.html",
    mime="text/html",
    icon=":material/html:",
    on_click="ignore",
)
buttons.download_button(
    t("report_zip", lang),
    lambda: files.zip(text),
    file_name=f"{stem}.zip",
    mime="application/zip",
    icon=":material/folder_zip:",
    on_click="ignore",
)
