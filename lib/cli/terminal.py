"""What the command line prints reaches the terminal as text, never as commands to the terminal.

A note's title, a fund's name or a file name can hold control characters (`ok\\x1b[2J\\x1b]0;owned\\x07`
clears the screen and retitles the window when printed raw). `main` runs every command inside
`escaped_output`, so all it writes to stdout and stderr passes through `terminal_text`: C0 and C1
control characters (and DEL) show as `\\x1b`, except the newline and the tab, which only lay out
lines. JSON goes through `json_text`, whose escapes stay valid JSON.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterator
from typing import TextIO

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # lone surrogates cannot be encoded
_JSON_UNESCAPED = re.compile(r"[\x7f-\x9f\ud800-\udfff]")  # json.dumps escapes C0 itself


def terminal_text(text: str) -> str:
    """`text` with every control character but newline and tab written out: ESC as `\\x1b`."""
    return _CONTROL.sub(_written_out, text)


def json_text(value: object) -> str:
    """`value` as indented JSON, non-ASCII kept readable and every control character escaped
    (json.dumps leaves DEL and C1 raw when ensure_ascii is off)."""
    dumped = json.dumps(value, ensure_ascii=False, indent=2)
    return _JSON_UNESCAPED.sub(lambda found: f"\\u{ord(found.group()):04x}", dumped)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """stdout and stderr written through `terminal_text` until the block ends."""
    with contextlib.redirect_stdout(_Escaping(sys.stdout)), contextlib.redirect_stderr(_Escaping(sys.stderr)):
        yield


class _Escaping:
    """A text stream that escapes what it is given and hands it to the real one."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text))
        return len(text)

    def __getattr__(self, name: str) -> object:  # flush, encoding, isatty... as the real stream has them
        return getattr(self._stream, name)


def _written_out(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
