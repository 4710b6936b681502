"""The typing vocabulary: every option set that pages, views and the command line pass along, in one
place (`Literal`s, so a typo is a type error), with its values as a tuple for choices and checks."""

from __future__ import annotations

from typing import Literal, get_args

Lang = Literal["en", "ja"]
Frequency = Literal["weekly", "daily"]
Preset = Literal["6M", "1Y", "3Y", "5Y", "10Y", "YTD", "2022-01", "Max", "Custom"]
AsOfMode = Literal["month_end", "latest"]  # the Funds page: as of a month-end or the latest close
# The fund table's currency: every figure in dollars, in yen, or each fund in its own currency.
TableCurrency = Literal["native", "usd", "jpy"]
TagMatch = Literal["any", "all"]  # a note matches any or all of the chosen tags
DemoFilter = Literal["include", "exclude", "only"]  # demo notes in a query
WeeklyFormat = Literal["text", "json"]
FundsFormat = Literal["text", "json", "csv"]
ReportFormat = Literal["markdown", "html"]
ChartFormat = Literal["png", "svg", "csv"]
SourceKind = Literal["yahoo", "file", "store", "demo"]
DeviationConvention = Literal["weekly", "daily130"]  # 26 weekly closes, or the last 130 daily ratios
DecimalMark = Literal[".", ","]  # how a price or NAV file writes decimals (--decimal); None: the file shows it

LANGS: tuple[Lang, ...] = get_args(Lang)
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
PRESETS: tuple[Preset, ...] = get_args(Preset)
AS_OF_MODES: tuple[AsOfMode, ...] = get_args(AsOfMode)
TABLE_CURRENCIES: tuple[TableCurrency, ...] = get_args(TableCurrency)
TAG_MATCHES: tuple[TagMatch, ...] = get_args(TagMatch)
WEEKLY_FORMATS: tuple[WeeklyFormat, ...] = get_args(WeeklyFormat)
FUNDS_FORMATS: tuple[FundsFormat, ...] = get_args(FundsFormat)
REPORT_FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)
CHART_FORMATS: tuple[ChartFormat, ...] = get_args(ChartFormat)
DECIMAL_MARKS: tuple[DecimalMark, ...] = get_args(DecimalMark)


def parse_lang(text: str) -> Lang:
    if text not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {text!r}")
    return text  # type: ignore[return-value]
