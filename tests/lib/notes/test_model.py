"""Notes as values: the week a note belongs to, the checks on a draft, search text, safe display."""

import datetime as dt
import re

import pytest

from lib.core.errors import InvalidNote, InvalidTag, UnknownTag
from lib.notes.model import (
    Tag,
    checked_author,
    checked_week,
    end_of_merges,
    make_draft,
    normalize,
    preview,
    resolve_tag,
    safe_markdown,
    search_terms,
    tag_key,
    week_of,
)

VOCABULARY = [
    Tag("venezuela", "Venezuela", "ベネズエラ", "#d62728"),
    Tag("middle-east", "Middle East", "中東情勢", "#9467bd"),
    Tag("ukraine", "Ukraine", "ウクライナ", "#7f7f7f", merged_into="europe"),
    Tag("europe", "Europe politics", "欧州政治", "#1f77b4"),
]


@pytest.mark.parametrize(
    ("day", "week_end"),
    [
        ("2026-01-01", "2026-01-02"),  # New Year's Day: the week still closes on Friday
        ("2026-01-03", "2026-01-02"),  # a Saturday belongs to the Monday-Friday week before it
        ("2026-03-30", "2026-04-02"),  # Good Friday 2026-04-03 is closed: Thursday closes the week
        ("2025-07-01", "2025-07-03"),  # Independence Day week
    ],
)
def test_a_note_belongs_to_the_last_nyse_session_of_its_week(day, week_end):
    assert week_of(day) == dt.date.fromisoformat(week_end)


@pytest.mark.parametrize(
    ("day", "message"),
    [("2026-02-30", "not a date"), ("next week", "not a date"), ("1985-06-03", "outside the NYSE calendar")],
)
def test_an_invalid_week_is_refused_with_its_reason(day, message):
    with pytest.raises(InvalidNote, match=message):
        week_of(day)


def test_a_draft_keeps_the_body_exactly_and_resolves_tags_in_either_language():
    body = "## 原油\n\n  BDC の信用不安 🚀 '; DROP TABLE note; --\r\n\n"
    draft = make_draft(
        "2026-01-01", "  Venezuela\n strike  ", body, ["中東情勢", "VENEZUELA", "ベネズエラ"], VOCABULARY
    )
    assert draft.body == body
    assert draft.title == "Venezuela strike"
    assert draft.tags == ("middle-east", "venezuela")  # order kept, the repeat dropped
    assert draft.week == dt.date(2026, 1, 2)


def test_a_merged_tag_resolves_to_the_tag_it_was_merged_into():
    assert resolve_tag("Ukraine", VOCABULARY).key == "europe"


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "x", "The title is empty"),
        (" \n\t", "x", "The title is empty"),
        ("t" * 201, "x", "The title has 201 characters; a title holds at most 200"),
        ("t", "x" * (1 << 20), "The body has 1,048,576 characters; a note holds at most 100,000"),
        ("t", "a\x00b", "NUL character"),
    ],
)
def test_a_draft_that_cannot_be_saved_says_which_field_and_why(title, body, message):
    with pytest.raises(InvalidNote, match=message):
        make_draft("2026-01-02", title, body, [], VOCABULARY)


def test_an_unknown_tag_names_itself_and_the_tags_there_are():
    with pytest.raises(UnknownTag, match=r"Unknown tag 'China': the tags are Venezuela, Middle East, Europe politics"):
        make_draft("2026-01-02", "t", "b", ["China"], VOCABULARY)


def test_search_text_ignores_case_and_width_and_splits_on_the_ideographic_space():
    assert normalize("ＡＩバブル　ﾃｽﾄ") == "aiバブル テスト"
    assert search_terms("  信用不安　BDC ") == ["信用不安", "bdc"]


def test_tag_keys_are_stable_slugs():
    assert tag_key("Rates/Fed") == "rates-fed"
    assert tag_key("AI/IT valuations") == "ai-it-valuations"
    assert tag_key("日本株") == "日本株"


HOSTILE = (
    "<script>alert('x')</script>\n"
    "<img src=x onerror=alert(1)>\n"
    "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com)\n"
    "[ref]: javascript:alert(2)\n"
    "costs $5 and $6\n"
)


def test_safe_markdown_turns_html_into_text_and_unsafe_links_into_dead_ones():
    shown = safe_markdown(HOSTILE)
    assert "<" not in shown  # no tag can reach the renderer
    assert "&lt;script>alert('x')&lt;/script>" in shown  # shown as typed
    assert "javascript:" not in shown.replace("#blocked-javascript:", "")
    assert "](data:" not in shown
    assert "[ok](https://example.com)" in shown
    assert "costs \\$5 and \\$6" in shown  # prices, not a formula


def test_preview_is_the_first_lines_as_plain_text():
    assert preview("## Heading\n\n- **bold** point\n- second\n- third") == "Heading / bold point"
    assert preview("x" * 500).endswith("…") and len(preview("x" * 500)) == 240


# --- Characters no note may hold; weeks within the notes' span; a loop of merges (issue 18) ---------


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("ok\x1b[2J\x1b]0;owned\x07", "x", "The title contains the control character U+001B at position 3"),
        ("bell\x07", "x", "The title contains the control character U+0007 at position 5"),
        ("csi\x9b2J", "x", "The title contains the control character U+009B at position 4"),  # C1: 8-bit CSI
        ("del\x7f", "x", "The title contains the control character U+007F at position 4"),
        ("sep\x1cx", "x", "The title contains the control character U+001C at position 4"),  # whitespace to split()
        ("broken \ud800", "x", "The title contains U+D800 at position 8, half of a character pair"),
        ("t", "line\x1b[31mred", "The text contains the control character U+001B at position 5"),
        ("t", "form\x0cfeed", "The text contains the control character U+000C at position 5"),
        ("t", "\udcff from argv", "The text contains U+DCFF at position 1"),
    ],
)
def test_control_characters_and_lone_surrogates_are_refused_naming_the_field(title, body, message):
    with pytest.raises(InvalidNote, match=re.escape(message)):
        make_draft("2026-01-02", title, body, [], VOCABULARY)


def test_tab_newline_and_carriage_return_stay_in_a_body_and_collapse_in_a_title():
    draft = make_draft("2026-01-02", "a\tb\r\nc", "col\tcol\r\nnext\n", [], VOCABULARY)
    assert (draft.title, draft.body) == ("a b c", "col\tcol\r\nnext\n")


@pytest.mark.parametrize(
    ("name", "kept"),
    [("  青木\t太郎 ", "青木 太郎"), ("", "unknown"), ("x" * 250, "x" * 200)],
)
def test_an_author_is_kept_on_one_line(name, kept):
    assert checked_author(name) == kept


def test_an_author_with_an_escape_sequence_is_refused():
    with pytest.raises(InvalidNote, match=re.escape("The author's name contains the control character U+001B")):
        checked_author("evil\x1b]0;title\x07")


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("9999-12-31", "The week of 9999-12-31 is outside the NYSE calendar"),  # beyond pandas' dates: no traceback
        ("1800-01-05", "The week of 1800-01-05 is outside the NYSE calendar"),
        ("2036-01-02", "The week ending 2036-01-04 is more than a year ahead"),  # a mistyped 2026
        ("2027-12-01", "The week ending 2027-12-03 is more than a year ahead: a note's week can be at most 2027-11-30"),
    ],
)
def test_a_note_week_lies_within_the_calendar_and_at_most_a_year_ahead(day, message):
    with pytest.raises(InvalidNote, match=re.escape(message)):
        checked_week(day, today=dt.date(2026, 11, 29))


def test_a_week_a_year_ahead_is_still_a_week():
    assert checked_week("2027-11-26", today=dt.date(2026, 11, 29)) == dt.date(2027, 11, 26)


def test_a_loop_of_merges_in_a_damaged_database_ends_in_a_message_not_a_hang():
    looped = [
        Tag("tariffs", "Tariffs", "関税", "#000000", merged_into="rates-fed"),
        Tag("rates-fed", "Rates/Fed", "金利・FRB", "#000000", merged_into="us-policy"),
        Tag("us-policy", "US policy", "米国政策", "#000000", merged_into="tariffs"),
    ]
    for name in ("Tariffs", "関税", "rates-fed"):
        with pytest.raises(InvalidTag, match="merged into one another in a loop"):
            resolve_tag(name, looped)
    with pytest.raises(InvalidTag, match=re.escape("tariffs → rates-fed → us-policy → tariffs")):
        end_of_merges("tariffs", {t.key: t.merged_into for t in looped})
    assert end_of_merges("ukraine", {"ukraine": "europe", "europe": None}) == "europe"
