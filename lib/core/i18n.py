"""Every word the product shows, per language, read from the message catalogues
lib/core/messages/en.toml and ja.toml (loaded once; one key per message, {placeholders} for
str.format). `t(key, lang, **values)` is a message's text; `message(key, **values)` keeps the key and
its values (errors, notices, checks) so that each surface shows it in its user's language.

Values are shown in the language too: a date by `format_date` (ISO on English pages, the Japanese
way on Japanese ones), a nested Message in the same language, `Joined` items with the language's
separator.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from lib.core.types import LANGS, Lang

CATALOGUES = Path(__file__).with_name("messages")
DATE_STYLES = ("day", "month", "month_number", "prose", "long", "short")  # patterns in each catalogue's [dates]


def load_catalogue(lang: Lang) -> tuple[Mapping[str, str], Mapping[str, object]]:
    """The messages of `lang` and its date patterns, read-only."""
    with (CATALOGUES / f"{lang}.toml").open("rb") as handle:
        catalogue = tomllib.load(handle)
    dates = catalogue.pop("dates")
    return MappingProxyType(catalogue), MappingProxyType(dates)


_LOADED = {lang: load_catalogue(lang) for lang in LANGS}
_TEXT: Mapping[Lang, Mapping[str, str]] = MappingProxyType({lang: pair[0] for lang, pair in _LOADED.items()})
_DATES: Mapping[Lang, Mapping[str, object]] = MappingProxyType({lang: pair[1] for lang, pair in _LOADED.items()})


@dataclass(frozen=True)
class Message:
    """A sentence shown to the user in either language; str() gives English (logs, JSON)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: Lang) -> str:
        return t(self.key, lang, **dict(self.values))

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class Joined:
    """Values shown one after another (dates, messages, text), `separator` between them; None takes
    the language's list separator."""

    # e.g. "2026-01-01, 2026-01-02" on an English page, "2026年1月1日、2026年1月2日" on a Japanese one

    items: tuple[object, ...]
    separator: str | None = None

    def text(self, lang: Lang) -> str:
        separator = t("list_separator", lang) if self.separator is None else self.separator
        return separator.join(str(shown(item, lang)) for item in self.items)

    def __str__(self) -> str:
        return self.text("en")


def message(key: str, **values: object) -> Message:
    if key not in _TEXT["en"]:
        raise KeyError(f"no text for {key!r}")
    return Message(key, tuple(values.items()))


def t(key: str, lang: Lang, **values: object) -> str:
    """The message `key` in `lang`, with {placeholders} filled by `values` shown in `lang`."""
    text = _TEXT[lang][key]
    return text.format(**{name: shown(value, lang) for name, value in values.items()}) if values else text


def shown(value: object, lang: Lang) -> object:
    """A value as a message shows it in `lang`: dates and messages in the language, the rest as given."""
    if isinstance(value, Message | Joined):
        return value.text(lang)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value, lang)
    return value


def format_date(day: dt.date, lang: Lang, style: str = "day") -> str:
    """A day as people read it in `lang` (style "day": ISO in English); "month", "month_number",
    "prose" and "short" are the catalogue's other patterns. Files, CSV, JSON and the URL keep ISO
    dates and never come here."""
    # e.g. "2025-11-28" / "2025年11月28日"; "January 2022" / "2022年1月" (month)
    patterns = _DATES[lang]
    names = patterns["month_names"]
    return str(patterns[style]).format(
        iso=f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
        year=day.year,
        month=day.month,
        day=day.day,
        month_name=names[day.month - 1],  # type: ignore[index]
    )
