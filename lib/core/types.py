"""Option sets the pages and the command line pass through; validated once, here."""

from __future__ import annotations

from typing import Literal, get_args

Lang = Literal["en", "ja"]
OutputFormat = Literal["text", "json"]
SourceKind = Literal["yahoo", "file", "store", "demo"]

LANGS: tuple[Lang, ...] = get_args(Lang)


def parse_lang(text: str) -> Lang:
    if text not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, not {text!r}")
    return text  # type: ignore[return-value]
