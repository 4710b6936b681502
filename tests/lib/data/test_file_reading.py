"""Large files (issue 18, item 13): read as a stream, in chunks, with bounded memory and limits.

Proven here: reading a chunk at a time gives exactly what reading at once gives (generated files,
down to chunks of one row); errors, repeated closes, blank lines and the decimal mark are judged over
the whole file across chunks; a long list of bad lines is counted whole and listed from its start;
a file over the size limit is refused unread, one with more closes than the limit as soon as it
passes it; reading never holds the file as rows (traced memory); progress is reported in bytes.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.core.errors import InvalidPriceFile
from lib.data import file_reading
from lib.data.nav_files import parse_nav_text
from lib.data.price_files import parse_price_text, read_price_file
from tests.lib.data.test_bad_files import nav_files, tidy_price_files

TODAY = pd.Timestamp("2026-01-07")
HYPOTHESIS = settings(max_examples=150, deadline=None, derandomize=True)


def outcome(parse, raw: bytes, **options) -> object:
    """What a parse gives: the closes, or the message of the refusal."""
    try:
        return parse(raw, name="input.csv", today=TODAY, **options).closes
    except InvalidPriceFile as error:
        return str(error)


def same(first: object, second: object) -> None:
    if isinstance(first, pd.DataFrame) and isinstance(second, pd.DataFrame):
        pd.testing.assert_frame_equal(first, second)
    else:
        assert first == second


def in_chunks_of(cells: int):
    return mock.patch.object(file_reading, "CHUNK_CELLS", cells)


@st.composite
def wide_files(draw) -> bytes:
    days = draw(st.lists(st.sampled_from(["2025-12-15", "2025-12-16", "2025-12-17", "2025-12-32", ""]), max_size=12))
    cells = st.sampled_from(["1600.5", "", "abc", "-1", '"1,610.25"', '"1610,25"', '"1,610"', "1e300"])
    rows = [f"{day},{draw(cells)},{draw(cells)}" for day in days]
    return ("Date,^RUO,^GSPC\n" + "".join(f"{row}\n" for row in rows)).encode()


@HYPOTHESIS
@given(st.one_of(tidy_price_files().map(lambda generated: generated.raw), wide_files()), st.sampled_from([None, ","]))
def test_reading_a_row_at_a_time_gives_what_reading_at_once_gives(raw, decimal):
    at_once = outcome(parse_price_text, raw, decimal=decimal)
    with in_chunks_of(1):
        same(outcome(parse_price_text, raw, decimal=decimal), at_once)


@HYPOTHESIS
@given(nav_files().map(lambda generated: generated.raw))
def test_a_nav_file_read_a_row_at_a_time_gives_what_reading_at_once_gives(raw):
    at_once = outcome(parse_nav_text, raw, symbol="JP-SCG")
    with in_chunks_of(1):
        same(outcome(parse_nav_text, raw, symbol="JP-SCG"), at_once)


def tidy(rows: list[str]) -> bytes:
    return ("date,symbol,close\n" + "".join(f"{row}\n" for row in rows)).encode()


def test_problems_across_chunks_keep_their_lines():
    rows = [f"2025-12-{day:02d},^RUO,{1600 + day}.5" for day in range(1, 12)]
    rows[8] = "2025-12-02,^RUO,1700.25"  # line 10 repeats line 3, chunks later
    rows[4] = ""  # line 6: a blank line inside the file
    raw = tidy(rows) + b"\n\n"  # blank lines at the end are no error
    with in_chunks_of(6), pytest.raises(InvalidPriceFile) as caught:  # two rows a chunk
        parse_price_text(raw, name="input.csv", today=TODAY)
    said = str(caught.value)
    assert "rejected (2 errors)" in said
    assert "line 6: blank line" in said
    assert "line 10: duplicate: ^RUO on 2025-12-02 already given on line 3" in said


def test_a_number_is_settled_by_a_decimal_point_further_on_in_the_file():
    rows = [f'2025-12-{day:02d},^GSPC,"5,{881 + day}"' for day in range(1, 10)] + ["2025-12-10,^GSPC,6000.25"]
    with in_chunks_of(3):
        loaded = parse_price_text(tidy(rows), name="input.csv", today=TODAY)
        refused = outcome(parse_price_text, tidy(rows[:-1]))
    assert loaded.closes["close"].tolist() == [5882.0 + day for day in range(9)] + [6000.25]
    assert "rejected (9 errors)" in refused and "line 2: close '5,882' could be 5882 or 5.882" in refused


def test_thousands_of_bad_lines_are_all_counted_and_the_first_fifty_listed():
    raw = tidy([f"2025-12-15,S{number:04d},n/a" for number in range(5000)])
    with in_chunks_of(300):
        said = outcome(parse_price_text, raw)
    assert "rejected (5000 errors), nothing imported" in said
    listed = [line for line in said.splitlines() if line.startswith("  line ")]
    assert listed[0] == "  line 2: close 'n/a' is not a number" and listed[-1].startswith("  line 51: ")
    assert len(listed) == 50 and said.splitlines()[-1] == "  ... and 4950 more"


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(file_reading, "MAX_PRICE_FILE_MB", 1)
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(1_200_000)  # NUL bytes: read, they would be refused as "not readable CSV"
    with pytest.raises(InvalidPriceFile) as caught:
        read_price_file(path, today=TODAY)
    assert "the file is 1.2 MB; files over 1 MB are refused" in str(caught.value)
    assert "ファイルが 1.2 MB あります。1 MB を超えるファイルは取り込みません" in caught.value.text("ja")
    with pytest.raises(InvalidPriceFile, match="files over 1 MB are refused"):
        parse_nav_text(b"\0" * 1_200_000, name="huge.csv", symbol="J", today=TODAY)


def test_a_file_is_refused_as_soon_as_it_passes_the_limit_of_closes(monkeypatch):
    monkeypatch.setattr(file_reading, "MAX_FILE_CLOSES", 5)
    rows = [f"2025-12-{day:02d},^RUO,{1600 + day}" for day in range(1, 9)] + ["2025-12-20,^RUO,abc"]
    with in_chunks_of(3):
        said = outcome(parse_price_text, tidy(rows))
    assert "rejected (1 error)" in said  # reading stops there: the bad last line is never reached
    assert said.endswith(
        "line 7: the file holds more than 5 prices; larger files are refused (split it by symbol or by years)"
    )
    nav = "基準日,基準価額\n" + "".join(f"2024/11/{day:02d},{10000 + day}\n" for day in range(1, 9))
    assert "line 7: the file holds more than 5 prices" in outcome(parse_nav_text, nav.encode(), symbol="J")


def test_reading_never_holds_the_file_as_rows(tmp_path: Path):
    days = pd.bdate_range("2000-01-03", periods=2500)
    rows = [f"{day:%Y-%m-%d},S{symbol:03d},{1000 + i * 0.01:.2f}" for symbol in range(40) for i, day in enumerate(days)]
    path = tmp_path / "long.csv"
    path.write_text("date,symbol,close\n" + "\n".join(rows) + "\n")
    tracemalloc.start()
    try:
        loaded = read_price_file(path, today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(loaded.closes) == 100_000
    assert peak < 20 * 2**20, f"{peak / 2**20:.1f} MiB traced: the rows of the file were held (58 MiB before)"


def test_progress_is_told_the_bytes_read_up_to_the_whole_file(tmp_path: Path):
    path = tmp_path / "prices.csv"
    path.write_bytes(tidy([f"2025-12-{day:02d},^RUO,{1600 + day}.5" for day in range(1, 29)]))
    told: list[tuple[int, int]] = []
    with in_chunks_of(30):
        read_price_file(path, today=TODAY, progress=lambda done, total: told.append((done, total)))
    size = path.stat().st_size
    assert told[-1] == (size, size) and all(total == size for _, total in told)
    assert [done for done, _ in told] == sorted(done for done, _ in told)


def test_a_byte_that_is_not_utf8_far_into_the_file_is_named_by_its_offset():
    good = tidy([f"2025-12-{1 + day % 28:02d},S{day:04d},{1600 + day}.5" for day in range(4000)])
    with in_chunks_of(300):
        said = outcome(parse_price_text, good + b"2025-12-15,^RUO,16\xff0.5\n")
    assert f"is not UTF-8 text (byte {len(good) + 18})" in said  # "2025-12-15,^RUO,16" is 18 bytes
