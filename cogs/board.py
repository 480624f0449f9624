"""Keeps the live boards current (`bot/alerts/board.py`): one turn every
`ALERT_BOARD_SECONDS` while this process holds the background lease."""

from __future__ import annotations

import logging

from discord.ext import commands

from bot.alert_transport import DiscordTransport
from bot.alerts.board import BoardService
from bot.board_transport import DiscordBoardSender
from bot.discord_bot import CapcomBot
from bot.pacing import PacedLoop
from storage.database import StorageError

log = logging.getLogger(__name__)


class Boards(commands.Cog):
    def __init__(self, bot: CapcomBot) -> None:
        self.bot = bot
        self.service: BoardService = bot.runtime.boards
        self.sender = DiscordBoardSender(DiscordTransport(bot))
        self.interval = bot.runtime.settings.alert_board_seconds
        self.loop = PacedLoop("live boards", self.turn)

    async def cog_load(self) -> None:
        self.loop.start()

    async def cog_unload(self) -> None:
        await self.loop.stop()

    async def turn(self) -> float:
        """One turn once this process holds the background lease (the lease is what
        keeps a fleet to one board per channel); the seconds until the next."""
        await self.bot.wait_until_ready()
        await self.bot.runtime.lease.wait()
        try:
            done = await self.service.turn(self.sender)
        except StorageError as error:
            log.warning("board turn skipped: %s", error)
        except Exception:  # a bug must not end the loop
            log.exception("board turn failed; trying again next turn")
        else:
            if done.posted or done.edited or done.paused:
                log.info(
                    "boards: %d posted, %d edited, %d paused, %d unchanged",
                    len(done.posted),
                    len(done.edited),
                    len(done.paused),
                    done.unchanged,
                )
        return self.interval


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, CapcomBot)
    await bot.add_cog(Boards(bot))
