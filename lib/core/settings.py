"""Domain rules as data: symbols, the default fund universe, thresholds and where things live.

Mechanics that use these values live elsewhere; change a convention here, not in the code.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from lib.core.i18n import t
from lib.core.types import DeviationConvention, Lang

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # lib/core/settings.py -> the project

# --- Symbols (Yahoo Finance spelling, see shared DOMAIN notes) -------------------------------


@dataclass(frozen=True)
class Instrument:
    symbol: str
    name_en: str
    name_ja: str
    kind: str  # "index" | "etf" | "mutual_fund" | "fx"
    currency: str = "USD"
    hedged: bool = False  # 為替ヘッジあり: its currency exposure is hedged away (compared in the benchmark's currency)


# An empty code is one not verified yet: to be filled from the 投資信託協会's page of the fund.
@dataclass(frozen=True)
class NavSource:
    """Where a fund Yahoo does not carry (a Japanese investment trust) publishes its NAV file, and
    the codes that name it."""

    url: str  # the NAV file's download page (投資信託協会 library, or the fund company's page)
    isin: str = ""  # JP90C000XXXX: how the 投資信託協会 names its download
    association_code: str = ""  # 協会コード, 8 characters


INDICES_FILE = PROJECT_ROOT / "config" / "indices.toml"
FUNDS_FILE = PROJECT_ROOT / "config" / "funds.toml"
FUND_KINDS = ("mutual_fund", "etf", "index", "fx")
# USD/JPY as Yahoo names it: yen per dollar. Converts the fund table between dollars and yen.
USDJPY = "JPY=X"
# The 投資信託協会's NAV download page of a fund, by ISIN (its CSV link sits on that page).
TOUSHIN_LIBRARY_URL = "https://toushin-lib.fwg.ne.jp/FdsWeb/FDST030000?isinCd={isin}"


def load_instruments(path: Path, table: str, required: tuple[str, ...]) -> dict[str, Instrument]:
    """The `[[table]]` entries of a config file; a bad entry raises naming the file and entry."""
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get(table, [])
    found: dict[str, Instrument] = {}
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in required if not entry.get(key)]
        if missing or entry["kind"] not in FUND_KINDS or entry["symbol"] in found:
            problem = f"missing {missing}" if missing else f"kind {entry['kind']!r} or a repeated symbol"
            raise ValueError(f"{path.name}: {table} #{number} ({entry.get('symbol', '?')}): {problem}")
        found[entry["symbol"]] = Instrument(
            entry["symbol"],
            entry["name_en"],
            entry["name_ja"],
            entry["kind"],
            entry.get("currency", "USD"),
            bool(entry.get("hedged", False)),
        )
    return found


def load_nav_sources(path: Path = FUNDS_FILE) -> dict[str, NavSource]:
    """Where each fund of config/funds.toml that has a `nav_source` publishes its NAV file."""
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("fund", [])
    return {
        entry["symbol"]: NavSource(entry["nav_source"], entry.get("isin", ""), entry.get("association_code", ""))
        for entry in entries
        if entry.get("nav_source")
    }


def load_funds(path: Path = FUNDS_FILE) -> dict[str, Instrument]:
    """The default fund universe from config/funds.toml."""
    return load_instruments(path, "fund", ("symbol", "name_en", "name_ja", "kind", "source"))


# The indices the dashboard names, with their names in each language (config/indices.toml).
INDICES: dict[str, Instrument] = load_instruments(INDICES_FILE, "index", ("symbol", "name_en", "name_ja", "kind"))


# The fund universe of config/funds.toml. Funds with a NAV file (投信, not on Yahoo) are offered on the
# Funds page but not listed by default nor asked of Yahoo: their NAVs come from a file.
NAV_SOURCES: dict[str, NavSource] = load_nav_sources()
KNOWN_FUNDS: dict[str, Instrument] = load_funds()
DEFAULT_FUNDS: dict[str, Instrument] = {s: f for s, f in KNOWN_FUNDS.items() if s not in NAV_SOURCES}
NAV_FUNDS: dict[str, Instrument] = {s: f for s, f in KNOWN_FUNDS.items() if s in NAV_SOURCES}
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
    return INDICES.get(symbol) or KNOWN_FUNDS.get(symbol)


def is_fund(symbol: str) -> bool:
    """False for an index and for an exchange rate (JPY=X): never a row of the fund table."""
    known = INDICES.get(symbol)
    return not symbol.startswith("^") and (known is None or known.kind not in ("index", "fx"))


def choice_label(symbol: str, lang: Lang) -> str:
    """'Russell 2000 Growth (^RUO)' for known symbols (in `lang`), the ticker alone otherwise; the
    link keeps the ticker (lib/ui/frame.py, from_link)."""
    name = display_name(symbol, lang)
    return symbol if name == symbol else t("symbol_choice", lang, name=name, symbol=symbol)


def display_name(symbol: str, lang: Lang) -> str:
    found = instrument(symbol)
    if found is None:
        return symbol
    return found.name_ja if lang == "ja" else found.name_en


def default_symbols() -> tuple[str, ...]:
    return tuple(INDICES) + tuple(DEFAULT_FUNDS)


# --- Engine conventions ----------------------------------------------------------------------

WEEKS_PER_SMA = 26
WEEKS_PER_SHORT_SMA = 13
# A moving average still stands when at most this share of its window has no close (a week with no
# common close of the pair, a session missing from Yahoo): one gap must not blank half a year.
# 26 weeks -> 2 may be missing, 13 -> 1, 130 sessions -> 13. Strict mode allows none.
SMA_MAX_MISSING_SHARE = 0.1


@dataclass(frozen=True)
class DirectionThresholds:
    """Weekly % moves (absolute, in percent) that earn a modifier in the Japanese comment."""

    flat_pct: float = 0.1  # under this: ほぼ横ばい (little changed)
    small_pct: float = 1.0  # under this: 小幅 (slightly)
    large_pct: float = 3.0  # at or over this: 大幅 (sharply)


DIRECTION_THRESHOLDS = DirectionThresholds()


@dataclass(frozen=True)
class VersusThresholds:
    """How the weekly comment grades small-cap growth's week against the Dow's and the S&P 500's.

    The gap is the Russell 2000 Growth's weekly change minus the other index's, both as published
    (two decimals), in percentage points; a gap is graded at or over each threshold (absolute)."""

    slight_pts: float = 0.25  # from here: slightly stronger / slightly weaker; under it: about the same
    clear_pts: float = 1.0  # from here: stronger / weaker


VERSUS_THRESHOLDS = VersusThresholds()

# Daily view: the weekly windows in sessions (5 sessions a week).
SESSIONS_PER_SHORT_SMA = 65
SESSIONS_PER_SMA = 130

# The analyst's usual base date: charts and relative performance "since January 2022".
BASE_DATE = "2022-01-01"
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
# An import that would move any stored close by more than this (percent) is refused unless it is
# confirmed (`--replace`, or the Data page's confirm): a misread file must not overwrite good closes.
CLOSE_CHANGE_LIMIT_PCT = 0.5
# Price and NAV files: a larger file is refused before it is read; one with more closes is refused
# as soon as its reading passes the count (memory grows with the closes, about 100 bytes each while
# importing: up to the count, import-prices and weekly --prices stay under 300 MB, bench/files.py).
# A close or NAV outside the plausible range is a typo or a misread (1e300, 1e-300), refused with its line.
MAX_PRICE_FILE_MB = 100
MAX_FILE_CLOSES = 1_500_000
PLAUSIBLE_PRICE_RANGE = (0.0001, 100_000_000.0)
# First day fetched for a symbol the store has never seen.
HISTORY_START = "2000-01-01"
YAHOO_TIMEOUT_SECONDS = 10
# After a failed fetch, wait this long before the app tries Yahoo again (the CLI always tries).
RETRY_AFTER_FAILURE_MINUTES = 15
# Two refreshes at once (the worker, the command line, a page) take turns on a lock in the store; the
# second waits this long at most, then refetches only what the first did not bring (lib/data/refresh_lock.py).
REFRESH_LOCK_WAIT_SECONDS = 60
# SQLite's lock is a lease (a crashed holder cannot release it): it lapses after this long.
REFRESH_LEASE_SECONDS = 600
DEMO_SEED = 20260102
DEMO_START = "2001-01-02"


SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"


def database_url() -> str:
    """Price store URL: $PRICES_DATABASE_URL, else [connections.prices] url in secrets, else SQLite."""
    return _connection_url("prices", "PRICES_DATABASE_URL", PROJECT_ROOT / "var" / "prices.sqlite")


def _secrets() -> dict:
    if not SECRETS_FILE.exists():
        return {}
    with SECRETS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _connection_url(name: str, variable: str, default_file: Path) -> str:
    """Streamlit's st.connection convention: [connections.NAME] url in secrets; the variable wins."""
    from_env = os.environ.get(variable)
    if from_env:
        return from_env
    url = _secrets().get("connections", {}).get(name, {}).get("url")
    return url or f"sqlite:///{default_file}"


def strict_closes() -> bool:
    """DASHBOARD_STRICT_CLOSES=1: a week whose last session lacks a close has no figures (no stand-in
    from an earlier session of the week), and an average needs every close of its window."""
    return _truthy(os.environ.get("DASHBOARD_STRICT_CLOSES", ""))


def deviation_convention() -> DeviationConvention:
    """DASHBOARD_DEVIATION=daily130: the 26-week average and deviation are those of the last 130 daily
    ratios (the published +0.39 for 2025-11-28) instead of 26 weekly closes (+0.37); both stay in
    the figures, and the report's checks show both when they round differently."""
    chosen = os.environ.get("DASHBOARD_DEVIATION", "").strip().lower()
    return "daily130" if chosen == "daily130" else "weekly"


def offline_mode() -> bool:
    """DASHBOARD_OFFLINE=1 never calls Yahoo: stored data, else demo data."""
    return _truthy(os.environ.get("DASHBOARD_OFFLINE", ""))


def team_mode() -> bool:
    """DASHBOARD_TEAM=1: several app servers share one store that the refresh worker alone fills from
    Yahoo (`python -m lib.cli worker`); the app never calls Yahoo (no refresh on a page, no live
    quotes, no fund facts) and says where its prices come from and when the worker last ran."""
    return _truthy(os.environ.get("DASHBOARD_TEAM", ""))


# The worker refreshes this long after each NYSE close, once Yahoo has published it.
WORKER_MARGIN_MINUTES = 20
# Team mode warns when no refresh has succeeded since the last close, this long after the run was due.
WORKER_LATE_AFTER_MINUTES = 60


def worker_margin() -> dt.timedelta:
    """$DASHBOARD_WORKER_MARGIN_MINUTES, else WORKER_MARGIN_MINUTES (a bad value: the default)."""
    text = os.environ.get("DASHBOARD_WORKER_MARGIN_MINUTES", "").strip()
    minutes = int(text) if text.isdigit() else WORKER_MARGIN_MINUTES
    return dt.timedelta(minutes=minutes)


# --- Notes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagSpec:
    key: str  # stable identifier, kept through renames (exports and history refer to it)
    label_en: str
    label_ja: str
    colour: str  # "#rrggbb": the marker colour on the charts and the timeline
    group: str = ""  # "external": the weekly comment gathers it under one heading of outside factors


EXTERNAL_GROUP = "external"
TAGS_FILE = PROJECT_ROOT / "config" / "tags.toml"


def load_tags(path: Path = TAGS_FILE) -> tuple[TagSpec, ...]:
    """The default theme vocabulary from config/tags.toml (a migration seeds it into a new notes
    database; from then on the labels are the analysts' data)."""
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("tag", [])
    return tuple(TagSpec(e["key"], e["label_en"], e["label_ja"], e["colour"], e.get("group", "")) for e in entries)


DEFAULT_TAGS: tuple[TagSpec, ...] = load_tags()
# The themes the weekly comment gathers as external factors, by tag key (kept through renames).
EXTERNAL_TAGS: frozenset[str] = frozenset(spec.key for spec in DEFAULT_TAGS if spec.group == EXTERNAL_GROUP)

NOTE_TITLE_MAX_CHARS = 200
NOTE_BODY_MAX_CHARS = 100_000  # a weekly section is a few hundred characters; this stops a pasted file
NOTE_TAGS_MAX = 12
NOTES_FIRST_WEEK = "1990-01-01"  # the NYSE calendar the app knows runs 1990-2040
NOTE_WEEKS_AHEAD_DAYS = 366  # a note's week may lie up to a year ahead of today, no further
# A write that finds the database busy waits this long, then is retried with backoff this many times.
NOTES_BUSY_TIMEOUT_MS = 2000
NOTES_WRITE_ATTEMPTS = 5
NOTES_PAGE_SIZE = 50  # results shown at once on the Notes page
REPORT_TEMPLATE_MAX_CHARS = 100_000  # the default templates are about 5,000 characters


def notes_database_url() -> str:
    """Notes database URL: $NOTES_DATABASE_URL, else [connections.notes] url in secrets, else SQLite.

    Notes are the analyst's own writing, kept apart from the price cache (var/notes.sqlite): back
    it up; the price store can always be fetched again.
    """
    return _connection_url("notes", "NOTES_DATABASE_URL", PROJECT_ROOT / "var" / "notes.sqlite")


@dataclass(frozen=True)
class NotesAccess:
    read_only: bool  # a shared deployment where nobody edits
    editors: tuple[str, ...]  # when not empty: only these logged-in e-mail addresses edit


def notes_access() -> NotesAccess:
    """[notes] read_only / editors in secrets; $NOTES_READ_ONLY and $NOTES_EDITORS (comma list) win."""
    section = _secrets().get("notes", {})
    read_only = os.environ.get("NOTES_READ_ONLY")
    editors = os.environ.get("NOTES_EDITORS")
    return NotesAccess(
        read_only=_truthy(read_only) if read_only is not None else bool(section.get("read_only", False)),
        editors=tuple(
            address.strip().lower()
            for address in (editors.split(",") if editors is not None else section.get("editors", []))
            if address.strip()
        ),
    )


def _truthy(text: str) -> bool:
    return text.strip().lower() not in ("", "0", "false", "no")
