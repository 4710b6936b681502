"""Every error a user can meet, with a message that names the bad input.

Each error carries `message`, a catalogue key and its values, shown in each surface's language
(`error.text(lang)`; pages use lib/ui/parts.error_text); `str(error)` is the same message in English
(logs, JSON, the command line).
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.core.i18n import Joined, Message, message
from lib.core.types import Lang

MAX_LINES_SHOWN = 50  # a rejected price file lists this many bad lines, then a count
MAX_PROBLEMS_SHOWN = 30  # a rejected notes file likewise


class DashboardError(Exception):
    """Base class: an input or a situation the user can act on (never a bug).

    Raised with a Message; a plain string is English only (kept for callers not yet moved to keys).
    """

    message: Message | None = None

    def __init__(self, said: Message | str = "") -> None:
        super().__init__(str(said))
        if isinstance(said, Message):
            self.message = said

    def text(self, lang: Lang) -> str:
        """The error in `lang` when it has a message key, else its English sentence."""
        return self.message.text(lang) if self.message is not None else str(self)


class UnknownSymbol(DashboardError):
    def __init__(self, symbol: str, where: str | Message | None = None) -> None:
        """`where` is a source's name ("file prices.csv") or a message; the price data by default."""
        super().__init__(message("error_unknown_symbol", symbol=symbol, where=where or message("where_price_data")))
        self.symbol = symbol


class InvalidSymbol(DashboardError):
    def __init__(self, symbol: str) -> None:
        super().__init__(message("error_invalid_symbol", symbol=symbol))
        self.symbol = symbol


class InvalidDate(DashboardError):
    def __init__(self, text: str) -> None:
        super().__init__(message("error_invalid_date", text=text))


class EmptyRange(DashboardError):
    def __init__(self, start: object, end: object) -> None:
        self.start, self.end = start, end
        super().__init__(message("range_empty", start=start, end=end))


class InvalidOutput(DashboardError):
    def __init__(self, name: str) -> None:
        super().__init__(message("error_invalid_output", name=name))


class InvalidTableOutput(DashboardError):
    """`funds --out` names neither a PNG nor an HTML file."""

    def __init__(self, name: str) -> None:
        super().__init__(message("error_invalid_table_output", name=name))


class OutsideData(DashboardError):
    def __init__(self, requested: object, first: object, last: object) -> None:
        """`requested` is a date, or a message such as message("span", start=..., end=...)."""
        super().__init__(message("error_outside_data", requested=requested, first=first, last=last))


class NotEnoughHistory(DashboardError):
    def __init__(self, what: str | Message, needed: int, found: int) -> None:
        super().__init__(message("error_not_enough_history", what=what, needed=needed, found=found))


class MissingClose(DashboardError):
    def __init__(self, symbol: str, session: object) -> None:
        super().__init__(message("error_missing_close", symbol=symbol, session=session))


@dataclass(frozen=True)
class LineError:
    line: int  # 1-based line number in the file, the header being line 1
    message: Message | str  # why the line is refused; a string is English only

    def said(self) -> Message:
        return message("error_line", line=self.line, reason=self.message)

    def __str__(self) -> str:
        return str(self.said())


def listed(items: list, *, limit: int, indent: str = "  ", unlisted: int = 0) -> Joined:
    """One item a line, indented, at most `limit` of them and then how many more (`unlisted`: items
    counted but not given)."""
    shown: list[object] = list(items[:limit])
    if len(items) + unlisted > len(shown):
        shown.append(message("error_more_lines", count=len(items) + unlisted - len(shown)))
    return Joined(
        tuple(f"{indent}{item}" if isinstance(item, str) else Joined((indent, item), "") for item in shown), "\n"
    )


class InvalidPriceFile(DashboardError):
    """A price file with errors; the file is rejected whole and every error is listed."""

    def __init__(self, name: str, errors: list[LineError], *, total: int | None = None) -> None:
        """`total`: how many errors the file has when `errors` holds only the first of them (a long file)."""
        self.name = name
        self.errors = errors
        self.total = len(errors) if total is None else total
        count = message("error_count_one") if self.total == 1 else message("error_count", count=self.total)
        super().__init__(message("error_price_file", name=name, count=count, lines=self.lines()))

    def lines(self) -> Joined:
        """Every bad line (up to MAX_LINES_SHOWN, then a count), one a line."""
        unlisted = self.total - len(self.errors)
        return listed([error.said() for error in self.errors], limit=MAX_LINES_SHOWN, unlisted=unlisted)


class SourceUnavailable(DashboardError):
    """Yahoo (or another provider) could not be reached: says nothing about whether data exists."""

    def __init__(self, source: str, reason: str | Message) -> None:
        super().__init__(message("error_source_unavailable", source=source, reason=reason))
        self.reason = reason


class StoreUnavailable(DashboardError):
    def __init__(self, url: str, reason: str | Message) -> None:
        super().__init__(message("error_store_unavailable", url=url, reason=reason))
        self.reason = reason


class RefreshBusy(DashboardError):
    """Another process held the refresh lock for longer than this one would wait: nothing was fetched."""

    def __init__(self, seconds: float) -> None:
        super().__init__(message("error_refresh_busy", seconds=f"{seconds:g}"))
        self.seconds = seconds


# --- What the price store refuses to write (nothing is written) -------------------------------


class WriteRefused(DashboardError):
    """The access rules ([notes] read_only, editors) refuse a write to the shared price data."""


class InvalidFund(DashboardError):
    """A fund description (name, currency) that cannot be stored; the message names the field."""


class SymbolTaken(DashboardError):
    """An import under a symbol recorded with another kind or currency (an index, a USD fund...)."""


class ClosesWouldChange(DashboardError):
    """An import that would move stored closes by more than the limit; it needs an explicit replace."""

    def __init__(self, name: str, count: int, largest: Message, limit_pct: float) -> None:
        super().__init__(message("error_closes_would_change", name=name, count=count, largest=largest, limit=limit_pct))
        self.count = count


class NothingToUndo(DashboardError):
    def __init__(self, source: str) -> None:
        super().__init__(message("error_nothing_to_undo", source=source))


# --- Notes ------------------------------------------------------------------------------------


class InvalidNote(DashboardError):
    """A note that cannot be saved as written; the message says which field and why."""


class UnknownTag(DashboardError):
    def __init__(self, tag: str, known: list[str]) -> None:
        super().__init__(message("error_unknown_tag", tag=tag, known=", ".join(known)))
        self.tag = tag


class InvalidTag(DashboardError):
    """A tag that cannot be added, renamed or merged as asked."""


class NoteNotFound(DashboardError):
    def __init__(self, note_id: object) -> None:
        super().__init__(message("error_note_not_found", note_id=note_id))


class NoteConflict(DashboardError):
    """Someone saved the note after the editor opened it: nothing was overwritten.

    `mine` is the text that was not saved (a NoteDraft), `theirs` the note as it now stands.
    """

    def __init__(self, mine: object, theirs: object, expected_version: int) -> None:
        self.mine, self.theirs, self.expected_version = mine, theirs, expected_version
        super().__init__(
            message(
                "error_note_conflict",
                author=theirs.author or message("someone"),  # type: ignore[attr-defined]
                at=f"{theirs.updated_at:%Y-%m-%d %H:%M}",  # type: ignore[attr-defined]
                version=theirs.version,  # type: ignore[attr-defined]
                expected=expected_version,
            )
        )


class NotesUnavailable(DashboardError):
    def __init__(self, url: str, reason: str | Message) -> None:
        super().__init__(message("error_notes_unavailable", url=url, reason=reason))
        self.reason = reason


class NotesBusy(DashboardError):
    def __init__(self, seconds: float) -> None:
        super().__init__(message("error_notes_busy", seconds=seconds))


class NotesReadOnly(DashboardError):
    """A write to a read-only notes database ([notes] read_only or NOTES_READ_ONLY): nothing was written."""

    def __init__(self) -> None:
        super().__init__(message("error_notes_read_only"))


class InvalidNotesFile(DashboardError):
    def __init__(self, name: str, problems: list[str | Message]) -> None:
        self.problems = problems
        super().__init__(message("error_notes_file", name=name, lines=listed(problems, limit=MAX_PROBLEMS_SHOWN)))


# --- The weekly report's templates ----------------------------------------------------------


class InvalidTemplate(DashboardError):
    """A weekly-report template that cannot draft the week: the message names the line and the
    problem (lib/report/template.py builds it from Jinja's error), or the file that cannot be read."""


class TemplateNotSaved(DashboardError):
    """A template the notes database refuses to keep (read-only deployment, too long): nothing saved."""
