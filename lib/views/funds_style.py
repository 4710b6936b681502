"""How the fund table looks: numbers to 2 decimals, an empty cell as "—", returns and excess coloured
by sign, the 1-year quartile on a green-to-red scale. Pure pandas Styler, no Streamlit."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from lib.analytics.performance import PERIODS
from lib.core.i18n import t
from lib.core.types import Lang

UP, DOWN = "#1b5e20", "#b71c1c"
DASH = "—"
QUARTILE_BACKGROUND = {1: "#c8e6c9", 2: "#f1f8e9", 3: "#fff3e0", 4: "#ffcdd2"}


def style_table(frame: pd.DataFrame, lang: Lang) -> Styler:
    periods = [t(f"fund_period_{period}", lang) for period in PERIODS]
    signed = [*periods, *(t(f"fund_short_{period}", lang) for period in PERIODS)] + [
        t("fund_col_excess_1Y", lang),
        t("fund_col_excess_3Y", lang),
    ]
    numbers = [
        *signed,
        *(t(f"fund_col_{f}", lang) for f in ("volatility", "max_drawdown", "sharpe", "tracking_error_3Y")),
    ]
    quartile = t("fund_col_quartile", lang)
    shown = set(frame.columns)  # a view of the table holds some of its columns

    def held(columns: list[str]) -> list[str]:
        return [column for column in columns if column in shown]

    return (
        frame.style.format(na_rep=DASH)  # an empty cell reads "—", never a grey "None"
        .format("{:.2f}", subset=held(numbers), na_rep=DASH)
        .format("{}", subset=held([t("fund_col_rank", lang), quartile]), na_rep=DASH)
        .map(_sign_colour, subset=held(signed))
        .map(_quartile_background, subset=held([quartile]))
    )


def _sign_colour(value: object) -> str:
    if not isinstance(value, float) or pd.isna(value) or value == 0:
        return ""
    return f"color: {UP if value > 0 else DOWN}"


def _quartile_background(value: object) -> str:
    return f"background-color: {QUARTILE_BACKGROUND[int(value)]}" if pd.notna(value) else ""
