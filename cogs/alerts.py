"""`/alerts` for server admins, and the background loop that polls for alerts (while
this process holds the background lease)."""

from __future__ import annotations

import logging
import time
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.alert_kinds import EventType, event_types
from bot.alert_transport import (
    READ_MESSAGE_HISTORY,
    DiscordTransport,
    missing_permissions,
    server_locale,
)
from bot.alerts.reminders import OFFSET_CHOICES, offsets_label, offsets_text, parse_offsets
from bot.alerts.service import AlertService, DeliveryError, Outcome
from bot.discord_bot import CapcomBot
from bot.pacing import PacedLoop
from bot.render.alert import (
    LANGUAGE_NAMES,
    posting_lang,
    render_admin_reply,
    render_alert_status,
    render_test_alert,
    subscribed_text,
)
from bot.render.board import with_board_status
from bot.render.lang import Lang
from bot.render.reason import reason_text
from bot.render.text import sentences
from bot.responder import Reply, lang_of, respond
from storage.database import StorageError

log = logging.getLogger(__name__)

PING_CHOICES = (
    ("landings", "landing"),
    ("launches and landings", "launch,landing"),
    ("every alert", "all"),
)
"""`/alerts channel ping_for`: which of the chosen event types mention the role (reminders and
launch changes with launches)."""
REMINDER_CHOICES = [
    app_commands.Choice(name=offsets_label(offsets), value=offsets_text(offsets))
    for offsets in OFFSET_CHOICES
]
LANGUAGE_CHOICES = [
    app_commands.Choice(name=name, value=code) for code, name in LANGUAGE_NAMES.items()
]


def _cannot_post(channel: discord.TextChannel, missing: list[str], lang: Lang) -> str:
    return lang.say(
        "Capcom can't post in {channel}: it needs {permissions}.",
        channel=channel.mention,
        permissions=lang.names([lang.say(permission) for permission in missing]),
    )


def _guild_member(interaction: discord.Interaction[Any]) -> tuple[discord.Guild, discord.Member]:
    guild = interaction.guild
    if guild is None or guild.me is None:
        raise app_commands.NoPrivateMessage()
    return guild, guild.me


@app_commands.guild_only()
@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.default_permissions(manage_guild=True)
class Alerts(commands.GroupCog, group_name="alerts", group_description="Landing alerts"):
    """Every subcommand checks Manage Server again when it runs: server admins can
    change who sees a command, so the default permission is not a guarantee. Server install
    and servers only: alerts post in a server's channel, which needs the bot there."""

    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot
        self.service: AlertService = bot.runtime.alerts
        self.transport = DiscordTransport(bot)
        self.interval = bot.runtime.settings.alert_poll_seconds
        self.loop = PacedLoop("alert poll", self.turn)
        super().__init__()

    async def cog_load(self) -> None:
        self.loop.start()

    async def cog_unload(self) -> None:
        await self.loop.stop()

    async def turn(self) -> float:
        """One alert poll once this process holds the background lease; the seconds to
        wait before the next (one interval, however long the lease took to come)."""
        await self.bot.wait_until_ready()
        await self.bot.runtime.lease.wait()  # while another process polls, stand by
        await self.poll()
        return self.interval

    async def poll(self) -> None:
        try:
            result = await self.service.cycle(self.transport)
        except StorageError as error:
            log.warning("alert cycle skipped: %s", error)
            return
        except Exception:
            log.exception("alert cycle failed; trying again next cycle")
            return
        finished = time.time()
        for delivery in result.deliveries:  # sent, already_sent, retry, dropped
            sent = delivery.outcome is Outcome.SENT
            delay = finished - delivery.entry.detected_at if sent else None
            self.bot.metrics.delivered("alert", delivery.outcome.name.lower(), delay)
        if result.poll.error:
            log.info("alert poll skipped: %s", result.poll.error)
            return
        log.info(
            "alert poll: %d people in space%s, %d new events, %d deliveries",
            result.poll.checked,
            " (first poll: learning only)" if result.poll.baseline else "",
            len(result.poll.new_events),
            len(result.deliveries),
        )

    @app_commands.command(name="channel", description="Post crew alerts in a channel")
    @app_commands.describe(
        channel="Where alerts are posted",
        role="A role to mention in alerts (optional)",
        landings="When a crew lands (default: on)",
        launches="When a crew launches",
        dockings="When a crewed spacecraft docks at a station",
        undockings="When a crewed spacecraft undocks, hours before landing",
        ping_for="Which alerts mention the role; the others are posted silently",
        reminders="Reminders before a crewed launch, and a notice when it moves or holds",
        reminder_times="When reminders come before launch (default: 24 h and 1 h)",
        language="The language of alerts, reminders, the board and events (default: the server's)",
    )
    @app_commands.choices(
        ping_for=[app_commands.Choice(name=n, value=v) for n, v in PING_CHOICES],
        reminder_times=REMINDER_CHOICES,
        language=LANGUAGE_CHOICES,
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def channel(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel,
        role: discord.Role | None = None,
        landings: bool = True,
        launches: bool = False,
        dockings: bool = False,
        undockings: bool = False,
        ping_for: str = "landing",
        reminders: bool = False,
        reminder_times: str = REMINDER_CHOICES[0].value,
        language: str | None = None,
    ) -> None:
        guild, me = _guild_member(interaction)
        chosen = {
            EventType.LAUNCH: launches,
            EventType.DOCKING: dockings,
            EventType.UNDOCKING: undockings,
            EventType.LANDING: landings,
        }
        types = frozenset(event_type for event_type, on in chosen.items() if on)
        offsets = parse_offsets(reminder_times) if reminders else frozenset()
        lang = lang_of(interaction)

        async def produce() -> Reply:
            if not types and not offsets:
                text = lang.say(
                    "Choose at least one kind of alert (landings are on unless you say no)."
                )
                return Reply(render_admin_reply(text, lang, ok=False), ephemeral=True)
            missing = missing_permissions(channel, me)
            if missing:
                text = _cannot_post(channel, missing, lang)
                if READ_MESSAGE_HISTORY in missing:
                    why = lang.say(
                        "Read Message History lets Capcom check, after a restart, that an"
                        " alert is not already there before posting it again."
                    )
                    text = sentences([text, why])
                return Reply(render_admin_reply(text, lang, ok=False), ephemeral=True)
            pinged = types if ping_for == "all" else types & event_types(ping_for.split(","))
            ping_reminders = ping_for == "all" or EventType.LAUNCH.value in ping_for
            await self.service.subscribe(
                guild.id,
                channel.id,
                role.id if role else None,
                types,
                pinged,
                reminders=offsets,
                ping_reminders=ping_reminders,
                language=language,
            )
            mentions = (channel.mention, role.mention if role else None)
            text = subscribed_text(types, offsets, pinged, ping_reminders, mentions, lang)
            used = posting_lang(language, server_locale(guild))
            where = lang.say(
                "They will be posted in {language}.", language=LANGUAGE_NAMES[used.code]
            )
            text = sentences([text, where])
            return Reply(render_admin_reply(text, lang, ok=True), ephemeral=True)

        await respond(interaction, produce, ephemeral=True)

    @app_commands.command(name="off", description="Stop crew alerts in this server")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def off(self, interaction: discord.Interaction[Any]) -> None:
        guild, _ = _guild_member(interaction)
        lang = lang_of(interaction)

        async def produce() -> Reply:
            removed = await self.service.unsubscribe(guild.id)
            text = lang.say("Alerts are off.") if removed else lang.say("Alerts were not on.")
            return Reply(render_admin_reply(text, lang, ok=True), ephemeral=True)

        await respond(interaction, produce, ephemeral=True)

    @app_commands.command(name="status", description="Where alerts go, and whether they work")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        guild, _ = _guild_member(interaction)
        lang = lang_of(interaction)

        async def produce() -> Reply:
            status = await self.service.status(guild.id)
            events = await self.bot.runtime.events.status(guild.id)
            boards = await self.bot.runtime.boards.status(guild.id)
            locale = guild.preferred_locale.value
            message = render_alert_status(status, events, locale, lang)
            return Reply(with_board_status(message, boards, lang), ephemeral=True)

        await respond(interaction, produce, ephemeral=True)

    @app_commands.command(name="test", description="Post a sample alert to check permissions")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def test(self, interaction: discord.Interaction[Any]) -> None:
        guild, me = _guild_member(interaction)
        lang = lang_of(interaction)

        async def produce() -> Reply:
            status = await self.service.status(guild.id)
            if status is None:
                text = lang.say("Set a channel first with /alerts channel.")
                return Reply(render_admin_reply(text, lang, ok=False), ephemeral=True)
            channel = guild.get_channel(status.channel_id)
            if channel is None:
                text = lang.say(
                    "The alert channel is gone or hidden from Capcom: choose one with"
                    " /alerts channel."
                )
                return Reply(render_admin_reply(text, lang, ok=False), ephemeral=True)
            if isinstance(channel, discord.TextChannel) and (
                missing := missing_permissions(channel, me)
            ):
                text = _cannot_post(channel, missing, lang)  # named in the admin's language
                return Reply(render_admin_reply(text, lang, ok=False), ephemeral=True)
            posted_in = self.transport.server_lang(guild.id, status.language)
            sample = render_test_alert(status.role_id, self.service.now(), posted_in)
            try:
                await self.transport.post(status.channel_id, sample)
            except DeliveryError as error:
                text = lang.say(
                    "The sample alert could not be posted: {reason}.",
                    reason=reason_text(error.reason, lang),
                )
                return Reply(render_admin_reply(text, lang, ok=False), ephemeral=True)
            text = lang.say(
                "A sample alert was posted in {channel}.", channel=f"<#{status.channel_id}>"
            )
            return Reply(render_admin_reply(text, lang, ok=True), ephemeral=True)

        await respond(interaction, produce, ephemeral=True)

    @app_commands.command(
        name="events", description="Discord events for upcoming crewed launches in this server"
    )
    @app_commands.describe(enabled="Keep an event for each crewed launch with a firm time")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def events(self, interaction: discord.Interaction[Any], enabled: bool) -> None:
        guild, me = _guild_member(interaction)
        lang = lang_of(interaction)

        async def produce() -> Reply:
            if enabled and not me.guild_permissions.create_events:
                text = lang.say(
                    "Capcom needs the Create Events permission in this server to make"
                    " Discord events: grant it to Capcom's role (or re-invite Capcom with"
                    " it, see the README), then run this again."
                )
                return Reply(render_admin_reply(text, lang, ok=False), ephemeral=True)
            await self.bot.runtime.events.enable(guild.id, enabled)
            text = (
                lang.say(
                    "Capcom will keep a Discord event for each upcoming crewed launch with a"
                    " firm time, and move or remove it when LL2 changes."
                )
                if enabled
                else lang.say("Discord events are off; events Capcom made stay until they end.")
            )
            return Reply(render_admin_reply(text, lang, ok=True), ephemeral=True)

        await respond(interaction, produce, ephemeral=True)

    board = app_commands.Group(
        name="board", description="A live board: one message, edited whenever its news changes"
    )

    @board.command(name="channel", description="Keep a live board of crewed spaceflight here")
    @app_commands.describe(channel="Where the board is posted (then edited, never reposted)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def board_channel(
        self, interaction: discord.Interaction[Any], channel: discord.TextChannel
    ) -> None:
        guild, me = _guild_member(interaction)
        lang = lang_of(interaction)

        async def produce() -> Reply:
            missing = missing_permissions(channel, me)
            if missing:
                text = _cannot_post(channel, missing, lang)
                return Reply(render_admin_reply(text, lang, ok=False), ephemeral=True)
            await self.bot.runtime.boards.start(guild.id, channel.id)
            text = lang.say(
                "A live board will be kept in {channel}: one message, edited when what it"
                " shows changes (edits notify no one).",
                channel=channel.mention,
            )
            return Reply(render_admin_reply(text, lang, ok=True), ephemeral=True)

        await respond(interaction, produce, ephemeral=True)

    @board.command(name="off", description="Stop keeping this server's live board")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def board_off(self, interaction: discord.Interaction[Any]) -> None:
        guild, _ = _guild_member(interaction)
        lang = lang_of(interaction)

        async def produce() -> Reply:
            removed = await self.bot.runtime.boards.stop(guild.id)
            text = (
                lang.say("The live board is no longer kept (its message stays as it is).")
                if removed
                else lang.say("There was no live board.")
            )
            return Reply(render_admin_reply(text, lang, ok=True), ephemeral=True)

        await respond(interaction, produce, ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(Alerts(bot))
