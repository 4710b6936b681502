"""CSV a spreadsheet reads as data: text that starts like a formula keeps a leading quote, numbers stay
numbers, and every CSV the product writes comes from lib.core.spreadsheet (through lib.views.export)."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.core.spreadsheet import csv_text, safe_cell

ROOT = Path(__file__).resolve().parents[3]
HYPOTHESIS = settings(max_examples=300, deadline=None, derandomize=True)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil.invalid","Click")', '\'=HYPERLINK("http://evil.invalid","Click")'),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\n=1"),  # and the CR a newline (below)
        ("-", "'-"),
        ("Russell 2000 Growth", "Russell 2000 Growth"),  # ordinary text is untouched
        (" =1+1", " =1+1"),  # a spreadsheet reads a leading space as text
        ("ok\r=HYPERLINK(1)", "ok\n=HYPERLINK(1)"),  # a lone CR would start a row: a newline is quoted
        ("a\r\nb", "a\nb"),
        ("-1.5", "-1.5"),  # a number written as text: a spreadsheet reads the number, runs nothing
        ("+3", "+3"),
        ("-2.5e-3", "-2.5e-3"),
        (-1.5, -1.5),
        (3, 3),
        (None, None),
    ],
)
def test_a_cell_that_would_start_a_formula_gets_a_quote(cell, shown):
    assert safe_cell(cell) == shown


def test_text_cells_names_and_labels_are_made_safe_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {"=name": ["=1+1", "ok", "@x"], "1Y (%)": [-1.5, 2.25, -0.125]},
        index=pd.Index(["-id", "b", "c"], name="+fund"),
    )
    assert csv_text(frame, float_format="%.3f").splitlines() == [
        "'+fund,'=name,1Y (%)",
        "'-id,'=1+1,-1.500",
        "b,ok,2.250",
        "c,'@x,-0.125",
    ]


def test_dates_as_row_labels_are_written_as_dates():
    frame = pd.DataFrame({"=series": [24.1]}, index=pd.DatetimeIndex(["2026-01-02"], name="date"))
    assert csv_text(frame, float_format="%.1f").splitlines() == ["date,'=series", "2026-01-02,24.1"]


def test_the_frame_given_is_not_changed():
    frame = pd.DataFrame({"name": ["=1+1"]})
    csv_text(frame, index=False)
    assert frame["name"].tolist() == ["=1+1"]


@HYPOTHESIS
@given(st.lists(st.text(max_size=12), min_size=1, max_size=5))
def test_no_text_cell_read_back_can_start_a_formula_and_nothing_else_changes(texts):
    read = list(csv.reader(io.StringIO(csv_text(pd.DataFrame({"text": texts}), index=False), newline="")))
    assert len(read) == 1 + len(texts)  # one row per cell: no text starts a row of its own
    for written, (cell,) in zip(texts, read[1:], strict=True):
        lines = written.replace("\r\n", "\n").replace("\r", "\n")  # a CR is kept as a line break
        if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
            float(cell)  # only a plain number may start so
            assert cell == written
        else:
            assert cell in (lines, "'" + lines)  # the quote is the only other change
            assert (cell != lines) == written.startswith(("=", "+", "-", "@", "\t", "\r"))


def csv_writers() -> list[tuple[str, int]]:
    """Every `.to_csv(` call in lib/ and pages/ that is not `export.to_csv` (nor the one in lib.core.spreadsheet)."""
    found = []
    for path in sorted([*(ROOT / "lib").rglob("*.py"), *(ROOT / "pages").glob("*.py")]):
        if path == ROOT / "lib" / "core" / "spreadsheet.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "to_csv":
                owner = node.func.value
                if not (isinstance(owner, ast.Name) and owner.id == "export"):
                    found.append((str(path.relative_to(ROOT)), node.lineno))
    return found


def test_every_csv_the_product_writes_goes_through_the_one_writer():
    assert csv_writers() == [], "write CSV with lib.views.export.to_csv (lib.core.spreadsheet makes cells safe)"
