"""The team's weekly-report templates in the notes database, on SQLite and PostgreSQL: one per
language, saved whole, reset to the default; nothing is written on a read-only deployment."""

import datetime as dt

import pytest
import sqlalchemy as sa

from lib.core.errors import TemplateNotSaved
from lib.notes.migrations import applied_versions
from lib.notes.store import NotesStore
from lib.notes.templates import SavedTemplate, TemplateStore

SAVED_AT = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def templates(notes_url):
    store = TemplateStore(notes_url, clock=lambda: SAVED_AT)
    yield store
    store.close()


def test_a_saved_template_is_read_back_per_language_and_replaced_by_the_next_save(templates, notes_url):
    assert templates.get("ja") is None  # nothing saved: the default template
    templates.save("ja", "{{ date }}の週\n", author="  青木   花子 ")
    assert templates.get("ja") == SavedTemplate("ja", "{{ date }}の週\n", "青木 花子", SAVED_AT)
    assert templates.get("en") is None
    templates.save("ja", "{{ date }}\n", author="佐藤")
    other = TemplateStore(notes_url)  # another process sees the team's template
    assert other.get("ja").text == "{{ date }}\n" and other.get("ja").author == "佐藤"
    other.close()


def test_reset_brings_back_the_default(templates):
    templates.save("en", "{{ date }}", author="a")
    templates.reset("en")
    assert templates.get("en") is None
    templates.reset("en")  # resetting the default again changes nothing


def test_a_read_only_deployment_refuses_every_write_and_keeps_the_saved_one(templates, monkeypatch):
    templates.save("ja", "kept", author="a")
    monkeypatch.setenv("NOTES_READ_ONLY", "1")
    refused = r"The templates are read-only on this deployment \(\[notes\] read_only or NOTES_READ_ONLY\)"
    with pytest.raises(TemplateNotSaved, match=refused):
        templates.save("ja", "changed", author="a")
    with pytest.raises(TemplateNotSaved, match=refused):
        templates.reset("ja")
    assert templates.get("ja").text == "kept"


def test_a_template_over_the_limit_is_refused(templates):
    with pytest.raises(TemplateNotSaved, match="The template has 100,001 characters; at most 100,000"):
        templates.save("ja", "x" * 100_001, author="a")
    assert templates.get("ja") is None


def test_the_notes_store_and_the_template_store_share_one_migration_history(notes_url):
    notes = NotesStore(notes_url)  # the notes store alone already creates the templates' table
    with notes.engine.connect() as connection:
        assert applied_versions(connection) == [1, 2, 3, 4, 5]
        assert "report_template" in sa.inspect(connection).get_table_names()
    notes.close()
    templates = TemplateStore(notes_url)  # and opening the templates' store applies nothing twice
    with templates.engine.connect() as connection:
        assert applied_versions(connection) == [1, 2, 3, 4, 5]
    templates.close()
