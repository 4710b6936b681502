"""Golden drafts of the weekly comment: the brief's example week, and weeks of real data worked out
by hand (weekly closes taken as each calendar week's last row of ../shared/data, ratio and its
26-week mean with a spreadsheet-style calculation, independent of lib/engine)."""

import datetime as dt

import pandas as pd
import pytest

from lib.core import calendar
from lib.notes.model import Note
from lib.report.draft import build_report, latest_completed_week

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
        "1月2日の週のラッセル2000グロース指数は1672.67で、前週末比-17.96ポイント（-1.06%）と反落しました。"
        "ダウ平均は-0.67%、S&P500は-1.03%で、小型グロース株はS&P500を下回りました。"
    )
    assert report.ratio_paragraph == (
        "ラッセル2000グロース指数÷S&P500 = 1672.67/6858.47 = 24.39%、"
        "26週移動平均（24.23%）からの乖離は+0.16ポイントです。"
    )
    assert report.sections == [
        ("米国のベネズエラ攻撃", "原油は上昇。"),
        ("プライベートクレジットの信用不安", "BDC の解約が増加。\n"),
    ]
    assert [check.text("en") for check in report.checks] == [
        "Holiday week: the NYSE was closed on 2026-01-01; 4 sessions, the week closes on 2026-01-02."
    ]
    assert report.markdown([("Ratio since January 2022", "ratio.png")]).endswith(
        "## プライベートクレジットの信用不安\n\nBDC の解約が増加。\n\n- [Ratio since January 2022](ratio.png)\n"
    )


def test_the_brief_week_in_english():
    report = build_report(brief_closes(), source="brief", lang="en")
    assert report.opening == (
        "The Russell 2000 Growth fell back, down 17.96 points (-1.06%) to 1672.67, in the week ending "
        "January 2, 2026. Over the week the Dow Jones Industrial Average fell 0.67% and the S&P 500 fell 1.03%; "
        "small-cap growth underperformed the S&P 500."
    )
    assert report.ratio_paragraph == (
        "Russell 2000 Growth ÷ S&P 500 = 1672.67/6858.47 = 24.39%, +0.16 points from its 26-week average (24.23%)."
    )
    assert report.sections == []


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


# From the hand calculation: week, ^RUO close, change (pts, %), word, Dow %, S&P 500 %, better/worse,
# ratio %, 26-week mean %, deviation (pts).
REAL_WEEKS = [
    ("2025-10-03", "1661.53", "+32.46", "+1.99", "反発", "+1.10", "+1.09", "上回り", "24.74", "23.75", "+0.99"),
    ("2025-10-10", "1618.61", "-42.92", "-2.58", "反落", "-2.73", "-2.43", "下回り", "24.70", "23.82", "+0.88"),
    ("2025-11-14", "1592.08", "-45.67", "-2.79", "続落", "+0.34", "+0.08", "下回り", "23.64", "24.02", "-0.37"),
    ("2025-07-03", "1490.64", "+37.12", "+2.55", "続伸", "+2.30", "+1.72", "上回り", "23.74", "23.87", "-0.13"),
    ("2025-11-28", "1674.16", "+99.37", "+6.31", "大幅反発", "+3.18", "+3.73", "上回り", "24.44", "24.07", "+0.37"),
    ("2025-09-19", "1645.43", "+48.80", "+3.06", "大幅続伸", "+1.05", "+1.22", "上回り", "24.69", "23.66", "+1.03"),
    ("2025-08-01", "1454.21", "-47.59", "-3.17", "大幅反落", "-2.92", "-2.36", "下回り", "23.31", "23.63", "-0.32"),
    ("2025-09-26", "1629.07", "-16.36", "-0.99", "小幅反落", "-0.15", "-0.31", "下回り", "24.52", "23.69", "+0.83"),
]


@pytest.mark.parametrize(
    ("week", "close", "points", "pct", "word", "dow", "spx", "versus", "ratio", "mean", "deviation"), REAL_WEEKS
)
def test_real_weeks_each_direction_word(real, week, close, points, pct, word, dow, spx, versus, ratio, mean, deviation):
    report = build_report(real, source="shared", lang="ja", week_of=pd.Timestamp(week))
    assert report.opening.split("ラッセル2000グロース指数は")[1] == (
        f"{close}で、前週末比{points}ポイント（{pct}%）と{word}しました。"
        f"ダウ平均は{dow}%、S&P500は{spx}%で、小型グロース株はS&P500を{versus}ました。"
    )
    assert report.ratio_paragraph.endswith(f"= {ratio}%、26週移動平均（{mean}%）からの乖離は{deviation}ポイントです。")


def test_holiday_weeks_are_flagged(real):
    independence = build_report(real, source="shared", lang="en", week_of=pd.Timestamp("2025-07-01"))
    assert [c.text("en") for c in independence.checks] == [
        "Holiday week: the NYSE was closed on 2025-07-04; 4 sessions, the week closes on 2025-07-03."
    ]
    thanksgiving = build_report(real, source="shared", lang="ja", week_of=pd.Timestamp("2025-11-26"))
    assert [c.text("ja") for c in thanksgiving.checks] == [
        "休場のある週：NYSE は2025年11月27日に休場（4 営業日、週末値は2025年11月28日）。"  # Japanese dates
    ]


def test_the_latest_week_of_the_data_is_provisional_and_says_so(real):
    """^RUO and ^DJI end on Tuesday 2025-12-16, so the week to 2025-12-19 uses that day for all three:
    ^GSPC 6800.26 (not its later closes), ratio 1672.41 / 6800.26 = 24.5932 %; the hand-calculated
    mean with that week is 24.1862 + (24.5932 - 24.4701) / 26 = 24.1909 %, deviation +0.40."""
    report = build_report(real, source="shared", lang="ja")
    assert report.opening.startswith(
        "12月19日の週（暫定）のラッセル2000グロース指数は1672.41で、前週末比-24.00ポイント（-1.41%）と反落"
    )
    assert report.ratio_paragraph.endswith(
        "1672.41/6800.26 = 24.59%、26週移動平均（24.19%）からの乖離は+0.40ポイントです。"
    )
    assert (
        report.checks[0].text("en") == "Provisional week: figures as of the 2025-12-16 close; the week ends 2025-12-19."
    )
    assert report.sections == []  # a week with no notes has no theme sections


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
    assert "前週末比+0.85ポイント（+0.05%）とほぼ横ばいでした。" in ja.opening
    en = build_report(closes, source="brief", lang="en")
    assert en.opening.startswith("The Russell 2000 Growth was little changed, up 0.85 points (+0.05%) to 1691.48")
    assert en.opening.endswith("small-cap growth outperformed the S&P 500.")  # +0.05 % against -1.03 %
