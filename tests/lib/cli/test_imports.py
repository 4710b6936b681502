"""A command pays only for what it runs: `weekly --prices` never loads the chart renderer, the database
layer, the notes or the report (bench/cli.py measures the time; this keeps the imports from creeping back)."""

import json
import subprocess
import sys

from tests.browser import ROOT
from tests.conftest import FIXTURES

PROBE = """
import io, json, sys, contextlib
from lib.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
loaded = sorted({name.split(".")[0] for name in sys.modules} | {n for n in sys.modules if n.startswith("lib.")})
print(json.dumps({"code": code, "loaded": loaded}))
"""


def loaded_by(*argv: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], set(result["loaded"])


def test_weekly_from_a_file_loads_no_renderer_database_notes_or_report():
    code, loaded = loaded_by("weekly", "--prices", str(FIXTURES / "price_files" / "good_tidy.csv"))
    assert code == 0
    heavy = {"altair", "vl_convert", "sqlalchemy", "yaml", "markdown_it", "streamlit", "yfinance"}
    assert not heavy & loaded, heavy & loaded
    assert not {n for n in loaded if n.startswith(("lib.notes", "lib.report", "lib.ui"))}


def test_help_loads_no_command():
    done = subprocess.run(
        [sys.executable, "-c", PROBE.replace("main(sys.argv[1:])", "0"), ""], cwd=ROOT, capture_output=True, text=True
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1])["loaded"])
    assert not {n for n in loaded if n.startswith(("lib.cli.weekly", "lib.cli.report", "lib.cli.notes"))}
