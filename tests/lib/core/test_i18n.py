"""The message catalogues (lib/core/messages/*.toml) and the errors that speak through them.

The catalogues must agree: the same keys, the same {placeholders} in both languages. Every error
says its English sentence as before (str) and a Japanese one on a Japanese page (error.text("ja"));
the expected snippets are written out by hand here, never read from the catalogues.
"""

import datetime as dt
import re
import string
import tomllib
from pathlib import Path

import pytest

from lib.core import errors
from lib.core.errors import DashboardError
from lib.core.i18n import CATALOGUES, DATE_STYLES, Joined, format_date, message, t
from lib.notes.model import Note, NoteDraft
from lib.ui.data_page import Refused

ROOT = Path(__file__).resolve().parents[3]
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u4e00-\u9fff\uff00-\uffef]")
ENGLISH_FRAGMENTS = (" is not ", " the ", " cannot ", " was ", " has no ", " must ", "Unknown ", "There is ")
DATE_FIELDS = {"iso", "year", "month", "day", "month_name"}


def load(lang: str) -> dict:
    with (CATALOGUES / f"{lang}.toml").open("rb") as handle:
        return tomllib.load(handle)


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def catalogue_problems(first: dict, second: dict) -> list[str]:
    """What keeps two catalogues from being translations of each other."""
    problems = [f"{key}: only in the first" for key in first.keys() - second.keys()]
    problems += [f"{key}: only in the second" for key in second.keys() - first.keys()]
    for key in first.keys() & second.keys():
        if isinstance(first[key], str) and placeholders(first[key]) != placeholders(second[key]):
            problems.append(f"{key}: {sorted(placeholders(first[key]))} vs {sorted(placeholders(second[key]))}")
    return sorted(problems)


def test_the_catalogues_have_the_same_keys_and_placeholders():
    assert catalogue_problems(load("en"), load("ja")) == []


def test_the_check_finds_a_missing_key_and_a_different_placeholder():
    english = {"greeting": "Hello {name}", "farewell": "Bye", "week": "Week ending {week}"}
    japanese = {"greeting": "こんにちは {name}", "week": "{day}の週"}
    assert catalogue_problems(english, japanese) == [
        "farewell: only in the first",
        "week: ['week'] vs ['day']",
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_date_pattern_is_there_and_uses_only_the_date_fields(lang):
    dates = load(lang)["dates"]
    assert set(DATE_STYLES) <= set(dates)
    assert len(dates["month_names"]) == 12
    for style in DATE_STYLES:
        assert placeholders(dates[style]) <= DATE_FIELDS, style


def test_every_key_the_code_names_is_in_the_catalogue():
    """t("key", ...) and message("key", ...) with a literal key: a typo fails here, not on a page."""
    named = re.compile(r"""(?<![\w.])(?:t|message)\(\s*["']([\w-]+)["']""")
    keys = load("en").keys()
    sources = [*ROOT.joinpath("lib").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py"), ROOT / "app.py"]
    missing = {
        f"{path.relative_to(ROOT)}: {key}"
        for path in sources
        for key in named.findall(path.read_text(encoding="utf-8"))
        if key not in keys
    }
    assert missing == set()


def test_dates_read_as_iso_in_english_and_the_japanese_way_in_japanese():
    day = dt.date(2025, 11, 28)
    assert format_date(day, "en") == "2025-11-28"
    assert format_date(day, "ja") == "2025年11月28日"
    assert format_date(dt.date(2022, 1, 3), "en", "month") == "January 2022"
    assert format_date(dt.date(2022, 1, 3), "ja", "month") == "2022年1月"
    assert format_date(dt.date(2022, 1, 3), "en", "month_number") == "2022-01"
    assert format_date(dt.date(2026, 1, 2), "en", "prose") == "January 2, 2026"
    assert format_date(dt.date(2026, 1, 2), "ja", "prose") == "1月2日"


def test_a_message_shows_its_dates_lists_and_nested_messages_in_the_language():
    said = message("check_holiday", days=Joined((dt.date(2026, 1, 1),)), sessions=4, last=dt.date(2026, 1, 2))
    assert str(said) == "Holiday week: the NYSE was closed on 2026-01-01; 4 sessions, the week closes on 2026-01-02."
    assert said.text("ja") == "休場のある週：NYSE は2026年1月1日に休場（4 営業日、週末値は2026年1月2日）。"
    two = Joined((dt.date(2025, 11, 27), dt.date(2025, 11, 28)))
    assert two.text("en") == "2025-11-27, 2025-11-28"
    assert two.text("ja") == "2025年11月27日、2025年11月28日"
    nested = message("error_unknown_symbol", symbol="^XYZ", where=message("where_price_data"))
    assert nested.text("ja") == "^XYZ は不明な銘柄です：価格データに価格がありません。"


def test_an_unknown_key_is_refused_at_once():
    with pytest.raises(KeyError, match="no text for 'no_such_key'"):
        message("no_such_key")


def test_the_language_picker_names_each_language_in_itself():
    assert [t("lang_name_en", lang) for lang in ("en", "ja")] == ["English", "English"]
    assert [t("lang_name_ja", lang) for lang in ("en", "ja")] == ["日本語", "日本語"]


# --- Every error, in English as before and in Japanese ------------------------------------------

AT = dt.datetime(2026, 1, 2, 9, 30, tzinfo=dt.UTC)
THEIRS = Note(7, "u7", dt.date(2026, 1, 2), "Title", "Their text", (), "", AT, AT, 3)
MINE = NoteDraft(dt.date(2026, 1, 2), "Title", "My text", ())

# class name -> (the error, its English sentence, snippets of its Japanese sentence)
ERRORS = {
    "DashboardError": (
        DashboardError(message("nav_missing")),
        "Choose a file and give the fund an identifier and a name.",
        ["ファイルを選び", "識別子とファンド名"],
    ),
    "UnknownSymbol": (
        errors.UnknownSymbol("^XYZ"),
        "Unknown symbol '^XYZ': no prices for it in the price data.",
        ["^XYZ は不明な銘柄です", "価格データ"],
    ),
    "InvalidSymbol": (
        errors.InvalidSymbol("not a ticker"),
        "'not a ticker' is not a ticker: use Yahoo spelling such as ^RUO, ^GSPC or VSGAX.",
        ["ティッカーではありません", "Yahooの表記"],
    ),
    "InvalidDate": (
        errors.InvalidDate("2025-13-01"),
        "'2025-13-01' is not a date: write it as YYYY-MM-DD.",
        ["'2025-13-01' は日付ではありません", "YYYY-MM-DD の形"],
    ),
    "EmptyRange": (
        errors.EmptyRange(dt.date(2025, 6, 1), dt.date(2025, 1, 1)),
        "The date range 2025-06-01 to 2025-01-01 is empty: the start must come before the end.",
        ["期間 2025年6月1日〜2025年1月1日 は空です"],
    ),
    "InvalidOutput": (
        errors.InvalidOutput("chart.txt"),
        "Cannot write chart.txt: name a .png, .svg or .csv file.",
        ["chart.txt には書き出せません"],
    ),
    "InvalidTableOutput": (
        errors.InvalidTableOutput("table.svg"),
        "Cannot write table.svg: name a .png or .html file.",
        ["table.svg には書き出せません", ".png または .html"],
    ),
    "OutsideData": (
        errors.OutsideData(dt.date(1995, 1, 6), dt.date(2001, 1, 2), dt.date(2025, 12, 16)),
        "1995-01-06 is outside the data, which runs from 2001-01-02 to 2025-12-16.",
        ["1995年1月6日 はデータの範囲外です", "2001年1月2日 から 2025年12月16日 まで"],
    ),
    "NotEnoughHistory": (
        errors.NotEnoughHistory("^RUO", 26, 10),
        "^RUO needs 26 weekly closes; the data has 10 up to that week.",
        ["26週分の終値が必要", "10週分"],
    ),
    "MissingClose": (
        errors.MissingClose("^RUO", dt.date(2025, 12, 19)),
        "No close for ^RUO on 2025-12-19, the last NYSE session of that week, and none earlier in the week. "
        "Import the close to fill the gap.",
        ["その週の最終取引日 2025年12月19日", "終値がありません"],
    ),
    "InvalidPriceFile": (
        errors.InvalidPriceFile(
            "prices.csv",
            [
                errors.LineError(2, message("line_bad_date", text="2025-13-01")),
                errors.LineError(3, message("line_blank")),
            ],
        ),
        "prices.csv was rejected (2 errors), nothing imported:\n"
        "  line 2: date '2025-13-01' is not YYYY-MM-DD\n"
        "  line 3: blank line",
        [
            "取り込みませんでした（エラー 2 件）",
            "2 行目：日付 '2025-13-01' が YYYY-MM-DD の形ではありません",
            "3 行目：空行です",
        ],
    ),
    "SourceUnavailable": (
        errors.SourceUnavailable("Yahoo Finance", message("reason_timeout", seconds=30.0)),
        "Yahoo Finance is unreachable (no answer within 30 s); nothing stored was changed.",
        ["Yahoo Finance に接続できません", "30 秒以内に応答がありません"],
    ),
    "StoreUnavailable": (
        errors.StoreUnavailable("sqlite:///var/prices.sqlite", message("reason_locked")),
        "The price store at sqlite:///var/prices.sqlite cannot be used "
        "(it is locked by another process; try again in a moment).",
        ["価格データベース sqlite:///var/prices.sqlite を使えません", "ロックしています"],
    ),
    "RefreshBusy": (
        errors.RefreshBusy(60),
        "Another refresh of the price store has been running for over 60 seconds: nothing was fetched. "
        "Try again later.",
        ["別の価格データベース更新が 60 秒以上続いている", "取得しませんでした"],
    ),
    "InvalidNote": (
        errors.InvalidNote(message("note_title_long", length=250, limit=200)),
        "The title has 250 characters; a title holds at most 200.",
        ["タイトルが 250 文字あります", "200 文字まで"],
    ),
    "UnknownTag": (
        errors.UnknownTag("Crypto", ["Venezuela", "Tariffs"]),
        "Unknown tag 'Crypto': the tags are Venezuela, Tariffs (add new ones under Tags first).",
        ["'Crypto' は不明なタグです", "「タグ」で追加"],
    ),
    "InvalidTag": (
        errors.InvalidTag(message("tag_merge_self")),
        "A tag cannot be merged into itself.",
        ["タグを自分自身に統合することはできません"],
    ),
    "NoteNotFound": (errors.NoteNotFound(42), "There is no note 42.", ["メモ 42 はありません"]),
    "NoteConflict": (
        errors.NoteConflict(MINE, THEIRS, 2),
        "This note was saved by someone at 2026-01-02 09:30 UTC (version 3) after you opened version 2: "
        "your text was not saved and nothing was overwritten. Compare both, then save again.",
        ["第2版を開いた後に 別の人 が 2026-01-02 09:30 UTC に保存しました（第3版）", "何も上書きしていません"],
    ),
    "NotesUnavailable": (
        errors.NotesUnavailable("sqlite:///var/notes.sqlite", "disk I/O error"),
        "The notes database at sqlite:///var/notes.sqlite cannot be used (disk I/O error); nothing was changed.",
        ["メモのデータベース sqlite:///var/notes.sqlite を使えません", "何も変更していません"],
    ),
    "NotesBusy": (
        errors.NotesBusy(10.2),
        "The notes database stayed busy with other saves for 10 s: nothing was saved and your text is kept. "
        "Try again in a moment.",
        ["10 秒間ふさがっていました", "入力した文章は残っています"],
    ),
    "InvalidNotesFile": (
        errors.InvalidNotesFile("notes.json", [message("note_title_empty")]),
        "notes.json was rejected, nothing imported:\n  The title is empty: give the note a title.",
        ["notes.json は取り込みませんでした", "タイトルが空です"],
    ),
    "NotesReadOnly": (
        errors.NotesReadOnly(),
        "The notes are read-only on this deployment ([notes] read_only or NOTES_READ_ONLY): nothing was saved.",
        ["この環境ではメモは閲覧のみです", "何も保存していません"],
    ),
    "WriteRefused": (
        errors.WriteRefused(message("store_read_only")),
        "The price data and the fund list are read-only on this deployment ([notes] read_only or "
        "NOTES_READ_ONLY): imports and changes are refused.",
        ["価格データとファンド一覧は閲覧のみです", "取り込みや変更はできません"],
    ),
    "InvalidFund": (
        errors.InvalidFund(message("error_fund_name_long", field=message("fund_field_name"), length=300, limit=200)),
        "The fund name is 300 characters long; at most 200 are kept. Shorten it: nothing was imported.",
        ["ファンド名が 300 文字あります", "200 文字まで"],
    ),
    "SymbolTaken": (
        errors.SymbolTaken(
            message(
                "error_symbol_taken",
                symbol="^GSPC",
                name="S&P 500",
                kind=message("kind_index"),
                currency="USD",
                new_kind=message("kind_mutual_fund"),
                new_currency="JPY",
            )
        ),
        "^GSPC is S&P 500, an index in USD: a fund in JPY cannot be stored under it, so nothing was imported. "
        "Give this fund another identifier.",
        ["^GSPC は S&P 500（指数、USD建て）です", "JPY建ての投資信託はこのシンボルで保存できない"],
    ),
    "ClosesWouldChange": (
        errors.ClosesWouldChange(
            "file nav.csv",
            3,
            message(
                "closes_largest_change",
                symbol="^GSPC",
                day=dt.date(2025, 6, 2),
                old="5,931.77",
                new="10,630",
                change="+79.20",
            ),
            0.5,
        ),
        "file nav.csv would change 3 stored closes by more than 0.5 % (the largest: ^GSPC on 2025-06-02, "
        "5,931.77 → 10,630, +79.20 %); nothing was imported. To replace them, import again with --replace on "
        "the command line, or confirm on the page; the closes replaced are kept, and undo-import brings them back.",
        ["保存済みの終値 3 件が 0.5% を超えて変わります", "2025年6月2日 の ^GSPC、5,931.77 → 10,630、+79.20%"],
    ),
    "NothingToUndo": (
        errors.NothingToUndo("file week.csv"),
        "The store holds no closes from file week.csv: there is nothing to undo (give the file's name as the "
        "Data page's source column shows it).",
        ["file week.csv から取り込んだ終値は保存されていない"],
    ),
    "InvalidTemplate": (
        errors.InvalidTemplate(
            message("error_template_at", line=3, problem=message("template_undefined", name="clsoe"))
        ),
        "The template, line 3: there is no field “clsoe”. "
        "Check its spelling against the fields listed at the top of the default template.",
        ["テンプレートの3行目", "「clsoe」という項目はありません"],
    ),
    "TemplateNotSaved": (
        errors.TemplateNotSaved(message("error_template_read_only")),
        "The templates are read-only on this deployment ([notes] read_only or NOTES_READ_ONLY): nothing was saved.",
        ["テンプレートは読み取り専用です", "保存していません"],
    ),
    "Refused": (
        Refused(message("data_gap_no_close", symbol="^RUO", day=dt.date(2025, 12, 16))),
        "Type the close of ^RUO on 2025-12-16.",
        ["2025年12月16日 の ^RUO の終値を入力してください"],
    ),
}


def every_error_class(base: type = DashboardError) -> set[str]:
    found = {base.__name__}
    for subclass in base.__subclasses__():
        found |= every_error_class(subclass)
    return found


def test_every_error_class_has_a_sample_here():
    assert every_error_class() == set(ERRORS)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_the_error_speaks_english_as_before_and_japanese_on_a_japanese_page(name):
    error, english, japanese = ERRORS[name]
    assert error.message is not None  # a key and values, not only an English sentence
    assert str(error) == english
    with pytest.raises(type(error), match=re.escape(english.splitlines()[0])):
        raise error
    shown = error.text("ja")
    assert JAPANESE.search(shown), shown
    for snippet in japanese:
        assert snippet in shown, shown
    assert not [fragment for fragment in ENGLISH_FRAGMENTS if fragment in shown], shown


def test_a_line_given_as_plain_text_is_shown_as_it_stands():
    """A reason not yet moved to a key (lib/cli passes one) is English in both languages."""
    error = errors.InvalidPriceFile("x.csv", [errors.LineError(0, "cannot be read (No such file)")])
    assert str(error) == "x.csv was rejected (1 error), nothing imported:\n  line 0: cannot be read (No such file)"
    assert error.text("ja").endswith("0 行目：cannot be read (No such file)")


def test_a_long_list_of_bad_lines_ends_with_a_count():
    bad = [errors.LineError(line, message("line_blank")) for line in range(2, 62)]
    error = errors.InvalidPriceFile("x.csv", bad)
    assert str(error).splitlines()[-1] == "  ... and 10 more"
    assert error.text("ja").splitlines()[-1] == "  …ほか 10 件"
