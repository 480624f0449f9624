"""Live boards through discord.py (the Discord edge): the view rendered, then posted or
edited in place by the alert transport."""

from __future__ import annotations

from bot.alert_transport import DiscordTransport
from bot.alerts.board import BoardView
from bot.alerts.outcomes import EditResult
from bot.render.board import render_board


class DiscordBoardSender:
    def __init__(self, transport: DiscordTransport) -> None:
        self._transport = transport

    async def post(self, channel_id: int, view: BoardView) -> int:
        return await self._transport.post(channel_id, render_board(view))

    async def edit(self, channel_id: int, message_id: int, view: BoardView) -> EditResult:
        return await self._transport.edit(channel_id, message_id, render_board(view))
