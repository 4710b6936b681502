"""`python -m lib.cli notes add | list | export | import` (README, "Notes from the command line").

The database is $NOTES_DATABASE_URL when set, else the app's setting (lib.core.settings.notes_database_url).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lib.cli.terminal import json_text
from lib.core import settings
from lib.core.errors import InvalidNote
from lib.core.i18n import message
from lib.notes.model import Note, NoteQuery, make_draft, preview, resolve_tag, week_of
from lib.notes.store import NotesStore

if TYPE_CHECKING:
    from lib.data.yahoo import Fetcher


def run(args: argparse.Namespace, now: dt.datetime, fetcher: Fetcher) -> int:
    """The `notes` action asked for (prices, and so `fetcher`, play no part)."""
    store = NotesStore(settings.notes_database_url())
    try:
        if args.action == "add":
            return _add(store, args)
        if args.action == "list":
            return _list(store, args)
        if args.action == "export":
            return _export(store, args, now)
        return _import(store, args)
    finally:
        store.close()


def _add(store: NotesStore, args: argparse.Namespace) -> int:
    store.check_writable()  # a read-only deployment says so before any other check (the store refuses anyway)
    body = args.body if args.body is not None else _read_body(args.body_file)
    draft = make_draft(args.week, args.title, body, args.tag, store.tags(include_merged=True))
    note = store.add(draft, author=args.author or os.environ.get("NOTES_AUTHOR") or getpass.getuser())
    print(f"added note {note.id} for the week ending {note.week}")
    return 0


def _list(store: NotesStore, args: argparse.Namespace) -> int:
    vocabulary = store.tags(include_merged=True)
    query = NoteQuery(
        tags=tuple(resolve_tag(tag, vocabulary).key for tag in args.tag),
        match="all" if args.all_tags else "any",
        search=args.search,
        start=week_of(args.start) if args.start else None,
        end=week_of(args.end) if args.end else None,
        include_deleted=args.include_deleted,
    )
    found = store.find(query)
    labels = {tag.key: tag.label_en for tag in vocabulary}
    if args.format == "json":
        print(json_text([_json(note, labels) for note in found]))
        return 0
    for note in found:
        print(_text(note, labels))
    print(f"{len(found)} note{'s' if len(found) != 1 else ''}", file=sys.stderr)
    return 0


def _export(store: NotesStore, args: argparse.Namespace, now: dt.datetime) -> int:
    from lib.notes import files as notes_io  # YAML and the file formats only for export and import

    document = notes_io.export_document(store, now=now)
    out = Path(args.out)
    if args.format == "json":
        notes_io.write_json(document, out)
        print(f"wrote {len(document['notes'])} notes to {out}")
    else:
        files = notes_io.write_markdown(document, out)
        print(f"wrote {len(files)} notes and {notes_io.TAGS_FILE} to {out}/")
    return 0


def _import(store: NotesStore, args: argparse.Namespace) -> int:
    from lib.notes import files as notes_io  # YAML and the file formats only for export and import

    report = notes_io.import_document(store, notes_io.read_document(Path(args.path)))
    print(report.summary())
    return 0


def _read_body(name: str) -> str:
    try:
        return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidNote(message("note_body_file_missing", name=name)) from None
    except UnicodeDecodeError:
        raise InvalidNote(message("note_body_file_not_text", name=name)) from None
    except OSError as error:
        raise InvalidNote(message("note_body_file_unreadable", name=name, reason=error.strerror)) from None


def _json(note: Note, labels: dict[str, str]) -> dict:
    return {
        "id": note.id,
        "week": note.week.isoformat(),
        "title": note.title,
        "body": note.body,
        "tags": [labels.get(key, key) for key in note.tags],
        "author": note.author,
        "version": note.version,
        "updated_at": note.updated_at.isoformat(),
    }


def _text(note: Note, labels: dict[str, str]) -> str:
    tags = ", ".join(labels.get(key, key) for key in note.tags) or "no tags"
    deleted = " (deleted)" if note.deleted else ""
    head = f"{note.week}  #{note.id}  {note.title}{deleted}  [{tags}]  v{note.version} {note.author}"
    first = preview(note.body)
    return f"{head}\n    {first}" if first else head
