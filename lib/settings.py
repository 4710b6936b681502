"""Domain rules as data: symbols, the default fund universe, thresholds and where things live.

Mechanics that use these values live elsewhere; change a convention here, not in the code.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# --- Symbols (Yahoo Finance spelling, see shared DOMAIN notes) -------------------------------


@dataclass(frozen=True)
class Instrument:
    symbol: str
    name_en: str
    name_ja: str
    kind: str  # "index" | "etf" | "mutual_fund"
    currency: str = "USD"


INDICES: dict[str, Instrument] = {
    i.symbol: i
    for i in (
        Instrument("^RUO", "Russell 2000 Growth", "ラッセル2000グロース指数", "index"),
        Instrument("^GSPC", "S&P 500", "S&P500", "index"),
        Instrument("^DJI", "Dow Jones Industrial Average", "ダウ平均", "index"),
        Instrument("^RUT", "Russell 2000", "ラッセル2000指数", "index"),
        Instrument("^NDX", "Nasdaq 100", "ナスダック100指数", "index"),
    )
}

FUNDS_FILE = PROJECT_ROOT / "config" / "funds.toml"
FUND_KINDS = ("mutual_fund", "etf", "index")


def load_funds(path: Path = FUNDS_FILE) -> dict[str, Instrument]:
    """The default fund universe from config/funds.toml; a bad entry raises naming the file and entry."""
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("fund", [])
    funds: dict[str, Instrument] = {}
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in ("symbol", "name_en", "name_ja", "kind", "source") if not entry.get(key)]
        if missing or entry["kind"] not in FUND_KINDS or entry["symbol"] in funds:
            problem = f"missing {missing}" if missing else f"kind {entry['kind']!r} or a repeated symbol"
            raise ValueError(f"{path.name}: fund #{number} ({entry.get('symbol', '?')}): {problem}")
        funds[entry["symbol"]] = Instrument(
            entry["symbol"], entry["name_en"], entry["name_ja"], entry["kind"], entry.get("currency", "USD")
        )
    return funds


# Default small-cap growth funds and ETFs (config/funds.toml says where each ticker comes from).
DEFAULT_FUNDS: dict[str, Instrument] = load_funds()
FUND_BENCHMARK = "IWO"  # total-return proxy of the Russell 2000 Growth (adjusted closes)
BENCHMARK_CHOICES = ("IWO", "^RUO", "VBK", "IJT")  # ^RUO is a price index: no dividends
DEFAULT_RISK_FREE_PCT = 4.0  # yearly, for the Sharpe ratio; a setting on the page and the CLI
STALE_AFTER_SESSIONS = 3  # a fund whose last price is older than this many sessions is flagged

NUMERATOR = "^RUO"
DENOMINATOR = "^GSPC"
# The pairs offered on the Ratio page (any other Yahoo ticker can be typed in). S&P 600 Growth is
# represented by its ETF, IJT, whose adjusted close includes dividends.
PAIR_CHOICES = ("^RUO", "^RUT", "^GSPC", "^DJI", "^NDX", "IJT", "IWO", "VBK", "VSGAX")

# The three indices whose week the analyst reports, in the order of the weekly comment.
WEEKLY_MOVES = ("^RUO", "^DJI", "^GSPC")


def instrument(symbol: str) -> Instrument | None:
    return INDICES.get(symbol) or DEFAULT_FUNDS.get(symbol)


def choice_label(symbol: str) -> str:
    """'Russell 2000 Growth (^RUO)' for known symbols, the ticker alone otherwise.

    The same in every language: Streamlit keeps a bound selectbox's label in the URL, so a link
    made in one language must reopen in the other.
    """
    name = display_name(symbol, "en")
    return symbol if name == symbol else f"{name} ({symbol})"


def display_name(symbol: str, lang: str) -> str:
    found = instrument(symbol)
    if found is None:
        return symbol
    return found.name_ja if lang == "ja" else found.name_en


def default_symbols() -> tuple[str, ...]:
    return tuple(INDICES) + tuple(DEFAULT_FUNDS)


# --- Engine conventions ----------------------------------------------------------------------

WEEKS_PER_SMA = 26
WEEKS_PER_SHORT_SMA = 13


@dataclass(frozen=True)
class DirectionThresholds:
    """Weekly % moves (absolute, in percent) that earn a modifier in the Japanese comment."""

    flat_pct: float = 0.1  # under this: ほぼ横ばい
    small_pct: float = 1.0  # under this: 小幅
    large_pct: float = 3.0  # at or over this: 大幅


DIRECTION_THRESHOLDS = DirectionThresholds()

# Daily view: the weekly windows in sessions (5 sessions a week).
SESSIONS_PER_SHORT_SMA = 65
SESSIONS_PER_SMA = 130

# The 2013-2020 range of the ratio the analyst cites, drawn as a band on the ratio chart (percent).
REFERENCE_BAND_PCT = (32.0, 38.0)
# Guide lines on the deviation chart (percentage points, drawn at ±).
DEVIATION_GUIDES_PTS = (2.0, 3.0)
# The analyst's rule of thumb: a 26-week deviation around −3 points has preceded rebounds.
SIGNAL_THRESHOLD_PTS = -3.0
SIGNAL_HORIZONS_WEEKS = (4, 13, 26)
# While the NYSE is open, the figures refresh on their own this often (seconds).
LIVE_REFRESH_SECONDS = 300

# --- Data layer ------------------------------------------------------------------------------

# Re-fetch this many sessions before the last stored one, to pick up Yahoo's late revisions.
REFRESH_OVERLAP_SESSIONS = 5
# First day fetched for a symbol the store has never seen.
HISTORY_START = "2000-01-01"
YAHOO_TIMEOUT_SECONDS = 10
# After a failed fetch, wait this long before the app tries Yahoo again (the CLI always tries).
RETRY_AFTER_FAILURE_MINUTES = 15
DEMO_SEED = 20260102
DEMO_START = "2001-01-02"


def database_url() -> str:
    """Price store URL: $PRICES_DATABASE_URL, else [connections.prices] url in secrets, else SQLite."""
    from_env = os.environ.get("PRICES_DATABASE_URL")
    if from_env:
        return from_env
    secrets = PROJECT_ROOT / ".streamlit" / "secrets.toml"
    if secrets.exists():
        with secrets.open("rb") as handle:
            url = tomllib.load(handle).get("connections", {}).get("prices", {}).get("url")
        if url:
            return url
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'prices.sqlite'}"


def offline_mode() -> bool:
    """DASHBOARD_OFFLINE=1 never calls Yahoo: stored data, else demo data."""
    return os.environ.get("DASHBOARD_OFFLINE", "").strip() not in ("", "0", "false")
