"""Short plain-language errors ("Unknown flight 999999"), sent ephemerally by the caller."""

from __future__ import annotations

from bot.render.common import ERROR_COLOUR, fit_message, neutralise_mentions, new_embed
from bot.render.message import Message


def render_error(text: str) -> Message:
    """A red embed whose description is `text` (markdown kept, mentions broken)."""
    embed = new_embed("", ERROR_COLOUR, description=f"❌ {neutralise_mentions(text.strip())}")
    return fit_message(Message(embeds=(embed,)))
