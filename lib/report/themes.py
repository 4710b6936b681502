"""The week's notes as the weekly comment's theme sections: one section per theme, a note under its
first tag, the external factors (tags marked `group = "external"` in config/tags.toml) gathered apart.

Pure: notes and the tag vocabulary in, sections out; the templates write them (lib/report/templates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lib.core import settings
from lib.core.types import Lang
from lib.notes.model import Note, Tag


@dataclass(frozen=True)
class Theme:
    """A theme section: its heading (the tag's label in the draft's language, or the note's own title
    for a note without tags) and its notes in the order they were written."""

    heading: str
    notes: tuple[Note, ...]
    tag: str | None = None  # the tag's key; None for a note without tags (its title is the heading)
    external: bool = False  # gathered with the other external factors


def group_themes(notes: Iterable[Note], tags: Iterable[Tag] | None, lang: Lang) -> list[Theme]:
    """The notes (already those of the week, deleted ones left out) in sections, ordered by each
    section's first note (notes in id order); each note goes under its first tag only, so no note is
    written twice. Labels come from `tags` (the database's vocabulary, renamed as the analysts
    renamed it), else from config/tags.toml, else the key."""
    labels = _labels(tags, lang)
    sections: dict[str, list[Note]] = {}
    for note in sorted(notes, key=lambda n: n.id):
        sections.setdefault(note.tags[0] if note.tags else f"note:{note.id}", []).append(note)
    themes = []
    for key, written in sections.items():
        if key.startswith("note:"):
            themes.append(Theme(written[0].title, (written[0],)))
        else:
            themes.append(Theme(labels.get(key, key), tuple(written), key, key in settings.EXTERNAL_TAGS))
    return themes


def _labels(tags: Iterable[Tag] | None, lang: Lang) -> dict[str, str]:
    defaults = {spec.key: spec.label_ja if lang == "ja" else spec.label_en for spec in settings.DEFAULT_TAGS}
    return defaults | {tag.key: tag.label(lang) for tag in tags or ()}
