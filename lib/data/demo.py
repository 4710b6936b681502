"""Demo data: synthetic daily closes made by this project's own code, labelled as demo everywhere.

Seeded and deterministic: a given day has the same demo close whenever it is generated. Levels are
scaled so that the 2026-01-02 closes match the brief's example week, and volatilities are of the
right order (S&P 500 about 17 % a year, Russell 2000 Growth about 24 %), so the screens look real.
These are NOT market data.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from lib.core import calendar
from lib.core.settings import DEMO_SEED, DEMO_START

SOURCE_NAME = "demo (synthetic)"

_HORIZON = "2040-12-31"  # generated to a fixed horizon, then cut, so past values never change
_ANCHOR = pd.Timestamp("2026-01-02")
_TRADING_DAYS = 252

# Close on the anchor day: indices from the brief's example week; funds at plausible NAV levels.
_ANCHOR_LEVELS = {
    "^GSPC": 6858.47,
    "^RUO": 1672.67,
    "^DJI": 48063.29,
    "^RUT": 2481.91,
    "^NDX": 25200.0,
}
# Funds: (close on the anchor day, first day of the fund's history in the demo)
_FUND_LEVELS = {
    "VSGAX": (112.0, "2011-11-14"),
    "VISGX": (85.0, "2001-01-02"),
    "VEXPX": (104.0, "2001-01-02"),
    "VEXRX": (97.0, "2001-11-12"),
    "PRNHX": (54.0, "2001-01-02"),
    "BGRFX": (92.0, "2001-01-02"),
    "JATTX": (26.0, "2005-02-25"),
    "IWO": (318.0, "2001-01-02"),
    "VBK": (296.0, "2004-01-30"),
    "IJT": (140.0, "2001-01-02"),
    "SLYG": (93.0, "2001-01-02"),
}
# Funds: (beta to the Russell 2000 Growth, yearly excess drift incl. reinvested income, tracking vol)
_FUNDS = {
    "VSGAX": (0.97, 0.010, 0.035),
    "VISGX": (0.97, 0.009, 0.035),
    "VEXPX": (0.95, 0.004, 0.045),
    "VEXRX": (0.95, 0.006, 0.045),
    "PRNHX": (0.90, 0.012, 0.070),
    "BGRFX": (0.80, 0.015, 0.080),
    "JATTX": (0.88, 0.010, 0.060),
    "IWO": (1.00, 0.006, 0.004),
    "VBK": (0.97, 0.010, 0.035),
    "IJT": (0.92, 0.014, 0.050),
    "SLYG": (0.92, 0.014, 0.050),
}

# USD/JPY (yen per dollar): near its level of early January 2026, about 10 % a year of volatility,
# pulled back towards it over a few years so that 25 years stay within a plausible 100-220 band.
_FX_LEVELS = {"JPY=X": 156.9}
_FX = {"JPY=X": (0.10, 3.0)}  # yearly volatility, half-life of the pull (years)

DEMO_SYMBOLS = tuple(_ANCHOR_LEVELS) + tuple(_FUND_LEVELS) + tuple(_FX_LEVELS)


def demo_closes(end: pd.Timestamp, *, start: str = DEMO_START, seed: int = DEMO_SEED) -> pd.DataFrame:
    """Daily demo closes for every demo symbol on NYSE sessions from `start` to `end`; a fund
    has no closes before its demo inception."""
    days = calendar.sessions(DEMO_START, _HORIZON)
    count = len(days)
    log_paths = _index_paths(np.random.default_rng(seed), count)
    log_paths.update(_fund_paths(seed, count, log_paths["^RUO"]))
    log_paths.update(_fx_paths(seed, count))
    anchor_row = days.get_indexer([_ANCHOR])[0]
    levels = {**_ANCHOR_LEVELS, **{symbol: level for symbol, (level, _) in _FUND_LEVELS.items()}, **_FX_LEVELS}
    closes = {symbol: levels[symbol] * np.exp(path - path[anchor_row]) for symbol, path in log_paths.items()}
    frame = pd.DataFrame(closes, index=days)[list(DEMO_SYMBOLS)].round(2)
    for symbol, (_, inception) in _FUND_LEVELS.items():
        frame.loc[: pd.Timestamp(inception) - pd.Timedelta(days=1), symbol] = np.nan
    return frame.loc[calendar.parse_date(start) : calendar.parse_date(end)]


def _index_paths(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    per_day = 1.0 / _TRADING_DAYS
    # Fat-tailed market returns (Student t, 4 degrees of freedom, scaled to unit variance).
    shocks = rng.standard_t(4, count) / np.sqrt(2.0)
    market = np.cumsum(0.07 * per_day + 0.17 * np.sqrt(per_day) * shocks)
    small_vs_large = _mean_reverting(rng, count, yearly_vol=0.14, half_life_years=2.5)
    small_growth_vs_small = _mean_reverting(rng, count, yearly_vol=0.05, half_life_years=1.0)
    dow_vs_sp = _mean_reverting(rng, count, yearly_vol=0.06, half_life_years=3.0)
    tech_vs_sp = _mean_reverting(rng, count, yearly_vol=0.08, half_life_years=3.0)
    small = market * 1.05 + small_vs_large
    return {
        "^GSPC": market,
        "^RUT": small,
        "^RUO": small + small_growth_vs_small,
        "^DJI": market * 0.95 + dow_vs_sp,
        "^NDX": market * 1.2 + tech_vs_sp,
    }


def _fund_paths(seed: int, count: int, benchmark: np.ndarray) -> dict[str, np.ndarray]:
    per_day = 1.0 / _TRADING_DAYS
    daily_benchmark = np.diff(benchmark, prepend=benchmark[0])
    paths = {}
    for symbol, (beta, drift, tracking_vol) in _FUNDS.items():
        rng = np.random.default_rng([seed, zlib.crc32(symbol.encode())])  # one stream per fund: stable
        noise = tracking_vol * np.sqrt(per_day) * rng.standard_normal(count)
        paths[symbol] = np.cumsum(beta * daily_benchmark + drift * per_day + noise)
    return paths


def _fx_paths(seed: int, count: int) -> dict[str, np.ndarray]:
    """Exchange rates on NYSE sessions (the demo's days; real FX closes also fall on NYSE holidays),
    each from its own random stream, so adding one changes no other demo series."""
    paths = {}
    for symbol, (yearly_vol, half_life) in _FX.items():
        rng = np.random.default_rng([seed, zlib.crc32(symbol.encode())])
        paths[symbol] = _mean_reverting(rng, count, yearly_vol=yearly_vol, half_life_years=half_life)
    return paths


def _mean_reverting(rng: np.random.Generator, count: int, *, yearly_vol: float, half_life_years: float) -> np.ndarray:
    """An Ornstein-Uhlenbeck log spread: wanders like history, never drifts off for good."""
    per_day = 1.0 / _TRADING_DAYS
    pull = np.log(2.0) / half_life_years * per_day
    steps = yearly_vol * np.sqrt(per_day) * rng.standard_normal(count)
    spread = np.empty(count)
    level = 0.0
    for position in range(count):
        level += -pull * level + steps[position]
        spread[position] = level
    return spread
