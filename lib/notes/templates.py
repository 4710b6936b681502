"""The weekly report's templates as the team saved them: one per language, in the notes database
(table `report_template`, migration 3 of lib/notes/schema.py), beside the analysts' notes.

No row for a language means the default template shipped with the app (lib/report/templates). Kept
apart from the notes store: a template is one text per language, saved whole, with no history. Whether
a template can draft a week is checked by the caller before it is saved here (lib/ui/report.py);
this store refuses what the database must not hold: any write on a read-only deployment, a text over
the limit.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from lib.core import settings
from lib.core.errors import NotesBusy, NotesUnavailable, TemplateNotSaved
from lib.core.i18n import message
from lib.core.types import Lang
from lib.data.db import WRITE, aware, make_engine, reason, safe_url
from lib.notes.migrations import migrate
from lib.notes.schema import MIGRATIONS, bump_revision, report_template

T = TypeVar("T")
Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class SavedTemplate:
    lang: Lang
    text: str
    author: str
    saved_at: dt.datetime  # UTC


class TemplateStore:
    def __init__(
        self, url: str, *, busy_timeout_ms: int = settings.NOTES_BUSY_TIMEOUT_MS, clock: Clock | None = None
    ) -> None:
        self.url = url
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        try:
            self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
        except (SQLAlchemyError, ImportError, OSError) as error:
            raise NotesUnavailable(safe_url(url), reason(error)) from None
        self._write(lambda connection: migrate(connection, MIGRATIONS))  # the same runner as the notes

    def close(self) -> None:
        self.engine.dispose()

    def get(self, lang: Lang) -> SavedTemplate | None:
        """The team's template of `lang`, or None: the default template."""
        try:
            with self.engine.connect() as connection:
                row = connection.execute(sa.select(report_template).where(report_template.c.lang == lang)).first()
        except SQLAlchemyError as error:
            raise NotesUnavailable(safe_url(self.url), reason(error)) from None
        return None if row is None else SavedTemplate(row.lang, row.body, row.author, aware(row.saved_at))

    def save(self, lang: Lang, text: str, *, author: str) -> SavedTemplate:
        """Keep `text` as the team's template of `lang` (replacing the one before)."""
        _refuse_read_only()
        if len(text) > settings.REPORT_TEMPLATE_MAX_CHARS:
            limit = settings.REPORT_TEMPLATE_MAX_CHARS
            raise TemplateNotSaved(message("error_template_long", length=len(text), limit=limit))
        saved = SavedTemplate(lang, text, " ".join((author or "").split())[:200] or "unknown", self.clock())

        def work(connection: sa.Connection) -> SavedTemplate:
            connection.execute(report_template.delete().where(report_template.c.lang == lang))
            connection.execute(
                report_template.insert().values(lang=lang, body=text, author=saved.author, saved_at=saved.saved_at)
            )
            return saved

        return self._write(lambda connection: _counted(connection, work))

    def reset(self, lang: Lang) -> None:
        """Back to the default template of `lang`."""
        _refuse_read_only()
        self._write(
            lambda c: _counted(c, lambda c: c.execute(report_template.delete().where(report_template.c.lang == lang)))
        )

    def _write(self, work: Callable[[sa.Connection], T]) -> T:
        """One write transaction; a database still busy after the busy timeout is NotesBusy."""
        started = time.monotonic()
        try:
            with self.engine.connect() as connection, connection.execution_options(**WRITE).begin():
                return work(connection)
        except DBAPIError as error:
            if "locked" in str(error.orig).lower() or "busy" in str(error.orig).lower():
                raise NotesBusy(time.monotonic() - started) from None
            raise NotesUnavailable(safe_url(self.url), reason(error)) from None
        except SQLAlchemyError as error:
            raise NotesUnavailable(safe_url(self.url), reason(error)) from None


def _refuse_read_only() -> None:
    if settings.notes_access().read_only:
        raise TemplateNotSaved(message("error_template_read_only"))


def _counted(connection: sa.Connection, work: Callable[[sa.Connection], T]) -> T:
    """`work`, then the notes' revision moved in the same transaction (every server's cache sees it)."""
    done = work(connection)
    bump_revision(connection)
    return done
