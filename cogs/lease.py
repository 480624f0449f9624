"""Keeps this process's claim on the background lease (`bot/lease.py`) fresh: renewed
while held, retried while another process holds it, given up when the bot stops."""

from __future__ import annotations

import logging

from discord.ext import commands

from bot.discord_bot import CapcomBot
from bot.lease import BackgroundLease
from bot.pacing import PacedLoop

log = logging.getLogger(__name__)


class Lease(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.lease: BackgroundLease = bot.runtime.lease
        self.loop = PacedLoop("background lease", self.renew)

    async def cog_load(self) -> None:
        self.loop.start()

    async def cog_unload(self) -> None:
        await self.loop.stop()
        await self.lease.release()

    async def renew(self) -> float:
        try:
            await self.lease.hold()
        except Exception:  # a bug must not end the loop: the lease would lapse for good
            log.exception(
                "background lease not renewed; trying again in %.0f s", self.lease.renew_every
            )
        return self.lease.renew_every


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(Lease(bot))
