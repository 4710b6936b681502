"""A note's Markdown as it may be shown: read, never run, nothing fetched.

Raw HTML becomes text, links go only to http(s) or mailto (or stay inside the page), and an image
becomes a link with its alt text, so that a note cannot make its readers' browsers call a
tracker. The links and images are found by markdown-it, a CommonMark parser, the way a renderer
finds them: inside blockquotes, lists and tables, through reference definitions, with the scheme
written as an entity (`&#106;avascript:`). The text is changed only where it finds one, and a text
it still finds unsafe after that is shown as plain text. (A plain `[x](javascript:…)` is first
made a dead link by a pattern, which keeps the other links of its paragraph; the parser is what
makes the rule hold.) Streamlit renders GitHub's dialect (GFM),
whose footnotes markdown-it lacks: they are read as the list items they behave like.

The Notes page and the report preview show `safe_markdown(text)` with st.markdown; the HTML
report is `html(text)`, rendered by markdown-it itself with the same rules.
"""

from __future__ import annotations

import html as html_text
import re
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

SAFE_SCHEMES = ("http", "https", "mailto")
PASSES = 4  # images to links, then unsafe links to text, then a check; hostile nesting needs more
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")  # browsers drop them inside a scheme ("java\tscript:")
_NEWLINES = re.compile(r"\r\n?")
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
_BRACKET = re.compile(r"(\\*)([\[\]])")  # a bracket and the backslashes before it
_IMAGE_START = re.compile(r"(\\*)!\[")
# A plain link target with a scheme other than http(s) or mailto, inline `](x:...)` or as a reference `[r]: x:...`.
_PLAIN_UNSAFE_LINK = re.compile(
    r"(\]\(\s*|^\s{0,3}\[[^\]]+\]:\s*)(?!https?:|mailto:)([a-z][a-z0-9+.-]*):", re.IGNORECASE | re.MULTILINE
)
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# A GFM footnote definition `[^1]: text`, after any blockquote or list markers.
_FOOTNOTE = re.compile(r"^((?:[ \t>]|[-+*][ \t]|\d{1,9}[.)][ \t])*)\[\^[^\]\s]+\]:[ \t]*")

_FINDER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_FINDER.validateLink = lambda url: True  # every link is found here, then judged by `is_safe_link`


def safe_markdown(body: str) -> str:
    """`body` as Markdown that can only be read: `<` is escaped (a tag shows as typed), `$` is a dollar
    sign (not a formula), images are links, links other than http(s)/mailto are text."""
    text = _NEWLINES.sub("\n", body or "")
    shown = _UNESCAPED_DOLLAR.sub(r"\\$", text.replace("<", "&lt;"))
    shown = _PLAIN_UNSAFE_LINK.sub(r"\1#blocked-\2:", shown)
    return _defused(shown, fallback=text) if "[" in shown else shown  # no bracket, no link or image


def html(text: str) -> str:
    """`text` as HTML, for the report's self-contained file. The renderer is the parser here, so its
    own rules suffice: raw HTML off, a link it cannot follow by `is_safe_link` left as text, an
    image drawn as a link."""
    return _RENDERER.render(text)


def is_safe_link(href: str) -> bool:
    """A link a reader may follow: http(s), mailto, or no scheme at all (a place in the page)."""
    target = _INVISIBLE.sub("", unquote(html_text.unescape(href))).lower()
    scheme = _SCHEME.match(target)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


def _defused(text: str, *, fallback: str) -> str:
    """Images turned into links and unsafe links into text, block by block, until markdown-it finds
    neither; `fallback` as plain text if it still does."""
    lines = text.split("\n")
    for _ in range(PASSES):
        found = _unsafe_lines(lines)
        if not found:
            return "\n".join(lines)
        for index, kind in found.items():
            lines[index] = _unbracketed(lines[index]) if kind == "link" else _IMAGE_START.sub(_drop_bang, lines[index])
    return _PUNCTUATION.sub(r"\\\1", fallback)


def _unsafe_lines(lines: list[str]) -> dict[int, str]:
    """Line number -> "link" (a block with a link to be refused) or "image" (a block with an image)."""
    found: dict[int, str] = {}
    where = [0, 0]
    for token in _FINDER.parse("\n".join(_FOOTNOTE.sub(r"\1-   ", line) for line in lines)):
        where = token.map or where
        kind = _worst(token.children or [])
        for index in range(*where) if kind else ():
            found[index] = "link" if "link" in (kind, found.get(index)) else kind
    return found


def _worst(children: list[Token]) -> str | None:
    """ "link" when an inline run holds a link to be refused, "image" when it holds an image, else None."""
    kinds = set()
    for child in children:
        if child.type == "link_open" and not is_safe_link(str(child.attrGet("href") or "")):
            kinds.add("link")
        elif child.type == "image":
            kinds.add(_worst(child.children or []) or "image")
    return "link" if "link" in kinds else "image" if kinds else None


def _unbracketed(line: str) -> str:
    """The line with every bracket escaped: no link, reference or image can start in it."""
    return _BRACKET.sub(lambda m: m.group(1) + ("\\" if len(m.group(1)) % 2 == 0 else "") + m.group(2), line)


def _drop_bang(found: re.Match[str]) -> str:
    """`![` becomes `[` unless the `!` is escaped: an image becomes a link with its alt text."""
    backslashes = found.group(1)
    return backslashes + "[" if len(backslashes) % 2 == 0 else found.group()


def _image_as_link(renderer, tokens: list[Token], index: int, options, env) -> str:
    """An image in the HTML report: a link to it, labelled with its alt text; nothing is fetched."""
    image = tokens[index]
    source = str(image.attrGet("src") or "")
    label = html_text.escape(renderer.renderInlineAsText(image.children or [], options, env) or source)
    return f'<a href="{html_text.escape(source)}">{label}</a>'


_RENDERER = MarkdownIt("js-default")  # CommonMark and GFM tables, raw HTML escaped
_RENDERER.validateLink = is_safe_link
_RENDERER.add_render_rule("image", _image_as_link)
