"""Why Capcom paused or could not post (a `Reason`: a kind and its values), worded in the
reader's language; a reason stored before reasons had kinds is shown as it was written."""

from __future__ import annotations

from bot.alerts.outcomes import Reason, ReasonKind
from bot.render.lang import N_, Lang
from bot.render.text import clean, clean_name

REASON_LIMIT = 300
"""The most of a stored English reason shown (its text came from Discord's errors too)."""

_WORDS = {
    ReasonKind.GONE: N_("{where} is gone or hidden from Capcom"),
    ReasonKind.NOT_MESSAGEABLE: N_("{where} cannot hold messages"),
    ReasonKind.MISSING_PERMISSIONS: N_("Capcom lacks {permissions} in {where}"),
    ReasonKind.PERMISSIONS_UNKNOWN: N_("Capcom cannot tell whether it may read {where}'s history"),
    ReasonKind.HISTORY_UNREADABLE: N_("Capcom cannot read the recent messages of {where}"),
    ReasonKind.SEND_REFUSED: N_("Discord refused the message in {where}"),
    ReasonKind.MESSAGE_GONE: N_("Capcom's message in {where} is gone"),
    ReasonKind.EDIT_REFUSED: N_("Discord refused the edit in {where}"),
    ReasonKind.CONTENT_REFUSED: N_("Discord refused the new content of the message in {where}"),
    ReasonKind.NOT_IN_SERVER: N_("Capcom is not in server {where}"),
    ReasonKind.EVENT_GONE: N_("the event no longer exists"),
    ReasonKind.EVENT_LIMIT: N_("{where} already has Discord's 100 scheduled events"),
    ReasonKind.EVENT_REFUSED: N_("Discord refused the event's times or text"),
    ReasonKind.DISCORD_FAILED: N_("Discord or the network failed"),
}


def reason_text(reason: Reason, lang: Lang) -> str:
    """The reason in `lang`, with Discord's own words about the error (`detail`, as
    Discord wrote them) after it; one stored as an English sentence is shown as it is.
    Its values are cleaned (a server's name, Discord's words): it is markdown-safe."""
    if reason.kind is ReasonKind.TEXT:
        return clean(reason.detail, REASON_LIMIT)
    text = lang.say(
        _WORDS[reason.kind],
        where=clean_name(reason.where),
        permissions=lang.names([lang.say(permission) for permission in reason.permissions]),
    )
    if not reason.detail:
        return text
    return lang.say(
        "{reason} ({discord_says})", reason=text, discord_says=clean(reason.detail, 200)
    )
