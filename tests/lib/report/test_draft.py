"""Golden drafts of the weekly comment (the default templates): the brief's example week, and weeks of
real data worked out by hand (weekly closes taken as each calendar week's last row of ../shared/data,
ratio and its 26-week mean with a spreadsheet-style calculation, independent of lib/engine). The
published pattern character for character: tests/lib/report/test_template.py."""

import datetime as dt

import pandas as pd
import pytest

from lib.core import calendar
from lib.notes.model import Note
from lib.report.draft import build_report, latest_completed_week
from lib.report.fields import Link

AT = dt.datetime(2026, 1, 2, 22, tzinfo=dt.UTC)


def brief_closes() -> pd.DataFrame:
    """The brief's week (ending 2026-01-02) and history built so its published figures come out.

    Week ending 2026-01-02: ^RUO 1672.67, ^GSPC 6858.47, ^DJI 47678.40; the week before: ^RUO 1690.63,
    ^GSPC 6929.94, ^DJI 48000.00 (-1.06 %, -1.03 %, -0.67 % as published). The 24 weeks before those:
    ^RUO 1646.72, ^GSPC 6800.00 (ratio 24.21647 %), so that the 26-week mean is
    (24 x 24.21647 + 24.39606 + 24.38835) / 26 = 24.2300 % and the deviation 24.38835 - 24.23 = +0.16.
    """
    weeks = calendar.week_end_sessions(calendar.sessions("2025-06-01", "2026-01-02")).unique()[-27:]
    rows = {week: (1646.72, 6800.00, 48000.00) for week in weeks[:-2]}
    rows[weeks[-2]] = (1690.63, 6929.94, 48000.00)
    for day in calendar.sessions("2025-12-29", "2026-01-02"):  # every session of the report's week
        rows[day] = (1672.67, 6858.47, 47678.40)
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["^RUO", "^GSPC", "^DJI"]).sort_index()
    frame.index.name = "date"
    return frame


def note(id_, week, title, body):
    return Note(id_, f"u{id_}", dt.date.fromisoformat(week), title, body, (), "a", AT, AT, 1)


def test_the_brief_week_in_japanese():
    notes = [
        note(2, "2026-01-02", "プライベートクレジットの信用不安", "BDC の解約が増加。\n"),
        note(1, "2026-01-02", "米国のベネズエラ攻撃", "原油は上昇。"),
        note(3, "2025-12-26", "先週のメモ", "この週には入らない"),
    ]
    report = build_report(brief_closes(), source="brief", lang="ja", notes=notes)
    assert report.opening == (
        "2026年1月2日の米国小型成長株インデックス(Russell 2000 Growth)は、1672.67で終わりました。"
        "一週間前に比べて-17.96(-1.06%)と反落しました。"
    )
    assert report.comparison == (  # -0.39 pts against the Dow, -0.03 against the S&P 500
        "主要インデックスのNYダウ(前週末比-0.67%)およびSP500(前週末比-1.03%)に比べてもやや弱い動きとなっています。"
    )
    assert report.ratio_paragraph.endswith(
        "ラッセル2000グロース÷SP500は1672.67/6858.47=24.39%、26週移動平均との乖離は+0.16%でした。"
    )
    assert report.fields()["ratio"]["sma26"] == "24.23"  # the 26-week average behind the deviation
    assert [(theme.heading, [n.body for n in theme.notes]) for theme in report.themes] == [
        ("米国のベネズエラ攻撃", ["原油は上昇。"]),
        ("プライベートクレジットの信用不安", ["BDC の解約が増加。\n"]),
    ]
    assert [check.text("en") for check in report.checks] == [
        "Holiday week: the NYSE was closed on 2026-01-01; 4 sessions, the week closes on 2026-01-02."
    ]
    ratio_chart = Link("ratio", dt.date(2022, 1, 1), "ratio.png", "Ratio since January 2022")
    assert report.markdown([ratio_chart]).endswith(
        "でした。\n\n→ [2022年1月以降の小型成長株とSP500の相対比較の推移](ratio.png)\n\n<米国のベネズエラ攻撃>\n\n"
        "原油は上昇。\n\n<プライベートクレジットの信用不安>\n\nBDC の解約が増加。\n"
    )


def test_the_brief_week_in_english():
    report = build_report(brief_closes(), source="brief", lang="en")
    assert report.opening == (
        "On January 2, 2026, the US small-cap growth index (Russell 2000 Growth) closed at 1672.67. "
        "Over the week it fell back, down 17.96 points (-1.06%)."
    )
    assert report.comparison == (
        "Small-cap growth was slightly weaker than the major indices: the Dow (-0.67% on the week) "
        "and the S&P 500 (-1.03%)."
    )
    assert report.ratio_paragraph.endswith(
        "As of January 2, 2026, Russell 2000 Growth ÷ S&P 500 was 1672.67/6858.47 = 24.39%, "
        "+0.16 points from its 26-week moving average."
    )
    assert report.fields()["ratio"]["sma26"] == "24.23"
    assert report.themes == []


def test_the_brief_close_that_differs_between_sources_is_flagged():
    other = brief_closes()
    other.loc["2026-01-02", "^RUO"] = 1672.71  # the brief's ratio line used this close
    report = build_report(brief_closes(), source="prices.csv", lang="en", other_sources={"store": other})
    assert "^RUO closed at 1672.67 on 2026-01-02 in prices.csv but 1672.71 in store: the draft uses 1672.67." in [
        check.text("en") for check in report.checks
    ]
    assert "1672.67/6858.47" in report.ratio_paragraph  # one close everywhere


@pytest.fixture
def real(real_daily):
    return real_daily[["^RUO", "^GSPC", "^DJI"]].loc["2024-11-18":]


# From the hand calculation: week, ^RUO close, change (pts, %), word, Dow %, S&P 500 %, the grade against
# both, ratio %, 26-week mean %, deviation (pts). The grade, by hand from the two-decimal changes (gap =
# ^RUO % - index %; under 0.25 about the same, from 0.25 slightly, from 1.00 clearly; the larger grade
# when both point one way, "も" when small caps went the same way as the grade):
#   10-03 +0.89/+0.90 slightly stronger, rose | 10-10 +0.15/-0.15 about the same | 11-14 -3.13/-2.87 weaker
#   07-03 +0.25 (at the threshold)/+0.83 slightly stronger | 11-28 +3.13/+2.58 stronger | 09-19 +2.01/+1.84
#   stronger | 08-01 -0.25 (at the threshold)/-0.81 slightly weaker | 09-26 -0.84/-0.68 slightly weaker
REAL_WEEKS = [
    ("2025-10-03", "1661.53", "+32.46", "+1.99", "反発", "+1.10", "+1.09", "もやや強い", "24.74", "23.75", "+0.99"),
    ("2025-10-10", "1618.61", "-42.92", "-2.58", "反落", "-2.73", "-2.43", "ほぼ同程度の", "24.70", "23.82", "+0.88"),
    ("2025-11-14", "1592.08", "-45.67", "-2.79", "続落", "+0.34", "+0.08", "も弱い", "23.64", "24.02", "-0.37"),
    ("2025-07-03", "1490.64", "+37.12", "+2.55", "続伸", "+2.30", "+1.72", "もやや強い", "23.74", "23.87", "-0.13"),
    ("2025-11-28", "1674.16", "+99.37", "+6.31", "大幅反発", "+3.18", "+3.73", "も強い", "24.44", "24.07", "+0.37"),
    ("2025-09-19", "1645.43", "+48.80", "+3.06", "大幅続伸", "+1.05", "+1.22", "も強い", "24.69", "23.66", "+1.03"),
    ("2025-08-01", "1454.21", "-47.59", "-3.17", "大幅反落", "-2.92", "-2.36", "もやや弱い", "23.31", "23.63", "-0.32"),
    ("2025-09-26", "1629.07", "-16.36", "-0.99", "小幅反落", "-0.15", "-0.31", "もやや弱い", "24.52", "23.69", "+0.83"),
]


@pytest.mark.parametrize(
    ("week", "close", "points", "pct", "word", "dow", "spx", "versus", "ratio", "mean", "deviation"), REAL_WEEKS
)
def test_real_weeks_each_direction_word(real, week, close, points, pct, word, dow, spx, versus, ratio, mean, deviation):
    report = build_report(real, source="shared", lang="ja", week_of=pd.Timestamp(week))
    assert report.opening.split("(Russell 2000 Growth)は、")[1] == (
        f"{close}で終わりました。一週間前に比べて{points}({pct}%)と{word}しました。"
    )
    assert report.comparison == (
        f"主要インデックスのNYダウ(前週末比{dow}%)およびSP500(前週末比{spx}%)に比べて{versus}動きとなっています。"
    )
    assert report.ratio_paragraph.endswith(f"={ratio}%、26週移動平均との乖離は{deviation}%でした。")
    assert report.fields()["ratio"]["sma26"] == mean


def test_holiday_weeks_are_flagged(real):
    independence = build_report(real, source="shared", lang="en", week_of=pd.Timestamp("2025-07-01"))
    assert [c.text("en") for c in independence.checks] == [
        "Holiday week: the NYSE was closed on 2025-07-04; 4 sessions, the week closes on 2025-07-03.",
        # -0.13 as in REAL_WEEKS; the 130-day convention gives -0.21, so both are shown
        "The 26-week deviation is -0.13 from 26 weekly closes and -0.21 from the last 130 daily ratios; "
        "the draft uses the weekly one (DASHBOARD_DEVIATION=daily130 for the other).",
    ]
    thanksgiving = build_report(real, source="shared", lang="ja", week_of=pd.Timestamp("2025-11-26"))
    assert [c.text("ja") for c in thanksgiving.checks] == [
        "休場のある週：NYSE は2025年11月27日に休場（4 営業日、週末値は2025年11月28日）。",  # Japanese dates
        # the published deviation for 2025-11-28 is +0.39: the 130-day convention's figure
        "26週乖離は、26週の週末終値では+0.37、直近130営業日の日次レシオでは+0.39です。"
        "下書きは週末終値の値を使っています（もう一方は DASHBOARD_DEVIATION=daily130）。",
    ]


def test_the_daily_130_convention_gives_the_published_deviation_of_2025_11_28(real, monkeypatch):
    """Published for the week of 2025-11-28: ratio 24.44 %, deviation +0.39. From 26 weekly closes the
    deviation is +0.37 (REAL_WEEKS); from the last 130 daily ratios it is +0.39."""
    monkeypatch.setenv("DASHBOARD_DEVIATION", "daily130")
    report = build_report(real, source="shared", lang="ja", week_of=pd.Timestamp("2025-11-28"))
    figures = report.summary.ratio
    assert f"{figures.deviation_pts:+.2f}" == "+0.39" and f"{figures.deviation_weekly_pts:+.2f}" == "+0.37"
    assert "乖離は+0.39" in report.ratio_paragraph
    assert report.checks[-1].key == "check_deviation_conventions_daily130"


def test_the_latest_week_of_the_data_is_provisional_and_says_so(real):
    """^RUO and ^DJI end on Tuesday 2025-12-16, so the week to 2025-12-19 uses that day for all three:
    ^GSPC 6800.26 (not its later closes), ratio 1672.41 / 6800.26 = 24.5932 %; the hand-calculated
    mean with that week is 24.1862 + (24.5932 - 24.4701) / 26 = 24.1909 %, deviation +0.40."""
    report = build_report(real, source="shared", lang="ja")
    assert report.opening.startswith(
        "2025年12月16日（暫定）の米国小型成長株インデックス(Russell 2000 Growth)は、1672.41となっています。"
        "一週間前に比べて-24.00(-1.41%)と反落"
    )
    assert report.ratio_paragraph.endswith("1672.41/6800.26=24.59%、26週移動平均との乖離は+0.40%でした。")
    assert report.fields()["ratio"]["sma26"] == "24.19"
    assert report.fields()["week_end"] == "2025年12月19日"
    assert (
        report.checks[0].text("en") == "Provisional week: figures as of the 2025-12-16 close; the week ends 2025-12-19."
    )
    assert report.themes == []  # a week with no notes has no theme sections
    assert "<外部材料>" not in report.markdown()


def test_a_session_without_a_close_is_flagged(real):
    gappy = real.drop(pd.Timestamp("2025-10-08"))
    report = build_report(gappy, source="shared", lang="en", week_of=pd.Timestamp("2025-10-10"))
    texts = [c.text("en") for c in report.checks]
    assert "^RUO has no close for the NYSE session(s) 2025-10-08." in texts


@pytest.mark.parametrize(
    ("as_of", "last_closed", "week"),
    [
        ("2025-12-16", None, "2025-12-12"),  # Tuesday: the week is in progress, the one before is complete
        ("2026-01-02", None, "2026-01-02"),  # the week's last session (Friday after New Year's Day)
        ("2026-04-02", None, "2026-04-02"),  # Thursday before Good Friday closes its week
        ("2026-01-09", "2026-01-08", "2026-01-02"),  # live prices of Friday before its close
    ],
)
def test_the_default_week_is_the_latest_completed_one(as_of, last_closed, week):
    closed = pd.Timestamp(last_closed) if last_closed else None
    assert latest_completed_week(pd.Timestamp(as_of), closed) == pd.Timestamp(week)


def test_a_nearly_flat_week_reads_naturally_in_both_languages():
    closes = brief_closes()
    closes.loc["2025-12-29":, "^RUO"] = 1691.48  # +0.85 points, +0.05 % on 1690.63: under the 0.1 % threshold
    ja = build_report(closes, source="brief", lang="ja")
    assert ja.opening.endswith("1691.48で終わりました。一週間前に比べて+0.85(+0.05%)とほぼ横ばいでした。")
    en = build_report(closes, source="brief", lang="en")
    assert en.opening.endswith("closed at 1691.48. Over the week it was little changed, up 0.85 points (+0.05%).")
    # +0.05 % against the Dow's -0.67 % (+0.72 pts: slightly) and the S&P 500's -1.03 % (+1.08 pts: clearly)
    assert en.comparison.startswith("Small-cap growth was stronger than the major indices:")
