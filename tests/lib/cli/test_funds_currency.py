"""`python -m lib.cli funds --currency usd|jpy|native`: the documented JSON, worked by hand."""

import datetime as dt
import json

import pytest

from lib.cli import main as cli
from tests.conftest import DAILY_CLOSES, offline_yfinance_frame

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
# Month-end closes of a dollar fund USF, the benchmark B and USD/JPY (JPY=X), as a tidy price file.
PRICES = """date,symbol,close
2023-11-30,USF,80
2024-10-31,USF,110
2024-11-29,USF,121
2023-11-30,B,150
2024-10-31,B,210
2024-11-29,B,231
2023-11-30,JPY=X,147
2024-10-31,JPY=X,152
2024-11-29,JPY=X,150
"""


def run(capsys, *argv):
    code = cli.main(list(argv), now=NOW, fetcher=lambda symbols, *_: offline_yfinance_frame(symbols))
    out, err = capsys.readouterr()
    return code, out, err


def test_funds_json_in_yen(capsys, tmp_path):
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES)
    argv = ["funds", "--prices", str(prices), "--benchmark", "B", "--as-of", "2024-11-29", "--currency", "jpy"]
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["currency"] == "JPY" and data["benchmark_currency"] == "JPY"
    assert list(data["funds"]) == ["USF"]  # JPY=X is a rate, never a fund of the table
    usf = data["funds"]["USF"]
    assert usf["currency"] == "JPY" and usf["benchmark_currency"] == "JPY" and usf["hedged"] is False
    # by hand: 1M 1.10 x 150/152 - 1 = 8.552631578947 %; 1Y 1.5125 x 150/147 - 1 = 54.336734693878 %
    assert usf["returns"]["1M"] == pytest.approx(8.552631578947368, abs=1e-9)
    assert usf["returns"]["1Y"] == pytest.approx(54.33673469387755, abs=1e-9)
    # the benchmark in yen: 1.54 x 150/147 - 1 = 57.142857142857 %; excess -2.806122448980 points
    assert data["benchmark_returns"]["1Y"] == pytest.approx(57.142857142857146, abs=1e-9)
    assert usf["risk"]["excess_1Y"] == pytest.approx(-2.806122448979593, abs=1e-9)
    code, out, _ = run(capsys, *argv, "--lang", "ja")
    assert code == 0 and "数値はJPY建て" in out.splitlines()[0]


def test_funds_default_is_each_fund_in_its_own_currency(capsys, tmp_path):
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES)
    code, out, _ = run(capsys, "funds", "--prices", str(prices), "--benchmark", "B", "--as-of", "2024-11-29")
    assert code == 0 and "figures in Each fund's own" in out.splitlines()[0]
    code, out, _ = run(
        capsys, "funds", "--prices", str(prices), "--benchmark", "B", "--as-of", "2024-11-29", "--format", "json"
    )
    data = json.loads(out)
    assert data["currency"] == "native" and data["funds"]["USF"]["returns"]["1Y"] == pytest.approx(51.25)


def test_the_real_closes_have_no_usd_jpy_and_the_command_says_how_to_get_it(capsys, real_daily):
    assert "JPY=X" not in real_daily.columns  # the shared data holds no USD/JPY (checked 2026-11-29)
    argv = ["funds", "--prices", str(DAILY_CLOSES), "--benchmark", "IWO_adj", "--as-of", "2024-11-29"]
    code, out, err = run(capsys, *argv, "--currency", "jpy", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["currency"] == "JPY"
    vbk = data["funds"]["VBK_adj_2025basis"]
    assert vbk["returns"]["1Y"] is None and vbk["missing"]["1Y"] == "needs USD/JPY closes (JPY=X)"
    assert "need USD/JPY closes (JPY=X)" in err and "python -m lib.cli refresh" in err and "import-prices" in err


# --- a 投信 of config/funds.toml: its NAV file must be its own -----------------------------------------


def test_a_nav_file_of_another_fund_is_refused_for_a_toushin_of_the_universe(capsys, store_url, tmp_path):
    from lib.data.store import PriceStore
    from tests.conftest import FIXTURES

    mufg = FIXTURES / "nav_files" / "mufg_layout.csv"  # line 1: サンプル米国小型成長株ファンド（架空）
    code, _, err = run(capsys, "import-nav", str(mufg), "--symbol", "JP-SBI-SCG")
    assert code == 2 and "this file is for サンプル米国小型成長株ファンド（架空）, not JP-SBI-SCG" in err
    code, _, err = run(capsys, "import-nav", str(mufg), "--symbol", "JP-SBI-SCG", "--lang", "ja")
    assert code == 2 and "このファイルは サンプル米国小型成長株ファンド（架空） のもので" in err
    other_isin = tmp_path / "JP90C000ABC1.csv"  # a 投資信託協会 download named by another fund's ISIN
    other_isin.write_bytes((FIXTURES / "nav_files" / "toushin_kyokai.csv").read_bytes())
    code, _, err = run(capsys, "import-nav", str(other_isin), "--symbol", "JP-SBI-SCG")
    assert code == 2 and "the file name names JP90C000ABC1, but JP-SBI-SCG is JP90C000JDA9" in err
    assert "JP-SBI-SCG" not in PriceStore(store_url).coverage()  # nothing stored
    own = tmp_path / "JP90C000JDA9.csv"
    own.write_bytes(other_isin.read_bytes())
    code, out, err = run(capsys, "import-nav", str(own), "--symbol", "JP-SBI-SCG")  # names, currency from config
    assert code == 0, err
    assert out.startswith("JP-SBI-SCG: 6 NAVs in JPY")
    fund = PriceStore(store_url).instruments()["JP-SBI-SCG"][0]
    assert (fund.name_ja, fund.currency, fund.hedged) == (
        "SBI米国小型成長株ファンド（グレート・スモール）",
        "JPY",
        False,
    )


def test_a_nav_file_cannot_be_stored_as_usd_jpy(capsys, store_url):
    from tests.conftest import FIXTURES

    nav = FIXTURES / "nav_files" / "plain_utf8.csv"
    code, _, err = run(capsys, "import-nav", str(nav), "--symbol", "JPY=X", "--name", "Not a rate")
    assert code == 2 and "JPY=X is US dollar in yen (USD/JPY), an exchange rate in JPY" in err
