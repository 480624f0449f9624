"""The background catalog sync: one page of LL2's catalog per interval, on the
background budget, so autocomplete knows every astronaut and flight."""

from __future__ import annotations

import logging

from discord.ext import commands, tasks

from bot.discord_bot import CapcomBot
from bot.ll2.client import LL2Error
from storage.database import StorageError

log = logging.getLogger(__name__)


class Sync(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot
        self.sync = bot.runtime.sync
        self.step.change_interval(seconds=bot.runtime.settings.sync_interval_seconds)

    async def cog_load(self) -> None:
        self.step.start()

    async def cog_unload(self) -> None:
        self.step.cancel()

    @tasks.loop(seconds=1800)
    async def step(self) -> None:
        await self.bot.runtime.lease.wait()  # while another process syncs, stand by
        await self._prune()
        try:
            if not await self.sync.due():
                return
            step = await self.sync.step()
        except (LL2Error, StorageError) as error:
            log.info("catalog sync waits: %s", error)
            return
        except Exception:
            log.exception("catalog sync step failed; trying again next interval")
            return
        if step is not None:
            left = step.position.pages_left
            log.info(
                "catalog sync: %s from %d, %d items; %s",
                step.catalog.value,
                step.offset,
                step.fetched,
                "pages left unknown yet" if left is None else f"{left} pages left",
            )

    async def _prune(self) -> None:
        """List pages past `LIST_KEEP` go, whether or not a sync pass is due."""
        try:
            pruned = await self.bot.service.repository.prune_lists()
        except StorageError as error:
            log.info("old list pages not pruned: %s", error)
            return
        if pruned:
            log.info("pruned %d list pages older than a week", pruned)

    @step.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(Sync(bot))
