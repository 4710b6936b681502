"""The weekly comment's templates: the analyst's published pattern character for character (the week
ending 2026-01-02), the grade against the Dow and the S&P 500 at its thresholds, theme sections and
external factors, an edited template's errors in the user's language, and the sandbox."""

import datetime as dt
import re

import pytest

from lib.core.errors import InvalidTemplate
from lib.notes.model import Note, Tag
from lib.report.draft import build_report
from lib.report.fields import Link, calc_versus, grade_gap
from lib.report.template import TEMPLATES, default_template
from tests.lib.report.test_draft import brief_closes

AT = dt.datetime(2026, 1, 2, 22, tzinfo=dt.UTC)
RATIO_CHART = Link("ratio", dt.date(2022, 1, 1), "ratio_since_2022-01_to_2026-01-02.png", "chart")
FUND_TABLE = Link("funds", dt.date(2024, 11, 29), "funds_as_of_2024-11-29.csv", "table")


def note(id_, title, body, *tags, week="2026-01-02"):
    return Note(id_, f"u{id_}", dt.date.fromisoformat(week), title, body, tags, "a", AT, AT, 1)


# --- The published pattern ------------------------------------------------------------------------


def test_the_2026_01_02_week_reads_as_published_character_for_character():
    """brief_closes() holds the published closes; worked out by hand:
    R2G 1672.67 - 1690.63 = -17.96 points, -17.96 / 1690.63 = -1.0623 % -> -1.06 %; the week before it
    rose 1646.72 -> 1690.63 (+2.67 %), so a fall of 1 % to 3 % is 反落 (neither 小幅 nor 大幅).
    Dow 47678.40 / 48000.00 - 1 = -0.6700 % -> -0.67 %; S&P 500 6858.47 / 6929.94 - 1 = -1.0313 % -> -1.03 %.
    Gaps: -1.06 - (-0.67) = -0.39 pts (slightly weaker: 0.25 <= 0.39 < 1.00), -1.06 - (-1.03) = -0.03
    (about the same); neither points up, so the grade is slightly weaker, and small caps fell too: 「も」.
    Ratio 1672.67 / 6858.47 = 24.3884 % -> 24.39 %; 26-week mean (24 x 24.2165 + 24.3960 + 24.3884) / 26
    = 24.2300 %, deviation 24.3884 - 24.2300 = +0.158 -> +0.16, written "%" as the posts do."""
    report = build_report(brief_closes(), source="brief", lang="ja")
    paragraphs = report.markdown([RATIO_CHART, FUND_TABLE]).split("\n\n")
    assert paragraphs[:6] == [
        "2026年1月2日の米国小型成長株インデックス(Russell 2000 Growth)は、1672.67で終わりました。"
        "一週間前に比べて-17.96(-1.06%)と反落しました。",
        "主要インデックスのNYダウ(前週末比-0.67%)およびSP500(前週末比-1.03%)に比べてもやや弱い動きとなっています。",
        "<小型成長株相場とラッセル2000グロース VS SP500>",
        "2026年1月2日時点の、ラッセル2000グロース÷SP500は1672.67/6858.47=24.39%、26週移動平均との乖離は+0.16%でした。",
        "→ [2022年1月以降の小型成長株とSP500の相対比較の推移](ratio_since_2022-01_to_2026-01-02.png)",
        "→ [小型成長株関連投資信託のパフォーマンス(2024年11月末時点)](funds_as_of_2024-11-29.csv)\n",
    ]
    assert report.opening == paragraphs[0] and report.comparison == paragraphs[1]
    assert report.ratio_paragraph == "\n\n".join(paragraphs[2:4])


def test_english_has_the_same_structure_in_plain_financial_english():
    report = build_report(brief_closes(), source="brief", lang="en")
    assert report.markdown([RATIO_CHART, FUND_TABLE]).split("\n\n") == [
        "On January 2, 2026, the US small-cap growth index (Russell 2000 Growth) closed at 1672.67. "
        "Over the week it fell back, down 17.96 points (-1.06%).",
        "Small-cap growth was slightly weaker than the major indices: the Dow (-0.67% on the week) "
        "and the S&P 500 (-1.03%).",
        "<Small-cap growth: Russell 2000 Growth vs S&P 500>",
        "As of January 2, 2026, Russell 2000 Growth ÷ S&P 500 was 1672.67/6858.47 = 24.39%, "
        "+0.16 points from its 26-week moving average.",
        "→ [Small-cap growth relative to the S&P 500 since January 2022](ratio_since_2022-01_to_2026-01-02.png)",
        "→ [Small-cap growth funds: performance to the end of November 2024](funds_as_of_2024-11-29.csv)\n",
    ]


def test_the_deviation_unit_is_the_templates_to_choose():
    edited = default_template("ja").replace('{% set deviation_unit = "%" %}', '{% set deviation_unit = "ポイント" %}')
    report = build_report(brief_closes(), source="brief", lang="ja", template=edited)
    assert report.ratio_paragraph.endswith("26週移動平均との乖離は+0.16ポイントでした。")


def test_a_link_left_out_leaves_no_line():
    report = build_report(brief_closes(), source="brief", lang="ja")
    text = report.markdown([RATIO_CHART])
    assert "→ [2022年1月以降" in text and "投資信託" not in text
    assert "→" not in report.markdown()


def test_a_week_at_the_start_of_the_data_drafts_what_it_can():
    two_weeks = brief_closes().loc["2025-12-26":]  # no week before the previous one, no 26 weeks
    ja = build_report(two_weeks, source="brief", lang="ja").markdown().split("\n\n")
    assert ja[0].endswith("1672.67で終わりました。一週間前に比べて-17.96(-1.06%)となりました。")  # no direction word
    assert ja[3].endswith("=24.39%、26週移動平均との乖離は、データが足りないため算出できませんでした。\n")  # the end
    en = build_report(two_weeks, source="brief", lang="en").markdown().split("\n\n")
    assert en[0].endswith("closed at 1672.67. Over the week it was down 17.96 points (-1.06%).")
    assert en[3].endswith("= 24.39%, and its 26-week moving average cannot be computed from the data yet.\n")
    one_week = build_report(brief_closes().loc["2025-12-29":], source="brief", lang="ja")
    assert one_week.opening == (
        "2026年1月2日の米国小型成長株インデックス(Russell 2000 Growth)は、1672.67で終わりました。"
    )
    assert one_week.comparison == ""  # no week's move to compare


# --- The grade against the Dow and the S&P 500 ------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "grade"),
    [
        (0.0, 0),
        (0.24, 0),
        (0.25, 1),  # at the threshold: slightly
        (0.99, 1),
        (1.00, 2),  # at the threshold: clearly
        (-0.24, 0),
        (-0.25, -1),
        (-0.99, -1),
        (-1.00, -2),
        (2.55 - 2.30, 1),  # 0.24999999999999978 in floating point: the printed gap is 0.25
    ],
)
def test_each_gap_is_graded_at_the_thresholds(gap, grade):
    assert grade_gap(gap) == grade


@pytest.mark.parametrize(
    ("small", "others", "grade"),
    [
        (-1.06, [-0.67, -1.03], "slightly_weaker"),  # the published week: -0.39 and -0.03
        (2.55, [2.30, 1.72], "slightly_stronger"),  # 2025-07-03: +0.25 and +0.83
        (6.31, [3.18, 3.73], "stronger"),  # 2025-11-28: +3.13 and +2.58
        (1.00, [0.50, 1.50], "about_same"),  # between the two: +0.50 and -0.50
        (1.00, [0.10, 1.20], "slightly_stronger"),  # +0.90 and -0.20: the second is about the same, none down
        (-2.79, [0.34, 0.08], "weaker"),  # 2025-11-14: -3.13 and -2.87
        (-1.06, [-1.03], "about_same"),  # one index only
        (-1.06, [], None),  # nothing to compare with
        (-1.0649, [-0.8149], "slightly_weaker"),  # printed -1.06 and -0.81: -0.25, never -0.2500 - 0.0000
    ],
)
def test_the_grade_against_both_indices(small, others, grade):
    assert calc_versus(small, others) == grade


def test_small_caps_rising_less_than_the_indices_is_weaker_without_mo():
    closes = brief_closes()
    week = closes.index >= "2025-12-29"
    closes.loc[week, "^RUO"] = 1699.08  # +8.45 on 1690.63: +0.50 %
    closes.loc[week, "^DJI"] = 48960.00  # +2.00 % on 48000.00
    closes.loc[week, "^GSPC"] = 7068.54  # +2.00 % on 6929.94 (7068.5388)
    report = build_report(closes, source="brief", lang="ja")
    # gaps -1.50 and -1.50: weaker; small caps rose, so no 「も」
    assert report.comparison == (
        "主要インデックスのNYダウ(前週末比+2.00%)およびSP500(前週末比+2.00%)に比べて弱い動きとなっています。"
    )
    assert report.opening.endswith("一週間前に比べて+8.45(+0.50%)と小幅続伸しました。")


def test_without_the_dow_the_comparison_names_the_sp500_alone():
    report = build_report(brief_closes().drop(columns="^DJI"), source="brief", lang="ja")
    assert report.comparison == "主要インデックスのSP500(前週末比-1.03%)に比べてほぼ同程度の動きとなっています。"


# --- Theme sections -------------------------------------------------------------------------------


def test_notes_are_grouped_by_their_first_tag_and_external_factors_gathered():
    notes = [
        note(1, "米国のベネズエラ攻撃", "原油は上昇。\n", "venezuela", "middle-east"),
        note(2, "中国の景気減速", "小売売上高が鈍化。", "china-economy"),
        note(3, "BDCの解約", "解約が増加。", "private-credit"),
        note(4, "イラン情勢", "緊張が続く。", "middle-east"),
        note(5, "BDC続報", "続報。", "private-credit"),
        note(6, "メモ", "タグのないメモ。"),
        note(7, "先週の中国", "入らない。", "china-economy", week="2025-12-26"),
    ]
    renamed = [Tag("private-credit", "Private credit", "私募クレジット", "#ff7f0e")]  # the analysts renamed it
    report = build_report(brief_closes(), source="brief", lang="ja", notes=notes, tags=renamed)
    themes = report.markdown().split("<小型成長株相場とラッセル2000グロース VS SP500>")[1].split("でした。\n\n", 1)[1]
    assert themes == (
        "<ベネズエラ>\n\n**米国のベネズエラ攻撃**\n\n原油は上昇。\n\n"
        "<私募クレジット>\n\n**BDCの解約**\n\n解約が増加。\n\n**BDC続報**\n\n続報。\n\n"
        "<メモ>\n\nタグのないメモ。\n\n"
        "<外部材料>\n\n・中国経済\n\n**中国の景気減速**\n\n小売売上高が鈍化。\n\n"
        "・中東情勢\n\n**イラン情勢**\n\n緊張が続く。\n"
    )
    english = build_report(brief_closes(), source="brief", lang="en", notes=notes[:2])
    assert english.markdown().endswith(
        "<Venezuela>\n\n**米国のベネズエラ攻撃**\n\n原油は上昇。\n\n"
        "<External factors>\n\n• China economy\n\n**中国の景気減速**\n\n小売売上高が鈍化。\n"
    )


def test_a_deleted_note_is_not_written():
    deleted = Note(1, "u1", dt.date(2026, 1, 2), "消したメモ", "本文", (), "a", AT, AT, 2, deleted_at=AT)
    report = build_report(brief_closes(), source="brief", lang="ja", notes=[deleted])
    assert "消したメモ" not in report.markdown()


# --- An edited template: errors in the user's language, naming the line --------------------------


def failure(text: str, lang: str = "en") -> str:
    report = build_report(brief_closes(), source="brief", lang="ja", template=text)
    with pytest.raises(InvalidTemplate) as raised:
        report.markdown()
    return raised.value.text(lang)


def test_a_misspelt_field_names_its_line_in_either_language():
    text = "{{ date }}\n\n{{ r2g.clsoe }}\n"
    assert failure(text) == (
        "The template, line 3: there is no field “clsoe”. "
        "Check its spelling against the fields listed at the top of the default template."
    )
    assert failure(text, "ja") == (
        "テンプレートの3行目：「clsoe」という項目はありません。既定のテンプレートの冒頭にある項目の一覧と綴りを見比べてください。"
    )
    assert failure("a\n{{ dte }}") == (
        "The template, line 2: there is no field “dte”. "
        "Check its spelling against the fields listed at the top of the default template."
    )


def test_a_syntax_error_names_its_line():
    unclosed = failure("line one\n{% if versus %}\nno end\n")  # Jinja names the block left open
    assert unclosed.startswith("The template, line 2: this is not template syntax (Unexpected end of template.")
    assert failure("{{ date }\n", "ja").startswith("テンプレートの1行目：テンプレートの書き方に誤りがあります")


def test_a_field_of_a_missing_index_is_named_not_a_traceback():
    report = build_report(brief_closes().drop(columns="^DJI"), source="brief", lang="ja", template="x\n{{ dow.close }}")
    with pytest.raises(InvalidTemplate, match="line 2: there is no field “close”"):
        report.markdown()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{{ ''.__class__.__mro__ }}", "may not reach into the program"),
        ("{{ date.__class__ }}", "may not reach into the program"),
        ("{{ lang.format.__globals__ }}", "may not reach into the program"),
        ("{% for i in range(100000) %}{% endfor %}", "a range over 1000 items"),
        ("{{ 'x' * 100000000 }}", "a repetition over 10000 times"),
        ("{{ 10 ** 100000000 }}", "an exponent over 64"),
        ("{% for i in range(1000) %}{{ 'x' * 1000 }}{% endfor %}", "the draft would run over 200,000 characters"),
        ("{{ 1 / 0 }}", "drafting stopped here (ZeroDivisionError: division by zero)"),
    ],
)
def test_the_sandbox_refuses_what_a_template_must_not_do(text, said):
    assert said in failure(text)


def test_html_in_a_template_reaches_the_markdown_as_typed():
    report = build_report(brief_closes(), source="brief", lang="en", template="<script>alert(1)</script> {{ date }}")
    assert report.markdown() == "<script>alert(1)</script> January 2, 2026\n"  # autoescape off: Markdown, not HTML


# --- The default templates ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_default_templates_document_every_field(lang):
    header = default_template(lang).split("-#}")[0]
    fields = build_report(brief_closes(), source="brief", lang=lang).fields([RATIO_CHART])
    for name in fields:
        assert re.search(rf"^\s+{name}\b|^\s+\w+, {name}\b", header, re.MULTILINE), name
    for name in ("close", "change", "change_pct", "points", "pct", "up", "direction", "flat"):
        assert f".{name}" in header, name
    for name in ("date", "num_close", "den_close", "sma26", "deviation", "month", "target", "heading", "tagged"):
        assert f".{name}" in header, name


def test_the_default_templates_are_the_files_shipped():
    assert sorted(path.name for path in TEMPLATES.iterdir()) == ["weekly_en.md.j2", "weekly_ja.md.j2"]
    assert '{% set deviation_unit = "%" %}' in default_template("ja")
