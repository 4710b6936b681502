"""What the pages draw from notes: markers for the Ratio charts and the theme timeline.

Pure functions over lists of notes; no database, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd

from lib.core.types import Lang
from lib.notes.model import Note, Tag
from lib.views.charts import EVENT_COLOUR, events_layer, label_lane, with_x_domain
from lib.views.rows import Rows

MARKER_LABEL_WIDTH = 20  # in half-width columns (a kanji counts 2); the tooltip has titles whole
LABELLED_CHART = "ratio"  # the top chart names the markers; the two below share its time axis


def note_markers(notes: list[Note], vocabulary: list[Tag], lang: Lang) -> pd.DataFrame:
    """One marker per week with notes: date (the week's last session), label (the first title, and
    how many more), detail (every title with its tags) and colour (the first note's first tag).

    The analyst writes several notes a week, one per theme; one rule per week keeps their labels
    from printing over each other, and the tooltip lists them all.
    """
    tags = {tag.key: tag for tag in vocabulary}
    rows = []
    by_week: dict[dt.date, list[Note]] = {}
    for note in sorted(notes, key=lambda n: (n.week, n.id)):
        by_week.setdefault(note.week, []).append(note)
    for week, week_notes in by_week.items():
        first = week_notes[0]
        label = _cut(first.title) + (f" +{len(week_notes) - 1}" if len(week_notes) > 1 else "")
        detail = " · ".join(f"{n.title} [{', '.join(_labels(n, tags, lang))}]" for n in week_notes)
        colour = tags[first.tags[0]].colour if first.tags and first.tags[0] in tags else EVENT_COLOUR
        rows.append({"date": pd.Timestamp(week), "label": label, "detail": detail, "colour": colour})
    return pd.DataFrame(rows, columns=["date", "label", "detail", "colour"])


def marker_layers(markers: pd.DataFrame, lang: Lang) -> dict[str, dict]:
    """The markers as Vega-Lite layers over all history: "labelled" (rules and labels, for the ratio
    chart) and "rules" (the charts below it, whose labels would bury the lines). Built once per
    set of notes; `add_markers` cuts them to each chart's range, as the charts themselves are cut."""
    layers = {}
    markers = markers.assign(lane=[label_lane(position) for position in range(len(markers))])
    for kind, labels in (("labelled", True), ("rules", False)):
        built = events_layer(markers, None, lang, labels=labels).to_dict(validate=False)
        (name,) = built["datasets"]
        rows = built["datasets"][name]  # sorted by date, as note_markers made them
        layers[kind] = {"rows": Rows(rows, [row["date"] for row in rows]), "layer": built["layer"]}
    return layers


def add_markers(
    specs: dict[str, dict], layers: dict[str, dict], x_domain: tuple[pd.Timestamp, pd.Timestamp] | None
) -> dict[str, dict]:
    """The Ratio page's chart specs with the note markers inside `x_domain`, the charts' shared
    range (the view's; None: all history)."""
    domain = None if x_domain is None else [day.isoformat() for day in x_domain]  # as the charts spell it
    marked = {}
    for chart, spec in specs.items():
        built = layers["labelled" if chart == LABELLED_CHART else "rules"]
        rows = built["rows"] if domain is None else built["rows"].between(*domain)
        if not len(rows):
            marked[chart] = spec
            continue
        # The label lanes start again at the range's first marker (the rules-only charts carry the same rows).
        rows = Rows([{**row, "lane": label_lane(i)} for i, row in enumerate(rows.records)], rows.dates)
        # Inline values, not a named dataset: Streamlit converts every named dataset to Arrow on
        # each rerun, which for three small marker tables cost more than the markers themselves.
        nested = {"data": {"values": rows.records}, "layer": built["layer"]}
        if domain is not None:
            nested = with_x_domain(nested, domain)
        marked[chart] = {**spec, "layer": [*spec["layer"], nested]}
    return marked


def theme_timeline(notes: list[Note], vocabulary: list[Tag], lang: Lang) -> pd.DataFrame:
    """Weeks x themes for the timeline chart: one row per (week, tag) with notes; see charts.theme_timeline."""
    tags = {tag.key: tag for tag in vocabulary}
    cells: dict[tuple[dt.date, str], list[str]] = {}
    for note in notes:
        for key in note.tags:
            if key in tags:
                cells.setdefault((note.week, key), []).append(note.title)
    rows = []
    for (week, key), titles in sorted(cells.items()):
        monday = week - dt.timedelta(days=week.weekday())
        rows.append(
            {
                "week": pd.Timestamp(week),
                "start": pd.Timestamp(monday),
                "end": pd.Timestamp(week + dt.timedelta(days=1)),
                "theme": tags[key].label(lang),
                "colour": tags[key].colour,
                "notes": len(titles),
                "titles": " · ".join(titles),
            }
        )
    return pd.DataFrame(rows, columns=["week", "start", "end", "theme", "colour", "notes", "titles"])


def tag_counts(notes: list[Note]) -> dict[str, int]:
    """How many notes carry each tag key."""
    counts: dict[str, int] = {}
    for note in notes:
        for key in note.tags:
            counts[key] = counts.get(key, 0) + 1
    return counts


def theme_order(vocabulary: list[Tag], lang: Lang) -> list[str]:
    return [tag.label(lang) for tag in vocabulary if tag.merged_into is None]


def _labels(note: Note, tags: dict[str, Tag], lang: Lang) -> list[str]:
    return [tags[key].label(lang) if key in tags else key for key in note.tags]


def _cut(title: str) -> str:
    """The title cut to MARKER_LABEL_WIDTH columns, full-width characters counting two."""
    width = 0
    for position, char in enumerate(title):
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if width > MARKER_LABEL_WIDTH:
            return title[: max(position - 1, 1)] + "…"
    return title
