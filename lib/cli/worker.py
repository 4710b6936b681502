"""`python -m lib.cli worker [--once]`: the team deployment's refresh worker (lib/data/worker.py),
one log line per run on stdout (README, "Team deployment")."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import time

from lib.cli.common import open_store
from lib.cli.exits import EXIT_UNAVAILABLE
from lib.core import settings
from lib.core.i18n import Message
from lib.data import worker
from lib.data.yahoo import Fetcher


def run(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    margin = dt.timedelta(minutes=args.margin) if args.margin is not None else settings.worker_margin()
    store = open_store()

    def say(said: Message) -> None:
        print(said.text(args.lang), flush=True)  # flushed: a container's log shows each run as it ends

    if args.once:
        done = worker.refresh_once(store, now=now, fetcher=fetcher, margin=margin)
        say(done.said)
        return 0 if done.ok else EXIT_UNAVAILABLE
    # `docker stop` sends SIGTERM: leave through SystemExit so that a refresh under way rolls back and
    # gives its lock back (SQLite's lease would otherwise hold for REFRESH_LEASE_SECONDS).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker.serve(
        store, fetcher=fetcher, margin=margin, say=say, clock=lambda: dt.datetime.now(dt.UTC), sleep=time.sleep
    )
    return 0
