"""Live boards on a real database: one per channel with Discord's 64-bit ids, a message
recorded once, a deleted one cleared once, a pause kept until asked again."""

from __future__ import annotations

import pytest

from storage.boards import Board, BoardStore
from storage.database import Database

pytestmark = pytest.mark.every_backend

NOW = 1_800_000_000.25
GUILD = 1_576_535_697_735_680_000
CHANNEL = 1_576_535_697_735_680_001
MESSAGE = 1_576_535_697_735_680_009


async def test_one_board_per_channel_keeps_its_message_when_asked_again(db: Database) -> None:
    store = BoardStore(db)
    board = await store.place(GUILD, CHANNEL, NOW)
    assert board == Board(GUILD, CHANNEL)
    assert await store.posted(board, MESSAGE, "key-1", NOW + 1)
    assert not await store.posted(board, MESSAGE + 1, "key-1", NOW + 2)  # never a second
    await store.pause(board, "Capcom may not edit it", NOW + 3)
    assert await store.active() == []
    again = await store.place(GUILD, CHANNEL, NOW + 4)
    assert again == Board(GUILD, CHANNEL, MESSAGE, "key-1")
    assert await store.active() == [again]


async def test_a_deleted_message_is_cleared_once_and_off_removes_the_servers_boards(
    db: Database,
) -> None:
    store = BoardStore(db)
    board = await store.place(GUILD, CHANNEL, NOW)
    await store.posted(board, MESSAGE, "key-1", NOW)
    shown = Board(GUILD, CHANNEL, MESSAGE, "key-1")
    await store.shown(shown, "key-2", NOW + 1)
    assert await store.board(CHANNEL) == Board(GUILD, CHANNEL, MESSAGE, "key-2")
    await store.gone(shown, NOW + 2)
    assert await store.board(CHANNEL) == Board(GUILD, CHANNEL)
    await store.place(GUILD, CHANNEL + 1, NOW)
    assert [b.channel_id for b in await store.remove(GUILD)] == [CHANNEL, CHANNEL + 1]
    assert await store.of_guild(GUILD) == []
