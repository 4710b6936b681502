"""`python -m lib.cli undo-import FILE`: undo the latest import of a price or NAV file (README,
"Command line"). The store kept every close the import replaced; they come back with their source and
time, and the closes it added are removed."""

from __future__ import annotations

import argparse
import datetime as dt

from lib.cli.common import open_store
from lib.core.i18n import message
from lib.data.access import OPERATOR
from lib.data.sources import file_source
from lib.data.yahoo import Fetcher


def run(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    name = args.file.strip()
    source = name if name.startswith("file ") else file_source(name)
    undone = open_store().undo_import(source, by=OPERATOR)
    print(
        message(
            "cli_import_undone",
            source=undone.source,
            at=f"{undone.at:%Y-%m-%d %H:%M} UTC",
            restored=undone.restored,
            removed=undone.removed,
        )
    )
    return 0
