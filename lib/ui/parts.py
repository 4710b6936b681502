"""Each part of a page fails alone: a part that cannot be built shows one line in the user's language
and the rest of the page is drawn. No traceback ever reaches the page; an unexpected error is logged
on the server with its traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from lib.core.errors import DashboardError
from lib.core.i18n import t
from lib.core.types import Lang

log = logging.getLogger(__name__)


class _Outcome:
    """What happened inside a part: `failed` is True once its message is shown."""

    failed = False


@contextmanager
def part(name: str, lang: Lang) -> Iterator[_Outcome]:
    """Run one part of a page: a DashboardError shows its message, anything else a short line that
    names the part. st.stop() and st.rerun() pass through (they are not Exceptions)."""
    outcome = _Outcome()
    try:
        yield outcome
    except DashboardError as error:
        outcome.failed = True
        st.warning(f"{name}: {error_text(error, lang)}", icon=":material/block:")
    except Exception:
        outcome.failed = True
        log.exception("part %r of the page failed", name)
        st.error(t("part_failed", lang, part=name), icon=":material/error:")


def error_text(error: DashboardError, lang: Lang) -> str:
    """The error in the page's language when it carries a message key (English text otherwise)."""
    message = getattr(error, "message", None)
    return message.text(lang) if message is not None else str(error)
