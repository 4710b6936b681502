"""The Funds page's table: trailing returns, risk and excess over the benchmark, as of a month-end."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.analytics import performance
from lib.core import calendar
from lib.core.errors import OutsideData, UnknownSymbol
from lib.core.i18n import Joined, Message, message, t
from lib.core.settings import DEFAULT_RISK_FREE_PCT, STALE_AFTER_SESSIONS, Instrument, display_name, instrument
from lib.core.types import Lang, TableCurrency
from lib.views.funds_currency import CurrencyPlan, fx_start_reasons, plan_currency

TOKYO_CURRENCY = "JPY"  # a fund priced in yen is a 投信 (or a Tokyo listing): NAVs on Tokyo business days
RISK_FIELDS = ("volatility", "max_drawdown", "sharpe", "excess_1Y", "excess_3Y", "tracking_error_3Y")


@dataclass(frozen=True)
class FundRow:
    symbol: str
    name: str
    kind: str
    currency: str  # the currency its figures are in (the table's, or its own)
    returns: dict[str, float | None]  # percent; 3Y and longer annualised
    risk: dict[str, float | None]  # volatility, drawdown, excess, tracking error in percent; Sharpe a ratio
    missing: dict[str, Message]  # period -> why it is empty
    note: str  # e.g. "NAV without distributions reinvested" for an imported NAV
    expense_ratio_pct: float | None  # from Yahoo's fund profile, when it gives one
    net_assets: float | None  # in the fund's currency
    last_price_date: pd.Timestamp | None
    stale: bool
    rank_1y: int | None
    quartile_1y: int | None
    benchmark_currency: str = "USD"  # the currency of the benchmark it is compared with
    hedged: bool = False  # 為替ヘッジあり: compared with the benchmark in dollars


@dataclass(frozen=True)
class FundsTable:
    as_of: pd.Timestamp
    benchmark: str
    risk_free_pct: float
    benchmark_returns: dict[str, float | None]
    rows: list[FundRow]
    notes: list[Message] = field(default_factory=list)  # why comparisons are empty
    currency: str = "native"  # "USD", "JPY", or "native" (each fund in its own currency)
    benchmark_currency: str = "USD"  # the currency of `benchmark_returns`
    # the benchmark's returns in each currency a fund is compared in (the headline one included)
    benchmark_by_currency: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @property
    def last_price(self) -> pd.Timestamp | None:
        """The latest price date of the funds shown (None when none has a price)."""
        dates = [row.last_price_date for row in self.rows if row.last_price_date is not None]
        return max(dates) if dates else None

    def to_dict(self) -> dict:
        """The stable JSON shape documented in the README (numbers in percent, unrounded)."""
        return {
            "as_of": self.as_of.date().isoformat(),
            "currency": self.currency,
            "benchmark": self.benchmark,
            "risk_free_pct": self.risk_free_pct,
            "benchmark_currency": self.benchmark_currency,
            "benchmark_returns": self.benchmark_returns,
            "benchmark_returns_by_currency": self.benchmark_by_currency,
            "notes": [str(note) for note in self.notes],
            "funds": {
                row.symbol: {
                    "name": row.name,
                    "kind": row.kind,
                    "currency": row.currency,
                    "benchmark_currency": row.benchmark_currency,
                    "hedged": row.hedged,
                    "returns": row.returns,
                    "risk": row.risk,
                    "missing": {period: str(reason) for period, reason in row.missing.items()},
                    "note": row.note,
                    "expense_ratio_pct": row.expense_ratio_pct,
                    "net_assets": row.net_assets,
                    "last_price_date": row.last_price_date.date().isoformat() if row.last_price_date else None,
                    "stale": row.stale,
                    "rank_1Y": row.rank_1y,
                    "quartile_1Y": row.quartile_1y,
                }
                for row in self.rows
            },
        }


def default_as_of(
    closes: pd.DataFrame, benchmark: str, *, month_end: bool = True, funds: list[str] | None = None
) -> pd.Timestamp:
    """The benchmark's last close (the funds' latest when it has none), or the last completed
    month-end before it (the convention)."""
    held = [s for s in [benchmark, *(funds or [])] if s in closes.columns and not closes[s].dropna().empty]
    if not held:
        raise UnknownSymbol(benchmark)
    last = closes[held[0]].dropna().index[-1] if held[0] == benchmark else closes[held].dropna(how="all").index[-1]
    return performance.last_month_end(last) if month_end else last


def build_funds_table(
    closes: pd.DataFrame,
    *,
    funds: list[str],
    benchmark: str,
    as_of: pd.Timestamp,
    lang: Lang = "en",
    risk_free_pct: float = DEFAULT_RISK_FREE_PCT,
    described: dict[str, tuple[Instrument, str]] | None = None,
    facts: dict | None = None,
    currency: TableCurrency = "native",
) -> FundsTable:
    """The table for `funds` (those with any close) against `benchmark`, as of `as_of`, in `currency`
    (every fund in dollars or in yen, or each in its own; lib/views/funds_currency.py).

    `described` names funds the settings do not list (imported NAVs): instrument and a note.
    """
    held = [symbol for symbol in dict.fromkeys(funds) if symbol in closes.columns and symbol != benchmark]
    has_benchmark = benchmark in closes.columns and not closes[benchmark].dropna().empty
    if not has_benchmark and not held:
        raise UnknownSymbol(benchmark)
    if not has_benchmark:  # the funds' own figures still stand; comparisons stay empty
        closes = closes.assign(**{benchmark: np.nan})
    priced = closes[[*held, benchmark]].dropna(how="all")
    if as_of < priced.index[0]:
        raise OutsideData(as_of.date(), priced.index[0].date(), priced.index[-1].date())
    tokyo = [symbol for symbol in held if _currency(symbol, described) == TOKYO_CURRENCY]
    last_prices = _last_prices(closes[[*held, benchmark]], tokyo, as_of)
    stale = _stale(last_prices, tokyo, as_of)
    if stale >= {*held, benchmark}:  # nothing priced near the as-of: an empty table helps no one
        raise OutsideData(as_of.date(), priced.index[0].date(), priced.index[-1].date())
    # converted day by day on each close's own date, then each fund valued at its own month-end
    plan = plan_currency(closes, held=held, benchmark=benchmark, choice=currency, described=described, as_of=as_of)
    converted = plan.closes
    if tokyo and performance.is_month_end(as_of):
        converted = performance.on_own_month_ends(converted, tokyo, as_of=as_of)
    benches = list(plan.benchmarks.values())
    returns = performance.calc_trailing_returns(converted[[*held, *benches]], as_of=as_of)
    risk = _risk(converted, plan, held, as_of=as_of, risk_free_pct=risk_free_pct)
    reasons = performance.missing_reasons(converted[held], as_of=as_of)
    for symbol, why in fx_start_reasons(plan, closes).items():  # "USD/JPY starts ...", not "history starts"
        reasons[symbol] = {period: why for period in reasons.get(symbol, {})}
    for symbol, why in plan.blocked.items():  # no rate: empty, with the reason, never the wrong currency
        reasons[symbol] = {period: why for period in performance.PERIODS}
    for symbol in stale:  # a stale price carried forward would read as a 0 % return: leave it empty
        if symbol == benchmark:
            returns.loc[benches] = np.nan
            risk["tracking_error_3Y"] = np.nan
            continue
        returns.loc[symbol] = np.nan
        risk.loc[symbol] = np.nan
        if not pd.isna(last_prices[symbol]):
            no_price = message("fund_no_price_since", day=last_prices[symbol].date())
            reasons[symbol] = {p: no_price for p in performance.PERIODS}
    rows = _rows(held, returns, risk, plan, reasons, last_prices, stale, lang=lang, described=described, facts=facts)
    by_currency = {
        ccy: {period: _number(returns.at[column, period]) for period in performance.PERIODS}
        for ccy, column in plan.benchmarks.items()
    }
    headline = next(iter(plan.benchmarks))
    notes: list[Message] = list(plan.notes)
    if not has_benchmark:
        notes.append(message("funds_no_benchmark", benchmark=benchmark))
    elif benchmark in stale:
        notes.append(message("funds_stale_benchmark", benchmark=benchmark, last=last_prices[benchmark].date()))
    table_currency = "native" if currency == "native" else currency.upper()
    return FundsTable(
        as_of, benchmark, risk_free_pct, by_currency[headline], rows, notes, table_currency, headline, by_currency
    )


def _stale(last_prices: pd.Series, tokyo: list[str], as_of: pd.Timestamp) -> set[str]:
    """Symbols whose last price is more than STALE_AFTER_SESSIONS sessions of their market old."""
    nyse_cut = _stale_before(as_of, calendar.sessions)
    tokyo_cut = _stale_before(as_of, calendar.tokyo_sessions) if tokyo else nyse_cut
    cut = {symbol: tokyo_cut if symbol in tokyo else nyse_cut for symbol in last_prices.index}
    return {s for s, last in last_prices.items() if last is None or pd.isna(last) or last < cut[s]}


def _risk(
    converted: pd.DataFrame, plan: CurrencyPlan, held: list[str], *, as_of: pd.Timestamp, risk_free_pct: float
) -> pd.DataFrame:
    """Risk of each fund, its tracking error against the benchmark in the currency it is compared in;
    excess 1Y and 3Y columns are added by the caller's rows."""
    parts = []
    for column in dict.fromkeys(plan.compared_with[symbol] for symbol in held):
        group = [symbol for symbol in held if plan.compared_with[symbol] == column]
        parts.append(
            performance.calc_risk(converted[group], converted[column], as_of=as_of, risk_free_pct=risk_free_pct)
        )
    columns = ["volatility", "max_drawdown", "sharpe", "tracking_error_3Y"]
    return pd.concat(parts).reindex(held) if parts else pd.DataFrame(columns=columns, dtype=float)


def _rows(
    held: list[str],
    returns: pd.DataFrame,
    risk: pd.DataFrame,
    plan: CurrencyPlan,
    reasons: dict[str, dict[str, Message]],
    last_prices: pd.Series,
    stale: set[str],
    *,
    lang: Lang,
    described: dict[str, tuple[Instrument, str]] | None,
    facts: dict | None,
) -> list[FundRow]:
    """One row per fund; excess over the benchmark in the currency the fund is compared in."""
    ranks = returns.loc[held, "1Y"].rank(ascending=False, method="min")
    counted = int(returns.loc[held, "1Y"].notna().sum())
    bench_currency = {column: ccy for ccy, column in plan.benchmarks.items()}
    versus_returns = returns.loc[[plan.compared_with[symbol] for symbol in held], ["1Y", "3Y"]].to_numpy()
    excess_all = pd.DataFrame(
        returns.loc[held, ["1Y", "3Y"]].to_numpy() - versus_returns, index=held, columns=["excess_1Y", "excess_3Y"]
    )
    rows = []
    for symbol in held:
        last = last_prices[symbol] if not pd.isna(last_prices[symbol]) else None
        info, note = _description(symbol, described)
        rank = None if math.isnan(ranks[symbol]) else int(ranks[symbol])
        versus = plan.compared_with[symbol]
        excess = excess_all.loc[symbol]
        rows.append(
            FundRow(
                symbol=symbol,
                name=(info.name_ja if lang == "ja" else info.name_en) if info else display_name(symbol, lang),
                kind=info.kind if info else "unknown",
                currency=plan.currency[symbol],
                returns={period: _number(returns.at[symbol, period]) for period in performance.PERIODS},
                risk={
                    "volatility": _number(risk.at[symbol, "volatility"]),
                    "max_drawdown": _number(risk.at[symbol, "max_drawdown"]),
                    "sharpe": _number(risk.at[symbol, "sharpe"]),
                    "excess_1Y": _number(excess["excess_1Y"]),
                    "excess_3Y": _number(excess["excess_3Y"]),
                    "tracking_error_3Y": _number(risk.at[symbol, "tracking_error_3Y"]),
                },
                missing=reasons.get(symbol, {}),
                note=note,
                expense_ratio_pct=getattr((facts or {}).get(symbol), "expense_ratio_pct", None),
                net_assets=getattr((facts or {}).get(symbol), "net_assets", None),
                last_price_date=last,
                stale=symbol in stale,
                rank_1y=rank,
                quartile_1y=None if rank is None else _quartile(rank, counted),
                benchmark_currency=bench_currency[versus],
                hedged=bool(info and info.hedged),
            )
        )
    return rows


def _description(symbol: str, described: dict[str, tuple[Instrument, str]] | None) -> tuple[Instrument | None, str]:
    return (described or {}).get(symbol, (instrument(symbol), ""))


def _currency(symbol: str, described: dict[str, tuple[Instrument, str]] | None) -> str:
    info = _description(symbol, described)[0]
    return info.currency if info else "USD"


def _stale_before(as_of: pd.Timestamp, sessions: Callable[[object, object], pd.DatetimeIndex]) -> pd.Timestamp:
    """A last price before this day is STALE: more than STALE_AFTER_SESSIONS sessions of the fund's
    market old (NYSE's; Tokyo's for a fund priced in yen, so a Japanese holiday does not count)."""
    days = sessions(as_of - pd.Timedelta(days=30), as_of)
    if days.empty:  # before Tokyo's calendar starts (1997): NYSE's
        return _stale_before(as_of, calendar.sessions)
    return days[-STALE_AFTER_SESSIONS - 1] if len(days) > STALE_AFTER_SESSIONS else days[0]


def _last_prices(closes: pd.DataFrame, tokyo: list[str], as_of: pd.Timestamp) -> pd.Series:
    """Each symbol's last price date as of `as_of`; for a fund priced in yen as of a month-end, its
    own month-end: its last NAV of the month (2024-03-29 when Good Friday ends NYSE's March a day earlier)."""
    last = closes.loc[:as_of].apply(pd.Series.last_valid_index)
    if tokyo and performance.is_month_end(as_of):
        last[tokyo] = closes[tokyo].loc[: as_of + pd.offsets.MonthEnd(0)].apply(pd.Series.last_valid_index)
    return last


def _quartile(rank: int, count: int) -> int:
    """1 for the best quarter of the table ... 4 for the worst, from the percentile rank (rank 1 = 0 %)."""
    percentile = (rank - 1) / (count - 1) if count > 1 else 0.0
    return min(4, 1 + math.floor(4 * percentile))


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def table_frame(table: FundsTable, lang: Lang) -> pd.DataFrame:
    """The table as the page and the CSV export show it: one row per fund, labelled columns in
    percent (Sharpe a ratio), the benchmark as the last row."""
    rows = []
    for row in table.rows:
        flags = [t("fund_stale", lang)] if row.stale else []
        flags += [t("fund_hedged_note", lang, currency=row.benchmark_currency)] if row.hedged else []
        rows.append(
            {
                t("fund_col_fund", lang): row.name,
                t("fund_col_symbol", lang): row.symbol,
                **{_period_label(period, lang): row.returns[period] for period in performance.PERIODS},
                **{t(f"fund_col_{field}", lang): row.risk[field] for field in RISK_FIELDS},
                t("fund_col_expense", lang): row.expense_ratio_pct,
                t("fund_col_assets", lang): None if row.net_assets is None else row.net_assets / 1e6,
                t("fund_col_rank", lang): row.rank_1y,
                t("fund_col_quartile", lang): row.quartile_1y,
                t("fund_col_last", lang): row.last_price_date.date() if row.last_price_date else None,
                t("fund_col_currency", lang): row.currency,
                t("fund_col_notes", lang): "; ".join(
                    [*flags, *([row.note] if row.note else []), *_missing_note(row.missing, lang)]
                ),
            }
        )
    rows += _benchmark_rows(table, lang)
    frame = pd.DataFrame(rows, columns=list(rows[0]) if table.rows else _columns(lang))
    for column in (t("fund_col_rank", lang), t("fund_col_quartile", lang)):
        frame[column] = frame[column].astype("Int64")
    numbers = [_period_label(p, lang) for p in performance.PERIODS]
    numbers += [t(f"fund_col_{f}", lang) for f in (*RISK_FIELDS, "expense", "assets")]
    frame[numbers] = frame[numbers].astype(float)  # None -> NaN: an empty cell, not the word "None"
    return frame


def _benchmark_rows(table: FundsTable, lang: Lang) -> list[dict]:
    """The benchmark in each currency a fund is compared in, the table's own first; named with its
    currency when the table holds more than one."""
    by_currency = table.benchmark_by_currency or {table.benchmark_currency: table.benchmark_returns}
    rows = []
    for currency, returns in by_currency.items():
        name = (
            t("fund_benchmark_row_in", lang, symbol=table.benchmark, currency=currency)
            if len(by_currency) > 1 or currency != "USD"
            else t("fund_benchmark_row", lang, symbol=table.benchmark)
        )
        rows.append(
            {
                t("fund_col_fund", lang): name,
                t("fund_col_symbol", lang): table.benchmark,
                **{_period_label(period, lang): returns[period] for period in performance.PERIODS},
                t("fund_col_currency", lang): currency,
            }
        )
    return rows


TABLE_VIEWS = ("returns", "risk", "facts")  # the page shows one at a time; the CSV has every column


def table_view(frame: pd.DataFrame, view: str, lang: Lang) -> pd.DataFrame:
    """The columns of one view of the table, the fund and its ticker first and its notes last: the
    trailing returns with the currency they are in; risk, excess, rank and quartile; or the facts
    (costs, size, last price, currency). At 1,400 px the whole table showed 10 of its 23 columns and
    no note."""
    if view == "returns":  # short headers ("1Y"): the caption says they are in percent, annualised from 3Y
        short = {_period_label(period, lang): t(f"fund_short_{period}", lang) for period in performance.PERIODS}
        columns = [t("fund_col_fund", lang), t("fund_col_symbol", lang), t("fund_col_currency", lang), *short]
        return frame[[*columns, t("fund_col_notes", lang)]].rename(columns=short)
    fields = {
        "risk": [t(f"fund_col_{field}", lang) for field in (*RISK_FIELDS, "rank", "quartile")],
        "facts": [t(f"fund_col_{field}", lang) for field in ("expense", "assets", "last", "currency")],
    }[view]
    return frame[[t("fund_col_fund", lang), t("fund_col_symbol", lang), *fields, t("fund_col_notes", lang)]]


def _columns(lang: Lang) -> list[str]:
    """The table's columns in order, for a table with no fund (only its benchmark row)."""
    return [
        t("fund_col_fund", lang),
        t("fund_col_symbol", lang),
        *(_period_label(period, lang) for period in performance.PERIODS),
        *(t(f"fund_col_{field}", lang) for field in (*RISK_FIELDS, "expense", "assets", "rank", "quartile", "last")),
        t("fund_col_currency", lang),
        t("fund_col_notes", lang),
    ]


def _period_label(period: str, lang: Lang) -> str:
    return t(f"fund_period_{period}", lang)


def _missing_note(missing: dict[str, Message], lang: Lang) -> list[str]:
    """'3Y, 5Y, 10Y: history starts 2023-01-31' rather than one note per period, the periods named
    in the page's language."""
    # e.g. 「3年、5年、10年：履歴は2023年1月31日から」 on a Japanese page
    by_reason: dict[Message, list[str]] = {}
    for period, reason in missing.items():
        by_reason.setdefault(reason, []).append(t(f"fund_short_{period}", lang))  # 5年, not 5Y, in Japanese
    return [
        t("fund_missing_note", lang, periods=Joined(tuple(periods)), reason=reason)
        for reason, periods in by_reason.items()
    ]
