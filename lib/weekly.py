"""The week's figures as the analyst writes them: index moves and the ratio with its deviation."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from lib import calendar, engine
from lib.errors import MissingClose, NotEnoughHistory, OutsideData, UnknownSymbol
from lib.i18n import Message, message
from lib.settings import (
    DIRECTION_THRESHOLDS,
    WEEKLY_MOVES,
    WEEKS_PER_SMA,
    DirectionThresholds,
)


@dataclass(frozen=True)
class IndexMove:
    """One index's week: closes in index points, change in points and in percent."""

    close: float
    prev_close: float
    change: float
    change_pct: float
    direction_ja: str
    direction_en: str


@dataclass(frozen=True)
class RatioFigures:
    """The ratio in percent; averages in percent; deviations in percentage points unless *_rel_pct."""

    numerator: str
    denominator: str
    numerator_close: float
    denominator_close: float
    pct: float
    change_pts: float
    sma26_pct: float
    deviation_pts: float
    deviation_rel_pct: float
    sma13_pct: float | None
    deviation13_pts: float | None


@dataclass(frozen=True)
class WeeklySummary:
    week_end: pd.Timestamp  # the week's last NYSE session (scheduled)
    as_of: pd.Timestamp  # the session whose close the figures use
    provisional: bool
    source: str
    indices: dict[str, IndexMove]
    ratio: RatioFigures
    notices: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The stable JSON shape documented in the README (numbers unrounded)."""
        return {
            "as_of": self.as_of.date().isoformat(),
            "week_end": self.week_end.date().isoformat(),
            "provisional": self.provisional,
            "source": self.source,
            "indices": {symbol: asdict(move) for symbol, move in self.indices.items()},
            "ratio": {
                "numerator": self.ratio.numerator,
                "denominator": self.ratio.denominator,
                "numerator_close": self.ratio.numerator_close,
                "denominator_close": self.ratio.denominator_close,
                "pct": self.ratio.pct,
                "change_pts": self.ratio.change_pts,
                "sma26_pct": self.ratio.sma26_pct,
                "deviation_pts": self.ratio.deviation_pts,
                "deviation_rel_pct": self.ratio.deviation_rel_pct,
                "sma13_pct": self.ratio.sma13_pct,
                "deviation13_pts": self.ratio.deviation13_pts,
            },
            "notices": [str(notice) for notice in self.notices],
        }


def latest_common_session(daily: pd.DataFrame, symbols: list[str]) -> pd.Timestamp:
    """The last day on which every one of `symbols` has a close."""
    both = daily[symbols].dropna()
    if both.empty:
        raise UnknownSymbol(" & ".join(symbols), "the same days of the price data")
    return both.index[-1]


def calc_weekly_summary(
    daily: pd.DataFrame,
    *,
    source: str,
    week_of: pd.Timestamp | None = None,
    numerator: str = "^RUO",
    denominator: str = "^GSPC",
    movers: tuple[str, ...] = WEEKLY_MOVES,
    thresholds: DirectionThresholds = DIRECTION_THRESHOLDS,
    last_closed: pd.Timestamp | None = None,
) -> WeeklySummary:
    """The figures for the week that contains `week_of` (default: the latest week in the data).

    `last_closed` is the last completed NYSE session: data after it (live intraday prices) makes
    the week provisional even on its last session.
    """
    for symbol in (numerator, denominator):
        if symbol not in daily.columns or daily[symbol].dropna().empty:
            raise UnknownSymbol(symbol)
    data_end = latest_common_session(daily, [numerator, denominator])
    as_of = _as_of_for(daily, week_of, data_end)
    weekly = engine.to_weekly(daily, as_of=as_of)
    week_end = weekly.index[-1]
    for symbol in (numerator, denominator):
        if math.isnan(weekly[symbol].iloc[-1]):
            raise MissingClose(symbol, as_of.date())

    ratio = engine.to_ratio_frame(weekly[numerator], weekly[denominator])
    current = ratio.iloc[-1]
    weeks_found = int(ratio["ratio_pct"].notna().tail(WEEKS_PER_SMA).sum())
    if math.isnan(current["sma26_pct"]):
        raise NotEnoughHistory("The 26-week average", WEEKS_PER_SMA, weeks_found)

    notices: list[Message] = []
    moves: dict[str, IndexMove] = {}
    for symbol in dict.fromkeys((*movers, numerator, denominator)):
        move = _index_move(weekly, symbol, thresholds)
        if move is None:
            notices.append(message("notice_no_move", symbol=symbol))
        else:
            moves[symbol] = move

    figures = RatioFigures(
        numerator=numerator,
        denominator=denominator,
        numerator_close=float(weekly[numerator].iloc[-1]),
        denominator_close=float(weekly[denominator].iloc[-1]),
        pct=float(current["ratio_pct"]),
        change_pts=float(current["ratio_pct"] - ratio["ratio_pct"].iloc[-2]) if len(ratio) > 1 else math.nan,
        sma26_pct=float(current["sma26_pct"]),
        deviation_pts=float(current["deviation26_pts"]),
        deviation_rel_pct=float(current["deviation26_rel_pct"]),
        sma13_pct=_or_none(current["sma13_pct"]),
        deviation13_pts=_or_none(current["deviation13_pts"]),
    )
    provisional = engine.is_provisional(week_end, as_of) or (last_closed is not None and as_of > last_closed)
    if provisional:
        notices.append(message("notice_provisional", session=as_of.date()))
    return WeeklySummary(week_end, as_of, provisional, source, moves, figures, notices)


def _as_of_for(daily: pd.DataFrame, week_of: pd.Timestamp | None, data_end: pd.Timestamp) -> pd.Timestamp:
    if week_of is None:
        return data_end
    first = daily.index[0]
    if week_of < first:
        raise OutsideData(week_of.date(), first.date(), data_end.date())
    week_end = calendar.week_end_sessions(pd.DatetimeIndex([week_of]))[0]
    if pd.isna(week_end):
        raise OutsideData(f"The week of {week_of.date()} (no NYSE session)", first.date(), data_end.date())
    if week_end <= data_end:
        return week_end
    if calendar.week_start(pd.DatetimeIndex([week_of]))[0] <= data_end:
        return data_end  # the data ends inside this week: week to date
    raise OutsideData(week_of.date(), first.date(), data_end.date())


def _index_move(weekly: pd.DataFrame, symbol: str, thresholds: DirectionThresholds) -> IndexMove | None:
    if symbol not in weekly.columns or len(weekly) < 3:
        return None
    changes = engine.to_weekly_changes(weekly[symbol])
    now, before = changes.iloc[-1], changes.iloc[-2]
    if math.isnan(now["change"]):
        return None
    direction_ja, direction_en = engine.calc_direction(now["change_pct"], before["change_pct"], thresholds=thresholds)
    return IndexMove(
        close=float(now["close"]),
        prev_close=float(now["prev_close"]),
        change=float(now["change"]),
        change_pct=float(now["change_pct"]),
        direction_ja=direction_ja,
        direction_en=direction_en,
    )


def _or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
