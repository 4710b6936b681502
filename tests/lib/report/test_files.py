"""The report's files: the zip's contents, the HTML is self-contained and safe, the CLI."""

import datetime as dt
import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from lib.cli import main as cli
from lib.data import prices
from lib.data.price_files import read_price_file
from lib.data.store import PriceStore
from lib.notes.model import Note
from lib.report.draft import build_report
from lib.report.files import build_report_files
from tests.conftest import offline_yfinance_frame
from tests.lib.report.test_draft import brief_closes

NOW = dt.datetime(2026, 1, 7, 22, 0, tzinfo=dt.UTC)
AT = dt.datetime(2026, 1, 2, 22, tzinfo=dt.UTC)
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(2)) **bold**"


def brief_file(folder) -> Path:
    tidy = brief_closes().stack().rename("close").rename_axis(["date", "symbol"]).reset_index()
    path = folder / "brief.csv"
    tidy.to_csv(path, index=False)
    return path


@pytest.fixture
def files(tmp_path):
    price_set = prices.from_file(read_price_file(brief_file(tmp_path)), now=NOW, primary=("^RUO", "^GSPC"))
    notes = [Note(1, "u1", dt.date(2026, 1, 2), "<b>Venezuela</b>", HOSTILE, (), "a", AT, AT, 1)]
    report = build_report(price_set.closes, source="brief", lang="ja", notes=notes)
    return build_report_files(report, price_set, funds=["VSGAX"], base=pd.Timestamp("2025-07-01"))


def test_the_zip_holds_the_draft_in_both_formats_the_chart_and_the_csv_behind_it(files):
    archive = zipfile.ZipFile(io.BytesIO(files.zip()))
    names = sorted(archive.namelist())
    assert names == [
        "draft.html",
        "draft.md",
        "ratio_since_2025-07_to_2026-01-02.csv",
        "ratio_since_2025-07_to_2026-01-02.png",
    ]
    png = Image.open(io.BytesIO(archive.read("ratio_since_2025-07_to_2026-01-02.png")))
    assert png.size[0] > 1000  # rendered at 2x
    csv = archive.read("ratio_since_2025-07_to_2026-01-02.csv").decode()
    assert csv.splitlines()[-1].startswith("2026-01-02,24.388")  # 1672.67 / 6858.47
    draft = archive.read("draft.md").decode()
    assert draft.startswith("2026年1月2日の米国小型成長株インデックス(Russell 2000 Growth)は、1672.67")
    assert "\n→ [2025年7月以降の小型成長株とSP500の相対比較の推移](ratio_since_2025-07_to_2026-01-02.png)\n" in draft
    assert draft.endswith(f"<<b>Venezuela</b>>\n\n{HOSTILE}\n")  # the note's section ends the draft
    # no fund prices in the brief's file: the table is left out and a check says so
    assert "No fund prices" in files.checks[-1].text("en")


def test_the_html_embeds_the_chart_and_never_passes_html_from_a_note(files):
    page = files.html()
    assert '<img alt="レシオの推移（2025年7月以降）" src="data:image/png;base64,' in page
    assert "<script>" not in page and "javascript:" not in page.replace("[x](javascript:alert(2))", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<p>&lt;&lt;b&gt;Venezuela&lt;/b&gt;&gt;</p>" in page and "<strong>bold</strong>" in page
    assert "<b>" not in page
    assert "<li>Holiday week" not in page and "<li>休場のある週" in page


def offline(symbols, start, end, repair):
    return offline_yfinance_frame(symbols)


def test_report_from_the_command_line_with_the_store_compared(capsys, tmp_path, store_url):
    prices_file = brief_file(tmp_path)
    stored = brief_closes().stack().rename("close").rename_axis(["date", "symbol"]).reset_index()
    stored.loc[(stored["symbol"] == "^RUO") & (stored["date"] == "2026-01-02"), "close"] = 1672.71
    PriceStore(store_url).write(stored, source="team.csv", fetched_at=NOW)
    argv = ["report", "--prices", str(prices_file), "--lang", "en", "--out", str(tmp_path / "out")]
    code = cli.main(argv, now=NOW, fetcher=offline)
    out, err = capsys.readouterr()
    assert code == 0 and "week ending 2026-01-02" in out
    assert "check: ^RUO closed at 1672.67 on 2026-01-02 in file brief.csv but 1672.71 in the store" in err
    draft = (tmp_path / "out" / "draft.md").read_text(encoding="utf-8")
    assert draft.startswith(
        "On January 2, 2026, the US small-cap growth index (Russell 2000 Growth) closed at 1672.67. "
        "Over the week it fell back, down 17.96 points (-1.06%)."
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir())[0] == "draft.md"


def test_report_bad_input_is_one_line(capsys, tmp_path):
    assert cli.main(["report", "--as-of", "2026-13-01"], now=NOW, fetcher=offline) == 2
    assert capsys.readouterr().err == "error: '2026-13-01' is not a date: write it as YYYY-MM-DD.\n"
    with pytest.raises(SystemExit) as stopped:
        cli.main(["report", "--format", "pdf"], now=NOW, fetcher=offline)
    assert stopped.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
    (tmp_path / "taken").write_text("a file")
    assert cli.main(["report", "--out", str(tmp_path / "taken")], now=NOW, fetcher=offline) == 2


class Resources(HTMLParser):
    """What an HTML page would load: every src/srcset/poster/data/background attribute, every href
    outside <a>, every element that fetches or runs something, and url()/@import in styles."""

    LOADING = ("src", "srcset", "poster", "data", "background", "href", "action", "formaction")
    FETCHING = {"script", "iframe", "frame", "object", "embed", "link", "video", "audio", "source", "track", "base"}

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.links: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in self.FETCHING:
            self.loaded.append(f"<{tag}>")
        for name, value in attrs:
            if name == "href" and tag == "a":
                self.links.append(value or "")
            elif name in self.LOADING or (name == "style" and ("url(" in (value or "") or "@import" in (value or ""))):
                self.loaded.append(value or "")
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style and ("url(" in data or "@import" in data):
            self.loaded.append(data)


def test_the_html_report_loads_nothing_from_elsewhere(tmp_path):
    body = (
        "![pixel](https://tracker.invalid/p.png)\n\n"
        "> ![quoted](//tracker.invalid/q.png)\n\n"
        "![ref][r]\n\n[r]: http://tracker.invalid/r.png\n\n"
        '<img src="https://tracker.invalid/raw.png"> <link rel="stylesheet" href="https://tracker.invalid/s.css">\n'
    )
    price_set = prices.from_file(read_price_file(brief_file(tmp_path)), now=NOW, primary=("^RUO", "^GSPC"))
    notes = [Note(1, "u1", dt.date(2026, 1, 2), "Pixels", body, (), "a", AT, AT, 1)]
    report = build_report(price_set.closes, source="brief", lang="en", notes=notes)
    files = build_report_files(report, price_set, funds=["VSGAX"], base=pd.Timestamp("2025-07-01"))
    for page in (files.html(), files.html(files.markdown() + "\n![edited](https://tracker.invalid/e.png)\n")):
        found = Resources()
        found.feed(page)
        assert [source for source in found.loaded if not source.startswith("data:image/png;base64,")] == []
        assert "https://tracker.invalid/p.png" in found.links  # the image is a link to it, shown by its alt text
        assert '<a href="https://tracker.invalid/p.png">pixel</a>' in page
        assert '<a href="//tracker.invalid/q.png">quoted</a>' in page
        assert '<a href="http://tracker.invalid/r.png">ref</a>' in page
    assert "https://tracker.invalid/e.png" in found.links


def brief_files(tmp_path, template: str | None, lang="ja"):
    price_set = prices.from_file(read_price_file(brief_file(tmp_path)), now=NOW, primary=("^RUO", "^GSPC"))
    report = build_report(price_set.closes, source="brief", lang=lang, template=template)
    return build_report_files(report, price_set, funds=[], base=pd.Timestamp("2025-07-01"))


def test_whatever_a_template_writes_the_html_stays_safe(tmp_path):
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) {{ r2g.close }}"
    files = brief_files(tmp_path, hostile)
    assert files.markdown().startswith("<script>alert(1)</script>")  # the Markdown as the template wrote it
    page = files.html()
    assert "<script>" not in page and "<img src=x" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "1672.67" in page


def test_a_team_template_that_fails_on_a_week_leaves_the_default_draft_and_says_why(tmp_path):
    files = brief_files(tmp_path, "{{ r2g.close }}\n{{ ratio.sma13 }}")  # sma13 is no field
    assert files.markdown().startswith("2026年1月2日の米国小型成長株インデックス(Russell 2000 Growth)は、1672.67")
    assert files.checks[-1].text("en") == (
        "The team's template could not draft this week (The template, line 2: there is no field “sma13”. Check its "
        "spelling against the fields listed at the top of the default template.); this draft uses the default template."
    )
    assert str(files.template_problem).startswith("The template, line 2:")
