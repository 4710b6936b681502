"""The notes search at 1,000, 10,000 and 100,000 notes, before and after the full-text index
(lib/notes/fulltext.py), on SQLite and, when NOTES_TEST_POSTGRES_URL is set, on PostgreSQL.

Each size is a database of its own, made by the store on the schema before the index (migration 3);
the bench writes its notes in bulk, with the store's own search text (`searchable`): the store's
import writes about 300 notes a second, too slow to fill 100,000 twice per backend. Searched; then
the store of today opens it, which applies migration 4 (the time it takes is the upgrade's) and the
same searches run again. Reported: the median of NotesStore.find, as the Notes page calls it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from bench.scale import median_ms
from lib.core import calendar
from lib.notes import fulltext
from lib.notes.model import NoteQuery, searchable
from lib.notes.schema import MIGRATIONS, note, note_version
from lib.notes.store import NotesStore

SIZES = (1_000, 10_000, 100_000)
CHUNK = 5_000  # rows per INSERT
MARKET_WORDS = (  # what the English part of a synthetic note is drawn from
    "small caps growth spread rates credit earnings margin guidance breadth valuation "
    "liquidity dollar yields curve inflation payrolls tariffs momentum quality value index fund flows"
)
EN_WORDS = MARKET_WORDS.split()
JA_PHRASES = ["小型株", "金利", "信用不安", "関税", "決算", "利下げ観測", "景気後退", "資金流出", "割安感", "中国経済"]
# What is searched: (label, query). The rare ones are placed in every 1,000th note.
QUERIES = (
    ("rare English word (index)", "bellwether"),
    ("Japanese word inside a longer one (index)", "ベネズエラ"),
    ("common English word, in 1 note of 20 (index)", "rotation"),
    ("two characters (LIKE: no trigram)", "原油"),
    ("two characters and a longer word (index, then LIKE)", "原油 ベネズエラ"),
)


def note_text(number: int, rng: random.Random) -> tuple[str, str]:
    """A title and a body of about 400 characters, English and Japanese mixed as the team writes."""
    words = rng.choices(EN_WORDS, k=40)
    phrases = rng.choices(JA_PHRASES, k=8)
    if rng.random() < 0.05:
        words[11] = "rotation"
    if number % 1000 == 7:
        words[5], phrases[2] = "bellwether", "反ベネズエラ派の動きで原油が上昇"
    body = " ".join(words[:20]) + "。" + "、".join(phrases) + "。\n" + " ".join(words[20:]) + "."
    return f"Week note {number}: {words[0]} {phrases[0]}", body


def write_notes(store: NotesStore, count: int) -> None:
    """`count` notes, each with its one version, in chunks of CHUNK rows per statement."""
    rng, weeks = random.Random(7), calendar.week_end_sessions(calendar.sessions("1990-01-01", "2026-10-30")).unique()
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    notes, versions = [], []
    for number in range(1, count + 1):
        title, body = note_text(number, rng)
        week = weeks[number % len(weeks)].date()
        common = {"week": week, "title": title, "body": body, "author": "bench"}
        notes.append(
            {**common, "id": number, "uid": uuid.UUID(int=number).hex, "created_at": at, "updated_at": at}
            | {"version": 1, "deleted_at": None, "search_text": searchable(title, body)}
        )
        versions.append({**common, "note_id": number, "version": 1, "tags": "[]", "saved_at": at, "deleted": False})
    with store.engine.begin() as connection:
        for start in range(0, count, CHUNK):
            connection.execute(note.insert(), notes[start : start + CHUNK])
            connection.execute(note_version.insert(), versions[start : start + CHUNK])


@contextmanager
def database(backend: str) -> Iterator[str]:
    """An empty database: an SQLite file, or a fresh schema in the PostgreSQL server."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/notes.sqlite"
        return
    base = os.environ["NOTES_TEST_POSTGRES_URL"]
    schema, admin = f"bench_{uuid.uuid4().hex[:10]}", sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield (
            sa.make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def searches(store: NotesStore, repeat: int) -> dict[str, tuple[float, int]]:
    found = {}
    for label, query in QUERIES:
        ms = median_ms(lambda query=query: store.find(NoteQuery(search=query)), repeat=repeat)
        found[label] = (ms, len(store.find(NoteQuery(search=query))))
    return found


def bench_size(backend: str, count: int) -> tuple[dict, dict, float]:
    """(searches before, searches after, seconds of the upgrade) at `count` notes."""
    with database(backend) as url:
        older = NotesStore(url, migrations=MIGRATIONS[:3])
        write_notes(older, count)
        before = searches(older, repeat=5)
        older.close()
        started = time.perf_counter()
        today = NotesStore(url)
        upgrade_s = time.perf_counter() - started
        with today.engine.connect() as connection:
            assert fulltext.has_index(connection), "the index was not built"
        after = searches(today, repeat=5)
        today.close()
    return before, after, upgrade_s


def report(backend: str, results: dict[int, tuple[dict, dict, float]], floor_ms: float) -> None:
    print(f"notes search on {backend} (NotesStore.find with a search; median ms, before -> after the index)")
    for label, query in QUERIES:
        print(f"  {label}: {query!r}")
        first = results[SIZES[0]][1][label][0]
        for count in SIZES:
            before, after, _ = results[count]
            (was, hits), now = before[label], after[label][0]
            print(
                f"    {count:>7,} notes ({hits:>6,} found, {hits / count:4.0%})  {was:8.1f} -> {now:8.1f} ms"
                f"   after: x{now / first:5.1f} of 1k, {now / floor_ms:5.2f} floors"
            )
    upgrades = ", ".join(f"{count:,}: {results[count][2]:.1f} s" for count in SIZES)
    print(f"  upgrade to migration 4 (builds the index): {upgrades}")


def main(floor_ms: float) -> None:
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("NOTES_TEST_POSTGRES_URL") else [])
    for backend in backends:
        report(backend, {count: bench_size(backend, count) for count in SIZES}, floor_ms)
    if len(backends) == 1:
        print("  (PostgreSQL skipped: set NOTES_TEST_POSTGRES_URL)")
