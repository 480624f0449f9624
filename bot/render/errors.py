"""Short plain-language errors ("Unknown flight 999999") in the reader's language, sent
ephemerally by the caller."""

from __future__ import annotations

import math

from bot.ll2.fairness import OverShare, Scope
from bot.ll2.freshness import StaleReason
from bot.render.embeds import ERROR_COLOUR, REASONS, new_embed
from bot.render.fit import fit_message
from bot.render.lang import N_, Lang
from bot.render.message import Message
from bot.render.text import neutralise_mentions
from bot.service import UnknownQuery

UNEXPECTED = N_(
    "Something went wrong on Capcom's side. It has been logged; please try again later."
)


def render_error(text: str, lang: Lang) -> Message:
    """A red embed whose description is `text` (markdown kept, mentions broken)."""
    embed = new_embed("", ERROR_COLOUR, description=f"❌ {neutralise_mentions(text.strip())}")
    return fit_message(Message(embeds=(embed,)), lang)


def over_share_text(error: OverShare, lang: Lang) -> str:
    """Why a command that would need LL2 is refused, and when it may be asked again."""
    when = f"<t:{math.ceil(error.retry_at or 0)}:R>"
    if error.scope is Scope.USER:
        return lang.say_n(
            "You've asked LL2 for {count} new thing this hour; Capcom shares {shared}"
            " requests an hour with everyone. Try again {when}, or pick something already"
            " cached.",
            "You've asked LL2 for {count} new things this hour; Capcom shares {shared}"
            " requests an hour with everyone. Try again {when}, or pick something already"
            " cached.",
            error.used,
            shared=error.shared,
            when=when,
        )
    return lang.say_n(
        "This server has asked LL2 for {count} new thing this hour; Capcom shares {shared}"
        " requests an hour with every server. Try again {when}, or pick something already"
        " cached.",
        "This server has asked LL2 for {count} new things this hour; Capcom shares {shared}"
        " requests an hour with every server. Try again {when}, or pick something already"
        " cached.",
        error.used,
        shared=error.shared,
        when=when,
    )


def retry_text(retry_at: float | None, now: float, lang: Lang) -> str:
    """'try again in 5 minutes', as `bot.ll2.client.retry_phrase` says it in English."""
    if retry_at is None:
        return lang.say("try again in a few minutes")
    seconds = max(1, round(retry_at - now))
    if seconds < 90:
        return lang.say_n("try again in {count} second", "try again in {count} seconds", seconds)
    minutes = round(seconds / 60)
    if minutes < 90:
        return lang.say_n("try again in {count} minute", "try again in {count} minutes", minutes)
    # A timestamp, so Discord shows the time in the reader's own zone and language.
    return lang.say("try again after {time}", time=f"<t:{math.ceil(retry_at)}:t>")


def unavailable_text(reason: StaleReason, retry_at: float | None, now: float, lang: Lang) -> str:
    """Why nothing can be shown: LL2 cannot be asked and nothing is cached."""
    return lang.say(
        "{reason} and nothing is cached yet; {retry}.",
        reason=lang.say(REASONS[reason]),
        retry=retry_text(retry_at, now, lang),
    )


def storage_text(lang: Lang) -> str:
    return lang.say("Capcom's storage is not working right now; please try again later.")


def unknown_text(error: UnknownQuery, lang: Lang) -> str:
    """The answer to a query naming nothing known, `error.message` translated."""
    return lang.say(error.message, **error.values)


def unexpected_text(lang: Lang) -> str:
    return lang.say(UNEXPECTED)
