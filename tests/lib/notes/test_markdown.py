"""A note's Markdown as the pages show it (safe_markdown) and as the HTML report renders it (html):
no link outside http(s)/mailto however it is written, no image fetched, no raw HTML (issue 18, item 12
and its closing paragraph).

The check is independent of the code under test's choices: a separate markdown-it, with raw HTML on
and every link accepted, says which links, images and HTML a renderer would find in the output.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from lib.notes.markdown import html, is_safe_link
from lib.notes.model import safe_markdown

HYPOTHESIS = settings(max_examples=400, deadline=None, derandomize=True)
RENDERER_VIEW = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
RENDERER_VIEW.validateLink = lambda url: True


def rendered(markdown: str) -> dict[str, list[str]]:
    """What a renderer finds in `markdown`: link targets, image sources, raw HTML."""
    found: dict[str, list[str]] = {"links": [], "images": [], "html": []}

    def walk(tokens):
        for token in tokens:
            if token.type == "link_open":
                found["links"].append(token.attrGet("href"))
            elif token.type == "image":
                found["images"].append(token.attrGet("src"))
            elif token.type in ("html_inline", "html_block"):
                found["html"].append(token.content)
            walk(token.children or [])

    walk(RENDERER_VIEW.parse(markdown))
    return found


def scheme_of(href: str) -> str:
    """The URL's scheme as RFC 3986 spells it ("" for a relative link or a place in the page)."""
    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", href)
    return found.group(1).lower() if found else ""


@pytest.mark.parametrize(
    "body",
    [
        "> [r]: javascript:alert(1)\n>\n> [click][r]",  # the definition inside a blockquote
        "- [r]: javascript:alert(1)\n\n[click][r]",  # inside a list
        "1. [r]: javascript:alert(1)\n2. [click][r]",
        "[click](&#106;avascript:alert(1))",  # the scheme written as an entity
        "[click][r]\n\n[r]: &#x6A;avascript:alert(1)",
        "[click](java&#115;cript&#58;alert(1))",
        "| a |\n|---|\n| [click](JaVaScRiPt:alert(1)) |",  # in a table (GFM)
        "[click](vbscript:msgbox(1)) [f](file:///etc/passwd) [d](data:text/html;base64,PHNjcmlwdD4=)",
        "[a [b](javascript:x)](https://ok.example)",
    ],
)
def test_a_link_that_is_not_http_or_mailto_is_text_however_it_is_written(body):
    shown = rendered(safe_markdown(body))
    assert [href for href in shown["links"] if scheme_of(href) not in ("", "http", "https", "mailto")] == []


def test_a_refused_link_shows_as_typed():
    # a GFM footnote (Streamlit's dialect) holds blocks: its link is found as in a list item
    footnote = "[^1]: [x](&#106;avascript:alert(1))\n\nsee[^1]"
    assert safe_markdown(footnote) == "\\[^1\\]: \\[x\\](&#106;avascript:alert(1))\n\nsee[^1]"
    assert safe_markdown("[click](&#106;avascript:alert(1))") == "\\[click\\](&#106;avascript:alert(1))"
    assert safe_markdown("> [click][r]\n>\n> [r]: javascript:x") == "> \\[click\\]\\[r\\]\n>\n> [r]: javascript:x"


def test_the_old_pattern_cases_stay_dead_links_and_the_good_link_beside_them_stays():
    shown = safe_markdown("[click](javascript:alert(1)) [ok](https://example.com)\n[ref]: javascript:alert(2)\n")
    assert rendered(shown)["links"] == ["#blocked-javascript:alert(1)", "https://example.com"]


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("![x](https://tracker.invalid/p.png)", "[x](https://tracker.invalid/p.png)"),
        ("see ![pixel](//tracker.invalid/p.png) here", "see [pixel](//tracker.invalid/p.png) here"),
        ("![x][p]\n\n[p]: http://tracker.invalid/p.png", "[x][p]\n\n[p]: http://tracker.invalid/p.png"),
        ("> - ![x](https://tracker.invalid/p.png)", "> - [x](https://tracker.invalid/p.png)"),
        ("\\![not an image](https://ok.example)", "\\![not an image](https://ok.example)"),
    ],
)
def test_an_image_becomes_a_link_with_its_alt_text(body, shown):
    assert safe_markdown(body) == shown
    assert rendered(shown)["images"] == []


def test_ordinary_notes_come_through_unchanged():
    body = "## 信用不安\n\n- BDC の解約が増えた ([記事](https://example.com/a))\n- costs 5 points\n\n> 引用"
    assert safe_markdown(body) == body


MARKDOWN_PIECES = st.sampled_from(
    [
        "[", "]", "(", ")", "!", "<", ">", ":", "\\", "`", "*", "|", '"', " ", "\n", "\n\n", "> ", "- ", "1. ",
        "    ", "|---|", "x", "javascript:", "JAVASCRIPT:", "&#106;", "&#58;", "java&#115;cript", "data:", "%3A",
        "https://tracker.invalid/p.png", "//t.invalid/p.png", "mailto:a@b.c", "[r]: ", "[r]", "[^1]: ", "[^1]",
        "![x](", "](", "<script>", "<img src=x>", "[c](&#106;avascript:x)", "[c](javascript:x)", "[c][r]",
        "[r]: &#106;avascript:x\n", "> [r]: javascript:x\n", "- [r]: javascript:x\n", "![p](https://t.invalid/p)",
    ]
)  # fmt: skip


@HYPOTHESIS
@given(st.lists(MARKDOWN_PIECES, max_size=40).map("".join))
def test_no_generated_note_shows_an_unsafe_link_an_image_or_html(body):
    shown = rendered(safe_markdown(body))
    assert [href for href in shown["links"] if not is_safe_link(href)] == []
    assert shown["images"] == [] and shown["html"] == []
    page = html(body)
    assert "<img" not in page and "<script" not in page
    assert [href for href in HrefsAndSources.of(page).hrefs if not is_safe_link(href)] == []


class HrefsAndSources(HTMLParser):
    """Every href and src attribute of an HTML text."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.sources: list[str] = []

    @classmethod
    def of(cls, page: str) -> HrefsAndSources:
        parser = cls()
        parser.feed(page)
        return parser

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value or "" for name, value in attrs if name == "href"]
        self.sources += [value or "" for name, value in attrs if name == "src"]


@pytest.mark.parametrize(
    ("href", "safe"),
    [
        ("https://example.com", True),
        ("mailto:a@b.c", True),
        ("#section", True),
        ("ratio_since_2025-07.png", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java%09script:alert(1)", False),  # a tab inside the scheme, percent-encoded
        ("&#106;avascript:alert(1)", False),
        (" \tjavascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_which_links_may_be_followed(href, safe):
    assert is_safe_link(href) is safe


def test_a_text_still_found_unsafe_after_every_pass_is_shown_as_plain_text(monkeypatch):
    from lib.notes import markdown

    monkeypatch.setattr(markdown, "PASSES", 0)  # as if the passes ran out
    shown = safe_markdown("[x](&#106;avascript:y) ![p](https://t.invalid/p.png) <b>$5</b>")
    assert rendered(shown) == {"links": [], "images": [], "html": []}
    assert (
        RENDERER_VIEW.renderInline(shown)
        == "[x](&amp;#106;avascript:y) ![p](https://t.invalid/p.png) &lt;b&gt;$5&lt;/b&gt;"
    )
