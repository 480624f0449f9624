"""Numbers, durations, calendar dates and lists in the reader's language, by CLDR's rules
(Babel), not by rules written here."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.render.lang import ENGLISH, lang_for
from bot.render.text import names_within

MISSION = timedelta(days=187, hours=20, minutes=42, seconds=59)


@pytest.mark.parametrize(
    ("locale", "duration", "number", "day", "month"),
    [
        ("en-US", "187d 20h 42m", "12,345", "Feb 15, 2026", "March 2026"),
        ("de", "187 T 20h 42 Min.", "12.345", "15. Feb. 2026", "März 2026"),
        ("ru", "187 д. 20 ч 42 мин", "12\xa0345", "15 февр. 2026\u202fг.", "март 2026\u202fг."),
        ("ja", "187 日 20 時間 42 分", "12,345", "2026年2月15日", "2026年3月"),
        ("zh-CN", "187天20小时42分钟", "12,345", "2026年2月15日", "2026年3月"),
    ],
)
def test_each_language_writes_amounts_its_own_way(
    locale: str, duration: str, number: str, day: str, month: str
) -> None:
    lang = lang_for(locale)
    assert lang.duration(MISSION) == duration
    assert lang.number(12345) == number
    assert lang.day(date(2026, 2, 15)) == day
    assert lang.month(date(2026, 3, 1)) == month


def test_a_duration_drops_leading_zero_units_and_may_stop_at_hours() -> None:
    assert ENGLISH.duration(timedelta(hours=9, minutes=56)) == "9h 56m"
    assert ENGLISH.duration(timedelta(seconds=59)) == "0m"
    assert ENGLISH.duration(timedelta(minutes=-5)) == "0m"
    assert ENGLISH.duration(MISSION, minutes=False) == "187d 20h"
    assert ENGLISH.duration(timedelta(hours=9, minutes=56), minutes=False) == "9h 56m"


def test_plurals_follow_the_language_and_group_digits() -> None:
    russian = lang_for("ru")
    forms = [
        russian.say_n("… and {count} more flight", "… and {count} more flights", n)
        for n in (1, 3, 5, 21, 1000)
    ]
    assert forms == [
        "… и ещё 1 полёт",
        "… и ещё 3 полёта",
        "… и ещё 5 полётов",
        "… и ещё 21 полёт",
        "… и ещё 1\xa0000 полётов",
    ]


def test_an_unknown_locale_reads_english() -> None:
    assert lang_for("vi") is ENGLISH
    assert lang_for("vi").names(["Soyuz", "Dragon", "Shenzhou"]) == "Soyuz, Dragon, and Shenzhou"


def test_crew_lists_are_separated_as_the_language_separates_them() -> None:
    crew = ["Jessica Meir", "Jack Hathaway", "Sophie Adenot"]
    assert names_within(crew, 100, lang_for("de")) == "Jessica Meir, Jack Hathaway, Sophie Adenot"
    assert names_within(crew, 100, lang_for("ja")) == "Jessica Meir、Jack Hathaway、Sophie Adenot"
    assert names_within(crew, 30, lang_for("zh-CN")) == "Jessica Meir、……还有 2 项"
