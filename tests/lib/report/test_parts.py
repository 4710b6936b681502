"""Each part of the weekly draft fails alone: the text always stands; a chart or a fund table that
cannot be made is left out with a check that says why, in the draft's language."""

import datetime as dt

import pandas as pd
import pytest

from lib.data import prices
from lib.data.price_files import read_price_file
from lib.report import files as report_files
from lib.report.draft import build_report
from lib.report.files import build_report_files
from tests.conftest import DAILY_CLOSES

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


@pytest.fixture
def real_set():
    if not DAILY_CLOSES.exists():
        pytest.skip("../shared/data/daily_closes.csv is not present on this machine")
    return prices.from_file(read_price_file(DAILY_CLOSES), now=NOW, primary=("^RUO", "^GSPC"))


def draft(price_set, lang, funds=("IWO", "VBK", "IJT")):
    report = build_report(price_set.closes, source="file", lang=lang, week_of=pd.Timestamp("2025-11-28"))
    return build_report_files(report, price_set, funds=list(funds))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_funds_whose_prices_end_in_2021_leave_the_table_out_and_the_draft_stands(real_set, lang):
    files = draft(real_set, lang)
    checks = [check.text(lang) for check in files.checks]
    # The fund files end 2021-04-27 (read off daily_closes.csv); the report's month-end is 2025-11-28.
    # Japanese checks write the days as Japanese dates.
    last, month_end = {"en": ("2021-04-27", "2025-11-28"), "ja": ("2021年4月27日", "2025年11月28日")}[lang]
    assert any(last in check and month_end in check for check in checks), checks
    assert files.funds_table is None and not any(a.name.startswith("funds_") for a in files.attachments)
    assert "1674.16" in files.markdown() and "24.44%" in files.markdown()
    assert any(a.mime == "image/png" for a in files.attachments)  # the ratio chart is still there


def test_a_fund_without_recent_prices_is_named_while_the_others_are_tabulated(real_set):
    closes = real_set.closes.assign(FRESH=real_set.closes["^GSPC"])  # a fund priced to 2026-08-31
    price_set = prices.PriceSet(closes, "file", False, real_set.last_session, None, primary=real_set.primary)
    files = draft(price_set, "en", funds=("FRESH", "VBK"))
    checks = [str(check) for check in files.checks]
    assert any("VBK (2021-04-27)" in check for check in checks), checks
    assert any("IWO has no price since 2021-04-27" in check for check in checks), checks
    assert files.funds_table is not None and "FRESH" in files.funds_table.iloc[:, 1].tolist()


def test_an_unexpected_error_in_the_chart_leaves_the_text_and_the_table(real_set, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(report_files, "_ratio_files", broken)
    files = draft(real_set, "ja")
    checks = [check.text("ja") for check in files.checks]
    assert "レシオのチャートは下書きに含めていません。" in checks
    assert any("予期しないエラー" in check for check in checks)
    assert "1674.16" in files.markdown()
    assert "renderer crashed" in caplog.text  # logged on the server with its traceback
    assert "renderer crashed" not in "".join(checks)  # never shown to the reader
