"""The discord.py Bot subclass: dependencies in, cogs loaded in `setup_hook`."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import socket
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot.metrics import Metrics
from bot.render.about import Instance, instance_text
from bot.render.lang import ENGLISH, catalogs, prepare_languages
from bot.responder import on_tree_error
from bot.runtime import Runtime
from bot.service import SpaceService
from bot.translator import CatalogTranslator

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.flights",
    "cogs.crew",
    "cogs.inspace",
    "cogs.upcoming",
    "cogs.about",
    "cogs.lease",
    "cogs.alerts",
    "cogs.reminders",
    "cogs.board",
    "cogs.catalog",
    "cogs.events",
)
_COMMANDS_HASH = "synced_commands_sha256"


def configure_endpoints(api_base_url: str, gateway_url: str) -> None:
    """Point discord.py at Discord or at a proxy / local stand-in.

    REST, interaction callbacks and webhooks all build URLs from
    `discord.http.Route.BASE`; the gateway connects to `DEFAULT_GATEWAY`.
    """
    discord.http.Route.BASE = api_base_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def intents() -> discord.Intents:
    """Only guild events: channels, roles and the bot's own permissions.
    No members, presences or message content."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class CapcomBot(commands.AutoShardedBot):
    """Capcom on Discord: every shard this process runs (all of them by default, as many
    as Discord recommends; `SHARD_COUNT`/`SHARD_IDS` split them across processes)."""

    def __init__(self, runtime: Runtime) -> None:
        settings = runtime.settings
        shards: dict[str, Any] = {"shard_count": settings.shard_count}
        if settings.shard_ids is not None:
            shards["shard_ids"] = list(settings.shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            **shards,
        )
        self.runtime = runtime
        self.state = runtime.state

    @property
    def service(self) -> SpaceService:
        return self.runtime.service

    @property
    def metrics(self) -> Metrics:
        """What the responder counts (`bot/metrics.py`)."""
        return self.runtime.metrics

    @property
    def instance(self) -> Instance:
        """Which process this is, and its shards: for `/about` and the logs."""
        ids = tuple(sorted(self.shard_ids or range(self.shard_count or 1)))
        return Instance(ids, self.shard_count or 1, f"{socket.gethostname()}:{os.getpid()}")

    async def setup_hook(self) -> None:
        self.tree.error(on_tree_error)
        prepare_languages()
        await self.tree.set_translator(CatalogTranslator(catalogs()))
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self._sync_commands()
        # What start-up built (modules, models, commands) lives as long as the process:
        # frozen, the collector's full passes no longer walk it (tens of ms each, a pause
        # for every command waiting).
        gc.collect()
        gc.freeze()

    async def _sync_commands(self) -> None:
        guild_id = self.runtime.settings.discord_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %d", len(synced), guild_id)
            return
        digest = await self._command_set_hash()
        if await self.state.get(_COMMANDS_HASH) == digest:
            log.info("command set unchanged since the last global sync; not syncing")
            return
        synced = await self.tree.sync()
        await self.state.set(_COMMANDS_HASH, digest)
        log.info("synced %d global commands", len(synced))

    async def _command_set_hash(self) -> str:
        """The command set as it is synced, translations included: a changed catalog
        syncs again."""
        translator = self.tree.translator
        assert translator is not None
        payload: list[dict[str, Any]] = [
            await command.get_translated_payload(self.tree, translator)
            for command in self.tree.get_commands()
        ]
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    async def on_guild_join(self, guild: discord.Guild) -> None:
        log.info("joined guild %s (%d)", guild.name, guild.id)

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "ready as %s in %d guilds (%s)",
            user,
            len(self.guilds),
            instance_text(self.instance, ENGLISH),
        )


def service_of(interaction: discord.Interaction[Any]) -> SpaceService:
    """The bot's service, for a component callback (which has the interaction, not the cog)."""
    client = interaction.client
    assert isinstance(client, CapcomBot)
    return client.service
