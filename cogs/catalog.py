"""The background catalog sync: a page of LL2's catalog whenever the hour's budget has
a spare slot, and at least one per `SYNC_INTERVAL_SECONDS` on the background share
(see `bot.catalog`), so autocomplete and the cache know every astronaut and flight. Old
list pages are pruned once per interval."""

from __future__ import annotations

import logging
import math
import time

from discord.ext import commands

from bot.catalog import Turn
from bot.discord_bot import CapcomBot
from bot.ll2.client import LL2Error
from bot.pacing import PacedLoop
from storage.database import StorageError

log = logging.getLogger(__name__)


class Sync(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot
        self.sync = bot.runtime.catalog
        self.interval = bot.runtime.settings.sync_interval_seconds
        self.spare_slots = bot.runtime.settings.sync_spare_slots
        self._pruned_at = -math.inf
        self.loop = PacedLoop("catalog sync", self._turn_when_held)

    async def cog_load(self) -> None:
        self.loop.start()

    async def cog_unload(self) -> None:
        await self.loop.stop()

    async def _turn_when_held(self) -> float:
        await self.bot.wait_until_ready()
        await self.bot.runtime.lease.wait()  # while another process syncs, stand by
        return await self.turn()

    async def turn(self) -> float:
        """One turn of the loop; the seconds to wait before the next."""
        if time.monotonic() - self._pruned_at >= self.interval:
            self._pruned_at = time.monotonic()
            await self._prune()
        try:
            turn = await self.sync.turn(self.interval, spare_slots=self.spare_slots)
        except (LL2Error, StorageError) as error:
            log.info("catalog sync waits: %s", error)
            return self.interval
        except Exception:
            log.exception("catalog sync step failed; trying again next interval")
            return self.interval
        _log_turn(turn)
        return turn.pause(time.time(), self.interval)

    async def _prune(self) -> None:
        """List pages past `LIST_KEEP` and 404 notes past `NOT_FOUND_TTL` go, whether or
        not a sync pass is due."""
        try:
            pruned = await self.bot.service.repository.prune()
        except StorageError as error:
            log.info("old list pages not pruned: %s", error)
            return
        if pruned:
            log.info("pruned %d old list pages and notes of missing ids", pruned)


def _log_turn(turn: Turn) -> None:
    step = turn.step
    if step is None:
        if turn.waiting is not None:
            log.debug("catalog sync waits (%s) until %.0f", turn.waiting, turn.next_at)
        return
    position = step.position
    left = position.pages_left
    log.info(
        "catalog sync: %s from %d, %d items (%d of %s held); %s",
        step.catalog.value,
        step.offset,
        step.fetched,
        position.held(step.catalog),
        position.totals[step.catalog],
        "pages left unknown yet" if left is None else f"{left} pages left",
    )


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(Sync(bot))
