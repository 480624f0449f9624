"""Alert delivery through discord.py (the Discord edge): a channel's permissions, the
alert rendered in the server's language and sent, and the history searched for one
already there."""

from __future__ import annotations

import discord

from bot.alert_kinds import Marker
from bot.alerts.outcomes import EditOutcome, EditResult, Reason, ReasonKind
from bot.alerts.reminders import LaunchNotice
from bot.alerts.service import DeliveryError, Notice
from bot.render.alert import posting_lang, render_alert
from bot.render.lang import N_, Lang
from bot.render.launch import render_launch_notice
from bot.render.message import Message
from bot.responder import send_kwargs

UNKNOWN_CHANNEL = 10003
UNKNOWN_MESSAGE = 10008

HISTORY_LIMIT = 50
"""How many recent messages are searched for an alert that may already be there."""


def server_locale(guild: discord.Guild | None) -> str | None:
    """The server's language as Discord reports it (`preferred_locale`, sent with the
    guild when Capcom connects); None for a server Capcom does not know."""
    return None if guild is None else guild.preferred_locale.value


def server_lang(client: discord.Client, guild_id: int, picked: str | None) -> Lang:
    """The language Capcom posts in, in a server: `picked` by its admin, else the
    server's own (from the client's cache)."""
    return posting_lang(picked, server_locale(client.get_guild(guild_id)))


READ_MESSAGE_HISTORY = N_("Read Message History")
REQUIRED = (
    ("view_channel", N_("View Channel")),
    ("send_messages", N_("Send Messages")),
    ("embed_links", N_("Embed Links")),
    # The duplicate guard searches the channel's history; without this permission Discord
    # answers that search with an empty list, not an error, and "at most one" is gone.
    ("read_message_history", READ_MESSAGE_HISTORY),
)
"""Capcom's permissions in a channel where it posts, by their names in Discord's English
(`Lang.say` names them as Discord does in the reader's language)."""


def _failed(error: Exception) -> Reason:
    """Discord (5xx, a rate limit) or the network failed: worth trying again later."""
    if isinstance(error, discord.HTTPException):
        return Reason(ReasonKind.DISCORD_FAILED, detail=f"{error.status} {error.text}".strip())
    return Reason(ReasonKind.DISCORD_FAILED, detail=str(error))


def missing_permissions(channel: discord.abc.GuildChannel, member: discord.Member) -> list[str]:
    """The permissions Capcom needs in `channel` and lacks, by their names in Discord."""
    permissions = channel.permissions_for(member)
    return [label for flag, label in REQUIRED if not getattr(permissions, flag)]


class DiscordTransport:
    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def _channel(
        self, channel_id: int, *, must_check: bool = False
    ) -> discord.abc.Messageable:
        """The channel, once Capcom's permissions there are known to be enough. With
        `must_check`, permissions that cannot be worked out are an error (retried), not a pass."""
        channel = self._client.get_channel(channel_id)
        where = f"<#{channel_id}>"
        if channel is None:
            try:
                channel = await self._client.fetch_channel(channel_id)
            except (discord.NotFound, discord.Forbidden) as error:
                raise DeliveryError(
                    Reason(ReasonKind.GONE, where, detail=error.text), permanent=True
                ) from error
            except discord.HTTPException as error:
                raise DeliveryError(_failed(error), permanent=False) from error
        if not isinstance(channel, discord.abc.Messageable):
            raise DeliveryError(Reason(ReasonKind.NOT_MESSAGEABLE, where), permanent=True)
        me = getattr(getattr(channel, "guild", None), "me", None)
        if isinstance(channel, discord.abc.GuildChannel) and isinstance(me, discord.Member):
            missing = missing_permissions(channel, me)
            if missing:
                reason = Reason(ReasonKind.MISSING_PERMISSIONS, where, tuple(missing))
                raise DeliveryError(reason, permanent=True)
        elif must_check:
            raise DeliveryError(Reason(ReasonKind.PERMISSIONS_UNKNOWN, where), permanent=False)
        return channel

    def server_lang(self, guild_id: int, picked: str | None) -> Lang:
        return server_lang(self._client, guild_id, picked)

    def _channel_lang(self, channel_id: int, picked: str | None) -> Lang:
        """`server_lang` of the server the channel is in (as far as the cache knows it)."""
        guild = getattr(self._client.get_channel(channel_id), "guild", None)
        known = guild if isinstance(guild, discord.Guild) else None
        return posting_lang(picked, server_locale(known))

    async def send(self, channel_id: int, notice: Notice) -> int:
        lang = self._channel_lang(channel_id, notice.language)
        return await self.post(channel_id, render_alert(notice, lang))

    async def post_launch(self, channel_id: int, notice: LaunchNotice) -> int:
        lang = self._channel_lang(channel_id, notice.language)
        return await self.post(channel_id, render_launch_notice(notice, lang))

    async def revise(self, channel_id: int, message_id: int, notice: LaunchNotice) -> EditResult:
        lang = self._channel_lang(channel_id, notice.language)
        return await self.edit(channel_id, message_id, render_launch_notice(notice, lang))

    async def post(self, channel_id: int, message: Message) -> int:
        """Post any message (an alert, or `/alerts test`'s sample) where alerts go."""
        channel = await self._channel(channel_id)
        try:
            sent = await channel.send(**send_kwargs(message))
        except (discord.NotFound, discord.Forbidden) as error:
            reason = Reason(ReasonKind.SEND_REFUSED, f"<#{channel_id}>", detail=error.text)
            raise DeliveryError(reason, permanent=True) from error
        except (discord.HTTPException, OSError) as error:
            raise DeliveryError(_failed(error), permanent=False) from error
        return sent.id

    async def edit(self, channel_id: int, message_id: int, message: Message) -> EditResult:
        """Replace one of Capcom's messages with `message`, in place (no notification).
        One request, whatever the cache knows: Discord itself says whether the message is
        still there and Capcom may still edit it (View Channel is all an edit needs)."""
        target = self._client.get_partial_messageable(channel_id).get_partial_message(message_id)
        where = f"<#{channel_id}>"
        try:
            await target.edit(**send_kwargs(message, edit=True))
        except discord.NotFound as error:
            if error.code in (UNKNOWN_MESSAGE, UNKNOWN_CHANNEL):
                gone = Reason(ReasonKind.MESSAGE_GONE, where, detail=error.text)
                return EditResult(EditOutcome.GONE, gone)
            return EditResult(EditOutcome.TRANSIENT, _failed(error))
        except discord.Forbidden as error:
            refused = Reason(ReasonKind.EDIT_REFUSED, where, detail=error.text)
            return EditResult(EditOutcome.FORBIDDEN, refused)
        except discord.HTTPException as error:
            if error.status < 500 and error.status != 429:
                refused = Reason(ReasonKind.CONTENT_REFUSED, where, detail=error.text)
                return EditResult(EditOutcome.REFUSED, refused)
            return EditResult(EditOutcome.TRANSIENT, _failed(error))
        except (OSError, discord.RateLimited) as error:
            return EditResult(EditOutcome.TRANSIENT, _failed(error))
        return EditResult(EditOutcome.EDITED)

    async def find(self, channel_id: int, marker: Marker) -> int | None:
        # Checked again here, just before the search: without Read Message History an empty
        # history proves nothing, so a missing permission pauses the subscription (naming it)
        # rather than letting the caller send a possible duplicate.
        channel = await self._channel(channel_id, must_check=True)
        me = self._client.user
        try:
            async for message in channel.history(limit=HISTORY_LIMIT):
                if me is not None and message.author.id != me.id:
                    continue
                if any(marker.found_in(embed.footer.text or "") for embed in message.embeds):
                    return message.id
        except discord.HTTPException as error:
            reason = Reason(ReasonKind.HISTORY_UNREADABLE, f"<#{channel_id}>", detail=error.text)
            raise DeliveryError(reason, permanent=False) from error
        return None
