"""The shared renderer pieces: URLs, text safety, cutting, durations and the final fit."""

from __future__ import annotations

from datetime import date, timedelta

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.common import (
    clean,
    fit_message,
    format_date,
    format_duration,
    join_lines,
    main_embed,
    neutralise_mentions,
    safe_url,
    select_menu,
    shorten,
    shorten_at_sentence,
    stale_notice,
    years_between,
)
from bot.render.message import Button, Message, SelectOption
from tests.bot.render.data import ASTRONAUT_545, FRESH, HOSTILE_URLS, STALE, load
from tests.bot.render.limits import assert_within_discord_limits, is_valid_url


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "ftp://x",
        "javascript:alert(1)",
        "/relative",
        "relative/path.png",
        " http://x.y ",
        "http://x.y/a b",
        "http://",
        "https:///path",
        "http://[::1",
        "http://x.y:99999/",
        "https://user:pass@x.y/",
        "https://x.y/" + "a" * 2100,
        "https://" + "\u2603" * 70 + ".com",
        "http://x.y/\n",
        "https://evil.com\\.x.y/",
        "https://x.y\\@evil.com/",
        "https://a<b>.com/",
    ],
)
def test_safe_url_drops_what_discord_rejects(value: str | None) -> None:
    assert safe_url(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://en.wikipedia.org/wiki/Soyuz_TMA", "https://en.wikipedia.org/wiki/Soyuz_TMA"),
        ("HTTP://Example.com/A?b=1#c", "http://example.com/A?b=1#c"),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
        ("https://x.y:8443/p", "https://x.y:8443/p"),
        ("https://[::1]/a", "https://[::1]/a"),
        ('https://x.y/a"b<c>{d}', "https://x.y/a%22b%3Cc%3E%7Bd%7D"),
        ("https://x.y/already%20encoded", "https://x.y/already%20encoded"),
    ],
)
def test_safe_url_keeps_absolute_http_urls(value: str, expected: str) -> None:
    assert safe_url(value) == expected


@given(st.one_of(st.text(max_size=60), st.sampled_from(HOSTILE_URLS)))
@settings(max_examples=50, derandomize=True)
def test_safe_url_returns_only_valid_urls(value: str | None) -> None:
    url = safe_url(value)
    assert url is None or is_valid_url(url)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=187, hours=20, minutes=42, seconds=7), "187 d 20 h 42 m"),
        (timedelta(hours=9, minutes=56, seconds=59), "9 h 56 m"),
        (timedelta(days=3, minutes=5), "3 d 0 h 5 m"),
        (timedelta(0), "0 m"),
        (timedelta(seconds=59), "0 m"),
        (timedelta(minutes=-5), "0 m"),
    ],
)
def test_format_duration(delta: timedelta, expected: str) -> None:
    assert format_duration(delta) == expected


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
    joined = join_lines(lines, 100)
    assert len(joined) <= 100
    kept = joined.splitlines()
    assert kept[-1] == f"… and {100 - len(kept) + 1} more"
    assert join_lines(["a", "b"], 100) == "a\nb"
    assert join_lines([], 100) == ""
    assert join_lines(["x" * 300, "y"], 50, "crew").endswith("…\n… and 1 more crew")


@given(st.lists(st.text(max_size=80), max_size=60), st.integers(20, 1024))
@settings(max_examples=50, derandomize=True)
def test_join_lines_fits_and_counts(lines: list[str], limit: int) -> None:
    joined = join_lines(lines, limit)
    assert len(joined) <= limit


def test_stale_notice() -> None:
    assert stale_notice(FRESH) is None
    notice = stale_notice(STALE)
    assert notice == f"⚠️ Data from <t:{int(STALE.fetched_at.timestamp())}:R> — LL2 is rate-limiting"


def test_select_menu_cut_visibly() -> None:
    options = [SelectOption(label="@everyone " * 20, value=str(n)) for n in range(40)]
    select = select_menu("capcom:crew:select", "Open a crew member…", options)
    assert len(select.options) == 25
    assert select.placeholder == "Open a crew member… (… and 15 more not listed)"
    assert all(len(option.label) <= 100 for option in select.options)
    twice = select_menu("id", "Pick", [SelectOption("a", "1"), SelectOption("b", "1")])
    assert [option.label for option in twice.options] == ["a"]


def _embed(n: int, size: int) -> discord.Embed:
    return discord.Embed(title=f"Card {n}", description="d" * size)


def test_fit_message_drops_embeds_past_ten_and_says_so() -> None:
    first = main_embed("Main", discord.Colour.blue(), FRESH, description="hello")
    message = Message(embeds=(first, *(_embed(n, 10) for n in range(14))))
    fitted = fit_message(message, "crew")
    assert len(fitted.embeds) == 10
    assert fitted.embeds[0].description == "hello\n\n… and 5 more crew"
    assert_within_discord_limits(fitted.to_dict())


def test_fit_message_keeps_the_total_under_6000() -> None:
    first = main_embed("Main", discord.Colour.blue(), FRESH, description="x " * 3000)
    for n in range(25):
        first.add_field(name=f"field {n} " * 40, value="v " * 600)
    message = Message(embeds=(first, *(_embed(n, 2000) for n in range(5))))
    fitted = fit_message(message)
    assert_within_discord_limits(fitted.to_dict())
    assert len(fitted.embeds) == 1
    assert (fitted.embeds[0].description or "").endswith("… and 5 more")


def test_fit_message_caps_fields_and_unsafe_urls() -> None:
    embed = discord.Embed(title="t", url="javascript:alert(1)")
    embed.set_thumbnail(url="/relative")
    embed.set_image(url="https://example.com/a.png")
    embed.set_author(name="a" * 300, url="ftp://x", icon_url="https://example.com/i.png")
    for _ in range(30):
        embed.add_field(name="", value="")
    fitted = fit_message(Message(embeds=(embed,))).to_dict()
    assert_within_discord_limits(fitted)
    [out] = fitted["embeds"]
    assert "url" not in out
    assert "thumbnail" not in out
    assert out["image"]["url"] == "https://example.com/a.png"
    assert out["author"] == {"name": "a" * 255 + "…", "icon_url": "https://example.com/i.png"}
    assert len(out["fields"]) == 25
    assert out["fields"][-1] == {"name": "More", "value": "… and 6 more", "inline": False}


def test_fit_message_cuts_components_and_content() -> None:
    message = Message(
        content="c" * 3000,
        rows=((Button(label="L" * 100, custom_id="capcom:x"),),),
    )
    fitted = fit_message(message)
    assert fitted.content is not None and len(fitted.content) == 2000
    [[button]] = fitted.rows
    assert isinstance(button, Button) and len(button.label) == 80
