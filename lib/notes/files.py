"""Notes to and from files: one JSON document, or a folder of Markdown files with front matter.

Both carry everything (the vocabulary, every note with its id, uid, times, deletion and every
earlier version), so export -> import into an empty database -> export gives the same files.
Importing is all or nothing: a file with any problem is rejected whole, with every problem listed.
Every version of every note gets the editor's checks and every tag the store's (lib.notes.records
runs them); what the editor would refuse or save otherwise (a week that is not a week's last session,
a title not on one line, a control character) or the tables could not hold (an id of 2^70, a
uid of 300 characters) is a problem, never silently changed, and a file that cannot be read at all
(broken, nested 200,000 deep) is one line, never a traceback. The store writes what passes
(NotesStore.import_notes): this module reads and checks, it never writes a table.
A note already in the database (same uid) is left alone when it holds the same versions, extended
when the file has newer versions on top of the same history, and reported as a conflict otherwise
(nothing is overwritten).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lib.core.errors import InvalidNotesFile
from lib.notes.model import Note, NoteVersion, Tag
from lib.notes.records import TAGS_FILE, content_problems, file_tags, shape_problems, versions
from lib.notes.store import ImportedNote, ImportOutcome, NotesStore

FORMAT = "smallcap-growth-notes"
FORMAT_VERSION = 1
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
# What a file read cannot survive, named in one line: broken JSON or YAML, numbers of more than 4,300
# digits (ValueError), nesting deeper than Python's recursion limit (RecursionError).
_UNREADABLE = (OSError, UnicodeDecodeError, ValueError, RecursionError, yaml.YAMLError)


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
        except _UNREADABLE as error:
            raise InvalidNotesFile(path.name, [f"not a JSON notes export: {_first_line(error)}"]) from None
    problems.extend(shape_problems(document))
    if problems:
        raise InvalidNotesFile(path.name, problems)
    return document


def import_document(store: NotesStore, document: dict) -> ImportReport:
    """Check the document's tags and notes as the editor checks them, then let the store add them in
    one transaction (see the module's rules); InvalidNotesFile lists every problem, nothing stored.
    A read-only store says so first (NotesReadOnly)."""
    store.check_writable()
    problems = shape_problems(document)  # again: a document need not come from read_document
    if not problems:
        problems = content_problems(file_tags(document), document["notes"], store.tags(include_merged=True))
    if problems:
        raise InvalidNotesFile("the import", problems)
    notes = [_imported_note(record) for record in document["notes"]]
    return ImportReport.of(store.import_notes(file_tags(document), notes))


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
        created_at=_utc(record["created_at"]),
        updated_at=_utc(record["updated_at"]),
        version=record["version"],
        deleted_at=_utc(record["deleted_at"]) if record.get("deleted_at") else None,
    )
    history = tuple(
        NoteVersion(
            v["version"],
            dt.date.fromisoformat(v["week"]),
            v["title"],
            v["body"],
            tuple(v["tags"]),
            v["author"],
            _utc(v["saved_at"]),
            v["deleted"],
        )
        for v in versions(record)
    )
    return ImportedNote(current, history)


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


def _utc(text: str) -> dt.datetime:
    """A checked time (with its zone) in UTC, as the store keeps every time."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def _first_line(error: Exception) -> str:
    """Why a file cannot be read, in one line."""
    if isinstance(error, RecursionError):
        return "nested deeper than a notes export can be"
    if isinstance(error, ValueError) and not isinstance(error, json.JSONDecodeError | UnicodeDecodeError):
        return "it holds a number of more than 4,300 digits"  # Python's limit on reading a long integer
    return (str(error).splitlines() or [type(error).__name__])[0]


# --- Reading files --------------------------------------------------------------------------------


def _read_markdown_folder(folder: Path, problems: list[str]) -> dict:
    tags_path = folder / TAGS_FILE
    tags = []
    if tags_path.exists():
        try:
            tags = yaml.safe_load(tags_path.read_text(encoding="utf-8")) or []
        except _UNREADABLE as error:
            problems.append(f"{TAGS_FILE}: cannot be read ({_first_line(error)})")
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
    except _UNREADABLE as error:
        problems.append(f"{path.name}: the front matter is not valid YAML ({_first_line(error)})")
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
