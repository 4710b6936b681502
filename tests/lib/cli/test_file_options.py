"""Price and NAV files on the command line (issue 18, items 3, 13, 16): --decimal, the limits, --progress.

Each refused import leaves the store as it was; a file written with decimal commas and read with
`--decimal ,` gives exactly the figures of the same file written with points.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from lib.cli import main as cli
from lib.data import file_reading
from lib.data.demo import demo_closes
from lib.data.store import PriceStore

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv), now=NOW)
    out, err = capsys.readouterr()
    return code, out, err


def write_tidy(path: Path, closes: pd.DataFrame, *, decimal: str = ".") -> Path:
    """Wide closes as a tidy file, numbers with `decimal` as the decimal mark (quoted when a comma)."""
    lines = ["date,symbol,close"]
    for day, row in closes.iterrows():
        for symbol, close in row.dropna().items():
            text = f"{close:.2f}"
            lines.append(
                f'{day:%Y-%m-%d},{symbol},"{text.replace(".", ",")}"'
                if decimal == ","
                else f"{day:%Y-%m-%d},{symbol},{text}"
            )
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def year_of_closes() -> pd.DataFrame:
    return demo_closes(pd.Timestamp("2025-12-31"), start="2025-01-02")[["^RUO", "^DJI", "^GSPC"]]


def test_weekly_reads_decimal_commas_when_told_and_gives_the_same_figures(tmp_path, capsys, year_of_closes):
    points = write_tidy(tmp_path / "points.csv", year_of_closes)
    commas = write_tidy(tmp_path / "commas.csv", year_of_closes, decimal=",")
    code, refused, err = run(capsys, "weekly", "--prices", str(commas), "--as-of", "2025-12-12")
    assert code == 2 and refused == ""
    assert "commas.csv was rejected (" in err and "has a decimal comma" in err and "--decimal ," in err
    _, expected, _ = run(capsys, "weekly", "--prices", str(points), "--as-of", "2025-12-12", "--format", "json")
    code, read, _ = run(
        capsys, "weekly", "--prices", str(commas), "--decimal", ",", "--as-of", "2025-12-12", "--format", "json"
    )
    assert code == 0
    assert read == expected.replace("points.csv", "commas.csv")
    assert '"deviation_pts": null' not in read  # a year of weekly closes: the 26-week figures are there


def test_import_prices_refuses_decimal_commas_then_reads_them_when_told(tmp_path, capsys, store_url, year_of_closes):
    commas = write_tidy(tmp_path / "commas.csv", year_of_closes.iloc[:3], decimal=",")
    code, out, err = run(capsys, "import-prices", str(commas))
    assert code == 2 and out == "" and "line 2: close '" in err and "has a decimal comma" in err
    assert PriceStore(store_url).read(["^RUO"]).empty
    code, out, _ = run(capsys, "import-prices", str(commas), "--decimal", ",")
    assert code == 0 and "9 rows accepted from commas.csv" in out
    stored = PriceStore(store_url).read(["^RUO", "^DJI", "^GSPC"])
    expected = year_of_closes.iloc[:3].round(2)
    pd.testing.assert_frame_equal(
        stored[expected.columns], expected, check_names=False, check_freq=False, check_index_type=False
    )


def test_import_nav_reads_a_european_file_with_the_option(tmp_path, capsys, store_url):
    path = tmp_path / "nav.csv"
    path.write_text('基準日,基準価額\n2024/11/29,"10.000,5"\n2024/12/02,"10.050,25"\n', encoding="utf-8")
    code, _, err = run(capsys, "import-nav", str(path), "--symbol", "JP-EU", "--name", "Fund")
    assert code == 2 and "line 2: 基準価額 '10.000,5' has a decimal comma" in err
    code, out, _ = run(capsys, "import-nav", str(path), "--symbol", "JP-EU", "--name", "Fund", "--decimal", ",")
    assert code == 0 and "JP-EU: 2 NAVs in JPY" in out
    assert PriceStore(store_url).read(["JP-EU"])["JP-EU"].tolist() == [10000.5, 10050.25]


def test_weekly_refuses_absurd_closes_at_the_file_instead_of_a_contradiction(tmp_path, capsys):
    days = pd.bdate_range("2025-06-02", "2025-12-12")
    lines = ["date,symbol,close"]
    lines += [f"{day:%Y-%m-%d},^RUO,1e300" for day in days] + [f"{day:%Y-%m-%d},^GSPC,1e-300" for day in days]
    path = tmp_path / "absurd.csv"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run(capsys, "weekly", "--prices", str(path))
    assert code == 2 and out == ""
    assert f"absurd.csv was rejected ({2 * len(days)} errors)" in err
    assert "line 2: close 1e300 is not a plausible price" in err
    assert "needs 26 weekly closes" not in err


def test_import_prices_shows_progress_when_asked(tmp_path, capsys, store_url):
    closes = demo_closes(pd.Timestamp("2025-12-31"), start="2024-01-02")  # every demo symbol: about 0.2 MB
    path = write_tidy(tmp_path / "two_years.csv", closes)
    code, _, err = run(capsys, "import-prices", str(path))
    assert code == 0 and "MB read" not in err  # not a terminal, not asked
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(file_reading, "CHUNK_CELLS", 600)  # 200 rows a chunk: a long import in small
        code, _, err = run(capsys, "import-prices", str(path), "--progress")
    shown = [line for line in err.splitlines() if "MB read" in line]
    size = path.stat().st_size / 1e6
    assert code == 0 and size > 0.1
    assert [line.rsplit("(", 1)[1] for line in shown] == [f"{tenth}0%)" for tenth in range(1, 11)]
    assert shown[-1] == f"two_years.csv: {size:.1f} of {size:.1f} MB read (100%)"


def test_a_file_over_the_size_limit_exits_2_and_stores_nothing(tmp_path, capsys, store_url, monkeypatch):
    monkeypatch.setattr(file_reading, "MAX_PRICE_FILE_MB", 1)
    path = tmp_path / "big.csv"
    path.write_text("date,symbol,close\n" + "2025-12-15,^RUO,1600.50\n" * 50_000)
    code, out, err = run(capsys, "import-prices", str(path))
    assert code == 2 and out == ""
    assert err.startswith("error: big.csv was rejected (1 error), nothing imported:")
    assert "the file is 1.2 MB; files over 1 MB are refused" in err
    assert PriceStore(store_url).read(["^RUO"]).empty
