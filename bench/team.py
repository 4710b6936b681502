"""Team deployment costs (`python -m bench.team`), each against a floor measured in the same run:

- opening the price store when it is up to date (the migrations are checked by a read) against a
  fresh engine's first `SELECT 1`;
- taking and giving back the refresh lock (SQLite: a lease row, two short write transactions;
  PostgreSQL: an advisory lock in a transaction) against a pooled `SELECT 1`;
- reading the notes' revision (every note lookup of a rerun reads it) against a pooled `SELECT 1`.
PostgreSQL runs when $NOTES_TEST_POSTGRES_URL is set (a schema of its own, dropped after).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from lib.data.db import make_engine
from lib.data.store import PriceStore
from lib.notes.store import NotesStore

REPEAT = 200


def median_ms(action: Callable[[], object], repeat: int = REPEAT) -> float:
    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(name: str, url: str) -> None:
    store, notes = PriceStore(url), NotesStore(url)
    pooled = make_engine(url, busy_timeout_ms=5000)

    def select_one(engine: sa.Engine = pooled) -> None:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1")).scalar()

    def fresh_select_one() -> None:
        engine = make_engine(url, busy_timeout_ms=5000)
        select_one(engine)
        engine.dispose()

    def open_store() -> None:
        PriceStore(url).engine.dispose()

    def lock() -> None:
        with store.refresh_lock(wait_seconds=5):
            pass

    floor, fresh = median_ms(select_one), median_ms(fresh_select_one, 50)
    print(f"{name}:")
    opened = median_ms(open_store, 50)
    print(f"  open an up-to-date price store {opened:7.2f} ms (fresh engine + SELECT 1: {fresh:.2f} ms)")
    print(f"  refresh lock, take, give back  {median_ms(lock):7.2f} ms (pooled SELECT 1: {floor:.2f} ms)")
    print(f"  notes revision read            {median_ms(notes.revision):7.2f} ms (pooled SELECT 1: {floor:.2f} ms)")
    pooled.dispose()
    store.engine.dispose()
    notes.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite (WAL)", f"sqlite:///{Path(folder) / 'team.sqlite'}")
    base = os.environ.get("NOTES_TEST_POSTGRES_URL")
    if not base:
        print("PostgreSQL: skipped ($NOTES_TEST_POSTGRES_URL is not set)")
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        measure("PostgreSQL (127.0.0.1)", url.render_as_string(hide_password=False))
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main()
