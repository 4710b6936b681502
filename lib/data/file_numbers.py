"""Numbers in price and NAV files, read a column at a time, and which decimal mark they use.

"5881,63" is 5881.63 in a file written with decimal commas and no number at all in one written with
decimal points; "5,881" is 5881 or 5.881 depending on the file. So a number is read under a decimal
mark: '.' (commas may group thousands: "5,881.63", "1,234,567"), ',' (points may group thousands:
"1.234,56") or, when the user has not said, the mark the file shows. A cell that only one mark can
read ("12.5", "5,881.63") shows the file's mark; a cell both marks read alike ("5881", "1e-4") shows
nothing; a cell both read differently ("5,881", "1.234") is ambiguous and is read only when another
cell of the file shows '.'. Without a mark given, a decimal comma is never guessed: those cells are
refused, naming --decimal ,. Nothing else is read: no spaces, currency signs or Python's "1_000".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from lib.core.i18n import Message, message
from lib.core.settings import PLAUSIBLE_PRICE_RANGE
from lib.core.types import DecimalMark

Problem = Literal["not_number", "decimal_comma", "decimal_point", "ambiguous"]

_SIGNED = re.compile(r"^([+-]?)(.+)$")
_SPECIAL = re.compile(r"^(?i:nan|inf|infinity)$")  # Python reads them; the value check refuses them
_INTEGER = re.compile(r"^\d+$")
_EXPONENT = re.compile(r"^(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
_POINT = re.compile(r"^(?:\d+\.\d*|\.\d+)$")
_COMMA = re.compile(r"^\d+,\d+$")
_COMMA_GROUPS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_COMMA_GROUPS_POINT = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d+$")
_POINT_GROUPS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_POINT_GROUPS_COMMA = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")

# Vectorised shortcuts for the common cells (the rest go through read_number one by one).
_PLAIN = {".": r"\d+(?:\.\d+)?", ",": r"\d+(?:,\d+)?"}
_GROUPED = r"\d{1,3}(?:,\d{3})+\.\d+"  # "48,416.56": only '.' reads it
_ONE_GROUP = {".": r"\d{1,3}\.\d{3}", ",": r"\d{1,3},\d{3}"}  # ambiguous when the mark is not given


def readings(text: str) -> tuple[float | None, float | None]:
    """The value of `text` read with a decimal point and with a decimal comma (None: not a number so)."""
    match = _SIGNED.match(text)
    if match is None:
        return None, None
    sign, body = -1.0 if match[1] == "-" else 1.0, match[2]
    point, comma = _unsigned_readings(body)
    return (None if point is None else sign * point), (None if comma is None else sign * comma)


def _unsigned_readings(body: str) -> tuple[float | None, float | None]:
    if _SPECIAL.match(body) or _INTEGER.match(body):
        return float(body), float(body)
    if _EXPONENT.match(body):
        return float(body), (None if "." in body else float(body))
    if _POINT_GROUPS.match(body):  # "1.234" is also a decimal; "1.234.567" only grouping
        return (float(body) if body.count(".") == 1 else None), float(body.replace(".", ""))
    if _POINT.match(body):
        return float(body), None
    if _COMMA_GROUPS.match(body):
        return float(body.replace(",", "")), (float(body.replace(",", ".")) if body.count(",") == 1 else None)
    if _COMMA.match(body):
        return None, float(body.replace(",", "."))
    if _COMMA_GROUPS_POINT.match(body):
        return float(body.replace(",", "")), None
    if _POINT_GROUPS_COMMA.match(body):
        return None, float(body.replace(".", "").replace(",", "."))
    return None, None


def read_number(text: str, decimal: DecimalMark | None) -> tuple[float | None, Problem | None, bool]:
    """One cell: its value (None when refused or ambiguous), the problem if any, and whether it shows
    that the file writes decimals with a point. An ambiguous cell's value is its reading with '.'."""
    point, comma = readings(text)
    if decimal == ",":
        if comma is not None:
            return comma, None, False
        return None, ("not_number" if point is None else "decimal_point"), False
    if point is None:
        return None, ("not_number" if comma is None else "decimal_comma"), False
    if decimal == "." or comma is None or comma == point or math.isnan(point):
        return point, None, comma is None
    return point, "ambiguous", False


@dataclass
class NumberColumn:
    """A column of cells read under one decimal mark."""

    values: np.ndarray  # float64; NaN where a cell was refused
    problems: dict[int, Problem]  # position -> why the cell was refused, or "ambiguous" (value: the '.' reading)
    shows_point: bool  # a cell only a decimal point can read


def read_numbers(texts: pd.Series, decimal: DecimalMark | None) -> NumberColumn:
    """Every cell of `texts` (stripped strings): the common ones vectorised, the others one by one."""
    mark = decimal or "."
    values = np.full(len(texts), np.nan)
    plain = texts.str.fullmatch(_PLAIN[mark]).to_numpy(dtype=bool)
    shown = texts[plain]
    values[plain] = (shown.str.replace(",", ".", regex=False) if mark == "," else shown).astype("float64")
    shows_point = False
    problems: dict[int, Problem] = {}
    if decimal is None:
        one_group = plain & texts.str.fullmatch(_ONE_GROUP["."]).to_numpy(dtype=bool)
        problems.update(dict.fromkeys(np.flatnonzero(one_group).tolist(), "ambiguous"))
        shows_point = bool((plain & ~one_group & texts.str.contains(".", regex=False).to_numpy(dtype=bool)).any())
    if mark == ".":
        grouped = ~plain & texts.str.fullmatch(_GROUPED).to_numpy(dtype=bool)
        values[grouped] = texts[grouped].str.replace(",", "", regex=False).astype("float64")
        shows_point = shows_point or (decimal is None and bool(grouped.any()))
        plain = plain | grouped
    for position in np.flatnonzero(~plain).tolist():
        value, problem, point = read_number(texts.iat[position], decimal)
        values[position] = np.nan if value is None else value
        shows_point = shows_point or point
        if problem is not None:
            problems[position] = problem
    return NumberColumn(values, problems, shows_point)


Refusal = Literal["not_number", "decimal_comma", "decimal_point", "not_positive", "implausible"]
_REFUSAL_KEYS: dict[str, dict[Refusal, str]] = {
    kind: {
        "not_number": "line_not_number",
        "decimal_comma": "line_decimal_comma",
        "decimal_point": "line_decimal_point",
        "not_positive": f"{prefix}_not_positive",
        "implausible": f"{prefix}_implausible",
    }
    for kind, prefix in (("price", "line"), ("nav", "nav"))
}


def refusals(numbers: NumberColumn) -> tuple[np.ndarray, list[tuple[int, Refusal]]]:
    """Which cells are accepted, and why each other one is refused, in position order: not read (not
    a number, the other decimal mark), not a positive price (NaN, infinite, zero, negative: the value
    cannot be a close), or outside PLAUSIBLE_PRICE_RANGE (1e300, 1e-300: a typo or a misread). An
    ambiguous cell is accepted here on its '.' reading; the file's mark settles it later."""
    unread = {position: problem for position, problem in numbers.problems.items() if problem != "ambiguous"}
    refused = np.zeros(len(numbers.values), dtype=bool)
    refused[list(unread)] = True
    with np.errstate(invalid="ignore"):
        positive = np.isfinite(numbers.values) & (numbers.values > 0)
        low, high = PLAUSIBLE_PRICE_RANGE
        outside = positive & ((numbers.values < low) | (numbers.values > high))
    found: dict[int, Refusal] = {**unread}  # type: ignore[dict-item]
    found.update(dict.fromkeys(np.flatnonzero(~refused & ~positive).tolist(), "not_positive"))
    found.update(dict.fromkeys(np.flatnonzero(~refused & outside).tolist(), "implausible"))
    return ~refused & positive & ~outside, sorted(found.items())


def refusal_message(refusal: Refusal, *, column: str, text: str, what: Literal["price", "nav"]) -> Message:
    """Why a cell is refused, naming its column and text as written."""
    key = _REFUSAL_KEYS[what][refusal]
    if refusal == "implausible":
        low, high = (shown_number(bound) for bound in PLAUSIBLE_PRICE_RANGE)
        return message(key, column=column, text=text, low=low, high=high)
    return message(key, column=column, text=text)


def shown_number(value: float) -> str:
    """A reading as a message shows it: 5881, 5.881."""
    return f"{value:.10g}"
