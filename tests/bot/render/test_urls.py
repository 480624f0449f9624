"""Only valid http(s) URLs reach an embed."""

from __future__ import annotations

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.fit import fit_message
from bot.render.lang import ENGLISH
from bot.render.message import Message
from bot.render.urls import safe_url
from tests.bot.render.data import HOSTILE_URLS
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


def test_fit_message_caps_fields_and_unsafe_urls() -> None:
    embed = discord.Embed(title="t", url="javascript:alert(1)")
    embed.set_thumbnail(url="/relative")
    embed.set_image(url="https://example.com/a.png")
    embed.set_author(name="a" * 300, url="ftp://x", icon_url="https://example.com/i.png")
    for _ in range(30):
        embed.add_field(name="", value="")
    fitted = fit_message(Message(embeds=(embed,)), ENGLISH).to_dict()
    assert_within_discord_limits(fitted)
    [out] = fitted["embeds"]
    assert "url" not in out
    assert "thumbnail" not in out
    assert out["image"]["url"] == "https://example.com/a.png"
    assert out["author"] == {"name": "a" * 255 + "…", "icon_url": "https://example.com/i.png"}
    assert len(out["fields"]) == 25
    assert out["fields"][-1] == {"name": "More", "value": "… and 6 more", "inline": False}
