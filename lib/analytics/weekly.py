"""The week's figures as the analyst writes them: index moves and the ratio with its deviation."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from lib.analytics import engine
from lib.core import calendar
from lib.core.errors import MissingClose, OutsideData, UnknownSymbol
from lib.core.i18n import Message, message
from lib.core.settings import (
    DIRECTION_THRESHOLDS,
    SESSIONS_PER_SHORT_SMA,
    SESSIONS_PER_SMA,
    WEEKLY_MOVES,
    WEEKS_PER_SHORT_SMA,
    WEEKS_PER_SMA,
    DirectionThresholds,
    deviation_convention,
)
from lib.core.types import Lang


@dataclass(frozen=True)
class IndexMove:
    """One index's week: closes in index points, change in points and in percent. The direction
    word needs the previous week's change too: None when that is not in the data."""

    close: float
    prev_close: float
    change: float
    change_pct: float
    direction_ja: str | None
    direction_en: str | None

    def direction(self, lang: Lang) -> str | None:
        """The direction word in `lang` (both words come from the catalogues, see engine.calc_direction)."""
        return self.direction_ja if lang == "ja" else self.direction_en


@dataclass(frozen=True)
class RatioFigures:
    """The ratio in percent; averages in percent; deviations in percentage points unless *_rel_pct.

    The closes and the ratio need only the week; a figure whose window is not in the data (the
    change needs the previous week, the averages 13 or 26 weeks) is None and a notice says why.
    """

    numerator: str
    denominator: str
    numerator_close: float
    denominator_close: float
    pct: float
    change_pts: float | None
    sma26_pct: float | None
    deviation_pts: float | None
    deviation_rel_pct: float | None
    sma13_pct: float | None
    deviation13_pts: float | None
    session: pd.Timestamp | None = None  # the session of both closes (the week's last common one)
    # The 26-week deviation by both conventions (the fields above follow settings.deviation_convention()):
    # from 26 weekly closes, and from the last 130 daily ratios up to the session.
    deviation_weekly_pts: float | None = None
    deviation_daily130_pts: float | None = None


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
        """The stable JSON shape documented in the README (numbers unrounded; null when unknown)."""
        ratio = asdict(self.ratio)
        ratio["session"] = None if self.ratio.session is None else self.ratio.session.date().isoformat()
        return {
            "as_of": self.as_of.date().isoformat(),
            "week_end": self.week_end.date().isoformat(),
            "provisional": self.provisional,
            "source": self.source,
            "indices": {symbol: asdict(move) for symbol, move in self.indices.items()},
            "ratio": ratio,
            "notices": [str(notice) for notice in self.notices],
        }


def latest_common_session(daily: pd.DataFrame, symbols: list[str]) -> pd.Timestamp:
    """The last day on which every one of `symbols` has a close."""
    both = daily[symbols].dropna()
    if both.empty:
        raise UnknownSymbol(" & ".join(symbols), message("where_same_days"))
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
    strict: bool = False,
) -> WeeklySummary:
    """The figures for the week that contains `week_of` (default: the latest week in the data).

    `last_closed` is the last completed NYSE session: data after it (live intraday prices) makes
    the week provisional even on its last session. A week whose last session lacks a close for
    one series uses the last session of the week on which the pair both have closes, and says so;
    `strict` refuses such a week instead.
    """
    for symbol in (numerator, denominator):
        if symbol not in daily.columns or daily[symbol].dropna().empty:
            raise UnknownSymbol(symbol)
    data_end = latest_common_session(daily, [numerator, denominator])
    as_of = _as_of_for(daily, week_of, data_end)
    pair = daily.loc[:as_of, [numerator, denominator]].dropna()  # a ratio takes both closes of one day
    weekly_pair = engine.to_weekly(pair, as_of=as_of, strict=strict)
    week_end = weekly_pair.index[-1]
    pair_session = engine.week_sessions(pair[numerator], as_of=as_of, strict=strict).iloc[-1]
    if pd.isna(pair_session):
        missing = next(s for s in (numerator, denominator) if pd.isna(daily[s].get(as_of, math.nan)))
        raise MissingClose(missing, as_of.date())

    ratio = engine.to_ratio_frame(weekly_pair[numerator], weekly_pair[denominator], strict=strict)
    current = ratio.iloc[-1]
    by_day = _daily_average(pair, numerator, denominator, pair_session, strict)
    notices = _gap_notices(daily, (*movers, numerator, denominator), as_of, pair_session, numerator, denominator)
    notices += _window_notices(ratio, current)

    weekly = engine.to_weekly(daily.loc[:as_of], as_of=as_of, strict=strict)
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
        numerator_close=float(weekly_pair[numerator].iloc[-1]),
        denominator_close=float(weekly_pair[denominator].iloc[-1]),
        pct=float(current["ratio_pct"]),
        change_pts=_or_none(current["ratio_pct"] - ratio["ratio_pct"].iloc[-2]) if len(ratio) > 1 else None,
        **_average_fields(by_day if deviation_convention() == "daily130" else current),
        sma13_pct=_or_none(current["sma13_pct"]),
        deviation13_pts=_or_none(current["deviation13_pts"]),
        session=pair_session,
        deviation_weekly_pts=_or_none(current["deviation26_pts"]),
        deviation_daily130_pts=_or_none(by_day["deviation26_pts"]),
    )
    provisional = engine.is_provisional(week_end, as_of) or (last_closed is not None and as_of > last_closed)
    if provisional and last_closed is not None and as_of <= last_closed and week_end <= last_closed:
        notices.append(message("notice_data_ends_in_week", session=as_of.date(), week=week_end.date()))
    elif provisional:
        notices.append(message("notice_provisional", session=as_of.date()))
    return WeeklySummary(week_end, as_of, provisional, source, moves, figures, notices)


def _gap_notices(
    daily: pd.DataFrame,
    symbols: tuple[str, ...],
    as_of: pd.Timestamp,
    pair_session: pd.Timestamp,
    numerator: str,
    denominator: str,
) -> list[Message]:
    """A series without a close on the week's session, and the earlier session used instead."""
    found = []
    week_start = calendar.week_start(pd.DatetimeIndex([as_of]))[0]
    for symbol in dict.fromkeys(symbols):
        if symbol not in daily.columns or not pd.isna(daily[symbol].get(as_of, math.nan)):
            continue
        held = daily.loc[week_start:as_of, symbol].dropna()
        if held.empty:
            continue  # no close all week: "no weekly move" says it
        found.append(message("notice_gap", symbol=symbol, day=as_of.date(), used=held.index[-1].date()))
    if pair_session != as_of:
        found.append(message("notice_gap_pair", num=numerator, den=denominator, used=pair_session.date()))
    return found


def _window_notices(ratio: pd.DataFrame, current: pd.Series) -> list[Message]:
    """Why an average is missing this week, and from which week it will stand."""
    found = []
    weeks_held = int(ratio["ratio_pct"].notna().sum())
    for column, window in (("sma26_pct", WEEKS_PER_SMA), ("sma13_pct", WEEKS_PER_SHORT_SMA)):
        if not math.isnan(current[column]):
            continue
        first = ratio["ratio_pct"].first_valid_index()
        if weeks_held < window:
            later = calendar.week_end_sessions(calendar.sessions(first, first + pd.Timedelta(weeks=window + 2)))
            found.append(
                message(
                    "notice_window_short",
                    weeks=window,
                    found=weeks_held,
                    first=first.date(),
                    ready=later.unique()[window - 1].date(),
                )
            )
        else:
            gaps = int(ratio[column].tail(window).isna().sum())
            found.append(message("notice_window_gaps", weeks=window, gaps=gaps))
    return found


def _daily_average(
    pair: pd.DataFrame, numerator: str, denominator: str, session: pd.Timestamp, strict: bool
) -> pd.Series:
    """The ratio's 26-week figures from daily closes at `session`: the average of the last 130 daily
    ratios (both closes of one day) and the deviation from it."""
    daily = engine.to_ratio_frame(
        pair[numerator],
        pair[denominator],
        short_window=SESSIONS_PER_SHORT_SMA,
        long_window=SESSIONS_PER_SMA,
        strict=strict,
    )
    return daily.loc[:session].iloc[-1]


def _average_fields(row: pd.Series) -> dict[str, float | None]:
    return {
        "sma26_pct": _or_none(row["sma26_pct"]),
        "deviation_pts": _or_none(row["deviation26_pts"]),
        "deviation_rel_pct": _or_none(row["deviation26_rel_pct"]),
    }


def _as_of_for(daily: pd.DataFrame, week_of: pd.Timestamp | None, data_end: pd.Timestamp) -> pd.Timestamp:
    if week_of is None:
        return data_end
    first = daily.index[0]
    if week_of < first:
        raise OutsideData(week_of.date(), first.date(), data_end.date())
    week_end = calendar.week_end_sessions(pd.DatetimeIndex([week_of]))[0]
    if pd.isna(week_end):
        raise OutsideData(message("week_no_session", day=week_of.date()), first.date(), data_end.date())
    if week_end <= data_end:
        return week_end
    if calendar.week_start(pd.DatetimeIndex([week_of]))[0] <= data_end:
        return data_end  # the data ends inside this week: week to date
    raise OutsideData(week_of.date(), first.date(), data_end.date())


def _index_move(weekly: pd.DataFrame, symbol: str, thresholds: DirectionThresholds) -> IndexMove | None:
    if symbol not in weekly.columns or len(weekly) < 2:
        return None
    changes = engine.to_weekly_changes(weekly[symbol])
    now = changes.iloc[-1]
    if math.isnan(now["change"]):
        return None
    before = changes["change_pct"].iloc[-2] if len(changes) > 2 else math.nan
    words = engine.calc_direction(now["change_pct"], before, thresholds=thresholds)
    direction_ja, direction_en = (None, None) if words == ("", "") else words
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
