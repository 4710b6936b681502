"""Note markers and the theme timeline, worked out by hand from a few notes."""

import datetime as dt

import pandas as pd

from lib.notes.model import Note, Tag
from lib.views.notes import add_markers, marker_layers, note_markers, tag_counts, theme_timeline

TAGS = [
    Tag("venezuela", "Venezuela", "ベネズエラ", "#d62728"),
    Tag("credit", "Private credit", "プライベートクレジット", "#ff7f0e"),
]
AT = dt.datetime(2026, 1, 2, 22, tzinfo=dt.UTC)


def note(id_, week, title, tags):
    return Note(id_, f"u{id_}", dt.date.fromisoformat(week), title, "", tags, "a", AT, AT, 1)


NOTES = [
    note(1, "2026-01-02", "米国のベネズエラ攻撃", ("venezuela",)),
    note(2, "2026-01-02", "プライベートクレジットの信用不安", ("credit",)),
    note(3, "2025-10-17", "Private credit: first cracks", ("credit", "venezuela")),
    note(4, "2025-06-20", "利下げ転換の思惑で小型株が急伸", ()),
]


def test_one_marker_per_week_labelled_by_its_first_note_cut_to_twenty_columns():
    markers = note_markers(NOTES, TAGS, "en")
    assert markers.to_dict("records") == [
        {
            "date": pd.Timestamp("2025-06-20"),
            "label": "利下げ転換の思惑で…",
            "detail": "利下げ転換の思惑で小型株が急伸 []",
            "colour": "#6a1b9a",
        },
        {
            "date": pd.Timestamp("2025-10-17"),
            "label": "Private credit: fir…",
            "detail": "Private credit: first cracks [Private credit, Venezuela]",
            "colour": "#ff7f0e",
        },
        {
            "date": pd.Timestamp("2026-01-02"),
            "label": "米国のベネズエラ攻撃 +1",
            "detail": "米国のベネズエラ攻撃 [Venezuela] · プライベートクレジットの信用不安 [Private credit]",
            "colour": "#d62728",
        },
    ]
    assert note_markers(NOTES[:1], TAGS, "ja")["detail"][0] == "米国のベネズエラ攻撃 [ベネズエラ]"


def test_markers_outside_a_charts_range_are_left_out():
    spec = {
        "layer": [
            {"mark": "line", "encoding": {"x": {"field": "date", "scale": {"domain": ["2025-09-01", "2025-12-31"]}}}}
        ],
        "datasets": {},
    }
    layers = marker_layers(note_markers(NOTES, TAGS, "en"), "en")
    chart_range = (pd.Timestamp("2025-09-01"), pd.Timestamp("2025-12-31"))  # the charts' shared range
    marked = add_markers({"ratio": spec}, layers, chart_range)["ratio"]
    layer = marked["layer"][-1]
    assert [row["label"] for row in layer["data"]["values"]] == ["Private credit: fir…"]
    assert [child["mark"]["type"] for child in layer["layer"]] == ["rule", "text"]


def test_the_timeline_has_a_cell_per_week_and_theme_spanning_the_week():
    cells = theme_timeline(NOTES, TAGS, "ja")
    assert cells[["week", "theme", "notes"]].to_dict("records") == [
        {"week": pd.Timestamp("2025-10-17"), "theme": "プライベートクレジット", "notes": 1},
        {"week": pd.Timestamp("2025-10-17"), "theme": "ベネズエラ", "notes": 1},
        {"week": pd.Timestamp("2026-01-02"), "theme": "プライベートクレジット", "notes": 1},
        {"week": pd.Timestamp("2026-01-02"), "theme": "ベネズエラ", "notes": 1},
    ]  # the untagged note has no theme
    assert (cells["start"][0], cells["end"][0]) == (pd.Timestamp("2025-10-13"), pd.Timestamp("2025-10-18"))
    assert tag_counts(NOTES) == {"venezuela": 2, "credit": 2}
