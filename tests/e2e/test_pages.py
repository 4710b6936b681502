"""Every page in a real browser, in English and in Japanese, with no exception anywhere."""

from tests.e2e.conftest import PAGES

# Text each page shows at the top, in each language (written out here, not read from lib/i18n).
TITLES = {
    "en": {
        "ratio": "Russell 2000 Growth ÷ S&P 500",
        "funds": "US small-cap growth funds",
        "notes": "Research notes",
        "report": "Weekly report draft",
    },
    "ja": {
        "ratio": "ラッセル2000グロース指数 ÷ S&P500",
        "funds": "米国小型グロース株ファンド",
        "notes": "リサーチメモ",
        "report": "週次コメントの下書き",
    },
}
NAV = {"en": ["Ratio", "Funds", "Notes", "Weekly report"], "ja": ["レシオ", "ファンド", "メモ", "週次レポート"]}


def test_every_page_opens_in_english_and_in_japanese_without_an_exception(tab):
    tab.open()
    tab.wait_for_charts(3)
    for lang in ("en", "ja"):
        if lang == "ja":
            tab.page.get_by_text("日本語", exact=True).click()
            tab.settle()
        for name, nav_label in zip(PAGES, NAV[lang], strict=True):
            tab.click_nav(nav_label)
            tab.wait_for_text(TITLES[lang][name])
            if name in ("ratio", "funds"):
                tab.wait_for_charts()
            tab.no_exception()
            tab.screenshot(f"{name}-{lang}")
    assert "lang=ja" in tab.page.url  # the language is in the link, as its stable key


def test_a_deep_link_to_each_page_opens_that_page(tab):
    for name, path in PAGES.items():
        tab.open(path)
        tab.wait_for_text(TITLES["en"][name])
        tab.no_exception()
