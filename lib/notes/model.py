"""Research notes: what a note and a tag are, how a draft is checked, how text is searched and shown.

Pure functions and frozen values; the database is in lib.notes.store, files in lib.notes.files.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from lib.core import calendar, settings
from lib.core.errors import InvalidDate, InvalidNote, UnknownTag
from lib.core.i18n import message
from lib.core.types import DemoFilter, Lang, TagMatch

DEMO_AUTHOR = "demo"  # the author of the demo notes (config/demo_notes.toml): they go with demo prices only


@dataclass(frozen=True)
class Tag:
    key: str
    label_en: str
    label_ja: str
    colour: str  # "#rrggbb"
    merged_into: str | None = None  # the key it was merged into; a merged tag is kept for history

    def label(self, lang: Lang) -> str:
        return self.label_ja if lang == "ja" else self.label_en


@dataclass(frozen=True)
class NoteDraft:
    """A checked note as the editor or the command line hands it over (see `make_draft`)."""

    week: dt.date  # the last NYSE session of the note's week
    title: str
    body: str  # Markdown, kept exactly as written
    tags: tuple[str, ...]  # tag keys, in the order given


@dataclass(frozen=True)
class Note:
    id: int
    uid: str  # stable across databases: exports and imports match notes by it
    week: dt.date
    title: str
    body: str
    tags: tuple[str, ...]
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    deleted_at: dt.datetime | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def draft(self) -> NoteDraft:
        return NoteDraft(self.week, self.title, self.body, self.tags)


@dataclass(frozen=True)
class NoteVersion:
    """One saved state of a note; every save, delete and restore adds one."""

    version: int
    week: dt.date
    title: str
    body: str
    tags: tuple[str, ...]
    author: str
    saved_at: dt.datetime
    deleted: bool


@dataclass(frozen=True)
class NoteQuery:
    tags: tuple[str, ...] = ()  # keys
    match: TagMatch = "any"
    search: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    include_deleted: bool = False
    demo: DemoFilter = "include"  # the demo notes (author DEMO_AUTHOR); see `demo_filter`


def demo_filter(*, demo_prices: bool) -> DemoFilter:
    """Which notes go beside a set of prices: the demo notes with demo prices only, so none is ever
    drawn on a real chart, listed beside real data or written into a real draft."""
    return "include" if demo_prices else "exclude"


def week_of(day: object) -> dt.date:
    """The NYSE week a day belongs to, as that week's last session (a Saturday belongs to its
    Monday-Friday week); raises InvalidNote outside the calendar the app knows."""
    try:
        stamp = calendar.parse_date(day)
    except InvalidDate as error:
        raise InvalidNote(message("note_bad_week", problem=error.message)) from None
    first = pd.Timestamp(settings.NOTES_FIRST_WEEK)
    week_end = calendar.week_end_sessions(pd.DatetimeIndex([stamp]))[0] if stamp >= first else pd.NaT
    if pd.isna(week_end):
        raise InvalidNote(message("note_week_outside", day=stamp.date()))
    return week_end.date()


def make_draft(
    week: object, title: str, body: str, tags: list[str] | tuple[str, ...], vocabulary: list[Tag]
) -> NoteDraft:
    """Check a note as typed; `tags` may be keys or labels in either language. Raises with a message
    naming the field. An import applies the same checks one by one (lib.notes.files)."""
    return NoteDraft(week_of(week), checked_title(title), checked_body(body), checked_tags(tags, vocabulary))


def checked_title(title: str) -> str:
    """The title on one line (newlines and runs of spaces collapse); InvalidNote when it is empty, too
    long or holds a NUL character."""
    clean_title = " ".join((title or "").split())
    if not clean_title:
        raise InvalidNote(message("note_title_empty"))
    if len(clean_title) > settings.NOTE_TITLE_MAX_CHARS:
        raise InvalidNote(message("note_title_long", length=len(clean_title), limit=settings.NOTE_TITLE_MAX_CHARS))
    _refuse_nul(clean_title)
    return clean_title


def checked_body(body: str) -> str:
    """The body exactly as written; InvalidNote when it is too long or holds a NUL character."""
    body = body or ""
    if len(body) > settings.NOTE_BODY_MAX_CHARS:
        raise InvalidNote(message("note_body_long", length=len(body), limit=settings.NOTE_BODY_MAX_CHARS))
    _refuse_nul(body)
    return body


def checked_tags(tags: list[str] | tuple[str, ...], vocabulary: list[Tag]) -> tuple[str, ...]:
    """The tags' keys in the order given, each once; UnknownTag or InvalidNote (too many)."""
    keys = tuple(dict.fromkeys(resolve_tag(tag, vocabulary).key for tag in tags))
    if len(keys) > settings.NOTE_TAGS_MAX:
        raise InvalidNote(message("note_too_many_tags", count=len(keys), limit=settings.NOTE_TAGS_MAX))
    return keys


def _refuse_nul(text: str) -> None:
    if "\x00" in text:
        raise InvalidNote(message("note_nul"))


def resolve_tag(text: str, vocabulary: list[Tag]) -> Tag:
    """The tag named by its key or its English or Japanese label (case and width ignored); a merged
    tag resolves to the tag it was merged into."""
    wanted = normalize(text).strip()
    by_key = {tag.key: tag for tag in vocabulary}
    for tag in vocabulary:
        if wanted in (tag.key, normalize(tag.label_en), normalize(tag.label_ja)):
            while tag.merged_into and tag.merged_into in by_key:
                tag = by_key[tag.merged_into]
            return tag
    raise UnknownTag(text, [tag.label_en for tag in vocabulary if tag.merged_into is None])


def tag_key(label_en: str) -> str:
    """A key from an English label: 'Rates/Fed' -> 'rates-fed'; non-ASCII labels keep their letters."""
    key = re.sub(r"[^\w]+", "-", normalize(label_en)).strip("-")
    return key[:60]


# --- Search ------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """The form text is searched in: NFKC (full-width letters and digits, half-width katakana and
    the ideographic space become their usual forms) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_terms(text: str) -> list[str]:
    """Whitespace-separated terms, all of which must match. Japanese is written without spaces, so
    each term matches as a substring."""
    # e.g. 『信用不安』 finds 「…信用不安が広がり…」
    return [term for term in normalize(text or "").split() if term]


def searchable(title: str, body: str) -> str:
    return normalize(f"{title}\n{body}")


# --- Showing a note ------------------------------------------------------------------------------

# A link target with a scheme other than http(s) or mailto, inline `](x:...)` or as a reference `[r]: x:...`.
_UNSAFE_LINK = re.compile(
    r"(\]\(\s*|^\s{0,3}\[[^\]]+\]:\s*)(?!https?:|mailto:)([a-z][a-z0-9+.-]*):", re.IGNORECASE | re.MULTILINE
)


def safe_markdown(body: str) -> str:
    """The body as Markdown that can only be read, never run.

    Raw HTML is turned into text (`<` is escaped, so a tag shows as typed), links may only go to
    http(s) or mailto (javascript:, data: and other schemes lose their link), and `$` is escaped so
    prices like $5 are not read as formulas. Streamlit's st.markdown also refuses raw HTML; this
    does not rely on it.
    """
    text = body.replace("<", "&lt;")
    text = re.sub(r"(?<!\\)\$", r"\\$", text)
    return _UNSAFE_LINK.sub(r"\1#blocked-\2:", text)


def preview(body: str, *, lines: int = 2, width: int = 240) -> str:
    """The first lines of a body as plain text, for the result list."""
    kept = []
    for line in body.splitlines():
        plain = re.sub(r"^\s*(#+|[-*+>]|\d+\.)\s*", "", line).strip()
        plain = re.sub(r"[*_`]+", "", plain)
        if plain:
            kept.append(plain)
        if len(kept) == lines:
            break
    text = " / ".join(kept)
    return text if len(text) <= width else text[: width - 1] + "…"
