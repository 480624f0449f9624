"""Short plain-language errors ("Unknown flight 999999"), sent ephemerally by the caller."""

from __future__ import annotations

import math

from bot.ll2.fairness import OverShare, Scope
from bot.render.embeds import ERROR_COLOUR, new_embed
from bot.render.fit import fit_message
from bot.render.message import Message
from bot.render.text import neutralise_mentions, plural


def render_error(text: str) -> Message:
    """A red embed whose description is `text` (markdown kept, mentions broken)."""
    embed = new_embed("", ERROR_COLOUR, description=f"❌ {neutralise_mentions(text.strip())}")
    return fit_message(Message(embeds=(embed,)))


def over_share_text(error: OverShare) -> str:
    """Why a command that would need LL2 is refused, and when it may be asked again."""
    who = "You've" if error.scope is Scope.USER else "This server has"
    everyone = "everyone" if error.scope is Scope.USER else "every server"
    return (
        f"{who} asked LL2 for {plural(error.used, 'new thing')} this hour; Capcom shares"
        f" {error.shared} requests an hour with {everyone}. Try again"
        f" <t:{math.ceil(error.retry_at or 0)}:R>, or pick something already cached."
    )
