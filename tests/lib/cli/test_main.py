"""The command line: output an analyst pastes, stable JSON, and one clear line for bad input."""

import datetime as dt
import json
import subprocess
import sys

import pandas as pd
import pytest

from lib.cli import main as cli
from lib.data.store import PriceStore
from tests.conftest import (
    DAILY_CLOSES,
    FIXTURES,
    PROJECT_ROOT,
    offline_yfinance_frame,
    store_closes,
    yfinance_frame,
)

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
GOOD = FIXTURES / "price_files" / "good_tidy.csv"
BROKEN = FIXTURES / "price_files" / "broken_rows.csv"


def offline(symbols, start, end, repair):
    return offline_yfinance_frame(symbols)


def run(capsys, *argv, fetcher=offline):
    code = cli.main(list(argv), now=NOW, fetcher=fetcher)
    out, err = capsys.readouterr()
    return code, out, err


def test_weekly_text_from_a_price_file(capsys, real_daily):
    code, out, _ = run(capsys, "weekly", "--prices", str(DAILY_CLOSES), "--as-of", "2025-07-01")
    assert code == 0
    assert "Week ending 2025-07-03 (final), source: file daily_closes.csv" in out
    assert "Russell 2000 Growth 1490.64, +37.12 points (+2.55%) on the week: extended gains" in out
    assert "= 1490.64/6279.35 = 23.74%" in out
    assert "deviation -0.13 pts" in out


def test_weekly_text_in_japanese(capsys, real_daily):
    code, out, _ = run(capsys, "weekly", "--prices", str(DAILY_CLOSES), "--as-of", "2025-12-12", "--lang", "ja")
    assert code == 0
    assert "2025年12月12日の週（確定）" in out
    # 1696.41 vs 1688.48 (2025-12-05): +7.93 points, +0.47% after a rising week
    assert "ラッセル2000グロース指数 1696.41（前週比 +7.93ポイント、+0.47%）小幅続伸" in out


def test_weekly_json_is_unrounded_and_documented(capsys, real_daily):
    code, out, _ = run(capsys, "weekly", "--prices", str(DAILY_CLOSES), "--as-of", "2025-07-03", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["as_of"] == "2025-07-03" and data["provisional"] is False
    assert data["indices"]["^RUO"]["change"] == pytest.approx(37.12)
    assert data["ratio"]["deviation_pts"] == pytest.approx(-0.1331379223, abs=1e-8)


def test_weekly_with_prices_writes_nothing(capsys, store_url):
    run(capsys, "weekly", "--prices", str(GOOD))
    assert PriceStore(store_url).coverage() == {}


def test_weekly_offline_with_an_empty_store_says_demo(capsys, store_url):
    code, out, err = run(capsys, "weekly")
    assert code == 0
    assert out.startswith("DEMO DATA")
    assert "notice: No stored prices and Yahoo Finance could not be reached" in err


def test_too_little_history_still_gives_the_week_with_the_averages_left_out(capsys, store_url):
    # good_tidy.csv holds a single week: its closes and ratio are known, its averages are not.
    code, out, _ = run(capsys, "weekly", "--prices", str(GOOD))
    assert code == 0
    assert "26-week average —%, deviation — pts" in out
    assert "The 26-week average needs 26 weekly closes; the data has 1" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["weekly", "--prices", str(GOOD), "--numerator", "^RUX"], "Unknown symbol '^RUX'"),
        (["weekly", "--prices", str(GOOD), "--as-of", "2025-02-30"], "is not a date"),
        (["weekly", "--prices", str(GOOD), "--numerator", "not a ticker"], "is not a ticker"),
        (["weekly", "--prices", str(BROKEN)], "broken_rows.csv was rejected (7 errors)"),
        (["weekly", "--prices", str(GOOD), "--as-of", "2030-01-02"], "outside the data"),
        (["import-prices", str(BROKEN)], "line 4: close 'abc' is not a number"),
        (["import-prices", str(FIXTURES / "price_files" / "absent.csv")], "cannot be read"),
    ],
)
def test_bad_input_gets_a_clear_message_and_exit_2(capsys, store_url, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_bad_option_is_one_line_too(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["weekly", "--lang", "fr"], now=NOW, fetcher=offline)
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert "invalid choice: 'fr'" in err and err.count("\n") == 1


def test_refresh_offline_exits_3_and_changes_nothing(capsys, store_url):
    code, out, err = run(capsys, "refresh", "--symbols", "^RUO")
    assert code == 3
    assert err.startswith("error: Yahoo Finance is unreachable")
    assert err.count("\n") == 1
    assert PriceStore(store_url).coverage() == {}


def test_refresh_online_prints_what_was_fetched(capsys, store_url):
    def online(symbols, start, end, repair):
        return yfinance_frame({s: [10.0, 11.0] for s in symbols}, ["2026-01-06", "2026-01-07"])

    code, out, _ = run(capsys, "refresh", "--symbols", "^RUO", "^GSPC", fetcher=online)
    assert code == 0
    assert "^RUO: 2 rows" in out
    assert "4 rows from Yahoo Finance in 1 call(s), up to the 2026-01-07 close" in out


def test_refresh_names_a_ticker_yahoo_does_not_know(capsys, store_url):
    def partial(symbols, start, end, repair):
        return yfinance_frame({"^RUO": [10.0], "^RUX": [None]}, ["2026-01-07"])

    code, _, err = run(capsys, "refresh", "--symbols", "^RUO", "^RUX", fetcher=partial)
    assert code == 2
    assert "no prices for ^RUX" in err


def test_import_prices_is_all_or_nothing(capsys, store_url):
    code, out, _ = run(capsys, "import-prices", str(GOOD))
    assert code == 0
    assert "4 rows accepted from good_tidy.csv (tidy layout), 0 rejected" in out
    code, _, _ = run(capsys, "import-prices", str(BROKEN))
    assert code == 2
    assert PriceStore(store_url).coverage()["^RUO"].rows == 2  # the broken file added nothing


def test_import_prices_of_a_yahoo_export_needs_its_symbol(capsys, store_url):
    yahoo_file = str(FIXTURES / "price_files" / "good_yahoo.csv")
    code, _, err = run(capsys, "import-prices", yahoo_file)
    assert code == 2 and "--symbol" in err
    code, out, _ = run(capsys, "import-prices", yahoo_file, "--symbol", "IWO")
    assert code == 0 and "IWO: 2 rows" in out


def test_a_locked_or_missing_store_exits_3(capsys, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("PRICES_DATABASE_URL", f"sqlite:///{blocker / 'x.sqlite'}")
    code, _, err = run(capsys, "import-prices", str(GOOD))
    assert code == 3 and "cannot be used" in err


def test_the_module_runs_as_a_program_without_traceback(tmp_path):
    env = {"PRICES_DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}", "DASHBOARD_OFFLINE": "1", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "weekly", "--prices", str(BROKEN)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: broken_rows.csv was rejected")


def test_chart_png_from_a_price_file_in_japanese(capsys, tmp_path, real_daily):
    from PIL import Image

    out = tmp_path / "ratio.png"
    code, printed, _ = run(capsys, "chart", "ratio", "--out", str(out), "--prices", str(DAILY_CLOSES), "--lang", "ja")
    assert code == 0
    assert printed.startswith(f"wrote {out} (ratio, 2024-11-22 to 2025-12-19, source file daily_closes.csv)")
    image = Image.open(out)
    assert image.format == "PNG" and image.width >= 1800  # 900 px at scale 2


def test_chart_csv_holds_the_plotted_series(capsys, tmp_path, real_daily):
    out = tmp_path / "deviation.csv"
    code, _, _ = run(
        capsys, "chart", "deviation", "--out", str(out), "--prices", str(DAILY_CLOSES), "--start", "2025-07-01"
    )
    assert code == 0
    rows = dict(line.split(",") for line in out.read_text().splitlines()[1:])
    assert float(rows["2025-12-12"]) == pytest.approx(0.6929444882, abs=1e-6)  # awk, see test_engine


def test_chart_of_demo_data_says_so(capsys, tmp_path, store_url):
    out = tmp_path / "relative.svg"
    code, printed, err = run(capsys, "chart", "relative", "--out", str(out), "--log")
    assert code == 0 and "DEMO DATA" in printed
    assert "DEMO DATA" in out.read_text()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chart", "ratio", "--out", "x.gif", "--prices", str(GOOD)], "name a .png, .svg or .csv file"),
        (
            ["chart", "ratio", "--out", "x.png", "--prices", str(GOOD), "--start", "2026-01-01", "--end", "2025-01-01"],
            "is empty",
        ),
        (["chart", "ratio", "--out", "x.png", "--prices", str(GOOD), "--numerator", "^RUX"], "Unknown symbol '^RUX'"),
        (["chart", "ratio", "--out", "x.png", "--prices", str(GOOD), "--start", "yesterday"], "is not a date"),
    ],
)
def test_chart_bad_input(capsys, tmp_path, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


def test_funds_json_from_a_price_file(capsys, real_daily):
    code, out, _ = run(
        capsys,
        "funds",
        "--prices",
        str(DAILY_CLOSES),
        "--benchmark",
        "IWO_adj",
        "--as-of",
        "2024-11-29",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2024-11-29" and data["benchmark"] == "IWO_adj"
    vbk = data["funds"]["VBK_adj_2025basis"]
    assert vbk["returns"]["1Y"] == pytest.approx(38.9568725603, abs=1e-8)  # by hand, see test_performance
    # IJT's file prices end 2021-04-27: stale, empty, explained
    assert data["funds"]["IJT"]["stale"] and data["funds"]["IJT"]["returns"]["1M"] is None
    assert data["funds"]["IJT"]["missing"]["1M"] == "no price since 2021-04-27"


def test_funds_default_as_of_is_the_last_month_end(capsys, real_daily):
    code, out, _ = run(capsys, "funds", "--prices", str(DAILY_CLOSES), "--benchmark", "IWO_adj")
    assert code == 0 and out.startswith("As of 2026-05-29, benchmark IWO_adj")


def test_funds_csv_of_demo_data_is_marked(capsys, store_url):
    code, out, _ = run(capsys, "funds", "--format", "csv")
    assert code == 0 and out.startswith("# DEMO DATA")
    assert "Fund,Ticker,1M (%)" in out.splitlines()[1]


def test_funds_with_an_unknown_benchmark_still_list_the_funds(capsys, store_url):
    code, out, err = run(capsys, "funds", "--benchmark", "^XYZ")
    assert code == 0 and "VSGAX" in out
    assert "No prices for the benchmark ^XYZ: excess return and tracking error are empty." in err


def test_funds_with_nothing_priced_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "funds", "--prices", str(GOOD), "--benchmark", "^XYZ")
    assert code == 2 and "Unknown symbol '^XYZ'" in err


def store_benchmark(store_url: str) -> None:
    """IWO prices in the store (demo values, as a team would import them), up to 2025-12-31."""
    from lib.data.demo import demo_closes

    closes = demo_closes(pd.Timestamp("2025-12-31"))[["IWO"]].dropna()
    store_closes(store_url, closes, source="file iwo.csv", fetched_at=NOW)


def test_import_nav_then_the_fund_is_in_the_table_in_its_currency(capsys, store_url):
    store_benchmark(store_url)
    nav = FIXTURES / "nav_files" / "sample_sjis.csv"
    code, out, _ = run(
        capsys, "import-nav", str(nav), "--symbol", "JP-SCG", "--name", "Sample fund", "--name-ja", "サンプル"
    )
    assert code == 0
    assert out.startswith("JP-SCG: 3 NAVs in JPY, 2024-10-31 to 2024-12-30, from column 分配金再投資基準価額(円)")
    assert "JP-SCG" in PriceStore(store_url).saved_funds()
    code, out, _ = run(capsys, "funds", "--format", "json", "--latest")
    fund = json.loads(out)["funds"]["JP-SCG"]
    assert (fund["name"], fund["currency"], fund["stale"]) == ("Sample fund", "JPY", True)  # NAVs end 2024-12-30


def test_import_nav_rejects_a_broken_file_whole(capsys, store_url):
    code, _, err = run(
        capsys, "import-nav", str(FIXTURES / "nav_files" / "broken.csv"), "--symbol", "JP-X", "--name", "x"
    )
    assert code == 2 and "rejected (4 errors), nothing imported" in err
    assert "JP-X" not in PriceStore(store_url).coverage()


def test_errors_are_said_in_the_commands_language(capsys, store_url):
    code, _, err = run(capsys, "weekly", "--prices", str(GOOD), "--as-of", "2030-01-02", "--lang", "ja")
    assert code == 2
    assert "error: 2030年1月2日 はデータの範囲外です" in err


def test_import_nav_of_a_toushin_kyokai_file_says_in_japanese_which_columns_it_used(capsys, store_url):
    nav = FIXTURES / "nav_files" / "toushin_kyokai.csv"
    code, out, _ = run(capsys, "import-nav", str(nav), "--symbol", "JP-K", "--name", "K", "--lang", "ja")
    assert code == 0
    assert out.startswith(
        "JP-K：JPY 建ての基準価額 6 件（2024年10月31日〜2024年12月30日、列 基準価額(円)、分配金再投資"
    )
    assert "取り込まない列：純資産総額（百万円）、決算期" in out
