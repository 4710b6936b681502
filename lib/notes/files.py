"""Notes to and from files: one JSON document, or a folder of Markdown files with front matter.

Both carry everything (the vocabulary, every note with its id, uid, times, deletion and every
earlier version), so export -> import into an empty database -> export gives the same files.
Importing is all or nothing: a file with any problem is rejected whole, with every problem listed.
Every version of every note gets the editor's checks (lib.notes.model) and every tag the store's
(lib.notes.store.tag_problems); what the editor would refuse or save otherwise (a week that is not a
week's last session, a title not on one line) is a problem, never silently changed. The store
writes what passes (NotesStore.import_notes): this module reads and checks, it never writes a table.
A note already in the database (same uid) is left alone when it holds the same versions, extended
when the file has newer versions on top of the same history, and reported as a conflict otherwise
(nothing is overwritten).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from lib.core.errors import InvalidNote, InvalidNotesFile, UnknownTag
from lib.notes.model import Note, NoteVersion, Tag, checked_body, checked_tags, checked_title, week_of
from lib.notes.store import ImportedNote, ImportOutcome, NotesStore, tag_problems

FORMAT = "smallcap-growth-notes"
FORMAT_VERSION = 1
TAGS_FILE = "tags.yaml"
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_TITLE_SHOWN = 60  # characters of a title that name its note in a problem
T = TypeVar("T")


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)  # titles
    extended: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    tags_added: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.extended)} updated", f"{self.unchanged} already there"]
        if self.tags_added:
            parts.append(f"tags added: {', '.join(self.tags_added)}")
        text = ", ".join(parts)
        if self.conflicts:
            text += "; not imported because the database holds a different history: " + "; ".join(self.conflicts)
        return text

    @classmethod
    def of(cls, outcome: ImportOutcome) -> ImportReport:
        return cls(
            added=[n.title for n in outcome.added],
            extended=[n.title for n in outcome.extended],
            unchanged=len(outcome.unchanged),
            conflicts=[f"{n.title!r} (uid {n.uid})" for n in outcome.conflicts],
            tags_added=[t.label_en for t in outcome.tags_added],
        )


# --- Export ---------------------------------------------------------------------------------------


def export_document(store: NotesStore, *, now: dt.datetime) -> dict:
    """Everything in the database as one JSON-ready document."""
    from lib.notes.model import NoteQuery

    notes = sorted(store.find(NoteQuery(include_deleted=True)), key=lambda n: n.id)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now.isoformat(),
        "tags": [_tag_record(t) for t in store.tags(include_merged=True)],
        "notes": [_note_record(n, store.history(n.id)) for n in notes],
    }


def write_json(document: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_markdown(document: dict, folder: Path) -> list[Path]:
    """tags.yaml and one NNNN-week-title.md per note; the body follows the front matter untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TAGS_FILE).write_text(_yaml(document["tags"]), encoding="utf-8", newline="")
    written = []
    for record in document["notes"]:
        front = {key: value for key, value in record.items() if key != "body"}
        path = folder / f"{record['id']:05d}-{record['week']}-{_slug(record['title'])}.md"
        path.write_text(f"---\n{_yaml(front)}---\n{record['body']}", encoding="utf-8", newline="")
        written.append(path)
    return written


# --- Import ---------------------------------------------------------------------------------------


def read_document(path: Path) -> dict:
    """A JSON export, a folder of Markdown files (with its tags.yaml) or a single Markdown file."""
    problems: list[str] = []
    if path.is_dir():
        document = _read_markdown_folder(path, problems)
    elif path.suffix.lower() in (".md", ".markdown"):
        document = {"tags": [], "notes": [_read_markdown(path, problems)]}
    else:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InvalidNotesFile(path.name, [f"not a JSON notes export: {error}"]) from None
    _check_document(document, problems)
    if problems:
        raise InvalidNotesFile(path.name, problems)
    return document


def import_document(store: NotesStore, document: dict) -> ImportReport:
    """Check the document's tags and notes as the editor checks them, then let the store add them in
    one transaction (see the module's rules); InvalidNotesFile lists every problem, nothing stored."""
    problems: list[str] = []
    _check_document(document, problems)  # again: a document need not come from read_document
    if problems:
        raise InvalidNotesFile("the import", problems)
    tags = [
        Tag(t["key"], t["label_en"], t["label_ja"], t["colour"], t.get("merged_into")) for t in document.get("tags", [])
    ]
    vocabulary = _check_tags(tags, store.tags(include_merged=True), problems)
    _check_notes(document["notes"], vocabulary, problems)
    if problems:
        raise InvalidNotesFile("the import", problems)
    return ImportReport.of(store.import_notes(tags, [_imported_note(record) for record in document["notes"]]))


def _check_tags(tags: list[Tag], stored: list[Tag], problems: list[str]) -> list[Tag]:
    """Check the file's tags with the store's tag checks; returns the vocabulary after the import (the
    file's tags replace the stored ones with the same key)."""
    vocabulary = list(({t.key: t for t in stored} | {t.key: t for t in tags}).values())
    seen: set[str] = set()
    for candidate in tags:
        if candidate.key in seen:
            problems.append(f"tag {candidate.key!r}: listed twice")
        seen.add(candidate.key)
        problems.extend(f"tag {candidate.key!r}: {p}" for p in tag_problems(candidate, vocabulary))
    return vocabulary


def _check_notes(records: list[dict], vocabulary: list[Tag], problems: list[str]) -> None:
    known = {t.key for t in vocabulary}
    unknown = sorted({key for n in records for v in _versions(n) for key in v["tags"]} - known)
    if unknown:
        problems.append(f"unknown tags {unknown}: include them in {TAGS_FILE}")
    for number, record in enumerate(records, start=1):
        *history, current = _versions(record)
        where = _where(number, record)
        problems.extend(f"{where}: {p}" for p in _editor_problems(current, vocabulary, known))
        for version in history:
            found = _editor_problems(version, vocabulary, known)
            problems.extend(f"{where}, version {version['version']}: {p}" for p in found)


def _editor_problems(version: dict, vocabulary: list[Tag], known: set[str]) -> list[str]:
    """What the editor would refuse, or save otherwise, in one version of a note. Its checks
    (lib.notes.model) run one by one, so every problem is listed; unknown tags are listed once, apart."""
    found: list[str] = []

    def run(check: Callable[..., T], *args: object) -> T | None:
        try:
            return check(*args)
        except (InvalidNote, UnknownTag) as error:
            found.append(str(error))
            return None

    week = dt.date.fromisoformat(version["week"])
    week_end = run(week_of, week)
    if week_end is not None and week_end != week:
        found.append(f"week {week} is not a week's last NYSE session ({week_end})")
    title = run(checked_title, version["title"])
    if title is not None and title != version["title"]:
        found.append(f"title {version['title']!r} is not on one line with single spaces ({title!r})")
    run(checked_body, version["body"])
    run(checked_tags, [key for key in version["tags"] if key in known], vocabulary)
    return found


def _imported_note(record: dict) -> ImportedNote:
    """A checked note record as values: its current state and every version, oldest first."""
    current = Note(
        id=record["id"],
        uid=record["uid"],
        week=dt.date.fromisoformat(record["week"]),
        title=record["title"],
        body=record["body"],
        tags=tuple(record["tags"]),
        author=record["author"],
        created_at=dt.datetime.fromisoformat(record["created_at"]),
        updated_at=dt.datetime.fromisoformat(record["updated_at"]),
        version=record["version"],
        deleted_at=dt.datetime.fromisoformat(record["deleted_at"]) if record.get("deleted_at") else None,
    )
    versions = tuple(
        NoteVersion(
            v["version"],
            dt.date.fromisoformat(v["week"]),
            v["title"],
            v["body"],
            tuple(v["tags"]),
            v["author"],
            dt.datetime.fromisoformat(v["saved_at"]),
            v["deleted"],
        )
        for v in _versions(record)
    )
    return ImportedNote(current, versions)


# --- Records --------------------------------------------------------------------------------------


def _tag_record(t: Tag) -> dict:
    return {
        "key": t.key,
        "label_en": t.label_en,
        "label_ja": t.label_ja,
        "colour": t.colour,
        "merged_into": t.merged_into,
    }


def _note_record(n: Note, history: list[NoteVersion]) -> dict:
    """A note's current state, and in `history` every version before it (oldest first)."""
    return {
        "id": n.id,
        "uid": n.uid,
        "week": n.week.isoformat(),
        "title": n.title,
        "tags": list(n.tags),
        "author": n.author,
        "created_at": n.created_at.isoformat(),
        "updated_at": n.updated_at.isoformat(),
        "version": n.version,
        "deleted_at": n.deleted_at.isoformat() if n.deleted_at else None,
        "history": [_version_record(v) for v in sorted(history, key=lambda v: v.version) if v.version != n.version],
        "body": n.body,
    }


def _version_record(v: NoteVersion) -> dict:
    return {
        "version": v.version,
        "week": v.week.isoformat(),
        "title": v.title,
        "tags": list(v.tags),
        "author": v.author,
        "saved_at": v.saved_at.isoformat(),
        "deleted": v.deleted,
        "body": v.body,
    }


def _versions(record: dict) -> list[dict]:
    """Every version of a note record, the current one included."""
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


# --- Checks and file details ----------------------------------------------------------------------

_NOTE_FIELDS = {
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
_VERSION_FIELDS = {
    "version": int,
    "week": str,
    "title": str,
    "tags": list,
    "author": str,
    "saved_at": str,
    "deleted": bool,
    "body": str,
}


def _check_document(document: object, problems: list[str]) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("notes"), list):
        problems.append("no 'notes' list: not a notes export")
        return
    if not isinstance(document.get("tags", []), list):
        problems.append("'tags' is not a list of tags")
        return
    for t in document.get("tags", []):
        if not isinstance(t, dict) or not all(
            isinstance(t.get(k), str) for k in ("key", "label_en", "label_ja", "colour")
        ):
            problems.append(f"tag {t!r}: needs key, label_en, label_ja and colour")
        elif not isinstance(t.get("merged_into"), str | None):
            problems.append(f"tag {t['key']!r}: merged_into is not a tag key")
    for number, record in enumerate(document["notes"], start=1):
        if not isinstance(record, dict):
            problems.append(f"note {number}: not an object")
            continue
        where = _where(number, record)
        problems.extend(f"{where}: {p}" for p in _field_problems(record, _NOTE_FIELDS))
        if record.get("deleted_at") is not None:
            problems.extend(f"{where}: {p}" for p in _field_problems(record, {"deleted_at": str}))
        if not isinstance(record.get("history", []), list) or not all(
            isinstance(version, dict) for version in record.get("history", [])
        ):
            problems.append(f"{where}: history is not a list of versions")
            continue
        for version in record.get("history", []):
            problems.extend(
                f"{where}, version {version.get('version', '?')}: {p}"
                for p in _field_problems(version, _VERSION_FIELDS)
            )
        if not problems:
            numbers = [v["version"] for v in _versions(record)]
            if numbers != list(range(1, len(numbers) + 1)):
                problems.append(f"{where}: versions {numbers} should run 1, 2, 3... to the current one")


def _where(number: int, record: dict) -> str:
    """A note named by its place in the file and its title (a long title cut short)."""
    title = record.get("title", "?")
    if isinstance(title, str) and len(title) > _TITLE_SHOWN:
        title = title[: _TITLE_SHOWN - 1] + "…"
    return f"note {number} ({title!r})"


def _field_problems(record: dict, fields: dict[str, type]) -> list[str]:
    found = []
    for name, kind in fields.items():
        value = record.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            found.append(f"{name} is missing or not a {kind.__name__}")
        elif name == "tags" and not all(isinstance(key, str) for key in value):
            found.append("tags is not a list of tag keys")
        elif name in ("week",):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                found.append(f"{name} {value!r} is not a date")
        elif name.endswith("_at"):
            try:
                dt.datetime.fromisoformat(value)
            except ValueError:
                found.append(f"{name} {value!r} is not a time")
    return found


def _read_markdown_folder(folder: Path, problems: list[str]) -> dict:
    tags_path = folder / TAGS_FILE
    tags = []
    if tags_path.exists():
        try:
            tags = yaml.safe_load(tags_path.read_text(encoding="utf-8")) or []
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            problems.append(f"{TAGS_FILE}: {error}")
    notes = [_read_markdown(path, problems) for path in sorted(folder.glob("*.md"))]
    return {"tags": tags, "notes": notes}


def _read_markdown(path: Path, problems: list[str]) -> dict:
    try:
        with path.open(encoding="utf-8", newline="") as handle:  # a body's \r\n stays \r\n
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{path.name}: cannot be read ({error})")
        return {}
    match = _FRONT.match(text)
    if not match:
        problems.append(f"{path.name}: no front matter (a '---' block at the top)")
        return {}
    try:
        front = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        problems.append(f"{path.name}: the front matter is not valid YAML ({str(error).splitlines()[0]})")
        return {}
    if not isinstance(front, dict):
        problems.append(f"{path.name}: the front matter is not a set of fields")
        return {}
    return {**front, "body": text[match.end() :]}


def _yaml(value: object) -> str:
    # Block style, Unicode as is; strings that look like dates or numbers are quoted by PyYAML, so
    # they come back as strings.
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000)


def _slug(title: str) -> str:
    slug = re.sub(r"[^\w]+", "-", title.casefold()).strip("-")
    return slug[:40] or "note"
