"""Numbers in files and their decimal mark (issue 18, item 3): a decimal comma is never misread.

Expected values are written by hand; the properties generate prices in cents and write them the way a
US and a European spreadsheet would ("1,234.56" and "1.234,56"), then check each is read back exactly
under its own mark, and never silently read as another value when the mark is not given.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.data.file_numbers import read_number, read_numbers, readings, refusals

HYPOTHESIS = settings(max_examples=300, deadline=None, derandomize=True)


@pytest.mark.parametrize(
    ("text", "with_point", "with_comma"),
    [
        ("5881.63", 5881.63, None),
        ("5881,63", None, 5881.63),  # issue 18: read as 588163 before
        ("4,5", None, 4.5),  # issue 18: read as 45 before
        ("1.234,56", None, 1234.56),  # issue 18: read as 1.23456 before
        ("10.000,5", None, 10000.5),  # issue 18 (a NAV): read as 10.0005 before
        ("5,881.63", 5881.63, None),
        ("1,234,567", 1234567.0, None),
        ("1.234.567", None, 1234567.0),
        ("5,881", 5881.0, 5.881),
        ("1.234", 1.234, 1234.0),
        ("5881", 5881.0, 5881.0),
        ("1e300", 1e300, 1e300),
        ("1.5e3", 1500.0, None),
        ("-1,000", -1000.0, -1.0),
        (".5", 0.5, None),
        ("1,2,3", None, None),
        ("1.2.3", None, None),
        ("1_000", None, None),
        ("$100", None, None),
        ("12 345", None, None),
        ("", None, None),
    ],
)
def test_each_text_has_a_reading_per_decimal_mark(text, with_point, with_comma):
    assert readings(text) == (with_point, with_comma)


@pytest.mark.parametrize(
    ("text", "decimal", "value", "problem", "shows_point"),
    [
        ("5881,63", None, None, "decimal_comma", False),
        ("5881,63", ".", None, "decimal_comma", False),
        ("5881,63", ",", 5881.63, None, False),
        ("5,881.63", None, 5881.63, None, True),
        ("5,881.63", ",", None, "decimal_point", False),
        ("12.5", None, 12.5, None, True),
        ("5,881", None, 5881.0, "ambiguous", False),  # the '.' reading, to be confirmed by the file
        ("5,881", ".", 5881.0, None, False),
        ("5,881", ",", 5.881, None, False),
        ("1.234", None, 1.234, "ambiguous", False),
        ("1.234", ",", 1234.0, None, False),
        ("5881", None, 5881.0, None, False),
        ("abc", None, None, "not_number", False),
    ],
)
def test_a_cell_is_read_under_the_mark_given_or_refused(text, decimal, value, problem, shows_point):
    assert read_number(text, decimal) == (value, problem, shows_point)


def test_nan_and_infinity_are_read_so_that_the_value_check_refuses_them():
    value, problem, _ = read_number("nan", None)
    assert math.isnan(value) and problem is None
    assert read_number("-inf", None)[0] == -math.inf


def test_a_column_is_read_like_its_cells_one_by_one():
    texts = ["5881.63", "5,881.63", "5881,63", "5,881", "1.234", "7", "abc", "1e-300", "0", "-5", "inf"]
    column = read_numbers(pd.Series(texts, dtype="str"), None)
    for position, text in enumerate(texts):
        value, problem, _ = read_number(text, None)
        assert column.problems.get(position) == problem, text
        if value is not None:
            assert column.values[position] == value, text
    assert column.shows_point
    accepted, refused = refusals(column)
    assert accepted.tolist() == [True, True, False, True, True, True, False, False, False, False, False]
    assert refused == [(2, "decimal_comma"), (6, "not_number"), (7, "implausible"), (8, "not_positive")] + [
        (9, "not_positive"),
        (10, "not_positive"),
    ]


def test_values_outside_the_plausible_range_are_refused_like_non_positive_ones():
    column = read_numbers(pd.Series(["1e300", "1e-300", "0.0001", "100000000", "100000001"], dtype="str"), ".")
    accepted, refused = refusals(column)
    assert accepted.tolist() == [False, False, True, True, False]
    assert refused == [(0, "implausible"), (1, "implausible"), (4, "implausible")]


cents = st.integers(1, 10**11)


def us(cents_value: int, grouped: bool) -> str:
    whole, fraction = divmod(cents_value, 100)
    return f"{whole:,}.{fraction:02d}" if grouped else f"{whole}.{fraction:02d}"


def european(cents_value: int, grouped: bool) -> str:
    return us(cents_value, grouped).translate(str.maketrans(",.", ".,"))


@HYPOTHESIS
@given(cents, st.booleans())
def test_a_price_is_read_back_exactly_under_its_own_mark(value, grouped):
    assert read_number(us(value, grouped), ".")[0] == value / 100
    assert read_number(european(value, grouped), ",")[0] == value / 100
    assert read_number(us(value, grouped), None)[0] == value / 100


@HYPOTHESIS
@given(st.one_of(cents, st.integers(1, 10**9).map(lambda whole: whole * 100)), st.booleans(), st.booleans())
def test_without_a_mark_a_european_number_is_never_read_as_another_value(value, grouped, whole_only):
    text = european(value, grouped)
    if whole_only and value % 100 == 0:
        text = text.split(",")[0]  # "1.234" for 1234: what a European file writes for a whole price
    read, problem, _ = read_number(text, None)
    assert problem is not None or read == value / 100, (text, read)


@HYPOTHESIS
@given(st.lists(st.tuples(cents, st.booleans()), min_size=1, max_size=40))
def test_a_column_read_at_once_agrees_with_each_cell(prices):
    texts = [european(value, grouped) if value % 3 else us(value, grouped) for value, grouped in prices]
    column = read_numbers(pd.Series(texts, dtype="str"), None)
    for position, text in enumerate(texts):
        value, problem, _ = read_number(text, None)
        assert column.problems.get(position) == problem
        assert np.isnan(column.values[position]) if value is None else column.values[position] == value
