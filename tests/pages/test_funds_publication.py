"""The Funds page offers the blog's table beside the CSV: PNG and HTML downloads labelled in the page's
language (offline, on the demo data of an empty temporary store)."""

from __future__ import annotations

import pytest

from tests.pages.test_app import offline_app, start  # noqa: F401 - offline_app is autouse


@pytest.mark.parametrize(
    ("query", "png", "html"),
    [
        ({}, "Blog table (PNG)", "Blog table (HTML)"),
        ({"lang": "日本語"}, "ブログ用の表（PNG）", "ブログ用の表（HTML）"),
    ],
    ids=["en", "ja"],
)
def test_the_table_has_png_and_html_downloads_for_the_blog_in_the_pages_language(query, png, html):
    app = start(query)
    app.switch_page("pages/funds.py").run()
    assert not app.exception, app.exception
    labels = [button.proto.label for button in app.get("download_button")]
    assert {"CSV", png, html} <= set(labels)
