"""The background loop of reminders and launch changes (`bot.alerts.launch_watch`).

A `PacedLoop`, not a `tasks.loop`: it sleeps until the watch's next poll or reminder is
due, computed from what the database holds (the last poll's time, the NETs watched), so
after waiting for the background lease, a restart or a long sleep, it runs at most one
cycle at once and then waits again: never a burst. It wakes at least every `MAX_SLEEP_SECONDS` (or
near poll interval, if shorter) to notice a new subscription's offsets or a lost lease.
"""

from __future__ import annotations

import logging

from discord.ext import commands

from bot.alert_transport import DiscordTransport
from bot.alerts.launch_watch import LaunchWatch
from bot.discord_bot import CapcomBot
from bot.lease import BackgroundLease
from bot.pacing import PacedLoop

log = logging.getLogger(__name__)

MAX_SLEEP_SECONDS = 60.0
FAILURE_PAUSE_SECONDS = 60.0
"""After a cycle that failed (a bug, the database), wait this long before the next."""


class Reminders(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot
        self.watch: LaunchWatch = bot.runtime.launches
        self.lease: BackgroundLease = bot.runtime.lease
        self.transport = DiscordTransport(bot)
        self.max_sleep = min(MAX_SLEEP_SECONDS, self.watch.cadence.near)
        self.loop = PacedLoop("launch watch", self._turn)

    async def cog_load(self) -> None:
        self.loop.start()

    async def cog_unload(self) -> None:
        await self.loop.stop()

    async def _turn(self) -> float:
        """One cycle when one is due; the seconds to sleep before looking again."""
        await self.bot.wait_until_ready()
        if not self.lease.held:
            await self.lease.wait()  # while another process watches, stand by
        try:
            delay = await self.watch.seconds_to_wake()
            if delay <= 0:
                await self._cycle()
                return 0.0
        except Exception:  # a bug or the database: the loop must not end
            log.exception("launch watch failed; trying again in a minute")
            delay = FAILURE_PAUSE_SECONDS
        return min(delay, self.max_sleep)

    async def _cycle(self) -> None:
        result = await self.watch.cycle(self.transport)
        if result.error:
            log.info("launch watch poll failed: %s", result.error)
        for launch_id, change in result.changes:
            log.info("launch %s: %s", launch_id, change.kind.value)
        if result.deliveries or result.edits:
            log.info(
                "launch watch: %d notices, %d reminders edited",
                len(result.deliveries),
                len(result.edits),
            )


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(Reminders(bot))
