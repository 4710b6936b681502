"""`python -m lib.cli worker --once`: one refresh with the injected fetcher, one log line, exit 0;
Yahoo unreachable: the failed line and exit 3 (what cron and the topology test read)."""

import datetime as dt

from lib.cli.main import main
from lib.data.store import PriceStore
from tests.lib.data.test_worker import RecentYahoo

AFTER_EARLY_CLOSE = dt.datetime(2025, 11, 28, 18, 21, tzinfo=dt.UTC)  # 13:21 ET, the day after Thanksgiving


def test_worker_once_refreshes_with_the_injected_fetcher_and_says_what_it_did(store_url, capsys):
    yahoo = RecentYahoo()
    assert main(["worker", "--once"], fetcher=yahoo, now=AFTER_EARLY_CLOSE) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith("refresh at 2025-11-28 13:21 ET: ")
    assert out[0].endswith("up to the 2025-11-28 close; next run 2025-12-01 16:20 ET")
    assert len(yahoo.calls) == 1  # every symbol is new: one batched call
    store = PriceStore(store_url)
    assert store.read(["^RUO"])["^RUO"].index[-1].date() == dt.date(2025, 11, 28)
    attempt = store.last_attempt("Yahoo Finance")
    assert attempt.ok and attempt.at == AFTER_EARLY_CLOSE  # what the pages of team mode show
    assert main(["worker", "--once", "--lang", "ja"], fetcher=yahoo, now=AFTER_EARLY_CLOSE) == 0
    assert len(yahoo.calls) == 1  # the store is current: nothing fetched again
    said = capsys.readouterr().out
    assert "2025-11-28 13:21 ET の更新：Yahoo Finance から 0 銘柄 0 行（0 回の呼び出し）" in said


def test_worker_once_with_yahoo_unreachable_says_so_and_exits_3(store_url, capsys):
    yahoo = RecentYahoo(fail_first=True)
    assert main(["worker", "--once", "--margin", "30"], fetcher=yahoo, now=AFTER_EARLY_CLOSE) == 3
    out = capsys.readouterr().out
    said = "failed: Yahoo Finance is unreachable (it returned no rows); nothing stored was changed."
    assert out.startswith(f"refresh at 2025-11-28 13:21 ET {said}")
    assert out.rstrip().endswith("Next try 2025-11-28 13:30 ET")  # the next close + 30 min comes first
