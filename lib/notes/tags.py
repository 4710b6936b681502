"""The theme vocabulary's rules, one owner for the Tags forms, the store and an import: what a key, a
label and a colour may be, and which merges may be made.

A merged tag points to the tag it was merged into; a chain of merges must end in a tag in use and
never loop back (a tag resolves to the end of its chain, lib.notes.model.successor). Pure functions:
the store runs them inside its transactions, lib.notes.files lists every problem with `tag_problems`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Literal, TypeVar

from lib.core.errors import InvalidTag
from lib.core.i18n import message
from lib.notes.model import Tag, control_problem, normalize, tag_key

LABEL_MAX_CHARS = 80  # the tag table's label columns
KEY_MAX_CHARS = 60  # its key column (lib.notes.model.tag_key cuts a key there)
T = TypeVar("T")


def checked_label(text: str, language: Literal["en", "ja"]) -> str:
    """A label on one line (runs of spaces, tabs and newlines collapse); InvalidTag when it is empty,
    over LABEL_MAX_CHARS or holds a control character."""
    problem = control_problem(text or "", message("field_label"))
    if problem is not None:
        raise InvalidTag(problem)
    clean = " ".join((text or "").split())
    if not clean or len(clean) > LABEL_MAX_CHARS:
        raise InvalidTag(message("tag_label_length", language=message(f"tag_language_{language}")))
    return clean


def checked_colour(text: str) -> str:
    """'#rrggbb' in lower case; InvalidTag otherwise."""
    value = (text or "").strip().lower()
    if len(value) != 7 or value[0] != "#" or any(c not in "0123456789abcdef" for c in value[1:]):
        raise InvalidTag(message("tag_bad_colour", text=text))
    return value


def checked_key(key: str) -> str:
    """A key of the kind `tag_key` makes from a label: lower-case letters, digits, underscores and
    dashes, at most KEY_MAX_CHARS (an import's keys are checked so; the store makes its own)."""
    if not tag_key(key):
        raise InvalidTag(message("tag_bad_label", label=key))
    if len(key) > KEY_MAX_CHARS or normalize(key) != key or not re.fullmatch(r"[\w-]+", key):
        raise InvalidTag(message("tag_bad_key", text=key, expected=tag_key(key)))
    return key


def label_taken(label_en: str, others: Iterable[str]) -> bool:
    return normalize(label_en) in {normalize(label) for label in others}


def refuse_taken_label(label_en: str, others: Iterable[str]) -> None:
    if label_taken(label_en, others):
        raise InvalidTag(message("tag_name_taken", label=label_en))


def refuse_bad_merge(source: str, target: str | None, merges: dict[str, str | None]) -> None:
    """`merges`: each tag's key and the key it was merged into (None for a tag in use). A chain of
    merges must end in a tag in use, never loop back; the walk takes one step per tag at most."""
    seen = {source}
    while target is not None:
        if target in seen:
            raise InvalidTag(message("tag_merge_self"))
        for key in (source, target):
            if key not in merges:
                raise InvalidTag(message("tag_merge_unknown", tag=key))
        seen.add(target)
        target = merges[target]


def refuse_loops(merges: dict[str, str | None]) -> None:
    """InvalidTag when any chain of merges in a whole vocabulary loops or ends nowhere: the store's
    last check before a transaction that changed merges commits."""
    for key, target in merges.items():
        refuse_bad_merge(key, target, merges)


def cleaned(candidate: Tag) -> Tag:
    """A tag with its labels and colour as add_tag stores them (InvalidTag when one cannot be)."""
    return Tag(
        candidate.key,
        checked_label(candidate.label_en, "en"),
        checked_label(candidate.label_ja, "ja"),
        checked_colour(candidate.colour),
        candidate.merged_into,
    )


def tag_problems(candidate: Tag, vocabulary: list[Tag]) -> list[str]:
    """Every reason add_tag, rename_tag or merge_tags would refuse `candidate` beside `vocabulary` (every
    tag there will be, merged ones and `candidate` included): a key that is not of the kind add_tag makes,
    a label empty, over 80 characters or with a control character, a colour not #rrggbb, an
    English label another tag has, merges that do not end in a tag in use."""
    found: list[str] = []

    def run(rule: Callable[..., T], *args: object) -> T | None:
        try:
            return rule(*args)
        except InvalidTag as error:
            found.append(str(error))
            return None

    run(checked_key, candidate.key)
    label_en = run(checked_label, candidate.label_en, "en")
    run(checked_label, candidate.label_ja, "ja")
    run(checked_colour, candidate.colour)
    if label_en is not None:
        run(refuse_taken_label, label_en, [t.label_en for t in vocabulary if t.key != candidate.key])
    if candidate.merged_into is not None:
        run(refuse_bad_merge, candidate.key, candidate.merged_into, {t.key: t.merged_into for t in vocabulary})
    return found
