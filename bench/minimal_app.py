"""The floor the Ratio page is measured against: a minimal Streamlit app that shows the same number
of Altair charts over the same number of points, four metrics and a small table, from data loaded
once (bench/rerun.py writes it and passes its path in the query string, or in BENCH_DATA)."""

import os
import pickle

import altair as alt
import streamlit as st


@st.cache_data
def load(path: str) -> dict:
    with open(path, "rb") as handle:
        return pickle.load(handle)


data = load(st.query_params.get("data") or os.environ["BENCH_DATA"])
columns = st.columns(4)
for position, column in enumerate(columns):
    column.metric(f"Metric {position}", f"{position * 1.5:.2f}")
st.dataframe(data["table"], hide_index=True)
for frame in data["charts"]:
    st.altair_chart(
        alt.Chart(frame).mark_line().encode(x="date:T", y="value:Q", color="series:N"),
        width="stretch",
    )
