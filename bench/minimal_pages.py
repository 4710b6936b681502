"""The floors the served pages are measured against in Chromium (bench/browser.py): a minimal
Streamlit app with the same navigation (five pages, a sidebar with a radio and a button group) whose
Ratio, Funds, Notes and Weekly report pages draw, with plain st calls and no project code, what the
bench counted on the project's pages in the browser: the same widgets of each kind, the same charts
with the same points per line and the same bars and rules, the same tables (rows x columns), images
of the same size and about as much text. The counts come as JSON in $BENCH_FLOOR ({page: inventory},
see `inventory` in bench/browser.py); the Ratio page's first selectbox is the pair: changing it draws
other data, computed once per choice as the project's pair is."""

import json
import os

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

PAGES = {"ratio": "Ratio", "funds": "Funds", "notes": "Notes", "report": "Weekly report", "data": "Data"}
WIDGETS = ("stSelectbox", "stMultiSelect", "stCheckbox", "stDateInput", "stNumberInput", "stTextInput", "stTextArea")
WIDGETS += ("stButtonGroup", "stButton", "stDownloadButton", "stColorPicker", "stFileUploader")


@st.cache_data
def inventories() -> dict:
    with open(os.environ["BENCH_FLOOR"]) as handle:
        return json.load(handle)


@st.cache_data
def walk(seed: int, points: int) -> np.ndarray:
    return 100 * np.exp(np.cumsum(np.random.default_rng(seed).normal(0, 0.01, points)))


@st.cache_data
def chart_data(seed: int, marks: dict) -> dict:
    """Tidy frames for one chart: a line per counted line path, the counted bars and rules."""
    longest = max([*marks["lines"], marks["rects"], marks["rules"], 1])
    dates = pd.bdate_range("2000-01-03", periods=longest)
    lines = pd.concat(
        [
            pd.DataFrame({"date": dates[longest - points :], "series": f"s{n}", "value": walk(seed + n, points)})
            for n, points in enumerate(marks["lines"])
        ]
        or [pd.DataFrame({"date": [], "series": [], "value": []})]
    )
    bars = pd.DataFrame({"date": dates[longest - marks["rects"] :], "value": walk(seed + 99, marks["rects"]) - 100})
    rules = pd.DataFrame({"date": dates[:: max(1, longest // max(marks["rules"], 1))][: marks["rules"]]})
    return {"lines": lines, "bars": bars, "rules": rules}


def chart(data: dict) -> alt.LayerChart:
    x = alt.X("date:T", title=None)
    tooltip = [alt.Tooltip("date:T"), alt.Tooltip("value:Q", format=".2f")]
    layers = [
        alt.Chart(data["lines"]).mark_line().encode(x=x, y="value:Q", color="series:N", tooltip=tooltip),
        alt.Chart(data["bars"]).mark_bar().encode(x=x, y="value:Q", tooltip=tooltip),
        alt.Chart(data["rules"]).mark_rule().encode(x=x),
    ]
    return alt.layer(*layers).properties(height=300, title=alt.TitleParams("Chart", subtitle="floor"))


@st.cache_data
def table(rows: int, columns: int) -> pd.DataFrame:
    values = np.random.default_rng(rows * 100 + columns).normal(size=(rows, columns))
    return pd.DataFrame(values, columns=[f"column {n}" for n in range(columns)])


@st.cache_data
def image(width: int, height: int) -> np.ndarray:
    return np.random.default_rng(width).integers(0, 255, size=(height, width, 3), dtype=np.uint8)


def widget(kind: str, key: str, choices: list[str]) -> None:
    """One widget of a kind the project's page counted (labels and values are placeholders)."""
    label = f"{kind} {key}"
    draw = {
        "stSelectbox": lambda: st.selectbox(label, choices, key=key),
        "stMultiSelect": lambda: st.multiselect(label, choices, default=choices[:1], key=key),
        "stCheckbox": lambda: st.toggle(label, value=True, key=key),
        "stDateInput": lambda: st.date_input(label, value=pd.Timestamp("2022-01-03"), key=key),
        "stNumberInput": lambda: st.number_input(label, value=-2.0, key=key),
        "stTextInput": lambda: st.text_input(label, key=key),
        "stTextArea": lambda: st.text_area(label, value="text " * 200, key=key),
        "stButtonGroup": lambda: st.segmented_control(label, choices, default=choices[0], key=key),
        "stButton": lambda: st.button(label, key=key),
        "stDownloadButton": lambda: st.download_button(label, data=lambda: "a,b\n", key=key, on_click="ignore"),
        "stColorPicker": lambda: st.color_picker(label, value="#1f4e79", key=key),
        "stFileUploader": lambda: st.file_uploader(label, key=key),
    }
    draw[kind]()


def page(name: str) -> None:
    """Everything `name`'s inventory counted, in plain st calls."""
    counted = inventories()[name]
    main = counted["stMain"]
    choices = ["^RUO", "^RUT", "^GSPC", "^DJI", "^NDX", "IJT", "IWO", "VBK", "VSGAX"]
    for _ in range(main.get("stHeading", 1)):
        st.title(f"{PAGES[name]} floor")
    seed = 0
    for kind in WIDGETS:
        for number in range(main.get(kind, 0)):
            key = f"{name}_{kind}_{number}"
            widget(kind, key, choices)
            if name == "ratio" and kind == "stSelectbox" and number == 0:
                seed = choices.index(st.session_state[key])  # the pair
    for number in range(main.get("stMetric", 0)):
        st.metric(f"Metric {number}", f"{number * 1.5:.2f}", delta=f"{number - 4:+.2f}")
    for number in range(main.get("stAlert", 0)):
        st.info(f"Notice {number}")
    text = "Words of the page's text. " * max(1, counted["text"] // 26 // max(main.get("stMarkdown", 1), 1))
    for _ in range(main.get("stMarkdown", 0)):
        st.markdown(text)
    for _ in range(main.get("stCaptionContainer", 0)):
        st.caption("A caption.")
    for number in range(main.get("stExpander", 0)):
        with st.expander(f"Expander {number}"):
            st.caption("Inside.")
    for _ in range(main.get("stTabs", 0)):
        for number, panel in enumerate(st.tabs([f"Tab {n}" for n in range(max(main.get("stTab", 1), 1))])):
            panel.caption(f"Tab {number}.")
    for _ in range(main.get("stCode", 0)):
        st.code(text, language="markdown", wrap_lines=True)
    for rows, columns in counted["grids"]:
        st.dataframe(table(rows, columns), hide_index=True)
    for _ in range(main.get("stDataFrame", 0) - len(counted["grids"])):  # in hidden tabs: not measured
        st.dataframe(table(10, 5), hide_index=True)
    for width, height in counted["images"]:
        st.image(image(width, height))
    for number, marks in enumerate(counted["charts"]):
        st.altair_chart(chart(chart_data(seed * 10 + number, marks)), width="stretch")
    hidden = main.get("stVegaLiteChart", 0) - len(counted["charts"])  # in a hidden tab: not counted
    for number in range(hidden):
        with st.tabs(["Shown", "Hidden"])[1]:
            st.altair_chart(chart(chart_data(number, {"lines": [50], "rects": 50, "rules": 25})), width="stretch")


def sidebar() -> None:
    st.sidebar.radio("Language", ["English", "日本語"], horizontal=True, key="lang")
    st.sidebar.segmented_control("Range", ["1Y", "2022-01", "Max"], default="2022-01", key="range")


sidebar()
navigation = [
    st.Page(lambda name=name: page(name), title=title, url_path=name, default=name == "ratio")
    for name, title in PAGES.items()
    if name != "data"
]
st.navigation([*navigation, st.Page(lambda: st.title("Data"), title="Data", url_path="data")]).run()
