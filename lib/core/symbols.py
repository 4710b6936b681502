"""Symbols as the user types them, parsed once at the boundary (pages, the command line, files)."""

from __future__ import annotations

import re

from lib.core.errors import InvalidSymbol

# Yahoo spelling: an optional ^ for indices, then letters, digits and . _ = - (e.g. ^RUO, BRK-B, JPY=X).
SYMBOL_PATTERN = re.compile(r"^\^?[A-Za-z0-9][A-Za-z0-9._=\-]{0,24}$")


def validate_symbol(text: str) -> str:
    """The symbol without surrounding spaces; raises InvalidSymbol naming the text otherwise."""
    symbol = text.strip()
    if not SYMBOL_PATTERN.match(symbol):
        raise InvalidSymbol(text)
    return symbol
