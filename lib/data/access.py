"""Who may change the shared price data (imports, hand-entered closes, the fund list): the rules are
the notes' (`[notes] read_only`, `[notes] editors`), checked by the price store on every such write,
whoever the writer is. Yahoo refreshes, fund facts and fetch attempts are a cache, not shared data:
they are written on a read-only deployment too."""

from __future__ import annotations

from dataclasses import dataclass

from lib.core import settings
from lib.core.errors import WriteRefused
from lib.core.i18n import message


@dataclass(frozen=True)
class Editor:
    """Who asks for a write: an analyst on a page (their login e-mail; None when not logged in), or
    the command line, an operator's tool run by someone who holds the database URL."""

    email: str | None = None
    operator: bool = False


OPERATOR = Editor(operator=True)  # the command line: bound by read_only, not by the e-mail list


def check_may_write(editor: Editor) -> None:
    """Raise WriteRefused, naming the rule, when `editor` may not change the shared price data.

    Read from the settings at each write, so a deployment switched to read-only refuses at once."""
    rules = settings.notes_access()
    if rules.read_only:
        raise WriteRefused(message("store_read_only"))
    if editor.operator or not rules.editors:
        return
    if not editor.email:
        raise WriteRefused(message("store_login_needed"))
    if editor.email.strip().lower() not in rules.editors:
        raise WriteRefused(message("store_not_editor", email=editor.email))
