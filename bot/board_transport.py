"""Live boards through discord.py (the Discord edge): the view rendered in the server's
language, then posted or edited in place by the alert transport."""

from __future__ import annotations

from bot.alert_transport import DiscordTransport
from bot.alerts.board import BoardView
from bot.alerts.outcomes import EditResult
from bot.render.board import render_board
from bot.render.lang import lang_for


class DiscordBoardSender:
    def __init__(self, transport: DiscordTransport) -> None:
        self._transport = transport

    def language(self, guild_id: int, picked: str | None) -> str:
        return self._transport.server_lang(guild_id, picked).code

    async def post(self, channel_id: int, view: BoardView, language: str) -> int:
        return await self._transport.post(channel_id, render_board(view, lang_for(language)))

    async def edit(
        self, channel_id: int, message_id: int, view: BoardView, language: str
    ) -> EditResult:
        message = render_board(view, lang_for(language))
        return await self._transport.edit(channel_id, message_id, message)
