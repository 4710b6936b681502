"""Notes to and from files: one JSON document, or a folder of Markdown files with front matter.

Both carry everything (the vocabulary, every note with its id, uid, times, deletion and every
earlier version), so export -> import into an empty database -> export gives the same files.
Importing is all or nothing: a file with any problem is rejected whole, with every problem listed.
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

import sqlalchemy as sa
import yaml

from lib.core.errors import InvalidNotesFile
from lib.notes.model import Note, NoteVersion, Tag, searchable
from lib.notes.schema import note, note_version, tag
from lib.notes.store import NotesStore, version_of_row, write_tags

FORMAT = "smallcap-growth-notes"
FORMAT_VERSION = 1
TAGS_FILE = "tags.yaml"
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


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
    """Add the document's tags and notes in one transaction (see the module's rules)."""
    vocabulary = {t.key for t in store.tags(include_merged=True)}
    known = vocabulary | {record["key"] for record in document["tags"]}
    unknown = sorted({key for n in document["notes"] for v in _versions(n) for key in v["tags"]} - known)
    if unknown:
        raise InvalidNotesFile("the import", [f"unknown tags {unknown}: include them in {TAGS_FILE}"])

    def work(connection: sa.Connection) -> ImportReport:
        report = ImportReport()
        for record in document["tags"]:
            values = {k: record.get(k) for k in ("key", "label_en", "label_ja", "colour", "merged_into")}
            if record["key"] not in vocabulary:
                connection.execute(tag.insert().values(**values))
                report.tags_added.append(record["label_en"])
            else:  # the file's labels, colour and merges win: it is the vocabulary the notes were written with
                connection.execute(tag.update().where(tag.c.key == record["key"]).values(**values))
        for record in document["notes"]:
            _import_note(connection, record, report)
        if connection.dialect.name == "postgresql":  # explicit ids leave the id sequence behind
            connection.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('note', 'id'), (SELECT max(id) FROM note))")
            )
        return report

    return store.write(work)


def _import_note(connection: sa.Connection, record: dict, report: ImportReport) -> None:
    history = sorted(_versions(record), key=lambda v: v["version"])
    existing = connection.execute(sa.select(note.c.id, note.c.version).where(note.c.uid == record["uid"])).first()
    if existing is None:
        id_taken = connection.execute(sa.select(note.c.id).where(note.c.id == record["id"])).first()
        values = _note_values(record)
        if id_taken:
            values.pop("id")
        note_id = connection.execute(note.insert().values(**values)).inserted_primary_key[0]
        _insert_versions(connection, note_id, history)
        report.added.append(record["title"])
    else:
        note_id = existing.id
        stored = [_version_record(v) for v in _stored_versions(connection, note_id)]
        if stored == history[: len(stored)] and len(history) >= len(stored):
            if len(history) == len(stored):
                report.unchanged += 1
                return
            connection.execute(
                note.update()
                .where(note.c.id == note_id)
                .values(**{k: v for k, v in _note_values(record).items() if k not in ("id", "uid")})
            )
            _insert_versions(connection, note_id, history[len(stored) :])
            report.extended.append(record["title"])
        else:
            report.conflicts.append(f"{record['title']!r} (uid {record['uid']})")
            return
    write_tags(connection, note_id, tuple(record["tags"]))


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
        "deleted": record["deleted_at"] is not None,
        "body": record["body"],
    }
    return [*record.get("history", []), current]


def _stored_versions(connection: sa.Connection, note_id: int) -> list[NoteVersion]:
    rows = connection.execute(
        sa.select(note_version).where(note_version.c.note_id == note_id).order_by(note_version.c.version)
    )
    return [version_of_row(row) for row in rows]


def _note_values(record: dict) -> dict:
    return {
        "id": record["id"],
        "uid": record["uid"],
        "week": dt.date.fromisoformat(record["week"]),
        "title": record["title"],
        "body": record["body"],
        "author": record["author"],
        "created_at": dt.datetime.fromisoformat(record["created_at"]),
        "updated_at": dt.datetime.fromisoformat(record["updated_at"]),
        "version": record["version"],
        "deleted_at": dt.datetime.fromisoformat(record["deleted_at"]) if record["deleted_at"] else None,
        "search_text": searchable(record["title"], record["body"]),
    }


def _insert_versions(connection: sa.Connection, note_id: int, versions: list[dict]) -> None:
    connection.execute(
        note_version.insert(),
        [
            {
                "note_id": note_id,
                "version": v["version"],
                "week": dt.date.fromisoformat(v["week"]),
                "title": v["title"],
                "body": v["body"],
                "tags": json.dumps(v["tags"]),
                "author": v["author"],
                "saved_at": dt.datetime.fromisoformat(v["saved_at"]),
                "deleted": v["deleted"],
            }
            for v in versions
        ],
    )


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
    for t in document.get("tags", []):
        if not isinstance(t, dict) or not all(
            isinstance(t.get(k), str) for k in ("key", "label_en", "label_ja", "colour")
        ):
            problems.append(f"tag {t!r}: needs key, label_en, label_ja and colour")
    for number, record in enumerate(document["notes"], start=1):
        where = f"note {number} ({record.get('title', '?')!r})" if isinstance(record, dict) else f"note {number}"
        if not isinstance(record, dict):
            problems.append(f"{where}: not an object")
            continue
        problems.extend(f"{where}: {p}" for p in _field_problems(record, _NOTE_FIELDS))
        for version in record.get("history", []):
            problems.extend(
                f"{where}, version {version.get('version', '?')}: {p}"
                for p in _field_problems(version, _VERSION_FIELDS)
            )
        if not problems:
            numbers = [v["version"] for v in _versions(record)]
            if numbers != list(range(1, len(numbers) + 1)):
                problems.append(f"{where}: versions {numbers} should run 1, 2, 3... to the current one")


def _field_problems(record: dict, fields: dict[str, type]) -> list[str]:
    found = []
    for name, kind in fields.items():
        value = record.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            found.append(f"{name} is missing or not a {kind.__name__}")
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
