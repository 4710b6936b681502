"""Every error a user can meet, with a message that names the bad input.

`str(error)` is a full English sentence (logs, the CLI in English); an error that carries a
`message` (a key and values) is shown in the page's language (lib/ui_parts.error_text).
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.core.i18n import Message, message


class DashboardError(Exception):
    """Base class: an input or a situation the user can act on (never a bug)."""

    message: Message | None = None

    def text(self, lang: str) -> str:
        """The error in `lang` when it has a message key, else its English sentence."""
        return self.message.text(lang) if self.message is not None else str(self)


class UnknownSymbol(DashboardError):
    def __init__(self, symbol: str, where: str = "the price data") -> None:
        super().__init__(f"Unknown symbol {symbol!r}: no prices for it in {where}.")
        self.symbol = symbol
        self.message = message("error_unknown_symbol", symbol=symbol, where=where)


class InvalidSymbol(DashboardError):
    def __init__(self, symbol: str) -> None:
        super().__init__(f"{symbol!r} is not a ticker: use Yahoo spelling such as ^RUO, ^GSPC or VSGAX.")
        self.symbol = symbol
        self.message = message("error_invalid_symbol", symbol=symbol)


class InvalidDate(DashboardError):
    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is not a date: write it as YYYY-MM-DD.")


class EmptyRange(DashboardError):
    def __init__(self, start: object, end: object) -> None:
        self.start, self.end = start, end
        super().__init__(f"The date range {start} to {end} is empty: the start must come before the end.")
        self.message = message("range_empty", start=start, end=end)


class InvalidOutput(DashboardError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Cannot write {name}: name a .png, .svg or .csv file.")


class OutsideData(DashboardError):
    def __init__(self, requested: object, first: object, last: object) -> None:
        super().__init__(f"{requested} is outside the data, which runs from {first} to {last}.")
        self.message = message("error_outside_data", requested=requested, first=first, last=last)


class NotEnoughHistory(DashboardError):
    def __init__(self, what: str, needed: int, found: int) -> None:
        super().__init__(f"{what} needs {needed} weekly closes; the data has {found} up to that week.")


class MissingClose(DashboardError):
    def __init__(self, symbol: str, session: object) -> None:
        super().__init__(
            f"No close for {symbol} on {session}, the last NYSE session of that week, and none earlier in the week. "
            "Import the close to fill the gap."
        )
        self.message = message("error_missing_close", symbol=symbol, session=session)


@dataclass(frozen=True)
class LineError:
    line: int  # 1-based line number in the file, the header being line 1
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class InvalidPriceFile(DashboardError):
    """A price file with errors; the file is rejected whole and every error is listed."""

    def __init__(self, name: str, errors: list[LineError]) -> None:
        self.name = name
        self.errors = errors
        shown = "\n".join(f"  {error}" for error in errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        count = f"{len(errors)} error" + ("s" if len(errors) != 1 else "")
        super().__init__(f"{name} was rejected ({count}), nothing imported:\n{shown}{more}")


class SourceUnavailable(DashboardError):
    """Yahoo (or another provider) could not be reached: says nothing about whether data exists."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source} is unreachable ({reason}); nothing stored was changed.")
        self.reason = reason


class StoreUnavailable(DashboardError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"The price store at {url} cannot be used ({reason}).")


# --- Notes ------------------------------------------------------------------------------------


class InvalidNote(DashboardError):
    """A note that cannot be saved as written; the message says which field and why."""


class UnknownTag(DashboardError):
    def __init__(self, tag: str, known: list[str]) -> None:
        super().__init__(f"Unknown tag {tag!r}: the tags are {', '.join(known)} (add new ones under Tags first).")
        self.tag = tag


class InvalidTag(DashboardError):
    """A tag that cannot be added, renamed or merged as asked."""


class NoteNotFound(DashboardError):
    def __init__(self, note_id: object) -> None:
        super().__init__(f"There is no note {note_id}.")


class NoteConflict(DashboardError):
    """Someone saved the note after the editor opened it: nothing was overwritten.

    `mine` is the text that was not saved (a NoteDraft), `theirs` the note as it now stands.
    """

    def __init__(self, mine: object, theirs: object, expected_version: int) -> None:
        self.mine, self.theirs, self.expected_version = mine, theirs, expected_version
        super().__init__(
            f"This note was saved by {theirs.author or 'someone'} at {theirs.updated_at:%Y-%m-%d %H:%M} UTC "  # type: ignore[attr-defined]
            f"(version {theirs.version}) after you opened version {expected_version}: "  # type: ignore[attr-defined]
            "your text was not saved and nothing was overwritten. Compare both, then save again."
        )


class NotesUnavailable(DashboardError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"The notes database at {url} cannot be used ({reason}); nothing was changed.")
        self.reason = reason


class NotesBusy(DashboardError):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"The notes database stayed busy with other saves for {seconds:.0f} s: nothing was saved and "
            "your text is kept. Try again in a moment."
        )


class InvalidNotesFile(DashboardError):
    def __init__(self, name: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {problem}" for problem in problems[:30])
        more = f"\n  ... and {len(problems) - 30} more" if len(problems) > 30 else ""
        super().__init__(f"{name} was rejected, nothing imported:\n{shown}{more}")
