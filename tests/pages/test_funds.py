"""The Funds page's shared data under AppTest (issue 18, items 4, 8 and 9): the fund list changed by two
sessions, who may change it and import NAV files, and a NAV upload under a symbol that is something else.

Offline, on a temporary SQLite store; the NAV files are written here by hand.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lib.core.settings import DEFAULT_FUNDS
from lib.data.demo import demo_closes
from lib.data.store import PriceStore
from tests.pages.test_app import offline_app, start, store_demo_as_file  # noqa: F401 - offline_app is autouse

NAV_JUNE = "基準日,基準価額\n2025/06/02,10630\n2025/06/03,10655\n".encode()


def funds_page(user: dict | None = None, query: dict | None = None):
    app = start(query)
    if user is not None:
        app.user = user
    app.switch_page("pages/funds.py").run()
    assert not app.exception, app.exception
    return app


def tickers(app) -> list[str]:
    return app.dataframe[0].value["Ticker"].tolist()


def upload_nav(app, symbol: str, name: str, raw: bytes = NAV_JUNE):
    app.file_uploader(key="funds_nav_file").set_value(("nav.csv", raw, "text/csv"))
    app.text_input(key="funds_nav_symbol").set_value(symbol)
    app.text_input(key="funds_nav_name").set_value(name)
    app.button(key="funds_nav_import").click().run()
    assert not app.exception, app.exception
    return app


def forge_list(app, funds: list[str]):
    """Send the list a browser could not send from a disabled widget (a forged request): the server
    must refuse the change itself."""
    app.session_state["funds_list"] = funds
    app.run()
    assert not app.exception, app.exception
    return app


# --- item 9: two sessions change the list --------------------------------------------------------


def test_a_session_that_only_moves_the_risk_free_rate_does_not_bring_back_a_removed_fund(store_url):
    session_a = funds_page()
    assert "VSGAX" in tickers(session_a)
    session_b = funds_page()
    session_b.multiselect(key="funds_list").unselect("VSGAX").run()
    assert PriceStore(store_url).saved_funds() == [s for s in DEFAULT_FUNDS if s != "VSGAX"]
    session_a.number_input(key="funds_rf").set_value(5.0).run()
    assert not session_a.exception
    assert PriceStore(store_url).saved_funds() == [s for s in DEFAULT_FUNDS if s != "VSGAX"]
    assert "VSGAX" not in tickers(session_a) and "VSGAX" not in session_a.multiselect(key="funds_list").value
    said = "Another session changed the fund list meanwhile (removed VSGAX); the list below is the one saved now."
    assert said in [info.value for info in session_a.info]


def test_two_sessions_changing_the_list_keep_both_changes(store_url):
    session_a, session_b = funds_page(), funds_page()
    session_b.multiselect(key="funds_list").unselect("VSGAX").run()
    session_a.multiselect(key="funds_list").unselect("PRNHX").run()
    expected = [s for s in DEFAULT_FUNDS if s not in ("VSGAX", "PRNHX")]
    assert PriceStore(store_url).saved_funds() == expected
    assert session_a.multiselect(key="funds_list").value == expected


def test_a_japanese_session_is_told_in_japanese(store_url):
    session_a = funds_page(query={"lang": "ja"})
    funds_page().multiselect(key="funds_list").select("IWM").run()
    session_a.run()
    said = "このページの表示後に、別のセッションでファンド一覧が変更されました（追加：IWM）。"
    assert any(info.value.startswith(said) for info in session_a.info)


# --- item 8: who may change the list and import --------------------------------------------------


def test_a_read_only_deployment_offers_no_change_and_the_store_refuses_one_anyway(store_url, monkeypatch):
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    app = funds_page()
    read_only = "The price data and the fund list are read-only on this deployment"
    assert any(info.value.startswith(read_only) for info in app.info)
    assert app.multiselect(key="funds_list").disabled
    assert app.button(key="funds_nav_import").disabled
    forge_list(app, [s for s in DEFAULT_FUNDS if s != "VSGAX"])
    assert any(error.value.startswith(read_only) for error in app.error)
    assert "VSGAX" in app.multiselect(key="funds_list").value
    assert PriceStore(store_url).saved_funds() is None


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        ({"is_logged_in": False}, False),
        ({"is_logged_in": True, "email": "intern@example.com", "name": "Intern"}, False),
        ({"is_logged_in": True, "email": "Aoki@Example.com", "name": "Aoki"}, True),
    ],
)
def test_only_listed_editors_change_the_list_and_import(store_url, monkeypatch, user, allowed):
    monkeypatch.setenv("NOTES_EDITORS", "aoki@example.com")
    app = funds_page(user)
    assert app.multiselect(key="funds_list").disabled != allowed
    assert app.button(key="funds_nav_import").disabled != allowed  # the store's refusal: tests/lib/data
    forge_list(app, [s for s in DEFAULT_FUNDS if s != "VSGAX"])
    store = PriceStore(store_url)
    if not allowed:
        assert store.saved_funds() is None and app.error
        return
    upload_nav(app, "JP-X", "X fund")
    assert "JP-X" in store.coverage()
    assert store.saved_funds() == [*[s for s in DEFAULT_FUNDS if s != "VSGAX"], "JP-X"]


# --- item 4: the upload is the import-nav path ----------------------------------------------------


def test_a_nav_upload_under_the_s_and_p_500_is_refused(store_url):
    store_demo_as_file(store_url)
    before = PriceStore(store_url).read(["^GSPC"])
    app = upload_nav(funds_page(), "^GSPC", "x")
    assert app.error[0].value.startswith(
        "^GSPC is S&P 500, an index in USD: a fund in JPY cannot be stored under it, so nothing was imported."
    )
    assert PriceStore(store_url).read(["^GSPC"]).equals(before)


def test_a_nav_upload_with_an_overlong_name_is_refused(store_url):
    app = upload_nav(funds_page(), "JP-X", "x" * 300)
    assert app.error[0].value.startswith("The fund name is 300 characters long; at most 200 are kept.")
    assert "JP-X" not in PriceStore(store_url).coverage()


def test_a_nav_upload_moving_stored_navs_waits_for_the_analysts_answer(store_url):
    app = upload_nav(funds_page(), "JP-X", "X fund")
    assert "NAVs in JPY" in app.success[0].value and "JP-X" in app.multiselect(key="funds_list").value
    upload_nav(app, "JP-X", "X fund", "基準日,基準価額\n2025/06/02,1063\n".encode())  # a lost digit
    refused = "file nav.csv would change 1 stored closes by more than 0.5 % (the largest: JP-X on 2025-06-02, "
    assert any(warning.value.startswith(refused + "10,630 → 1,063, -90.00 %)") for warning in app.warning)
    assert PriceStore(store_url).read(["JP-X"])["JP-X"].tolist() == [10630.0, 10655.0]
    app.button(key="funds_nav_pending_replace").click().run()
    assert not app.exception
    assert PriceStore(store_url).read(["JP-X"])["JP-X"].tolist() == [1063.0, 10655.0]


# --- the table's currency (helper "yen"): dollars, yen, or each fund's own; in the link --------------


def _as_of(app) -> pd.Timestamp:
    caption = next(c.value for c in app.caption if "as of" in c.value or "時点" in c.value)
    return pd.Timestamp(
        re.search(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日", caption)
        .group(0)
        .replace("年", "-")
        .replace("月", "-")
        .replace("日", "")
    )


def _one_month(app, symbol: str) -> float:
    frame = app.dataframe[0].value
    return float(frame.set_index(frame.columns[1]).loc[symbol, frame.columns[3]])


def test_switching_the_table_to_yen_converts_every_fund_and_keeps_it_in_the_link():
    app = funds_page()
    in_dollars = _one_month(app, "VSGAX")
    app.button_group(key="funds_currency").set_value("jpy").run()
    assert not app.exception, app.exception
    assert app.query_params["funds_currency"] == ["jpy"] or app.query_params["funds_currency"] == "jpy"
    assert any("Figures in Yen." in caption.value for caption in app.caption)
    frame = app.dataframe[0].value
    assert set(frame["Currency"]) == {"JPY"}
    assert "Benchmark (IWO, JPY)" in frame["Fund"].tolist()
    # (1 + r_yen) = (1 + r_USD)(1 + r_USDJPY) over the same month-ends, r_USDJPY from the demo's JPY=X closes
    as_of = _as_of(app)
    fx = demo_closes(as_of)["JPY=X"]
    previous = fx.loc[: as_of - pd.offsets.MonthEnd(1)].iloc[-1]
    expected = 100 * ((1 + in_dollars / 100) * (fx.loc[as_of] / previous) - 1)
    assert _one_month(app, "VSGAX") == pytest.approx(expected, abs=1e-9)


def test_a_japanese_link_opens_the_table_in_yen():
    app = funds_page(query={"lang": "ja", "funds_currency": "jpy"})
    assert app.button_group(key="funds_currency").value == "jpy"
    assert any("数値は円建て。" in caption.value for caption in app.caption)
    frame = app.dataframe[0].value
    assert set(frame["通貨"]) == {"JPY"} and "ベンチマーク（IWO、JPY）" in frame["ファンド"].tolist()
    app.button_group(key="funds_currency").set_value("native").run()
    assert "funds_currency" not in app.query_params  # the default stays out of the link
    assert set(app.dataframe[0].value["通貨"]) == {"USD"}


def test_a_toushin_of_the_universe_says_where_its_nav_file_is_downloaded(store_url):
    app = funds_page()
    app.multiselect(key="funds_list").select("JP-SBI-SCG").run()
    assert not app.exception, app.exception
    said = " ".join(info.value for info in app.info)
    assert "https://toushin-lib.fwg.ne.jp/FdsWeb/FDST030000?isinCd=JP90C000JDA9" in said
    assert not any("JP-SBI-SCG" in warning.value for warning in app.warning)  # not "unknown ticker"


def test_a_nav_upload_marked_hedged_is_compared_with_the_dollar_benchmark(store_url):
    store_demo_as_file(store_url, symbols=("^RUO", "^GSPC", "^DJI", "IWO"))
    app = funds_page(query={"lang": "ja"})
    app.checkbox(key="funds_nav_hedged").check()
    upload_nav(app, "JP-HDG", "Hedged fund")
    assert PriceStore(store_url).instruments()["JP-HDG"][0].hedged
    frame = app.dataframe[0].value.set_index("ティッカー")
    assert frame.loc["JP-HDG", "通貨"] == "JPY" and "為替ヘッジあり" in frame.loc["JP-HDG", "注記"]
