"""`render_error`: a short red embed that cannot ping; when to try again, in the reader's
language and, for a time of day, in the reader's time zone."""

from __future__ import annotations

from bot.ll2.freshness import StaleReason
from bot.render.embeds import ERROR_COLOUR
from bot.render.errors import render_error, unavailable_text
from bot.render.lang import ENGLISH, lang_for
from tests.bot.render.limits import assert_within_discord_limits


def test_error_message() -> None:
    message = render_error("Unknown flight 999999", ENGLISH).to_dict()
    assert_within_discord_limits(message)
    [embed] = message["embeds"]
    assert embed["description"] == "❌ Unknown flight 999999"
    assert embed["color"] == ERROR_COLOUR.value
    assert "title" not in embed


def test_error_text_cannot_ping_or_overflow() -> None:
    message = render_error("@everyone " * 1000, ENGLISH).to_dict()
    assert_within_discord_limits(message)
    assert message["embeds"][0]["description"].endswith("…")


def test_when_to_try_again_is_counted_or_a_timestamp_for_each_reader() -> None:
    now = 1_800_000_000.0
    soon = unavailable_text(StaleReason.BUDGET, now + 300, now, lang_for("de"))
    assert soon.endswith("versuch es in 5 Minuten noch einmal.")
    later = unavailable_text(StaleReason.THROTTLED, now + 3 * 3600 + 0.5, now, ENGLISH)
    assert later.endswith(f"try again after <t:{int(now) + 3 * 3600 + 1}:t>.")
    assert "UTC" not in later
