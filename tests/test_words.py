"""Words live in catalogues, not in code (STYLE.md): no Python module under lib/ or pages/ holds
Japanese text outside its comments, and the pages and their Streamlit glue pass no English sentence
straight to a widget. Text a user reads comes from lib/core/messages/*.toml through t() or message().

Strings are read with `tokenize`, so comments may keep Japanese examples; docstrings are strings."""

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u4e00-\u9fff\uff00-\uffef]")
MODULES = sorted([*(ROOT / "lib").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])

# Japanese that is data, not words shown to the user.
NOT_WORDS = {
    "lib/data/nav_files.py": "the column names and date marks of Japanese fund companies' NAV files (input it parses)",
}
# Japanese still in modules being reworked by their owner; move it to the catalogues, then drop the entry.
PENDING: dict[str, str] = {}


def japanese_strings(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [
        f"line {token.start[0]}: {token.string[:60]}"
        for token in tokens
        if token.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)) and JAPANESE.search(token.string)
    ]


def test_the_scan_finds_japanese_in_a_string_and_a_docstring_but_not_in_a_comment(tmp_path):
    module = tmp_path / "module.py"
    module.write_text('"""週次レポート"""\n# 続伸 is fine here\nWORD = "反発"\nOK = "rebounded"\n', encoding="utf-8")
    assert [found.split(":")[0] for found in japanese_strings(module)] == ["line 1", "line 3"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_holds_japanese_text(path):
    name = str(path.relative_to(ROOT))
    if name in NOT_WORDS or name in PENDING:
        pytest.skip(NOT_WORDS.get(name) or f"pending: {PENDING[name]}")
    assert japanese_strings(path) == [], f"{name}: put these words in lib/core/messages/ (or in a comment)"


def test_the_exceptions_still_hold_japanese():
    """An entry that no longer applies is dropped, so the list says what is left to move."""
    stale = [name for name in (*NOT_WORDS, *PENDING) if not japanese_strings(ROOT / name)]
    assert stale == []


# --- English sentences handed straight to Streamlit -----------------------------------------------

UI = sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "lib" / "ui").glob("*.py"), ROOT / "app.py"])
SHOWN_ARGUMENTS = {"label", "help", "placeholder", "body", "text", "caption", "title", "page_title", "show_spinner"}
SENTENCE = re.compile(r"[A-Za-z]+[ ,]+[A-Za-z]+")  # two words: "Loading prices…", "Month-end" is one


def english_sentences(path: Path) -> list[str]:
    """String literals passed to st.* (or a column, form or container) as what the user reads."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if isinstance(node.func.value, ast.Name) and node.func.value.id in ("log", "logging"):
            continue  # the server log is English, for whoever runs the server
        shown = [*node.args[:1], *(k.value for k in node.keywords if k.arg in SHOWN_ARGUMENTS)]
        for value in shown:
            text = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else ""
            if SENTENCE.search(text) and not text.startswith(":material/"):
                found.append(f"line {value.lineno}: {text[:60]}")
    return found


@pytest.mark.parametrize("path", UI, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_show_no_english_sentence_of_their_own(path):
    assert english_sentences(path) == [], "say it with t(key, lang): the sentence goes in lib/core/messages/"
