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
from lib.core.errors import InvalidDate, InvalidNote, InvalidTag, UnknownTag
from lib.core.i18n import Message, message
from lib.core.types import DemoFilter, Lang, TagMatch

DEMO_AUTHOR = "demo"  # the author of the demo notes (config/demo_notes.toml): they go with demo prices only
AUTHOR_MAX_CHARS = 200  # the note table's author column
# Characters no note text may hold: C0 controls but tab, line feed and carriage return, DEL, C1 controls
# (ESC and CSI start terminal escapes), and unpaired surrogates (not characters at all: damaged text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


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
    except (ValueError, OverflowError):  # a real date beyond what pandas holds, e.g. 9999-12-31
        raise InvalidNote(message("note_week_outside", day=str(day))) from None
    first = pd.Timestamp(settings.NOTES_FIRST_WEEK)
    week_end = calendar.week_end_sessions(pd.DatetimeIndex([stamp]))[0] if stamp >= first else pd.NaT
    if pd.isna(week_end):
        raise InvalidNote(message("note_week_outside", day=stamp.date()))
    return week_end.date()


def checked_week(day: object, *, today: dt.date | None = None) -> dt.date:
    """The week a note is written for: `week_of`, and no more than NOTE_WEEKS_AHEAD_DAYS after
    `today` (UTC by default), so a mistyped year cannot hide a note far in the future."""
    week = week_of(day)
    latest = (today or dt.datetime.now(dt.UTC).date()) + dt.timedelta(days=settings.NOTE_WEEKS_AHEAD_DAYS)
    if week > latest:
        raise InvalidNote(message("note_week_ahead", week=week, latest=latest))
    return week


def make_draft(
    week: object,
    title: str,
    body: str,
    tags: list[str] | tuple[str, ...],
    vocabulary: list[Tag],
    *,
    today: dt.date | None = None,
) -> NoteDraft:
    """Check a note as typed; `tags` may be keys or labels in either language. Raises with a message
    naming the field. An import applies the same checks one by one (lib.notes.files)."""
    return NoteDraft(
        checked_week(week, today=today), checked_title(title), checked_body(body), checked_tags(tags, vocabulary)
    )


def checked_title(title: str) -> str:
    """The title on one line (tabs, newlines and runs of spaces collapse to one space); InvalidNote
    when it is empty, too long or holds any other control character (see `refuse_control`)."""
    refuse_control(title or "", message("field_title"))
    clean_title = " ".join((title or "").split())
    if not clean_title:
        raise InvalidNote(message("note_title_empty"))
    if len(clean_title) > settings.NOTE_TITLE_MAX_CHARS:
        raise InvalidNote(message("note_title_long", length=len(clean_title), limit=settings.NOTE_TITLE_MAX_CHARS))
    return clean_title


def checked_body(body: str) -> str:
    """The body exactly as written; InvalidNote when it is too long or holds a control character
    other than tab, line feed and carriage return."""
    body = body or ""
    if len(body) > settings.NOTE_BODY_MAX_CHARS:
        raise InvalidNote(message("note_body_long", length=len(body), limit=settings.NOTE_BODY_MAX_CHARS))
    refuse_control(body, message("field_body"))
    return body


def checked_author(name: str) -> str:
    """The author as every version keeps it: on one line, at most AUTHOR_MAX_CHARS characters (cut),
    "unknown" when empty; InvalidNote when it holds a control character."""
    refuse_control(name or "", message("field_author"))
    return " ".join((name or "").split())[:AUTHOR_MAX_CHARS] or "unknown"


def refuse_control(text: str, field: Message) -> None:
    """InvalidNote when `text` holds a character no note text may hold (see `control_problem`)."""
    problem = control_problem(text, field)
    if problem is not None:
        raise InvalidNote(problem)


def control_problem(text: str, field: Message) -> Message | None:
    """Why `text` cannot be stored, naming `field` and the first character no note text may hold (C0
    controls but tab, line feed and carriage return, DEL, C1, unpaired surrogates; a NUL has its own
    message): such a character can rewrite a terminal that prints the note, or hide text."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    character, position = found.group(), found.start() + 1
    if character == "\x00":
        return message("note_nul")
    key = "note_surrogate" if "\ud800" <= character <= "\udfff" else "note_control"
    return message(key, field=field, code=f"U+{ord(character):04X}", position=position)


def checked_tags(tags: list[str] | tuple[str, ...], vocabulary: list[Tag]) -> tuple[str, ...]:
    """The tags' keys in the order given, each once; UnknownTag or InvalidNote (too many)."""
    keys = tuple(dict.fromkeys(resolve_tag(tag, vocabulary).key for tag in tags))
    refuse_too_many_tags(keys)
    return keys


def refuse_too_many_tags(keys: tuple[str, ...] | list[str]) -> None:
    if len(keys) > settings.NOTE_TAGS_MAX:
        raise InvalidNote(message("note_too_many_tags", count=len(keys), limit=settings.NOTE_TAGS_MAX))


def resolve_tag(text: str, vocabulary: list[Tag]) -> Tag:
    """The tag named by its key or its English or Japanese label (case and width ignored); a merged
    tag resolves to the tag it was merged into."""
    wanted = normalize(text).strip()
    for tag in vocabulary:
        if wanted in (tag.key, normalize(tag.label_en), normalize(tag.label_ja)):
            return successor(tag, vocabulary)
    raise UnknownTag(text, [tag.label_en for tag in vocabulary if tag.merged_into is None])


def successor(tag: Tag, vocabulary: list[Tag]) -> Tag:
    """The tag in use at the end of `tag`'s chain of merges (`tag` itself when it is in use)."""
    by_key = {t.key: t for t in vocabulary}
    return by_key[end_of_merges(tag.key, {t.key: t.merged_into for t in vocabulary})]


def end_of_merges(key: str, merges: dict[str, str | None]) -> str:
    """The key at the end of `key`'s chain of merges (`merges`: each key and the key it was merged
    into, None for a tag in use). The store never writes a loop; should a damaged database hold
    one, the walk stops at the first key seen twice with InvalidTag instead of running forever."""
    chain = [key]
    while merges.get(key) is not None and merges[key] in merges:
        key = merges[key]  # type: ignore[assignment]
        if key in chain:
            raise InvalidTag(message("tag_merge_loop", chain=" → ".join([*chain, key])))
        chain.append(key)
    return key


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


def safe_markdown(body: str) -> str:
    """The body as Markdown that can only be read, never run, and that fetches nothing.

    Raw HTML is turned into text (`<` is escaped, so a tag shows as typed), links may only go to
    http(s) or mailto (javascript:, data: and other schemes lose their link, however the link is
    written: in a blockquote or a list, by reference, with the scheme as an entity), an image is
    shown as a link with its alt text, and `$` is escaped so prices like $5 are not read as
    formulas. markdown-it finds the links (lib.notes.markdown); Streamlit's st.markdown also
    refuses raw HTML and unsafe links, and this does not rely on it.
    """
    from lib.notes import markdown  # markdown-it loads only where a note is shown, not for the CLI

    return markdown.safe_markdown(body)


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
