"""How the store names where closes came from: the source it records for each close, the name
`undo-import` takes. Light on purpose: reading a price file needs no database."""

from __future__ import annotations

import unicodedata

TEXT_MAX_CHARS = 200  # names and sources: the width of their columns in the price store


def file_source(name: str) -> str:
    """The source recorded for closes imported from the file `name` ("file prices.csv"), kept to the
    width of the source column and free of control characters."""
    shown = "".join("?" if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in name)
    return f"file {shown}"[:TEXT_MAX_CHARS]
