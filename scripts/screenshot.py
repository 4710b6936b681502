"""Screenshot the running dashboard in headless Chromium (Debian's package) for the README and for review.

python scripts/screenshot.py [--url http://localhost:8501] [--out docs/screenshot-ratio.png] [--lang ja]
python scripts/screenshot.py --url http://localhost:8501/notes --out docs/screenshot-notes.png \
    --wait "text=Research notes"
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the project root
from tests.browser import CHART, launch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8501", help="e.g. http://localhost:8501/funds")
    parser.add_argument("--out", default="docs/screenshot-ratio.png")
    parser.add_argument("--lang", choices=["en", "ja"], default="en")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1100)
    parser.add_argument("--wait", default=CHART, help="what to wait for (default: a drawn chart)")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.url, wait_until="networkidle")
        page.wait_for_selector(args.wait, timeout=60_000)
        if args.lang == "ja":
            page.get_by_text("日本語").click()
            page.wait_for_function("document.body.innerText.includes('ファンド')", timeout=30_000)
            page.wait_for_timeout(3000)
        page.wait_for_timeout(1000)
        page.screenshot(path=args.out, full_page=True)
        browser.close()
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
