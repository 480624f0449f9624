"""The background turn that keeps every opted-in server's Discord scheduled events in step
with the cached upcoming launches (`bot.alerts.event_sync`), once per
`EVENTS_SYNC_SECONDS`, while this process holds the background lease."""

from __future__ import annotations

import logging

from discord.ext import commands

from bot.discord_bot import CapcomBot
from bot.event_publisher import EventPublisher
from bot.pacing import PacedLoop
from storage.database import StorageError

log = logging.getLogger(__name__)


class ScheduledEvents(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot
        self.sync = bot.runtime.events
        self.target = EventPublisher(bot, bot.runtime.alerts.store)
        self.interval = bot.runtime.settings.events_sync_seconds
        self.loop = PacedLoop("scheduled events", self.turn)

    async def cog_load(self) -> None:
        self.loop.start()

    async def cog_unload(self) -> None:
        await self.loop.stop()

    async def turn(self) -> float:
        await self.bot.wait_until_ready()
        await self.bot.runtime.lease.wait()  # while another process syncs, stand by
        try:
            result = await self.sync.turn(self.target)
        except StorageError as error:
            log.warning("scheduled events skipped: %s", error)
            return self.interval
        except Exception:
            log.exception("scheduled events failed; trying again next interval")
            return self.interval
        if not result.cached:
            log.info("scheduled events: no upcoming launches cached yet; nothing to do")
            return self.interval
        done = ", ".join(f"{count} {step.value}" for step, count in sorted(result.done.items()))
        log.info(
            "scheduled events: synced, %s; %d paused, %d waiting, %d on other processes' shards",
            done or "nothing to do",
            len(result.paused),
            len(result.failed),
            len(result.unreached),
        )
        return self.interval


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(ScheduledEvents(bot))
