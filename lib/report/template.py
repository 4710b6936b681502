"""The weekly comment's templates: Jinja2 in a sandbox, the default template of each language shipped
as a file (lib/report/templates/weekly_{lang}.md.j2), and errors an analyst can act on.

Why Jinja2: it is kept, documented and already installed with Altair; `{{ field }}`, `{% if %}` and
`{% for %}` are all an analyst needs, and its sandbox lets a template typed on a shared server reach
nothing but the fields handed to it. Markdown is not HTML, so nothing is escaped here (autoescape
off); the HTML made from the draft escapes raw HTML itself (lib/report/files.py). Undefined fields are
errors (StrictUndefined): a typo names its line instead of leaving a silent gap in the draft.
"""

from __future__ import annotations

import operator
import re
import traceback
from functools import cache
from pathlib import Path

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from lib.core.errors import InvalidTemplate
from lib.core.i18n import Message, message
from lib.core.types import Lang

TEMPLATES = Path(__file__).with_name("templates")
# The parts of the draft, each a `{% block %}` of the default templates (tests and the preview read them).
PARTS = ("opening", "comparison", "ratio", "links", "themes")
MAX_DRAFT_CHARS = 200_000  # a weekly comment is a few thousand characters: more is a runaway loop
MAX_LOOP = 1_000  # range() in a template; a week has a handful of notes
MAX_REPEAT = 10_000  # "x" * n and [..] * n
_NAME = "<template>"  # the file name Jinja gives a template made from text: its frames carry the line


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no attribute starting with _, no unsafe call) with small limits on the
    operators that can make huge values, so a template cannot exhaust the server's memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, op: str, left, right):  # Jinja's signature
        if op == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("an exponent over 64")
        if op == "*" and any(isinstance(v, str | list | tuple) for v in (left, right)):
            count = right if isinstance(right, int) else left
            if isinstance(count, int) and count > MAX_REPEAT:
                raise SecurityError(f"a repetition over {MAX_REPEAT} times")
        return operator.pow(left, right) if op == "**" else operator.mul(left, right)


def _short_range(*args: int) -> range:
    found = range(*args)
    if len(found) > MAX_LOOP:
        raise SecurityError(f"a range over {MAX_LOOP} items")
    return found


def _environment() -> SandboxedEnvironment:
    environment = _Sandbox(
        undefined=StrictUndefined,
        autoescape=False,  # Markdown; the HTML made from it escapes raw HTML
        lstrip_blocks=True,  # a line holding only {% ... %} is an empty line (tidy makes runs of them one)
        keep_trailing_newline=True,
    )
    environment.globals["range"] = _short_range
    return environment


_ENVIRONMENT = _environment()  # holds no state between renders: safe to share between sessions


@cache
def default_template(lang: Lang) -> str:
    """The shipped template of `lang`: what "Reset to default" brings back."""
    return (TEMPLATES / f"weekly_{lang}.md.j2").read_text(encoding="utf-8")


def compile_template(text: str) -> Template:
    """The template made from `text`; InvalidTemplate names the line of a syntax error."""
    try:
        return _ENVIRONMENT.from_string(text)
    except TemplateSyntaxError as error:
        raise InvalidTemplate(_at(error.lineno, message("template_syntax", detail=error.message or ""))) from None


def render(text: str, fields: dict) -> str:
    """The draft: `text` filled with `fields` (lib/report/fields.py), runs of blank lines made one
    (a field left empty leaves no gap), ending with one newline. InvalidTemplate on any failure."""
    template = compile_template(text)
    try:
        written, length = [], 0
        for piece in template.generate(fields):
            length += len(piece)
            if length > MAX_DRAFT_CHARS:
                too_long = message("template_too_long", limit=MAX_DRAFT_CHARS)
                raise InvalidTemplate(message("error_template", problem=too_long))
            written.append(piece)
    except InvalidTemplate:
        raise
    except Exception as error:  # anything a template does wrong is the analyst's to fix, never a traceback
        raise InvalidTemplate(_problem(error)) from None
    return tidy("".join(written))


def render_part(text: str, part: str, fields: dict) -> str:
    """One `{% block %}` of the template alone (e.g. "opening"), stripped; "" when it has no such block.
    The template's top-level `{% set %}` lines run first, as they do for the whole draft."""
    template = compile_template(text)
    if part not in template.blocks:
        return ""
    try:
        module = template.make_module(fields)
        context = template.new_context({**fields, **{k: v for k, v in vars(module).items() if not k.startswith("_")}})
        return tidy("".join(template.blocks[part](context))).strip()
    except Exception as error:  # as in render
        raise InvalidTemplate(_problem(error)) from None


def tidy(text: str) -> str:
    """At most one blank line in a row, no blank lines at the ends, one final newline."""
    return re.sub(r"\n[ \t]*(\n[ \t]*)+\n", "\n\n", text).strip("\n") + "\n"


def _problem(error: Exception) -> Message:
    """Jinja's error as a message naming the template's line and what to fix."""
    line = _template_line(error)
    if isinstance(error, UndefinedError):
        said = message("template_undefined", name=_field_name(error.message or str(error)))
    elif isinstance(error, SecurityError):
        said = message("template_unsafe", detail=str(error))
    elif isinstance(error, TemplateSyntaxError):
        line = error.lineno
        said = message("template_syntax", detail=error.message or "")
    else:
        said = message("template_failed", detail=f"{type(error).__name__}: {error}")
    return _at(line, said)


def _at(line: int | None, problem: Message) -> Message:
    if line is None:
        return message("error_template", problem=problem)
    return message("error_template_at", line=line, problem=problem)


def _template_line(error: BaseException) -> int | None:
    """The template line the error happened on: the last frame Jinja gave the template's name."""
    lines = [line for frame, line in traceback.walk_tb(error.__traceback__) if frame.f_code.co_filename == _NAME]
    return lines[-1] if lines else None


def _field_name(said: str) -> str:
    """The misspelt name in Jinja's "'x' is undefined" or "'dict object' has no attribute 'x'"."""
    found = re.search(r"has no attribute '([^']+)'", said) or re.search(r"^'([^']+)' is undefined", said)
    return found.group(1) if found else said
