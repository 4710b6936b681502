import datetime as dt

import pytest

from lib.data.fund_facts import SOURCE_NAME, facts_from_info, refresh_facts
from lib.data.store import PriceStore

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)


def test_yahoo_fields_become_percent_and_currency_units():
    assert facts_from_info({"netExpenseRatio": 0.07, "totalAssets": 3.5e10}, now=NOW).expense_ratio_pct == 0.07
    older = facts_from_info({"annualReportExpenseRatio": 0.0077}, now=NOW)
    assert older.expense_ratio_pct == pytest.approx(0.77) and older.net_assets is None
    assert facts_from_info({"netExpenseRatio": None, "totalAssets": "n/a"}, now=NOW).expense_ratio_pct is None


def test_facts_are_asked_once_a_week_and_kept(store_url):
    store, asked = PriceStore(store_url), []

    def info(symbol):
        asked.append(symbol)
        return {"netExpenseRatio": 0.5, "totalAssets": 1e9}

    assert refresh_facts(store, ["A", "B"], now=NOW, fetcher=info) == 2
    assert refresh_facts(store, ["A", "B"], now=NOW + dt.timedelta(days=3), fetcher=info) == 0
    assert refresh_facts(store, ["A"], now=NOW + dt.timedelta(days=8), fetcher=info) == 1
    assert asked == ["A", "B", "A"]
    assert store.fund_facts()["B"].net_assets == 1e9


def test_offline_stops_at_the_first_failure_and_waits(store_url):
    store, asked = PriceStore(store_url), []

    def unreachable(symbol):
        asked.append(symbol)
        raise ConnectionError("Could not resolve host")

    assert refresh_facts(store, ["A", "B", "C"], now=NOW, fetcher=unreachable) == 0
    assert asked == ["A"] and not store.last_attempt(SOURCE_NAME).ok
    assert refresh_facts(store, ["A"], now=NOW + dt.timedelta(minutes=5), fetcher=unreachable) == 0
    assert asked == ["A"]  # not asked again within 15 minutes
