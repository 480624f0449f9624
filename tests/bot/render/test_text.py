"""LL2 text made safe and short: mentions, markdown, sentences, durations, dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.lang import ENGLISH
from bot.render.text import (
    More,
    clean,
    format_date,
    format_duration,
    join_lines,
    neutralise_mentions,
    sentences,
    shorten,
    shorten_at_sentence,
    years_between,
)
from tests.bot.render.data import ASTRONAUT_545, load


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=187, hours=20, minutes=42, seconds=7), "187d 20h 42m"),
        (timedelta(hours=9, minutes=56, seconds=59), "9h 56m"),
        (timedelta(days=3, minutes=5), "3d 0h 5m"),
        (timedelta(0), "0m"),
        (timedelta(seconds=59), "0m"),
        (timedelta(minutes=-5), "0m"),
    ],
)
def test_format_duration(delta: timedelta, expected: str) -> None:
    assert format_duration(delta, ENGLISH) == expected


def test_format_date_is_noon_utc() -> None:
    assert format_date(date(1970, 7, 28)) == "<t:18014400:D>"
    assert format_date(date(1961, 4, 12)) == "<t:-275227200:D>"


def test_years_between() -> None:
    assert years_between(date(1970, 7, 28), date(2025, 7, 27)) == 54
    assert years_between(date(1970, 7, 28), date(2025, 7, 28)) == 55


def test_mentions_never_ping() -> None:
    text = neutralise_mentions("@everyone @here <@123> <@&4> <@!5> mail@example.com")
    for ping in ("@everyone", "@here", "<@"):
        assert ping not in text
    assert text.replace("\u200b", "") == "@everyone @here <@123> <@&4> <@!5> mail@example.com"


def test_clean_escapes_markdown_and_mentions() -> None:
    assert clean("**big** __u__ `c` @here") == "\\*\\*big\\*\\* \\_\\_u\\_\\_ \\`c\\` @\u200bhere"
    assert clean(None) == ""


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("the quick brown fox jumps", 15) == "the quick…"
    assert shorten("x" * 50, 10) == "x" * 9 + "…"
    assert len(shorten("word " * 100, 64)) <= 64


def test_shorten_never_leaves_half_a_token_or_escape() -> None:
    assert shorten("docked at <t:1243600980:f> then", 20) == "docked at…"
    assert shorten("a\\*b\\*c\\*d\\*e", 6).endswith("…")
    assert not shorten("a\\*b\\*c\\*d\\*e", 6).endswith("\\…")


def test_bio_of_545_cut_at_a_sentence() -> None:
    bio = load(ASTRONAUT_545)["bio"]
    cut = shorten_at_sentence(bio, 300)
    assert cut.endswith("in 25 different aircraft. …")
    assert len(cut) <= 300
    assert bio.startswith(cut.removesuffix(" …"))
    # "Col." (and the "U.S." before it) is no sentence end: the cut falls after "Air Force."
    assert shorten_at_sentence(bio, 260).endswith("in the U.S. Air Force. …")
    assert shorten_at_sentence(bio, 1000) == bio


def test_sentence_cut_falls_back_to_a_word() -> None:
    text = "word " * 200
    cut = shorten_at_sentence(text, 100)
    assert cut.endswith("word…")
    assert len(cut) <= 100


def test_join_lines_says_how_many_are_left_out() -> None:
    lines = [f"line {n}" for n in range(100)]
    joined = join_lines(lines, 100, ENGLISH)
    assert len(joined) <= 100
    kept = joined.splitlines()
    assert kept[-1] == f"… and {100 - len(kept) + 1} more"
    assert join_lines(["a", "b"], 100, ENGLISH) == "a\nb"
    assert join_lines([], 100, ENGLISH) == ""
    assert join_lines(["x" * 300, "y"], 50, ENGLISH, what=More.CREW).endswith(
        "…\n… and 1 more crew"
    )


@given(st.lists(st.text(max_size=80), max_size=60), st.integers(20, 1024))
@settings(max_examples=50, derandomize=True)
def test_join_lines_fits_and_counts(lines: list[str], limit: int) -> None:
    """Whole lines from the start (or the first one shortened), then a marker counting
    exactly the lines left out."""
    joined = join_lines(lines, limit, ENGLISH)
    assert len(joined) <= limit
    if joined == "\n".join(lines):
        return
    marker = re.search(r"\n… and (\d+) more$", joined)
    if marker is None:  # a single line, shortened to fit
        assert len(lines) == 1
        return
    shown = joined[: marker.start()]
    kept = next((k for k in range(len(lines), 0, -1) if "\n".join(lines[:k]) == shown), 1)
    assert int(marker.group(1)) == len(lines) - kept


def test_sentences_follow_each_other_as_the_language_writes_them() -> None:
    assert sentences(["Alerts are on.", "", "Reminders too."]) == "Alerts are on. Reminders too."
    assert sentences(["通知はオンです。", "リマインダーも。"]) == "通知はオンです。リマインダーも。"
    assert sentences(["알림이 켜졌습니다.", "미리 알림도."]) == "알림이 켜졌습니다. 미리 알림도."
