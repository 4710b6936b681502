"""What the records of a notes file must be before the store takes them: every check of an import.

Two passes, each listing every problem on a line that names its note or tag:
- `shape_problems`: the document's shape and every field's type, and what the tables can hold (an id
  from 1 to a billion, a uid of 32 hex digits as the export writes it, times with a zone within the notes'
  span, each tag once in a note, each uid once in the file, versions numbered 1, 2, 3...);
- `content_problems`: the tags with the store's tag checks (lib.notes.tags) and every version of every
  note with the editor's own checks (lib.notes.model), so an import never stores what the editor would
  refuse or save otherwise (a week that is not a week's last session, a title not on one line).
Values from the file are shown with reprlib: a hostile value (deep, huge, with control characters)
is named in a short, printable form.
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TypeVar

from lib.core import settings
from lib.core.errors import InvalidNote, InvalidTag, UnknownTag
from lib.notes.model import (
    Tag,
    checked_author,
    checked_body,
    checked_title,
    checked_week,
    refuse_too_many_tags,
)
from lib.notes.tags import tag_problems

# An imported note keeps its id when it is free: up to a billion, far more notes than a database holds and
# far from the id columns' 32-bit limit, so the id sequence still goes on after an import.
ID_MAX = 1_000_000_000
TAGS_FILE = "tags.yaml"
_UID = re.compile(r"[0-9a-f]{32}")
_TITLE_SHOWN = 60  # characters of a title that name its note in a problem
_TAG_TEXT = ("key", "label_en", "label_ja", "colour")
T = TypeVar("T")
_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = _SHOWN.maxlong = 70  # a uid (32 digits) shows whole

NOTE_FIELDS = {
    "id": int,
    "uid": str,
    "week": str,
    "title": str,
    "tags": list,
    "author": str,
    "created_at": str,
    "updated_at": str,
    "version": int,
    "body": str,
}
VERSION_FIELDS = {
    "version": int,
    "week": str,
    "title": str,
    "tags": list,
    "author": str,
    "saved_at": str,
    "deleted": bool,
    "body": str,
}


def shown(value: object) -> str:
    """A value from a file, short and printable (control characters escaped, deep or long values cut)."""
    return _SHOWN.repr(value)


def versions(record: dict) -> list[dict]:
    """Every version of a note record, the current one included (last)."""
    current = {
        "version": record["version"],
        "week": record["week"],
        "title": record["title"],
        "tags": list(record["tags"]),
        "author": record["author"],
        "saved_at": record["updated_at"],
        "deleted": record.get("deleted_at") is not None,
        "body": record["body"],
    }
    return [*record.get("history", []), current]


def file_tags(document: dict) -> list[Tag]:
    """The tags of a document whose shape passed."""
    return [Tag(t["key"], t["label_en"], t["label_ja"], t["colour"], t.get("merged_into")) for t in document["tags"]]


# --- Shape ----------------------------------------------------------------------------------------


def shape_problems(document: object) -> list[str]:
    if not isinstance(document, dict) or not isinstance(document.get("notes"), list):
        return ["no 'notes' list: not a notes export"]
    if not isinstance(document.get("tags", []), list):
        return ["'tags' is not a list of tags"]
    found = [problem for t in document.get("tags", []) for problem in _tag_record_problems(t)]
    for number, record in enumerate(document["notes"], start=1):
        found.extend(_note_record_problems(number, record))
    uids = Counter(r["uid"] for r in document["notes"] if isinstance(r, dict) and isinstance(r.get("uid"), str))
    found.extend(f"uid {shown(uid)} is given to {count} notes" for uid, count in uids.items() if count > 1)
    return found


def _tag_record_problems(t: object) -> list[str]:
    if not isinstance(t, dict) or not all(isinstance(t.get(k), str) for k in _TAG_TEXT):
        return [f"tag {shown(t)}: needs key, label_en, label_ja and colour"]
    if not isinstance(t.get("merged_into"), str | None):
        return [f"tag {shown(t['key'])}: merged_into is not a tag key"]
    return []


def _note_record_problems(number: int, record: object) -> list[str]:
    if not isinstance(record, dict):
        return [f"note {number}: not an object"]
    where = note_where(number, record)
    found = [f"{where}: {p}" for p in _field_problems(record, NOTE_FIELDS)]
    if "deleted_at" not in record:
        found.append(f"{where}: deleted_at is missing (null for a note that is not deleted)")
    elif record["deleted_at"] is not None:
        found.extend(f"{where}: {p}" for p in _field_problems(record, {"deleted_at": str}))
    history = record.get("history", [])
    if not isinstance(history, list) or not all(isinstance(version, dict) for version in history):
        return [*found, f"{where}: history is not a list of versions"]
    for version in history:
        at = f"{where}, version {shown(version.get('version', '?'))}"
        found.extend(f"{at}: {p}" for p in _field_problems(version, VERSION_FIELDS))
    if not found:
        numbers = [v["version"] for v in versions(record)]
        if numbers != list(range(1, len(numbers) + 1)):
            found.append(f"{where}: versions {shown(numbers)} should run 1, 2, 3... to the current one")
    return found


def note_where(number: int, record: dict) -> str:
    """A note named by its place in the file and its title (a long title cut short)."""
    title = record.get("title", "?")
    if isinstance(title, str) and len(title) > _TITLE_SHOWN:
        title = title[: _TITLE_SHOWN - 1] + "…"
    return f"note {number} ({title!r})" if isinstance(title, str) else f"note {number} ({shown(title)})"


def _field_problems(record: dict, fields: dict[str, type]) -> list[str]:
    found = []
    for name, kind in fields.items():
        value = record.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            found.append(f"{name} is missing or not a {kind.__name__}")
        else:
            found.extend(_value_problems(name, value))
    return found


def _value_problems(name: str, value: object) -> Iterator[str]:
    """What the tables cannot hold in a field of the right type (the editor's checks come later)."""
    if name == "id" and not 1 <= value <= ID_MAX:  # type: ignore[operator]
        yield f"id {shown(value)} is not between 1 and {ID_MAX:,}"
    elif name == "uid" and not _UID.fullmatch(value):  # type: ignore[arg-type]
        yield f"uid {shown(value)} is not 32 hex digits"
    elif name == "tags":
        if not all(isinstance(key, str) for key in value):  # type: ignore[attr-defined]
            yield "tags is not a list of tag keys"
        elif len(set(value)) != len(value):  # type: ignore[arg-type]
            yield f"tags {shown(value)} name a tag twice"
    elif name == "week":
        try:
            dt.date.fromisoformat(value)  # type: ignore[arg-type]
        except ValueError:
            yield f"{name} {shown(value)} is not a date"
    elif name == "author":
        yield from _author_problems(value)  # type: ignore[arg-type]
    elif name.endswith("_at"):
        yield from _time_problems(name, value)  # type: ignore[arg-type]


def _author_problems(author: str) -> Iterator[str]:
    try:
        clean = checked_author(author)
    except InvalidNote as error:
        yield str(error)
        return
    if clean != author:
        yield f"author {shown(author)} is not on one line with single spaces, 1 to 200 characters"


def _time_problems(name: str, text: str) -> Iterator[str]:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        yield f"{name} {shown(text)} is not a time"
        return
    if moment.utcoffset() is None:
        yield f"{name} {shown(text)} has no time zone (the export writes +00:00)"
        return
    first = dt.datetime.fromisoformat(settings.NOTES_FIRST_WEEK).replace(tzinfo=dt.UTC)
    last = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.NOTE_WEEKS_AHEAD_DAYS)
    if not first <= moment <= last:
        yield f"{name} {shown(text)} is not between {first:%Y-%m-%d} and {last:%Y-%m-%d}"


# --- Content --------------------------------------------------------------------------------------


def content_problems(tags: list[Tag], records: list[dict], stored: list[Tag]) -> list[str]:
    """The file's tags with the store's tag checks (beside the stored vocabulary, which the file's
    tags replace key by key), then every version of every note with the editor's checks."""
    vocabulary = list(({t.key: t for t in stored} | {t.key: t for t in tags}).values())
    found: list[str] = []
    seen: set[str] = set()
    for candidate in tags:
        if candidate.key in seen:
            found.append(f"tag {shown(candidate.key)}: listed twice")
        seen.add(candidate.key)
        found.extend(f"tag {shown(candidate.key)}: {p}" for p in tag_problems(candidate, vocabulary))
    known = {t.key for t in vocabulary}
    unknown = sorted({key for n in records for v in versions(n) for key in v["tags"]} - known)
    if unknown:
        found.append(f"unknown tags {shown(unknown)}: include them in {TAGS_FILE}")
    for number, record in enumerate(records, start=1):
        *history, current = versions(record)
        where = note_where(number, record)
        found.extend(f"{where}: {p}" for p in _editor_problems(current))
        for version in history:
            found.extend(f"{where}, version {version['version']}: {p}" for p in _editor_problems(version))
    return found


def _editor_problems(version: dict) -> list[str]:
    """What the editor would refuse, or save otherwise, in one version of a note. Its checks
    (lib.notes.model) run one by one, so every problem is listed; unknown tags are listed once, apart."""
    found: list[str] = []

    def run(check: Callable[..., T], *args: object) -> T | None:
        try:
            return check(*args)
        except (InvalidNote, InvalidTag, UnknownTag) as error:
            found.append(str(error))
            return None

    week = dt.date.fromisoformat(version["week"])
    week_end = run(checked_week, week)
    if week_end is not None and week_end != week:
        found.append(f"week {week} is not a week's last NYSE session ({week_end})")
    title = run(checked_title, version["title"])
    if title is not None and title != version["title"]:
        found.append(f"title {version['title']!r} is not on one line with single spaces ({title!r})")
    run(checked_body, version["body"])
    run(refuse_too_many_tags, version["tags"])
    return found
