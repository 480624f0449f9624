"""`render_error`: a short red embed that cannot ping."""

from __future__ import annotations

from bot.render.embeds import ERROR_COLOUR
from bot.render.errors import render_error
from bot.render.lang import ENGLISH
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
