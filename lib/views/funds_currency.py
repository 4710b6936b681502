"""The fund table's currency: each fund's closes and the benchmark's in the currency they are compared in.

`usd` and `jpy` put every fund in that currency; `native` leaves each fund in its own. A fund is always
compared with the benchmark in the currency of its own figures (a yen fund against the benchmark in
yen), except a hedged one: its currency exposure is hedged away, so it keeps its own figures in every
choice and is compared with the benchmark in the benchmark's currency (dollars).
"""

# A hedged fund is 為替ヘッジあり; a yen fund is typically a 投信 (Japanese investment trust).

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.analytics import currency as fx_rates
from lib.core.i18n import Message, message
from lib.core.settings import USDJPY, Instrument, instrument
from lib.core.types import TableCurrency


@dataclass(frozen=True)
class CurrencyPlan:
    closes: pd.DataFrame  # the funds' columns converted, plus one benchmark column per currency compared in
    currency: dict[str, str]  # fund -> the currency its figures are in
    compared_with: dict[str, str]  # fund -> the benchmark column it is compared with
    benchmarks: dict[str, str]  # currency -> the benchmark column in that currency
    blocked: dict[str, Message] = field(default_factory=dict)  # fund -> why it cannot be converted
    notes: list[Message] = field(default_factory=list)
    converted: frozenset[str] = frozenset()  # the funds whose closes were converted


def benchmark_column(benchmark: str, currency: str, native: str) -> str:
    """The benchmark's own column in its currency; 'IWO (JPY)' for it converted."""
    return benchmark if currency == native else f"{benchmark} ({currency})"


def plan_currency(
    closes: pd.DataFrame,
    *,
    held: list[str],
    benchmark: str,
    choice: TableCurrency,
    described: dict[str, tuple[Instrument, str]] | None,
    as_of: pd.Timestamp,
) -> CurrencyPlan:
    """Convert the held funds and the benchmark as `choice` asks, with USD/JPY from `closes` (JPY=X).

    Without USD/JPY closes up to `as_of`, a fund that needs converting keeps no figures (`blocked`, a
    note says how to get the closes) instead of showing figures in the wrong currency."""
    fx = closes[USDJPY] if USDJPY in closes.columns else pd.Series(dtype=float)
    fx_problem = _fx_problem(fx, as_of)
    rates = fx_rates.rate_on(fx, pd.DatetimeIndex(closes.index))  # one rate a day serves every series
    bench_native = currency_of(benchmark, described)
    converted: dict[str, pd.Series] = {}
    currency: dict[str, str] = {}
    compared: dict[str, str] = {}
    blocked: dict[str, Message] = {}
    compared_in = [_headline(choice, bench_native)]
    changed: list[str] = []
    for symbol in held:
        info = _instrument(symbol, described)
        native = info.currency if info else "USD"
        hedged = bool(info and info.hedged)
        target = native if choice == "native" or hedged else choice.upper()
        compare = bench_native if hedged else target
        currency[symbol] = target
        compared[symbol] = benchmark_column(benchmark, compare, bench_native)
        compared_in.append(compare)
        converted[symbol], blocked_why = _converted(closes[symbol], rates, fx_problem, native, target)
        if native != target:
            changed.append(symbol)
        if blocked_why is not None:
            blocked[symbol] = blocked_why
    benchmarks = {}
    for compare in dict.fromkeys(compared_in):
        column = benchmark_column(benchmark, compare, bench_native)
        benchmarks[compare] = column
        converted[column], _ = _converted(closes[benchmark], rates, fx_problem, bench_native, compare)
    converting = blocked or any(compare != bench_native for compare in benchmarks)
    notes = [fx_problem] if fx_problem is not None and converting else []
    if not changed and list(benchmarks.values()) == [benchmark]:  # nothing converts: the closes as they are
        frame = closes[[*held, benchmark]]
    else:
        frame = pd.DataFrame(converted, index=closes.index)
    return CurrencyPlan(frame, currency, compared, benchmarks, blocked, notes, frozenset(changed))


def currency_of(symbol: str, described: dict[str, tuple[Instrument, str]] | None) -> str:
    info = _instrument(symbol, described)
    return info.currency if info else "USD"


def fx_start_reasons(plan: CurrencyPlan, native_closes: pd.DataFrame) -> dict[str, Message]:
    """Funds whose converted history starts later than their own, because USD/JPY starts later:
    the reason their early periods are empty."""
    reasons = {}
    for symbol in plan.converted:
        own, converted = native_closes[symbol].first_valid_index(), plan.closes[symbol].first_valid_index()
        if converted is not None and own is not None and converted > own:
            reasons[symbol] = message("fund_fx_starts", symbol=USDJPY, day=converted.date())
    return reasons


def _instrument(symbol: str, described: dict[str, tuple[Instrument, str]] | None) -> Instrument | None:
    return (described or {}).get(symbol, (instrument(symbol), ""))[0]


def _headline(choice: TableCurrency, bench_native: str) -> str:
    """The benchmark row the table shows first: in the chosen currency, or in its own for `native`."""
    return bench_native if choice == "native" else choice.upper()


def _fx_problem(fx: pd.Series, as_of: pd.Timestamp) -> Message | None:
    """Why USD/JPY cannot convert up to `as_of` (no closes at all, or none in the week before it)."""
    held = fx.dropna().loc[:as_of]
    if held.empty:
        return message("funds_needs_usdjpy", symbol=USDJPY)
    if (as_of - held.index[-1]).days > fx_rates.FX_STALE_DAYS:
        return message("funds_usdjpy_ends", symbol=USDJPY, last=held.index[-1].date(), as_of=as_of.date())
    return None


def _converted(
    closes: pd.Series, rates: pd.Series, fx_problem: Message | None, native: str, target: str
) -> tuple[pd.Series, Message | None]:
    """`closes` in `target`, each with the rate of its own day (`rates`, from currency.rate_on), or
    empty with the reason it cannot be converted."""
    if native == target:
        return closes, None
    if {native, target} != set(fx_rates.CONVERTIBLE):
        return closes * float("nan"), message("fund_no_rate", native=native, target=target)
    if fx_problem is not None:
        return closes * float("nan"), message("fund_needs_usdjpy", symbol=USDJPY)
    return (closes * rates if target == "JPY" else closes / rates), None
