"""`report --template FILE`: the draft written with a template from a file, the team's template by
default, and a template that cannot draft the week refused with exit 2 and one line naming the line."""

import os

import pytest

from lib.cli import main as cli
from lib.notes.templates import TemplateStore
from tests.lib.report.test_files import NOW, brief_file, offline

UNDEFINED = (
    "there is no field “clsoe”. Check its spelling against the fields listed at the top of the default template."
)


def never_fetch(symbols, start, end, repair):
    raise AssertionError("a template that cannot be read must stop the command before any fetch")


def report(capsys, tmp_path, *extra, fetcher=offline):
    argv = ["report", "--prices", str(brief_file(tmp_path)), *extra]
    code = cli.main(argv, now=NOW, fetcher=fetcher)
    out, err = capsys.readouterr()
    return code, out, err


def template_file(tmp_path, text, name="weekly.md.j2"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_draft_is_written_with_the_template_of_the_file(capsys, tmp_path):
    path = template_file(tmp_path, "{{ date }}：{{ r2g.close }}({{ r2g.change_pct }}%)、{{ ratio.pct }}%\n")
    code, out, err = report(capsys, tmp_path, "--template", path)
    assert code == 0, err
    assert out == "2026年1月2日：1672.67(-1.06%)、24.39%\n"


def test_a_misspelt_field_exits_2_with_the_line_in_the_language_asked_for(capsys, tmp_path):
    path = template_file(tmp_path, "{{ date }}\n{{ r2g.clsoe }}\n")
    code, out, err = report(capsys, tmp_path, "--template", path)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == f"error: The template, line 2: {UNDEFINED}"
    code, out, err = report(capsys, tmp_path, "--template", path, "--lang", "ja")
    assert code == 2
    assert err.splitlines()[-1].startswith("error: テンプレートの2行目：「clsoe」という項目はありません。")


def test_a_syntax_error_exits_2_before_any_price_is_fetched(capsys, tmp_path):
    path = template_file(tmp_path, "{{ date }\n")
    code = cli.main(["report", "--template", path], now=NOW, fetcher=never_fetch)
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: The template, line 1: this is not template syntax")


def test_a_file_that_cannot_be_read_exits_2(capsys, tmp_path):
    missing = tmp_path / "none.md.j2"
    assert cli.main(["report", "--template", str(missing)], now=NOW, fetcher=never_fetch) == 2
    assert capsys.readouterr().err == f"error: The template file {missing} cannot be read: No such file or directory\n"
    latin = tmp_path / "latin.md.j2"
    latin.write_bytes("{{ date }} – été".encode("cp1252"))
    assert cli.main(["report", "--template", str(latin)], now=NOW, fetcher=never_fetch) == 2
    assert capsys.readouterr().err == f"error: The template file {latin} cannot be read: it is not UTF-8 text.\n"


def test_the_teams_template_drafts_by_default_and_a_file_wins_over_it(capsys, tmp_path):
    team = TemplateStore(os.environ["NOTES_DATABASE_URL"])
    team.save("en", "Team: {{ r2g.close }}\n", author="a")
    team.close()
    code, out, err = report(capsys, tmp_path, "--lang", "en")
    assert (code, out) == (0, "Team: 1672.67\n")
    path = template_file(tmp_path, "File: {{ ratio.pct }}\n")
    assert report(capsys, tmp_path, "--lang", "en", "--template", path)[1] == "File: 24.39\n"
    code, out, err = report(capsys, tmp_path, "--lang", "ja")  # no team template in Japanese
    assert out.startswith("2026年1月2日の米国小型成長株インデックス")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_team_template_that_fails_leaves_the_default_draft_and_a_check(capsys, tmp_path, lang):
    team = TemplateStore(os.environ["NOTES_DATABASE_URL"])
    team.save(lang, "{{ r2g.clsoe }}", author="a")
    team.close()
    code, out, err = report(capsys, tmp_path, "--lang", lang)
    assert code == 0
    assert out.startswith({"en": "On January 2, 2026, ", "ja": "2026年1月2日の米国小型成長株インデックス"}[lang])
    said = {"en": "check: The team's template could not draft this week", "ja": "check: チームのテンプレートでは"}
    assert said[lang] in err
